/**
 * The relevance test set of issue 16: what a reader types into the search box and what they
 * expect to find, over the seed data (seeds/camf.data.ts) and the synthetic corpus (corpus.ts).
 *
 * Results are named `KIND:key`: the kind as the GraphQL enum `SearchKind` spells it and the slug
 * (a country's code). Kinds the schema does not have yet still belong here: such a result is
 * simply not found until its kind becomes searchable.
 *
 * Each query says
 * - `find`: what must be among the first 10 hits (recall@10); empty: the query must find nothing;
 * - `alsoRelevant`: hits that are fine, even first, but need not be found. MRR counts the first
 *   hit that is in `find` or here, so that ranking one good answer above another costs nothing;
 * - `notFind`: hits that must not be among the first 10 (what an exclusion or a kind filter
 *   removes); one of them there scores the query 0, as any hit does for a query that must find
 *   nothing;
 * - `ordered`: the results of `find` come in that order, and MRR counts the first of them only.
 *
 * Ground truth is what a reader would expect, not what any implementation returns: a result
 * belongs in `find` when its text contains the word in some form, script or small misspelling
 * the query is about.
 */

export type QueryLanguage = 'ru' | 'kk' | 'en';
export type ResultKind = 'ARTICLE' | 'SPEAKER' | 'SESSION' | 'FORUM' | 'COUNTRY' | 'MINISTRY';
export type Result = `${ResultKind}:${string}`;

export type Category =
  /** Words as they are written in some text: the baseline. */
  | 'exact'
  /** Russian and English inflections of names and places (Астана / Астаны / Астане). */
  | 'inflection'
  /** Kazakh case, plural and possessive endings (Астанада, медиафорумы, қауіпсіздігі). */
  | 'kazakh-endings'
  /** The last word cut short, as while typing. */
  | 'prefix'
  | 'typo-1'
  | 'typo-2'
  /** `-word` excludes every hit whose text has the word in any form or language. */
  | 'exclusion'
  | 'phrase'
  /** Latin for Cyrillic text and Cyrillic for Latin text. */
  | 'mixed-script'
  /** Forums, countries and ministries as hits. */
  | 'new-kinds'
  /** `search(kinds:)` keeps only hits of those kinds. */
  | 'kind-filter'
  /** Words that no text has, nor anything near them. */
  | 'nothing';

export interface RelevanceQuery {
  query: string;
  /** The reader's language: sent as Accept-Language, and the language the figures are kept for. */
  language: QueryLanguage;
  category: Category;
  find: Result[];
  alsoRelevant?: Result[];
  notFind?: Result[];
  ordered?: boolean;
  /** Sent as `kinds:`, leaving out kinds the schema does not have yet (none left: no filter). */
  kinds?: ResultKind[];
  /** A row of the issue's table, kept as the issue states it. */
  fromIssue?: boolean;
}

export const LANGUAGES: QueryLanguage[] = ['ru', 'kk', 'en'];

/** The Kazpravda.kz report on the opening of the second forum (seed). */
const KAZPRAVDA: Result = 'ARTICLE:vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane';
/** The two forums, both held in Astana (seed). */
const ASTANA_FORUMS: Result[] = ['FORUM:camf-2025', 'FORUM:camf-2022'];
/** Everything that names Aida Balaeva (seed). */
const BALAEVA: Result[] = ['SPEAKER:aida-balaeva', 'SESSION:camf-2025-ministers-meeting', KAZPRAVDA];
/** Everything that names Kazakhstan in some language, besides the country itself (seed and synthetic). */
const KAZAKHSTAN_MENTIONS: Result[] = [
  'MINISTRY:kz-mci',
  'MINISTRY:kz-misd',
  'MINISTRY:kz-digital',
  'SPEAKER:aida-balaeva',
  'SPEAKER:erlan-karin',
  'SPEAKER:darkhan-kydyrali',
  'SESSION:camf-2025-ministers-meeting',
  KAZPRAVDA,
];
/** Texts about podcasts (synthetic), in the languages each has. */
const PODCASTS = {
  session: 'SESSION:adm-2024-podcasts',
  regionalSession: 'SESSION:bps-2024-regional-podcasts',
  producer: 'SPEAKER:aibek-usenov',
  almatyForum: 'FORUM:almaty-digital-media-week-2024',
  almatyArticle: 'ARTICLE:almaty-digital-media-week-opens',
  bishkekArticle: 'ARTICLE:podcasts-win-listeners-in-bishkek',
  kazakhArticle: 'ARTICLE:kazakh-podcast-market-kk',
} satisfies Record<string, Result>;
const ALMATY: Result[] = [
  'FORUM:almaty-digital-media-week-2024',
  'ARTICLE:almaty-digital-media-week-opens',
  'ARTICLE:kazakh-podcast-market-kk',
  'ARTICLE:data-journalism-almaty-kk',
];
const MEDIA_LITERACY: Result[] = [
  'SESSION:bps-2024-media-literacy',
  'SPEAKER:anna-schmidt',
  'FORUM:bishkek-press-summit-2024',
  'FORUM:camf-2022',
];

function inLanguage(language: QueryLanguage, queries: Omit<RelevanceQuery, 'language'>[]): RelevanceQuery[] {
  return queries.map((query) => ({ ...query, language }));
}

const RUSSIAN = inLanguage('ru', [
  // The issue's table, verbatim (its sixth row, `Астанада`, is Kazakh).
  { query: 'Астана', category: 'inflection', find: [KAZPRAVDA], alsoRelevant: ASTANA_FORUMS, fromIssue: true },
  { query: 'Астаны', category: 'inflection', find: [KAZPRAVDA], alsoRelevant: ASTANA_FORUMS, fromIssue: true },
  { query: 'медиафор', category: 'prefix', find: [KAZPRAVDA], alsoRelevant: ASTANA_FORUMS, fromIssue: true },
  { query: 'медиафорун', category: 'typo-1', find: [KAZPRAVDA], alsoRelevant: ASTANA_FORUMS, fromIssue: true },
  { query: 'медиафорум -Астане', category: 'exclusion', find: [], fromIssue: true },

  { query: 'Аида Балаева', category: 'exact', find: BALAEVA },
  {
    query: 'Узбекистан',
    category: 'exact',
    find: ['COUNTRY:UZ', 'MINISTRY:uz-aimc', 'SPEAKER:asadjon-khodjaev', 'SESSION:camf-2025-ministers-meeting', KAZPRAVDA],
  },

  {
    query: 'Бишкеке',
    category: 'inflection',
    find: ['FORUM:bishkek-press-summit-2024', PODCASTS.bishkekArticle],
    alsoRelevant: ['ARTICLE:bishkek-summit-pledge', 'ARTICLE:journalists-safety-in-bishkek-kk'],
  },
  {
    query: 'Ташкента',
    category: 'inflection',
    find: ['FORUM:tashkent-newsroom-forum-2023', 'ARTICLE:mobile-journalism-school-tashkent'],
    alsoRelevant: ['ARTICLE:mobile-journalism-tashkent-kk'],
  },
  { query: 'Караганда', category: 'inflection', find: ['ARTICLE:karaganda-regional-tv'] },
  { query: 'Шымкент', category: 'inflection', find: ['ARTICLE:shymkent-local-news-messengers'] },
  { query: 'Сейткалиеву', category: 'inflection', find: ['SPEAKER:gulnara-seitkalieva', 'ARTICLE:seitkalieva-interview'], ordered: true },
  { query: 'Балаевой', category: 'inflection', find: BALAEVA },
  { query: 'Грузия', category: 'inflection', find: ['COUNTRY:GE', 'MINISTRY:ge-comcom', 'ARTICLE:georgian-fact-checkers-methods'] },

  { query: 'Сейткал', category: 'prefix', find: ['SPEAKER:gulnara-seitkalieva', 'ARTICLE:seitkalieva-interview'] },
  { query: 'дезинформ', category: 'prefix', find: ['SPEAKER:priya-sharma', 'ARTICLE:disinformation-between-languages'] },
  { query: 'мессендж', category: 'prefix', find: ['SESSION:tnf-2023-local-news', 'ARTICLE:shymkent-local-news-messengers'] },
  {
    query: 'Ташк',
    category: 'prefix',
    find: ['FORUM:tashkent-newsroom-forum-2023', 'ARTICLE:mobile-journalism-school-tashkent', 'ARTICLE:mobile-journalism-tashkent-kk'],
  },

  {
    query: 'Бешкек',
    category: 'typo-1',
    find: ['FORUM:bishkek-press-summit-2024', PODCASTS.bishkekArticle],
    alsoRelevant: ['ARTICLE:bishkek-summit-pledge', 'ARTICLE:journalists-safety-in-bishkek-kk'],
  },
  {
    query: 'Каримва',
    category: 'typo-1',
    find: ['SPEAKER:dilnoza-karimova', 'ARTICLE:mobile-journalism-school-tashkent', 'ARTICLE:mobile-journalism-tashkent-kk'],
  },
  {
    query: 'Ватанабе',
    category: 'typo-1',
    find: ['SPEAKER:kenji-watanabe'],
    alsoRelevant: ['ARTICLE:japanese-correspondent-central-asia'],
  },
  {
    query: 'Жаксиликов',
    category: 'typo-2',
    find: ['SPEAKER:timur-zhaksylykov'],
    alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty', 'ARTICLE:data-journalism-almaty-kk'],
  },
  { query: 'медеафарум', category: 'typo-2', find: [KAZPRAVDA], alsoRelevant: ASTANA_FORUMS },

  {
    query: 'подкасты -Бишкек',
    category: 'exclusion',
    find: [PODCASTS.session, PODCASTS.regionalSession, PODCASTS.producer, PODCASTS.almatyForum, PODCASTS.almatyArticle],
    alsoRelevant: [PODCASTS.kazakhArticle],
    notFind: [PODCASTS.bishkekArticle],
  },
  {
    query: 'журналистика -данных',
    category: 'exclusion',
    find: [
      'SPEAKER:dilnoza-karimova',
      'FORUM:tashkent-newsroom-forum-2023',
      'SESSION:tnf-2023-mobile-journalism',
      'ARTICLE:mobile-journalism-school-tashkent',
      'ARTICLE:mobile-journalism-tashkent-kk',
    ],
    // The Kazakh «Деректер журналистикасы» is about data too, but says so in another word.
    alsoRelevant: ['ARTICLE:data-journalism-almaty-kk'],
    // The report names the «Академия журналистики» and also «больших данных».
    notFind: ['FORUM:almaty-digital-media-week-2024', 'SESSION:adm-2024-data-journalism', KAZPRAVDA],
  },

  // The article says «информационному ландшафту»: a phrase matches word forms, not strings.
  { query: '"информационного ландшафта"', category: 'phrase', find: ['SESSION:camf-2025-information-landscape-of-the-future', KAZPRAVDA] },
  {
    query: '"открытые данные"',
    category: 'phrase',
    find: ['ARTICLE:open-data-for-newsrooms', 'SESSION:adm-2024-data-journalism', 'SPEAKER:timur-zhaksylykov'],
    alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty'],
  },

  { query: 'Astana', category: 'mixed-script', find: [KAZPRAVDA, ...ASTANA_FORUMS] },
  {
    query: 'Bishkek',
    category: 'mixed-script',
    find: ['FORUM:bishkek-press-summit-2024', 'ARTICLE:bishkek-summit-pledge', PODCASTS.bishkekArticle],
    alsoRelevant: ['ARTICLE:journalists-safety-in-bishkek-kk'],
  },
  // The article has the name in English only.
  { query: 'Ватанабэ', category: 'mixed-script', find: ['SPEAKER:kenji-watanabe', 'ARTICLE:japanese-correspondent-central-asia'] },

  {
    query: 'Министерство цифрового развития',
    category: 'new-kinds',
    find: ['MINISTRY:kz-digital'],
    alsoRelevant: ['SPEAKER:saule-nurlanova'],
  },
  { query: 'Казахстан', category: 'new-kinds', find: ['COUNTRY:KZ'], alsoRelevant: KAZAKHSTAN_MENTIONS },

  {
    query: 'Каримова',
    category: 'kind-filter',
    kinds: ['SPEAKER'],
    find: ['SPEAKER:dilnoza-karimova'],
    notFind: ['ARTICLE:mobile-journalism-school-tashkent', 'ARTICLE:mobile-journalism-tashkent-kk'],
  },
  {
    query: 'Бишкек',
    category: 'kind-filter',
    kinds: ['FORUM'],
    find: ['FORUM:bishkek-press-summit-2024'],
    notFind: [PODCASTS.bishkekArticle],
  },

  { query: 'Владивосток', category: 'nothing', find: [] },
  { query: 'квантовая хромодинамика', category: 'nothing', find: [] },
  { query: 'футбольный чемпионат', category: 'nothing', find: [] },
]);

const KAZAKH = inLanguage('kk', [
  { query: 'Астанада', category: 'kazakh-endings', find: ASTANA_FORUMS, alsoRelevant: [KAZPRAVDA], fromIssue: true },
  { query: 'Астанадағы', category: 'kazakh-endings', find: ASTANA_FORUMS, alsoRelevant: [KAZPRAVDA] },
  { query: 'Астанадағы медиафорум', category: 'kazakh-endings', find: ASTANA_FORUMS, alsoRelevant: [KAZPRAVDA] },
  { query: 'медиафорумы', category: 'kazakh-endings', find: [...ASTANA_FORUMS, KAZPRAVDA] },
  { query: 'Алматы', category: 'kazakh-endings', find: ALMATY, alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty'] },
  { query: 'Алматыда', category: 'kazakh-endings', find: ALMATY, alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty'] },
  {
    query: 'Бішкекте',
    category: 'kazakh-endings',
    find: ['FORUM:bishkek-press-summit-2024', 'ARTICLE:journalists-safety-in-bishkek-kk'],
    alsoRelevant: [PODCASTS.bishkekArticle, 'ARTICLE:bishkek-summit-pledge'],
  },
  {
    query: 'Ташкентте',
    category: 'kazakh-endings',
    find: ['FORUM:tashkent-newsroom-forum-2023', 'ARTICLE:mobile-journalism-tashkent-kk'],
    alsoRelevant: ['ARTICLE:mobile-journalism-school-tashkent'],
  },
  // «қауіпсіздік» takes «г» before a vowel: «қауіпсіздігі».
  {
    query: 'қауіпсіздігі',
    category: 'kazakh-endings',
    find: [
      'FORUM:bishkek-press-summit-2024',
      'SESSION:bps-2024-journalist-safety',
      'ARTICLE:journalists-safety-in-bishkek-kk',
      'FORUM:camf-2022',
    ],
  },
  {
    query: 'министрлік',
    category: 'kazakh-endings',
    find: ['MINISTRY:kz-mci', 'MINISTRY:kz-misd', 'MINISTRY:kz-digital', 'MINISTRY:kg-culture', 'SPEAKER:saule-nurlanova'],
  },
  { query: 'подкасттар', category: 'kazakh-endings', find: Object.values(PODCASTS) },
  { query: 'медиасауаттылыққа', category: 'kazakh-endings', find: MEDIA_LITERACY },
  {
    query: 'Өзбекстанның',
    category: 'kazakh-endings',
    find: ['COUNTRY:UZ', 'MINISTRY:uz-aimc', 'SESSION:camf-2025-ministers-meeting'],
    alsoRelevant: ['SPEAKER:asadjon-khodjaev', KAZPRAVDA],
  },

  {
    query: 'Гүлнар Сейітқалиева',
    category: 'exact',
    find: ['SPEAKER:gulnara-seitkalieva', 'ARTICLE:seitkalieva-interview'],
    ordered: true,
  },
  {
    query: 'журналистердің қауіпсіздігі',
    category: 'exact',
    find: ['SESSION:bps-2024-journalist-safety', 'ARTICLE:journalists-safety-in-bishkek-kk', 'FORUM:bishkek-press-summit-2024'],
  },

  { query: 'Сейітқал', category: 'prefix', find: ['SPEAKER:gulnara-seitkalieva', 'ARTICLE:seitkalieva-interview'] },
  {
    query: 'фактчек',
    category: 'prefix',
    find: [
      'ARTICLE:fact-checkers-learn-deepfakes',
      'SESSION:adm-2024-fact-checking',
      'ARTICLE:almaty-digital-media-week-opens',
      'ARTICLE:georgian-fact-checkers-methods',
    ],
    alsoRelevant: ['SPEAKER:nino-beridze', 'FORUM:almaty-digital-media-week-2024'],
  },
  { query: 'дипфейк', category: 'prefix', find: ['SESSION:adm-2024-fact-checking', 'ARTICLE:fact-checkers-learn-deepfakes'] },
  { query: 'медиасауат', category: 'prefix', find: MEDIA_LITERACY, alsoRelevant: ['ARTICLE:media-literacy-rural-schools'] },

  {
    query: 'Жақсылыков',
    category: 'typo-1',
    find: ['SPEAKER:timur-zhaksylykov', 'ARTICLE:data-journalism-almaty-kk'],
    alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty'],
  },
  { query: 'медиасауатылық', category: 'typo-1', find: MEDIA_LITERACY, alsoRelevant: ['ARTICLE:media-literacy-rural-schools'] },
  { query: 'Сейтқалева', category: 'typo-2', find: ['SPEAKER:gulnara-seitkalieva', 'ARTICLE:seitkalieva-interview'] },

  {
    query: 'подкаст -Алматы',
    category: 'exclusion',
    find: [PODCASTS.session, PODCASTS.regionalSession, PODCASTS.producer, PODCASTS.bishkekArticle],
    notFind: [PODCASTS.almatyForum, PODCASTS.almatyArticle, PODCASTS.kazakhArticle],
  },
  {
    query: 'журналистика -Ташкент',
    category: 'exclusion',
    find: [
      'SPEAKER:dilnoza-karimova',
      'SESSION:adm-2024-data-journalism',
      'SESSION:tnf-2023-mobile-journalism',
      'ARTICLE:data-journalism-almaty-kk',
      'FORUM:almaty-digital-media-week-2024',
    ],
    alsoRelevant: [KAZPRAVDA],
    notFind: ['FORUM:tashkent-newsroom-forum-2023', 'ARTICLE:mobile-journalism-tashkent-kk', 'ARTICLE:mobile-journalism-school-tashkent'],
  },
  // Every text with «медиафорум» is about Astana; the exclusion holds whatever the form.
  { query: 'медиафорум -Астанада', category: 'exclusion', find: [] },

  {
    query: '"деректер журналистикасы"',
    category: 'phrase',
    find: ['SESSION:adm-2024-data-journalism', 'ARTICLE:data-journalism-almaty-kk'],
    alsoRelevant: ['FORUM:almaty-digital-media-week-2024'],
  },
  {
    query: '"ашық деректер"',
    category: 'phrase',
    find: [
      'SESSION:adm-2024-data-journalism',
      'SPEAKER:timur-zhaksylykov',
      'ARTICLE:open-data-for-newsrooms',
      'ARTICLE:data-journalism-almaty-kk',
    ],
    alsoRelevant: ['ARTICLE:data-journalism-workshop-almaty'],
  },

  // Kazakh in its Latin alphabet (2021), as more and more readers type it.
  { query: 'Astanada', category: 'mixed-script', find: ASTANA_FORUMS, alsoRelevant: [KAZPRAVDA] },
  { query: 'Qazaqstan', category: 'mixed-script', find: ['COUNTRY:KZ'], alsoRelevant: KAZAKHSTAN_MENTIONS },

  { query: 'Жапония', category: 'new-kinds', find: ['COUNTRY:JP'], alsoRelevant: ['ARTICLE:japanese-correspondent-central-asia'] },
  {
    query: 'Мәдениет және ақпарат министрлігі',
    category: 'new-kinds',
    find: ['MINISTRY:kz-mci'],
    alsoRelevant: ['MINISTRY:kg-culture', 'SESSION:camf-2025-ministers-meeting'],
  },

  {
    query: 'Бішкекте',
    category: 'kind-filter',
    kinds: ['ARTICLE'],
    find: ['ARTICLE:journalists-safety-in-bishkek-kk'],
    alsoRelevant: [PODCASTS.bishkekArticle, 'ARTICLE:bishkek-summit-pledge'],
    notFind: ['FORUM:bishkek-press-summit-2024'],
  },

  { query: 'мұнай бағасы', category: 'nothing', find: [] },
  { query: 'ауа райы болжамы', category: 'nothing', find: [] },
  { query: 'футбол', category: 'nothing', find: [] },
]);

const ENGLISH = inLanguage('en', [
  { query: 'Astana', category: 'exact', find: [KAZPRAVDA, ...ASTANA_FORUMS] },
  { query: 'Aida Balaeva', category: 'exact', find: BALAEVA },
  { query: 'Japan', category: 'exact', find: ['COUNTRY:JP', 'ARTICLE:japanese-correspondent-central-asia'], ordered: true },

  {
    query: 'podcasting',
    category: 'inflection',
    find: [PODCASTS.session, PODCASTS.regionalSession, PODCASTS.producer, PODCASTS.almatyForum, PODCASTS.almatyArticle],
    alsoRelevant: [PODCASTS.bishkekArticle, PODCASTS.kazakhArticle],
  },
  { query: 'deepfake', category: 'inflection', find: ['SESSION:adm-2024-fact-checking', 'ARTICLE:fact-checkers-learn-deepfakes'] },
  {
    query: 'newsroom',
    category: 'inflection',
    find: [
      'FORUM:tashkent-newsroom-forum-2023',
      'ARTICLE:open-data-for-newsrooms',
      PODCASTS.session,
      PODCASTS.regionalSession,
      'SESSION:adm-2024-data-journalism',
      PODCASTS.almatyForum,
      PODCASTS.almatyArticle,
    ],
  },

  {
    query: 'Bishk',
    category: 'prefix',
    find: ['FORUM:bishkek-press-summit-2024', 'ARTICLE:bishkek-summit-pledge'],
    alsoRelevant: [PODCASTS.bishkekArticle, 'ARTICLE:journalists-safety-in-bishkek-kk'],
  },
  { query: 'disinfo', category: 'prefix', find: ['SPEAKER:priya-sharma', 'ARTICLE:disinformation-between-languages'] },
  { query: 'Seitkal', category: 'prefix', find: ['SPEAKER:gulnara-seitkalieva'], alsoRelevant: ['ARTICLE:seitkalieva-interview'] },
  { query: 'Watan', category: 'prefix', find: ['SPEAKER:kenji-watanabe', 'ARTICLE:japanese-correspondent-central-asia'] },

  {
    query: 'Tashkend',
    category: 'typo-1',
    find: ['FORUM:tashkent-newsroom-forum-2023', 'ARTICLE:mobile-journalism-school-tashkent'],
    alsoRelevant: ['ARTICLE:mobile-journalism-tashkent-kk'],
  },
  { query: 'Kazakstan', category: 'typo-1', find: ['COUNTRY:KZ'], alsoRelevant: KAZAKHSTAN_MENTIONS },
  { query: 'Baleva', category: 'typo-1', find: BALAEVA },
  { query: 'Schmitd', category: 'typo-2', find: ['SPEAKER:anna-schmidt', 'ARTICLE:media-literacy-rural-schools'] },
  {
    query: 'Zaksylikov',
    category: 'typo-2',
    find: ['SPEAKER:timur-zhaksylykov', 'ARTICLE:data-journalism-workshop-almaty'],
    alsoRelevant: ['ARTICLE:data-journalism-almaty-kk'],
  },

  {
    query: 'podcasts -Bishkek',
    category: 'exclusion',
    find: [PODCASTS.session, PODCASTS.regionalSession, PODCASTS.producer, PODCASTS.almatyForum, PODCASTS.almatyArticle],
    alsoRelevant: [PODCASTS.kazakhArticle],
    // Russian text, «Бишкеке»: the exclusion holds across scripts.
    notFind: [PODCASTS.bishkekArticle],
  },
  {
    query: '"data journalism" -Almaty',
    category: 'exclusion',
    find: ['SESSION:adm-2024-data-journalism'],
    notFind: ['ARTICLE:data-journalism-workshop-almaty', 'FORUM:almaty-digital-media-week-2024', 'ARTICLE:data-journalism-almaty-kk'],
  },
  // Every text that says Astana also says forum.
  { query: 'Astana -forum', category: 'exclusion', find: [] },

  { query: '"media literacy"', category: 'phrase', find: [...MEDIA_LITERACY, 'ARTICLE:media-literacy-rural-schools'] },
  { query: '"information landscape"', category: 'phrase', find: ['SESSION:camf-2025-information-landscape-of-the-future', KAZPRAVDA] },

  { query: 'Астана', category: 'mixed-script', find: [KAZPRAVDA, ...ASTANA_FORUMS] },
  // Russian text only.
  { query: 'Shymkent', category: 'mixed-script', find: ['ARTICLE:shymkent-local-news-messengers'] },
  { query: 'Karaganda', category: 'mixed-script', find: ['ARTICLE:karaganda-regional-tv'] },
  { query: 'Yerzhan Toleuov', category: 'mixed-script', find: ['SPEAKER:yerzhan-toleuov', 'ARTICLE:karaganda-regional-tv'] },

  {
    query: 'Georgia',
    category: 'new-kinds',
    find: ['COUNTRY:GE', 'MINISTRY:ge-comcom'],
    alsoRelevant: ['ARTICLE:georgian-fact-checkers-methods'],
  },
  {
    query: 'ministry of culture',
    category: 'new-kinds',
    find: ['MINISTRY:kz-mci', 'MINISTRY:kg-culture'],
    alsoRelevant: [...BALAEVA],
  },

  {
    query: 'fact-checking',
    category: 'kind-filter',
    kinds: ['SESSION'],
    find: ['SESSION:adm-2024-fact-checking'],
    notFind: [
      'ARTICLE:fact-checkers-learn-deepfakes',
      'ARTICLE:almaty-digital-media-week-opens',
      'FORUM:almaty-digital-media-week-2024',
      'SPEAKER:nino-beridze',
    ],
  },

  { query: 'pineapple', category: 'nothing', find: [] },
  { query: 'cryptocurrency mining', category: 'nothing', find: [] },
  { query: 'volcano eruption', category: 'nothing', find: [] },
]);

export const RELEVANCE_QUERIES: readonly RelevanceQuery[] = [...RUSSIAN, ...KAZAKH, ...ENGLISH];
