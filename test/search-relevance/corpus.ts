import type { SeedData } from '../../seeds/seed-data';

/**
 * The synthetic half of the relevance corpus, loaded next to the seed data (seeds/camf.data.ts)
 * in the same call, so that it may refer to the seed's countries (KZ, KG, UZ). Everything here
 * is invented for the test: the people, the outlets, the events and what they said; only the
 * ministries' names are real. Texts are in Russian, Kazakh and English, some in one language
 * only, so that a query can only find them across languages or scripts.
 *
 * The words are chosen with the queries (queries.ts) in mind, and two rules keep the seed's
 * expectations true:
 * - nothing here mentions Astana in any language or form: the issue's table expects `Астана`,
 *   `Астаны` and `Астанада` to find only the seed's forum coverage;
 * - nothing here says «медиафорум»: `медиафорум -Астане` must find nothing.
 * Places appear in inflected forms on purpose: Бишкеке, Ташкенте, Шымкента, Караганды; Kazakh
 * Алматыда, Алматыдағы, Бішкекте, Бішкектегі, Ташкенттегі.
 */
export const syntheticCorpus: SeedData = {
  countries: [
    { code: 'GE', name: { ru: 'Грузия', en: 'Georgia', kk: 'Грузия' } },
    { code: 'JP', name: { ru: 'Япония', en: 'Japan', kk: 'Жапония' } },
    { code: 'DE', name: { ru: 'Германия', en: 'Germany', kk: 'Германия' } },
    { code: 'IN', name: { ru: 'Индия', en: 'India', kk: 'Үндістан' } },
  ],

  ministries: [
    {
      slug: 'kz-digital',
      country: 'KZ',
      kind: 'MINISTRY',
      name: {
        ru: 'Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан',
        en: 'Ministry of Digital Development, Innovation and Aerospace Industry of the Republic of Kazakhstan',
        kk: 'Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі',
      },
      shortName: { ru: 'МЦРИАП РК', en: 'MDDIAI', kk: 'ҚР ЦДИАӨМ' },
    },
    {
      slug: 'kg-culture',
      country: 'KG',
      kind: 'MINISTRY',
      name: {
        ru: 'Министерство культуры, информации, спорта и молодёжной политики Кыргызской Республики',
        en: 'Ministry of Culture, Information, Sports and Youth Policy of the Kyrgyz Republic',
        kk: 'Қырғыз Республикасының Мәдениет, ақпарат, спорт және жастар саясаты министрлігі',
      },
    },
    {
      slug: 'ge-comcom',
      country: 'GE',
      kind: 'STATE_AGENCY',
      name: {
        ru: 'Национальная комиссия по коммуникациям Грузии',
        en: 'Communications Commission of Georgia',
        kk: 'Грузияның Ұлттық коммуникациялар комиссиясы',
      },
    },
  ],

  speakers: [
    {
      slug: 'gulnara-seitkalieva',
      fullName: { ru: 'Гульнара Сейткалиева', en: 'Gulnara Seitkaliyeva', kk: 'Гүлнар Сейітқалиева' },
      position: {
        ru: 'Главный редактор портала «Дала медиа»',
        en: 'Editor-in-chief of the Dala Media portal',
        kk: '«Дала медиа» порталының бас редакторы',
      },
      country: 'KZ',
    },
    {
      slug: 'timur-zhaksylykov',
      fullName: { ru: 'Тимур Жаксылыков', en: 'Timur Zhaksylykov', kk: 'Тимур Жақсылықов' },
      position: { ru: 'Аналитик данных', en: 'Data analyst', kk: 'Деректер талдаушысы' },
      organisation: { ru: 'Лаборатория открытых данных', en: 'Open Data Lab', kk: 'Ашық деректер зертханасы' },
      country: 'KZ',
    },
    {
      slug: 'aibek-usenov',
      fullName: { ru: 'Айбек Усенов', en: 'Aibek Usenov', kk: 'Айбек Үсенов' },
      position: { ru: 'Продюсер подкастов', en: 'Podcast producer', kk: 'Подкаст продюсері' },
      country: 'KG',
    },
    {
      slug: 'dilnoza-karimova',
      fullName: { ru: 'Дильноза Каримова', en: 'Dilnoza Karimova', kk: 'Дилноза Каримова' },
      position: {
        ru: 'Руководитель школы мобильной журналистики',
        en: 'Head of a mobile journalism school',
        kk: 'Мобильді журналистика мектебінің жетекшісі',
      },
      country: 'UZ',
    },
    {
      slug: 'nino-beridze',
      fullName: { ru: 'Нино Беридзе', en: 'Nino Beridze', kk: 'Нино Беридзе' },
      position: { ru: 'Эксперт по проверке фактов', en: 'Fact-checking expert', kk: 'Фактілерді тексеру жөніндегі сарапшы' },
      country: 'GE',
    },
    {
      slug: 'kenji-watanabe',
      fullName: { ru: 'Кэндзи Ватанабэ', en: 'Kenji Watanabe', kk: 'Кэндзи Ватанабэ' },
      position: { ru: 'Корреспондент по Центральной Азии', en: 'Central Asia correspondent', kk: 'Орталық Азия бойынша тілші' },
      country: 'JP',
    },
    {
      slug: 'anna-schmidt',
      fullName: { ru: 'Анна Шмидт', en: 'Anna Schmidt', kk: 'Анна Шмидт' },
      position: { ru: 'Тренер по медиаграмотности', en: 'Media literacy trainer', kk: 'Медиасауаттылық жаттықтырушысы' },
      country: 'DE',
    },
    {
      // Cyrillic only: the Latin spelling of the name must come from transliteration.
      slug: 'yerzhan-toleuov',
      fullName: { ru: 'Ержан Толеуов', kk: 'Ержан Төлеуов' },
      position: { ru: 'Директор регионального телеканала', kk: 'Өңірлік телеарнаның директоры' },
      country: 'KZ',
    },
    {
      slug: 'saule-nurlanova',
      fullName: { ru: 'Сауле Нурланова', en: 'Saule Nurlanova', kk: 'Сәуле Нұрланова' },
      position: {
        ru: 'Руководитель пресс-службы министерства',
        en: 'Head of the ministry press office',
        kk: 'Министрлік баспасөз қызметінің басшысы',
      },
      country: 'KZ',
      ministry: 'kz-digital',
    },
    {
      slug: 'priya-sharma',
      fullName: { ru: 'Прия Шарма', en: 'Priya Sharma', kk: 'Прия Шарма' },
      position: { ru: 'Исследователь дезинформации', en: 'Disinformation researcher', kk: 'Жалған ақпаратты зерттеуші' },
      country: 'IN',
    },
  ],

  forums: [
    {
      slug: 'almaty-digital-media-week-2024',
      title: { ru: 'Алматинская неделя цифровых медиа', en: 'Almaty Digital Media Week', kk: 'Алматы цифрлық медиа апталығы' },
      edition: 1,
      city: { ru: 'Алматы', en: 'Almaty', kk: 'Алматы' },
      hostCountry: 'KZ',
      timeZone: 'Asia/Almaty',
      startDate: '2024-10-03',
      endDate: '2024-10-04',
      description: {
        ru: 'Неделя цифровых медиа прошла в Алматы: редакции, блогеры и разработчики обсуждали подкасты, журналистику данных и проверку фактов.',
        en: 'Digital Media Week took place in Almaty: newsrooms, bloggers and developers discussed podcasts, data journalism and fact-checking.',
        kk: 'Цифрлық медиа апталығы Алматыда өтті: редакциялар, блогерлер мен әзірлеушілер подкасттарды, деректер журналистикасын және фактілерді тексеруді талқылады.',
      },
      organisers: ['kz-digital'],
      countries: ['KZ', 'KG', 'UZ', 'GE', 'DE'],
      sessions: [
        {
          slug: 'adm-2024-podcasts',
          title: { ru: 'Подкасты и аудиоформаты', en: 'Podcasts and audio formats', kk: 'Подкасттар және аудиоформаттар' },
          description: {
            ru: 'Как региональные редакции запускают подкасты и находят слушателей.',
            en: 'How regional newsrooms launch podcasts and find listeners.',
            kk: 'Өңірлік редакциялар подкастты қалай іске қосып, тыңдарман табады.',
          },
          kind: 'PANEL',
          startsAt: '2024-10-03T11:00:00+05:00',
          endsAt: '2024-10-03T12:30:00+05:00',
          language: 'ru',
          participants: [
            { speaker: 'gulnara-seitkalieva', role: 'MODERATOR' },
            { speaker: 'aibek-usenov', role: 'SPEAKER' },
          ],
        },
        {
          slug: 'adm-2024-data-journalism',
          title: { ru: 'Журналистика данных', en: 'Data journalism', kk: 'Деректер журналистикасы' },
          description: {
            ru: 'Открытые данные, таблицы и визуализация в ежедневной работе редакции.',
            en: 'Open data, spreadsheets and visualisation in a newsroom’s daily work.',
            kk: 'Ашық деректер, кестелер және визуализация редакцияның күнделікті жұмысында.',
          },
          kind: 'WORKSHOP',
          startsAt: '2024-10-03T14:00:00+05:00',
          endsAt: '2024-10-03T16:00:00+05:00',
          language: 'kk',
          participants: [{ speaker: 'timur-zhaksylykov', role: 'SPEAKER' }],
        },
        {
          slug: 'adm-2024-fact-checking',
          title: {
            ru: 'Проверка фактов в эпоху нейросетей',
            en: 'Fact-checking in the age of neural networks',
            kk: 'Нейрожелілер дәуіріндегі фактчекинг',
          },
          description: {
            ru: 'Как распознать сгенерированные изображения и дипфейки.',
            en: 'How to recognise generated images and deepfakes.',
            kk: 'Жасалған суреттер мен дипфейктерді қалай тануға болады.',
          },
          kind: 'PANEL',
          startsAt: '2024-10-04T11:00:00+05:00',
          endsAt: '2024-10-04T12:30:00+05:00',
          language: 'en',
          participants: [
            { speaker: 'nino-beridze', role: 'SPEAKER' },
            { speaker: 'priya-sharma', role: 'SPEAKER' },
          ],
        },
      ],
      initiatives: [],
    },
    {
      slug: 'bishkek-press-summit-2024',
      title: { ru: 'Бишкекский пресс-саммит', en: 'Bishkek Press Summit', kk: 'Бішкек баспасөз саммиті' },
      edition: 1,
      city: { ru: 'Бишкек', en: 'Bishkek', kk: 'Бішкек' },
      hostCountry: 'KG',
      timeZone: 'Asia/Bishkek',
      startDate: '2024-06-12',
      endDate: '2024-06-13',
      description: {
        ru: 'Пресс-саммит прошёл в Бишкеке и был посвящён безопасности журналистов и медиаграмотности.',
        en: 'The press summit was held in Bishkek and focused on the safety of journalists and media literacy.',
        kk: 'Баспасөз саммиті Бішкекте өтті және журналистердің қауіпсіздігі мен медиасауаттылыққа арналды.',
      },
      organisers: ['kg-culture'],
      countries: ['KG', 'KZ', 'UZ', 'DE'],
      sessions: [
        {
          slug: 'bps-2024-journalist-safety',
          title: { ru: 'Безопасность журналистов', en: 'Safety of journalists', kk: 'Журналистердің қауіпсіздігі' },
          description: {
            ru: 'Цифровая гигиена и защита источников.',
            en: 'Digital hygiene and protecting sources.',
            kk: 'Цифрлық гигиена және дереккөздерді қорғау.',
          },
          kind: 'PANEL',
          startsAt: '2024-06-12T10:00:00+06:00',
          endsAt: '2024-06-12T11:30:00+06:00',
          language: 'ru',
        },
        {
          slug: 'bps-2024-media-literacy',
          title: {
            ru: 'Медиаграмотность для школьников',
            en: 'Media literacy for schoolchildren',
            kk: 'Мектеп оқушыларына арналған медиасауаттылық',
          },
          kind: 'WORKSHOP',
          startsAt: '2024-06-12T14:00:00+06:00',
          endsAt: '2024-06-12T15:30:00+06:00',
          language: 'en',
          participants: [{ speaker: 'anna-schmidt', role: 'SPEAKER' }],
        },
        {
          slug: 'bps-2024-regional-podcasts',
          title: { ru: 'Подкасты региональных редакций', en: 'Podcasts from regional newsrooms', kk: 'Өңірлік редакциялардың подкасттары' },
          kind: 'PANEL',
          startsAt: '2024-06-13T10:00:00+06:00',
          endsAt: '2024-06-13T11:30:00+06:00',
          language: 'ru',
          participants: [{ speaker: 'aibek-usenov', role: 'SPEAKER' }],
        },
      ],
      initiatives: [],
    },
    {
      slug: 'tashkent-newsroom-forum-2023',
      title: { ru: 'Ташкентский форум редакций', en: 'Tashkent Newsroom Forum', kk: 'Ташкент редакциялар форумы' },
      edition: 1,
      city: { ru: 'Ташкент', en: 'Tashkent', kk: 'Ташкент' },
      hostCountry: 'UZ',
      timeZone: 'Asia/Tashkent',
      startDate: '2023-09-20',
      endDate: '2023-09-21',
      description: {
        ru: 'Форум в Ташкенте собрал редакторов со всего региона, чтобы обсудить мобильную журналистику и локальные новости.',
        en: 'The forum in Tashkent brought together editors from across the region to discuss mobile journalism and local news.',
        kk: 'Ташкенттегі форум бүкіл өңірдің редакторларын жинап, мобильді журналистика мен жергілікті жаңалықтарды талқылады.',
      },
      organisers: [],
      countries: ['UZ', 'KZ', 'IN'],
      sessions: [
        {
          slug: 'tnf-2023-mobile-journalism',
          title: { ru: 'Мобильная журналистика', en: 'Mobile journalism', kk: 'Мобильді журналистика' },
          kind: 'WORKSHOP',
          startsAt: '2023-09-20T10:00:00+05:00',
          endsAt: '2023-09-20T12:00:00+05:00',
          language: 'ru',
          participants: [{ speaker: 'dilnoza-karimova', role: 'SPEAKER' }],
        },
        {
          slug: 'tnf-2023-local-news',
          title: { ru: 'Локальные новости и мессенджеры', en: 'Local news and messengers', kk: 'Жергілікті жаңалықтар және мессенджерлер' },
          kind: 'PANEL',
          startsAt: '2023-09-20T14:00:00+05:00',
          endsAt: '2023-09-20T15:30:00+05:00',
          language: 'ru',
          participants: [{ speaker: 'yerzhan-toleuov', role: 'SPEAKER' }],
        },
      ],
      initiatives: [],
    },
  ],

  articles: [
    {
      slug: 'almaty-digital-media-week-opens',
      title: {
        ru: 'В Алматы открылась Неделя цифровых медиа',
        en: 'Digital Media Week opens in Almaty',
        kk: 'Алматыда Цифрлық медиа апталығы ашылды',
      },
      lead: {
        ru: 'Два дня редакции и разработчики обсуждают подкасты, данные и проверку фактов',
        en: 'For two days newsrooms and developers discuss podcasts, data and fact-checking',
        kk: 'Екі күн бойы редакциялар мен әзірлеушілер подкасттарды, деректерді және фактчекингті талқылайды',
      },
      ...outlet('almaty-digital-media-week-opens', 'ru', '2024-10-03T10:00:00+05:00'),
      forums: ['almaty-digital-media-week-2024'],
      covers: ['forums'],
    },
    {
      slug: 'podcasts-win-listeners-in-bishkek',
      title: { ru: 'Подкасты завоёвывают слушателей в Бишкеке' },
      lead: { ru: 'Продюсер Айбек Усенов рассказал, почему региональные редакции переходят на звук' },
      body: { ru: 'На пресс-саммите в Бишкеке Айбек Усенов показал, как небольшая редакция за год собрала аудиторию своего подкаста.' },
      ...outlet('podcasts-win-listeners-in-bishkek', 'ru', '2024-06-13T18:00:00+06:00'),
      forums: ['bishkek-press-summit-2024'],
      speakers: ['aibek-usenov'],
    },
    {
      slug: 'data-journalism-workshop-almaty',
      title: { en: 'Data journalism workshop draws reporters in Almaty' },
      lead: { en: 'Timur Zhaksylykov showed how open data becomes a story' },
      body: { en: 'At the workshop, reporters cleaned a spreadsheet of public procurement and turned it into a chart.' },
      ...outlet('data-journalism-workshop-almaty', 'en', '2024-10-04T09:00:00+05:00'),
      sessions: ['adm-2024-data-journalism'],
      speakers: ['timur-zhaksylykov'],
    },
    {
      slug: 'journalists-safety-in-bishkek-kk',
      title: { kk: 'Журналистердің қауіпсіздігі Бішкекте талқыланды' },
      lead: { kk: 'Бішкектегі баспасөз саммитінде сарапшылар журналистерге цифрлық гигиена туралы кеңес берді' },
      ...outlet('journalists-safety-in-bishkek-kk', 'kk', '2024-06-12T17:00:00+06:00'),
      sessions: ['bps-2024-journalist-safety'],
    },
    {
      slug: 'mobile-journalism-school-tashkent',
      title: { ru: 'Школа мобильной журналистики открылась в Ташкенте', en: 'A mobile journalism school opens in Tashkent' },
      lead: {
        ru: 'Дильноза Каримова учит репортёров снимать сюжеты на смартфон',
        en: 'Dilnoza Karimova teaches reporters to film stories on a smartphone',
      },
      ...outlet('mobile-journalism-school-tashkent', 'ru', '2023-09-21T12:00:00+05:00'),
      speakers: ['dilnoza-karimova'],
    },
    {
      // Russian only: `Shymkent` must find it by transliteration.
      slug: 'shymkent-local-news-messengers',
      title: { ru: 'Локальные новости Шымкента уходят в мессенджеры' },
      lead: { ru: 'Редакции Шымкента всё чаще публикуют новости в каналах, а не на сайтах' },
      body: { ru: 'В Шымкенте три городских издания запустили каналы в мессенджерах; аудитория каналов уже больше, чем у сайтов.' },
      ...outlet('shymkent-local-news-messengers', 'ru', '2024-02-10T10:00:00+05:00'),
    },
    {
      slug: 'fact-checkers-learn-deepfakes',
      title: {
        ru: 'Фактчекеры учатся распознавать дипфейки',
        en: 'Fact-checkers learn to spot deepfakes',
        kk: 'Фактчекерлер дипфейктерді тануды үйренуде',
      },
      lead: {
        ru: 'Нино Беридзе и Прия Шарма провели практикум по проверке изображений',
        en: 'Nino Beridze and Priya Sharma ran a hands-on session on verifying images',
        kk: 'Нино Беридзе мен Прия Шарма суреттерді тексеру бойынша практикум өткізді',
      },
      ...outlet('fact-checkers-learn-deepfakes', 'en', '2024-10-04T15:00:00+05:00'),
      sessions: ['adm-2024-fact-checking'],
      speakers: ['nino-beridze', 'priya-sharma'],
    },
    {
      slug: 'media-literacy-rural-schools',
      title: { en: 'Media literacy lessons reach rural schools', ru: 'Уроки медиаграмотности пришли в сельские школы' },
      lead: {
        en: 'Trainer Anna Schmidt says pupils learn fastest by checking viral posts themselves',
        ru: 'Тренер Анна Шмидт считает, что школьники быстрее всего учатся, проверяя вирусные посты сами',
      },
      ...outlet('media-literacy-rural-schools', 'en', '2024-06-14T10:00:00+06:00'),
      speakers: ['anna-schmidt'],
    },
    {
      slug: 'kazakh-podcast-market-kk',
      title: { kk: 'Қазақ тіліндегі подкасттар нарығы өсіп келеді' },
      lead: { kk: 'Алматыдағы студиялар жыл сайын жаңа подкасттар шығарады' },
      body: { kk: 'Подкаст продюсерлерінің айтуынша, тыңдармандардың көбі жолда тыңдайды.' },
      ...outlet('kazakh-podcast-market-kk', 'kk', '2024-03-05T10:00:00+05:00'),
    },
    {
      slug: 'japanese-correspondent-central-asia',
      title: { en: 'A Japanese correspondent on covering Central Asia' },
      lead: { en: 'Kenji Watanabe has reported from the region for ten years' },
      body: { en: 'He says readers in Japan know little about the region, and that translation is half of the job.' },
      ...outlet('japanese-correspondent-central-asia', 'en', '2024-05-20T10:00:00+05:00'),
      speakers: ['kenji-watanabe'],
      countries: ['JP'],
    },
    {
      slug: 'georgian-fact-checkers-methods',
      title: { ru: 'Грузинские фактчекеры делятся методиками' },
      lead: { ru: 'Опыт Грузии обсуждают редакции всего региона' },
      ...outlet('georgian-fact-checkers-methods', 'ru', '2024-07-01T10:00:00+04:00'),
      countries: ['GE'],
    },
    {
      slug: 'seitkalieva-interview',
      title: { ru: 'Гульнара Сейткалиева: читатель приходит за доверием', kk: 'Гүлнар Сейітқалиева: оқырман сенім үшін келеді' },
      lead: {
        ru: 'Разговор с Гульнарой Сейткалиевой о том, как небольшой портал удерживает аудиторию',
        kk: 'Гүлнар Сейітқалиевамен шағын порталдың аудиториясын қалай ұстап тұратыны туралы әңгіме',
      },
      ...outlet('seitkalieva-interview', 'ru', '2024-09-01T10:00:00+05:00'),
      speakers: ['gulnara-seitkalieva'],
    },
    {
      slug: 'open-data-for-newsrooms',
      title: { ru: 'Открытые данные для редакций', en: 'Open data for newsrooms', kk: 'Редакцияларға арналған ашық деректер' },
      lead: {
        ru: 'Журналисты составили список наборов данных, которые нужны им каждый день',
        en: 'Journalists listed the datasets they need every day',
        kk: 'Журналистер күн сайын қажет деректер жиынтығының тізімін жасады',
      },
      ...outlet('open-data-for-newsrooms', 'ru', '2024-10-05T10:00:00+05:00'),
    },
    {
      slug: 'karaganda-regional-tv',
      title: { ru: 'Региональное телевидение Караганды меняет сетку' },
      lead: { ru: 'Директор телеканала Ержан Толеуов рассказал о новых программах' },
      body: { ru: 'В Караганде телеканал перенёс вечерние новости на час раньше.' },
      ...outlet('karaganda-regional-tv', 'ru', '2023-11-15T10:00:00+06:00'),
      speakers: ['yerzhan-toleuov'],
    },
    {
      slug: 'bishkek-summit-pledge',
      title: { en: 'Bishkek Press Summit ends with a pledge on journalist safety' },
      lead: { en: 'Delegates agreed to share digital hygiene training' },
      ...outlet('bishkek-summit-pledge', 'en', '2024-06-13T19:00:00+06:00'),
      forums: ['bishkek-press-summit-2024'],
      covers: ['forums'],
    },
    {
      slug: 'disinformation-between-languages',
      title: { en: 'How disinformation travels between languages', ru: 'Как дезинформация переходит из языка в язык' },
      lead: {
        en: 'Researcher Priya Sharma tracked the same false story in Hindi, Russian and Kazakh',
        ru: 'Исследователь Прия Шарма проследила одну и ту же ложную историю на хинди, русском и казахском',
      },
      ...outlet('disinformation-between-languages', 'en', '2024-08-08T10:00:00+05:30'),
      speakers: ['priya-sharma'],
    },
    {
      slug: 'mobile-journalism-tashkent-kk',
      title: { kk: 'Ташкенттегі мобильді журналистика мектебі' },
      lead: { kk: 'Дилноза Каримова репортерлерге смартфонмен түсіруді үйретеді' },
      ...outlet('mobile-journalism-tashkent-kk', 'kk', '2023-09-22T10:00:00+05:00'),
      speakers: ['dilnoza-karimova'],
    },
    {
      slug: 'data-journalism-almaty-kk',
      title: { kk: 'Деректер журналистикасы: Алматыдағы шеберлік сыныбы' },
      lead: { kk: 'Тимур Жақсылықов ашық деректерден материал жасауды көрсетті' },
      ...outlet('data-journalism-almaty-kk', 'kk', '2024-10-04T18:00:00+05:00'),
      sessions: ['adm-2024-data-journalism'],
      speakers: ['timur-zhaksylykov'],
    },
  ],

  quotes: [],
};

/** What every synthetic article has besides its text and links: an invented outlet, no links by default. */
function outlet(slug: string, language: string, publishedAt: string) {
  return {
    sourceUrl: `https://dala-media.example/${slug}`,
    outletName: 'Dala Media',
    language,
    publishedAt,
    viewCount: 100,
    forums: [] as string[],
    sessions: [] as string[],
    speakers: [] as string[],
    countries: [] as string[],
    ministries: [] as string[],
  };
}
