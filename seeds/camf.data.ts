/**
 * Seed data for the Central Asian Media Forum (CAMF): the second forum (Astana, 16–17 April 2025),
 * the first forum (Astana, 20–21 December 2022) and the Kazpravda.kz report on the opening of the
 * second forum.
 *
 * Sources: the project's reference facts for the seed data (a digest of public reports on the
 * forum, kept with the brief, not in this repository) and the Kazpravda.kz report
 * (https://kazpravda.kz/n/vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane), plus the
 * reports that digest cites (ognialatau.kz, astanatimes.com, inform.kz, informburo.kz).
 * Facts and figures are taken from the sources; all descriptions and the article body are our own
 * short summaries. Values no source gives are marked "plausible placeholder" where they occur.
 *
 * Languages: the Russian texts are the originals: titles and names as the Kazpravda.kz report
 * (second forum) and the Russian-language reports (first forum) give them, descriptions as our
 * Russian summaries of them. The Kazakh (kk) and English (en) texts are the portal team's
 * translations of the Russian, not texts the organisers published. The exceptions are names:
 * English names of forums, agencies and people follow English-language reports of the same
 * events, and Kazakhstan's ministries carry their official Kazakh names (e.g. «Қазақстан
 * Республикасы Мәдениет және ақпарат министрлігі», «ҚР МАМ»). Kazakh is written in Cyrillic, the
 * script of Kazakh ministries and Kazpravda. No field records where a text came from (the data
 * shape and the API stay as they are), so this comment does.
 */
import type { SeedData } from './seed-data';

export const camfSeed: SeedData = {
  countries: [
    // The ten countries the report names for the 2025 forum.
    { code: 'KZ', name: { ru: 'Казахстан', en: 'Kazakhstan', kk: 'Қазақстан' } },
    { code: 'UZ', name: { ru: 'Узбекистан', en: 'Uzbekistan', kk: 'Өзбекстан' } },
    { code: 'KG', name: { ru: 'Кыргызстан', en: 'Kyrgyzstan', kk: 'Қырғызстан' } },
    { code: 'AZ', name: { ru: 'Азербайджан', en: 'Azerbaijan', kk: 'Әзірбайжан' } },
    { code: 'TJ', name: { ru: 'Таджикистан', en: 'Tajikistan', kk: 'Тәжікстан' } },
    { code: 'TM', name: { ru: 'Туркменистан', en: 'Turkmenistan', kk: 'Түрікменстан' } },
    { code: 'GB', name: { ru: 'Великобритания', en: 'United Kingdom', kk: 'Ұлыбритания' } },
    { code: 'CN', name: { ru: 'Китай', en: 'China', kk: 'Қытай' } },
    { code: 'QA', name: { ru: 'Катар', en: 'Qatar', kk: 'Катар' } },
    { code: 'RU', name: { ru: 'Россия', en: 'Russia', kk: 'Ресей' } },
    // Day-two (17 April 2025) master-class experts also came from the USA.
    { code: 'US', name: { ru: 'США', en: 'United States', kk: 'АҚШ' } },
    // Countries of the named speakers of the 2022 forum.
    { code: 'TR', name: { ru: 'Турция', en: 'Turkey', kk: 'Түркия' } },
    { code: 'MN', name: { ru: 'Монголия', en: 'Mongolia', kk: 'Моңғолия' } },
  ],

  ministries: [
    {
      slug: 'kz-mci',
      country: 'KZ',
      kind: 'MINISTRY',
      name: {
        ru: 'Министерство культуры и информации Республики Казахстан',
        en: 'Ministry of Culture and Information of the Republic of Kazakhstan',
        kk: 'Қазақстан Республикасы Мәдениет және ақпарат министрлігі',
      },
      shortName: { ru: 'МКИ РК', en: 'MCI', kk: 'ҚР МАМ' },
      // website omitted: not given by any source.
    },
    {
      slug: 'uz-aimc',
      country: 'UZ',
      kind: 'STATE_AGENCY',
      name: {
        ru: 'Агентство информации и массовых коммуникаций при Администрации Президента Республики Узбекистан',
        en: 'Agency of Information and Mass Communications under the Administration of the President of Uzbekistan',
        kk: 'Өзбекстан Республикасы Президенті Әкімшілігі жанындағы Ақпарат және бұқаралық коммуникациялар агенттігі',
      },
    },
    {
      slug: 'az-media-development-agency',
      country: 'AZ',
      kind: 'STATE_AGENCY',
      name: {
        // Russian rendering of the English name given by astanatimes.com.
        ru: 'Агентство развития медиа Азербайджанской Республики',
        en: 'Media Development Agency of Azerbaijan',
        kk: 'Әзірбайжан Республикасы Медианы дамыту агенттігі',
      },
    },
    {
      slug: 'kz-misd',
      country: 'KZ',
      kind: 'MINISTRY',
      name: {
        ru: 'Министерство информации и общественного развития Республики Казахстан',
        en: 'Ministry of Information and Social Development of the Republic of Kazakhstan',
        kk: 'Қазақстан Республикасы Ақпарат және қоғамдық даму министрлігі',
      },
      shortName: { ru: 'МИОР РК', en: 'MISD', kk: 'ҚР АҚДМ' },
    },
  ],

  speakers: [
    {
      slug: 'aida-balaeva',
      fullName: { ru: 'Аида Балаева', en: 'Aida Balaeva', kk: 'Аида Балаева' },
      position: {
        ru: 'Министр культуры и информации Республики Казахстан',
        en: 'Minister of Culture and Information of the Republic of Kazakhstan',
      },
      country: 'KZ',
      ministry: 'kz-mci',
    },
    {
      slug: 'asadjon-khodjaev',
      fullName: { ru: 'Асаджон Ходжаев', en: 'Asadjon Khodjaev' },
      position: {
        ru: 'Директор Агентства информации и массовых коммуникаций при Администрации Президента Республики Узбекистан',
        en: 'Director of the Agency of Information and Mass Communications under the Administration of the President of Uzbekistan',
      },
      country: 'UZ',
      ministry: 'uz-aimc',
    },
    {
      slug: 'akhmed-ismailov',
      fullName: { ru: 'Ахмед Исмайлов', en: 'Akhmed Ismailov' },
      position: {
        ru: 'Исполнительный директор Агентства развития медиа Азербайджанской Республики',
        en: 'Executive Director of the Media Development Agency of Azerbaijan',
      },
      country: 'AZ',
      ministry: 'az-media-development-agency',
    },
    {
      slug: 'erlan-karin',
      fullName: { ru: 'Ерлан Карин', en: 'Erlan Karin', kk: 'Ерлан Қарин' },
      position: {
        ru: 'Государственный советник Республики Казахстан',
        en: 'State Counsellor of the Republic of Kazakhstan',
      },
      country: 'KZ',
    },
    {
      slug: 'darkhan-kydyrali',
      fullName: { ru: 'Дархан Кыдырали', en: 'Darkhan Kydyrali', kk: 'Дархан Қыдырәлі' },
      // His title at the time of the first forum (December 2022).
      position: {
        ru: 'Министр информации и общественного развития Республики Казахстан',
        en: 'Minister of Information and Social Development of the Republic of Kazakhstan',
      },
      country: 'KZ',
      ministry: 'kz-misd',
    },
    {
      slug: 'abdullah-gul',
      fullName: { ru: 'Абдуллах Гюль', en: 'Abdullah Gül' },
      position: { ru: '11-й Президент Турции', en: '11th President of Turkey' },
      country: 'TR',
    },
    {
      slug: 'suiunbek-kasmambetov',
      fullName: { ru: 'Суйунбек Касмамбетов', en: 'Suiunbek Kasmambetov' },
      position: { ru: 'Государственный секретарь Кыргызстана', en: 'State Secretary of Kyrgyzstan' },
      country: 'KG',
    },
    {
      slug: 'nambaryn-enkhbayar',
      fullName: { ru: 'Намбарын Энхбаяр', en: 'Nambaryn Enkhbayar' },
      position: { ru: '3-й Президент Монголии', en: '3rd President of Mongolia' },
      country: 'MN',
    },
  ],

  forums: [
    {
      slug: 'camf-2025',
      title: { ru: 'II Центрально-Азиатский медиафорум', en: 'Second Central Asian Media Forum', kk: 'II Орталық Азия медиафорумы' },
      edition: 2,
      city: { ru: 'Астана', en: 'Astana', kk: 'Астана' },
      // venue omitted: no source names it.
      hostCountry: 'KZ',
      timeZone: 'Asia/Almaty', // UTC+5 since 2024-03-01, hence +05:00 in the session timestamps.
      startDate: '2025-04-16',
      endDate: '2025-04-17',
      participantCount: 700, // lower bound: the sources say "more than 700" (более 700).
      description: {
        ru:
          'Второй Центрально-Азиатский медиафорум собрал в Астане более 700 политиков, журналистов, ' +
          'руководителей медиакомпаний, представителей международных организаций и экспертов. ' +
          'Главные темы — сотрудничество медиа Центральной Азии с международными партнёрами, влияние ' +
          'цифровой трансформации на информационное пространство региона и такие глобальные вызовы, ' +
          'как изменение климата и геополитическая нестабильность.',
        en:
          'The Second Central Asian Media Forum brought more than 700 politicians, journalists, media ' +
          'executives, representatives of international organisations and experts to Astana. Its focus ' +
          'was cooperation between Central Asian media and international partners, the impact of digital ' +
          'transformation on the regional information space, and global challenges such as climate ' +
          'change and geopolitical instability.',
        kk:
          'Екінші Орталық Азия медиафорумы Астанада 700-ден астам қатысушыны жинады: саясаткерлер, ' +
          'журналистер, медиакомпаниялардың басшылары, халықаралық ұйымдардың өкілдері мен сарапшылар. ' +
          'Басты тақырыптар — Орталық Азия медиасының халықаралық серіктестермен ынтымақтастығы, цифрлық ' +
          'трансформацияның өңірдің ақпараттық кеңістігіне ықпалы және климаттың өзгеруі мен геосаяси ' +
          'тұрақсыздық сияқты жаһандық сын-қатерлер.',
      },
      organisers: ['kz-mci'],
      countries: ['KZ', 'UZ', 'KG', 'AZ', 'TJ', 'TM', 'GB', 'CN', 'QA', 'RU', 'US'],
      sessions: [
        {
          slug: 'camf-2025-ministers-meeting',
          title: {
            ru: 'Рабочая встреча министров информации стран Центральной Азии',
            en: 'Working meeting of the ministers of information of Central Asian countries',
            kk: 'Орталық Азия елдері ақпарат министрлерінің жұмыс кездесуі',
          },
          description: {
            ru:
              'Встреча открыла форум. Участвовали министр культуры и информации РК Аида Балаева, ' +
              'представители профильных ведомств Узбекистана, Кыргызстана и Таджикистана и руководители ' +
              'ведущих медиаорганизаций региона; обсуждались совместные медиапроекты стран Центральной Азии.',
            en:
              'The meeting opened the forum. Participants included Kazakhstan’s Minister of Culture and ' +
              'Information Aida Balaeva, representatives of the relevant agencies of Uzbekistan, Kyrgyzstan ' +
              'and Tajikistan, and heads of the region’s leading media organisations; joint Central Asian ' +
              'media projects were discussed.',
            kk:
              'Форум осы кездесумен ашылды. Кездесуге ҚР Мәдениет және ақпарат министрі Аида Балаева, ' +
              'Өзбекстанның, Қырғызстанның және Тәжікстанның салалық ведомстволарының өкілдері, сондай-ақ ' +
              'өңірдің жетекші медиаұйымдарының басшылары қатысты; Орталық Азия елдерінің бірлескен ' +
              'медиажобалары талқыланды.',
          },
          kind: 'MINISTERIAL_MEETING',
          // plausible placeholder: no source gives the time (the report only says it opened day one).
          startsAt: '2025-04-16T10:00:00+05:00',
          endsAt: '2025-04-16T12:00:00+05:00',
          // room omitted: no source gives it.
          language: 'ru', // plausible placeholder: no source states the session language.
          participants: [{ speaker: 'aida-balaeva', role: 'SPEAKER' }],
        },
        {
          slug: 'camf-2025-information-landscape-of-the-future',
          title: {
            ru: 'Формирование информационного ландшафта будущего',
            en: 'Shaping the information landscape of the future',
            kk: 'Болашақтың ақпараттық ландшафтын қалыптастыру',
          },
          kind: 'PANEL',
          // plausible placeholder: the report only says "in the afternoon"; no source gives the time.
          startsAt: '2025-04-16T14:30:00+05:00',
          endsAt: '2025-04-16T15:45:00+05:00',
          language: 'ru', // plausible placeholder: no source states the session language.
        },
        {
          slug: 'camf-2025-digital-transformation-ai-big-data',
          title: {
            ru: 'Цифровая трансформация медиа в эпоху искусственного интеллекта и больших данных',
            en: 'Digital transformation of media in the era of artificial intelligence and big data',
            kk: 'Жасанды интеллект пен үлкен деректер дәуіріндегі медианың цифрлық трансформациясы',
          },
          kind: 'PANEL',
          // plausible placeholder: the report only says "in the afternoon"; no source gives the time.
          startsAt: '2025-04-16T16:00:00+05:00',
          endsAt: '2025-04-16T17:15:00+05:00',
          language: 'ru', // plausible placeholder: no source states the session language.
        },
        {
          slug: 'camf-2025-social-media-country-image',
          title: {
            ru: 'Социальные сети как инструмент продвижения имиджа страны',
            en: 'Social networks as a tool for promoting a country’s image',
            kk: 'Әлеуметтік желілер ел имиджін ілгерілету құралы ретінде',
          },
          kind: 'PANEL',
          // plausible placeholder: the report only says "in the afternoon"; no source gives the time.
          startsAt: '2025-04-16T17:30:00+05:00',
          endsAt: '2025-04-16T18:45:00+05:00',
          language: 'ru', // plausible placeholder: no source states the session language.
        },
        {
          slug: 'camf-2025-master-class-media',
          title: {
            ru: 'Мастер-класс для республиканских и центральноазиатских СМИ',
            en: 'Master class for national and Central Asian media',
            kk: 'Республикалық және Орталық Азия БАҚ-тарына арналған шеберлік сыныбы',
          },
          description: {
            ru: 'Спикеры второго дня форума — эксперты из Великобритании, США и России.',
            en: 'The speakers on the forum’s second day are experts from the United Kingdom, the USA and Russia.',
            kk: 'Форумның екінші күнінің спикерлері — Ұлыбритания, АҚШ және Ресейден келген сарапшылар.',
          },
          kind: 'MASTER_CLASS',
          // plausible placeholder: the report gives only the date (17 April), not the time.
          startsAt: '2025-04-17T10:00:00+05:00',
          endsAt: '2025-04-17T12:00:00+05:00',
          language: 'ru', // plausible placeholder: no source states the session language.
          audience: {
            ru: 'Республиканские и центральноазиатские СМИ',
            en: 'National and Central Asian media',
          },
        },
        {
          slug: 'camf-2025-master-class-students',
          title: {
            ru: 'Мастер-класс для студентов вузов',
            en: 'Master class for university students',
            kk: 'ЖОО студенттеріне арналған шеберлік сыныбы',
          },
          description: {
            ru: 'Спикеры второго дня форума — эксперты из Великобритании, США и России.',
            en: 'The speakers on the forum’s second day are experts from the United Kingdom, the USA and Russia.',
            kk: 'Форумның екінші күнінің спикерлері — Ұлыбритания, АҚШ және Ресейден келген сарапшылар.',
          },
          kind: 'MASTER_CLASS',
          // plausible placeholder: the report gives only the date (17 April), not the time.
          startsAt: '2025-04-17T14:00:00+05:00',
          endsAt: '2025-04-17T16:00:00+05:00',
          language: 'ru', // plausible placeholder: no source states the session language.
          audience: { ru: 'Студенты вузов', en: 'University students' },
        },
      ],
      initiatives: [
        {
          slug: 'joint-central-asian-tv-channel',
          title: { ru: 'Общий центральноазиатский телеканал', en: 'Joint Central Asian TV channel' },
          description: {
            ru: 'Страны Центральной Азии рассматривают запуск совместного телеканала; Казахстан поддержал эту идею.',
            en: 'Central Asian countries are considering launching a joint TV channel; Kazakhstan has backed the idea.',
          },
          status: 'UNDER_CONSIDERATION',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'regional-media-platform',
          title: { ru: 'Региональная медиаплатформа', en: 'Regional media platform' },
          description: {
            ru: 'Общая медиаплатформа для укрепления информационного сотрудничества в регионе; вопрос её запуска изучается.',
            en: 'A shared media platform to strengthen information cooperation in the region; its launch is being considered.',
          },
          status: 'UNDER_CONSIDERATION',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'central-asian-academy-of-journalism',
          title: { ru: 'Академия журналистики Центральной Азии', en: 'Central Asian Academy of Journalism' },
          description: {
            ru: 'Создание академии журналистики входит в число запланированных совместных проектов.',
            en: 'Setting up an academy of journalism is among the planned joint projects.',
          },
          status: 'PROPOSED',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'regional-journalism-award',
          title: { ru: 'Региональная премия в области журналистики', en: 'Regional journalism award' },
          description: {
            ru: 'Планируется учредить общую для региона журналистскую премию.',
            en: 'A journalism award for the whole region is planned.',
          },
          status: 'PROPOSED',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'new-tv-projects',
          title: { ru: 'Новые телепроекты', en: 'New TV projects' },
          description: {
            ru: 'Совместные телепроекты о потенциале региона, дружбе и единстве его народов.',
            en: 'Joint TV projects about the region’s potential and the friendship and unity of its peoples.',
          },
          status: 'PROPOSED',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'educational-tv-and-radio-programmes-on-regional-history',
          title: {
            ru: 'Образовательные телерадиопередачи по истории региона',
            en: 'Educational TV and radio programmes on the region’s history',
          },
          description: {
            ru: 'Цикл образовательных теле- и радиопередач об истории и самобытности народов Центральной Азии.',
            en: 'A series of educational TV and radio programmes on the history and identity of the peoples of Central Asia.',
          },
          status: 'PROPOSED',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'regional-content-on-international-platforms',
          title: {
            ru: 'Контент стран региона на международных медиаплощадках',
            en: 'Wider presence of the region’s content on international platforms',
          },
          description: {
            ru: 'Расширение присутствия медиаконтента стран Центральной Азии на международных площадках.',
            en: 'Giving Central Asian media content a larger presence on international media platforms.',
          },
          status: 'PROPOSED',
          countries: ['KZ', 'UZ', 'KG', 'TJ', 'TM'],
        },
        {
          slug: 'euronews-central-asia-office-in-astana',
          title: {
            ru: 'Представительство Euronews по Центральной Азии в Астане',
            en: 'Euronews Central Asia office in Astana',
          },
          description: {
            ru: 'Представительство Euronews по Центральной Азии уже открыто в Астане.',
            en: 'Euronews has already opened its Central Asia office in Astana.',
          },
          status: 'LAUNCHED',
          countries: ['KZ'],
        },
      ],
    },
    {
      slug: 'camf-2022',
      title: { ru: 'I Центрально-Азиатский медиафорум', en: 'First Central Asian Media Forum', kk: 'I Орталық Азия медиафорумы' },
      edition: 1,
      city: { ru: 'Астана', en: 'Astana', kk: 'Астана' },
      // venue omitted: no source names it.
      hostCountry: 'KZ',
      // Astana was UTC+6 in December 2022 (Asia/Almaty moved to UTC+5 on 2024-03-01),
      // hence +06:00 in the session timestamps.
      timeZone: 'Asia/Almaty',
      startDate: '2022-12-20',
      endDate: '2022-12-21',
      // participantCount omitted: the sources give only "more than 100 invited experts", not participants.
      description: {
        ru:
          'Первый Центрально-Азиатский медиафорум прошёл в Астане; на него пригласили более 100 экспертов. ' +
          'Обсуждались региональная идентичность, новые медиа, искусственный интеллект в медиа, креативные ' +
          'индустрии, информационная безопасность, фейковые новости, медиаграмотность и женщины в медиа.',
        en:
          'The First Central Asian Media Forum was held in Astana, with more than 100 invited experts. ' +
          'Topics included regional identity, new media, AI in media, creative industries, information ' +
          'security, fake news, media literacy and women in media.',
        kk:
          'Бірінші Орталық Азия медиафорумы Астанада өтті; оған 100-ден астам сарапшы шақырылды. Өңірлік ' +
          'бірегейлік, жаңа медиа, медиадағы жасанды интеллект, креативті индустриялар, ақпараттық ' +
          'қауіпсіздік, фейк жаңалықтар, медиасауаттылық және медиадағы әйелдер мәселелері талқыланды.',
      },
      organisers: ['kz-misd'],
      countries: ['KZ', 'TR', 'KG', 'MN'],
      sessions: [
        {
          slug: 'camf-2022-opening',
          title: { ru: 'Открытие форума', en: 'Opening of the forum', kk: 'Форумның ашылуы' },
          description: {
            ru: 'Государственный советник Ерлан Карин открыл форум и зачитал приветствие Президента Касым-Жомарта Токаева.',
            en: 'State Counsellor Erlan Karin opened the forum and read out a greeting from President Kassym-Jomart Tokayev.',
            kk: 'Мемлекеттік кеңесші Ерлан Қарин форумды ашып, Президент Қасым-Жомарт Тоқаевтың құттықтауын оқып берді.',
          },
          kind: 'OPENING',
          // plausible placeholder: no source gives the time.
          startsAt: '2022-12-20T10:00:00+06:00',
          endsAt: '2022-12-20T10:30:00+06:00',
          language: 'ru', // plausible placeholder: no source states the session language.
          participants: [{ speaker: 'erlan-karin', role: 'SPEAKER' }],
        },
        {
          slug: 'camf-2022-opening-panel',
          title: { ru: 'Панель открытия', en: 'Opening panel', kk: 'Ашылу панелі' },
          kind: 'PLENARY',
          // plausible placeholder: no source gives the time.
          startsAt: '2022-12-20T10:30:00+06:00',
          endsAt: '2022-12-20T12:30:00+06:00',
          language: 'ru', // plausible placeholder: no source states the session language.
          participants: [
            { speaker: 'darkhan-kydyrali', role: 'MODERATOR' },
            { speaker: 'abdullah-gul', role: 'PANELIST' },
            { speaker: 'suiunbek-kasmambetov', role: 'PANELIST' },
            { speaker: 'nambaryn-enkhbayar', role: 'PANELIST' },
          ],
        },
      ],
      initiatives: [],
    },
  ],

  articles: [
    {
      slug: 'vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane',
      title: {
        ru: 'Второй Центрально-Азиатский медиафорум стартовал в Астане',
        en: 'Second Central Asian Media Forum opens in Astana',
      },
      lead: {
        // The original reads "Масшабное" (a typo); corrected here.
        ru: 'Масштабное мероприятие открылось рабочей встречей министров информации стран Центральной Азии',
        en: 'The large-scale event opened with a working meeting of the ministers of information of Central Asian countries',
      },
      // Our own summary of the report, not its text.
      body: {
        ru:
          'В Астане начал работу II Центрально-Азиатский медиафорум: более 700 участников приехали из ' +
          'Казахстана, Узбекистана, Кыргызстана, Азербайджана, Таджикистана, Туркменистана, ' +
          'Великобритании, Китая, Катара, России и других стран. Программу первого дня открыла рабочая ' +
          'встреча министров информации Центральной Азии, на которой выступила глава МКИ РК Аида Балаева. ' +
          'Она сообщила, что страны региона изучают возможность запустить общий телеканал и региональную ' +
          'медиаплатформу, а среди намеченных проектов назвала Академию журналистики Центральной Азии, ' +
          'региональную журналистскую премию и новые телепроекты. Дневные сессии посвящены информационному ' +
          'ландшафту будущего, влиянию искусственного интеллекта и больших данных на медиа и роли соцсетей ' +
          'в продвижении имиджа страны. На 17 апреля намечены мастер-классы экспертов из Великобритании, ' +
          'США и России для СМИ и студентов.',
        en:
          'The Second Central Asian Media Forum has opened in Astana, with more than 700 participants from ' +
          'Kazakhstan, Uzbekistan, Kyrgyzstan, Azerbaijan, Tajikistan, Turkmenistan, the United Kingdom, ' +
          'China, Qatar, Russia and other countries. Day one began with a working meeting of Central Asian ' +
          'information ministers, addressed by Kazakhstan’s Minister of Culture and Information Aida ' +
          'Balaeva. She said the countries of the region are looking into launching a joint TV channel and ' +
          'a regional media platform, and listed a Central Asian Academy of Journalism, a regional ' +
          'journalism award and new TV projects among the planned projects. Afternoon sessions cover the ' +
          'information landscape of the future, the impact of AI and big data on media, and social ' +
          'networks as a way to promote a country’s image. On 17 April, experts from the United Kingdom, ' +
          'the USA and Russia give master classes for journalists and students.',
      },
      sourceUrl: 'https://kazpravda.kz/n/vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane',
      outletName: 'Kazpravda.kz',
      outletUrl: 'https://kazpravda.kz',
      authorName: 'Дана Аменова',
      authorTitle: 'специальный корреспондент',
      photoCredit: 'пресс-служба МКИ РК',
      language: 'ru',
      // plausible placeholder: the date is the forum's opening day; no source gives the publication time.
      publishedAt: '2025-04-16T12:30:00+05:00',
      viewCount: 1571, // as shown on the page when the report was saved.
      forums: ['camf-2025'],
      sessions: ['camf-2025-ministers-meeting'],
      speakers: ['aida-balaeva'],
      countries: ['KZ', 'UZ', 'KG', 'AZ', 'TJ', 'TM', 'GB', 'CN', 'QA', 'RU'],
      ministries: ['kz-mci'],
      // The report is about the forum's opening and its ministers' meeting; the rest it mentions.
      covers: ['forums', 'sessions'],
    },
  ],

  quotes: [
    {
      text: {
        // Verbatim from Balaeva's speech as quoted in the Kazpravda.kz report.
        ru:
          'Наш форум стал по-настоящему уникальной площадкой, на которой мы можем не только открыто ' +
          'обсудить текущую повестку дня, но и выработать общие подходы совместной информационной работы ' +
          'в регионе.',
        // Our translation.
        en:
          'Our forum has become a truly unique platform where we can not only openly discuss the current ' +
          'agenda but also work out common approaches to joint information work in the region.',
      },
      speaker: 'aida-balaeva',
      article: 'vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane',
      session: 'camf-2025-ministers-meeting',
    },
  ],
};
