/*
 * The benchmark's synthetic dataset, written with set-based SQL (`insert ... select ... from
 * generate_series`): the ORM would take minutes for 100,000+ rows, this takes seconds. Every
 * value is a function of the row number, so two runs hold identical data; every name says
 * "Synthetic" so that nobody mistakes it for real people or countries.
 */
import type { Client } from 'pg';

export const SIZES = {
  forums: 200,
  sessionsPerForum: 40,
  speakers: 20_000,
  countries: 60,
  ministries: 400,
  articles: 50_000,
} as const;

/** Participants of session `s`: 1 + s % 5, i.e. 1 to 5, 3 on average. */
const PARTICIPANTS = '1 + (s.id % 5)';

/**
 * A JSONB translations column ({kk, ru, en}, as Translations in src/shared/i18n.ts): each
 * language's label followed by the SQL expression `suffix`.
 */
function translations(labels: { kk: string; ru: string; en: string }, suffix: string): string {
  const one = (label: string) => `'${label} ' || ${suffix}`;
  return `jsonb_build_object('kk', ${one(labels.kk)}, 'ru', ${one(labels.ru)}, 'en', ${one(labels.en)})`;
}

const pad = (expression: string, width: number) => `lpad((${expression})::text, ${width}, '0')`;

/*
 * A search vocabulary of realistic size: each article's text ends with a made-up word of three
 * syllables, in Cyrillic and, in the English text, the same in Latin letters (32³ = 32,768 words
 * in each script). Without them every text repeats the same few words, the vocabulary holds about
 * 40 lexemes, and the search scenario would never pay for a trigram index lookup.
 */
const SYLLABLES = ['ка', 'ра', 'ба', 'ла', 'ма', 'на', 'та', 'са', 'до', 'ро', 'мо', 'ко', 'ли', 'ни', 'ри', 'ти'].flatMap((s) => [
  s,
  `${s}н`,
]);
/*
 * The common words of the articles' bodies: made up of other letters, so that they share no
 * trigram with the rare words above and a search for one of those still finds its article.
 */
const COMMON_SYLLABLES = ['ве', 'ге', 'же', 'зе', 'пе', 'фе', 'хе', 'че', 'ше', 'ву', 'гу', 'жу', 'зу', 'пу', 'фу', 'ху'].flatMap((s) => [
  s,
  `${s}в`,
]);
// prettier-ignore
const LATIN: Record<string, string> = {
  к: 'k', р: 'r', б: 'b', л: 'l', м: 'm', н: 'n', т: 't', с: 's', д: 'd', а: 'a', о: 'o', и: 'i',
  в: 'v', г: 'g', ж: 'zh', з: 'z', п: 'p', ф: 'f', х: 'kh', ч: 'ch', ш: 'sh', е: 'e', у: 'u',
};
const latin = (word: string) => [...word].map((letter) => LATIN[letter]).join('');

/** The made-up word of article `g`, in Cyrillic or in Latin letters (the SQL below, and the bench's search texts). */
export function madeUpWord(g: number, script: 'cyrillic' | 'latin'): string {
  const word = [g % 32, Math.floor(g / 32) % 32, Math.floor(g / 1024) % 32].map((i) => SYLLABLES[i]).join('');
  return script === 'cyrillic' ? word : latin(word);
}

const syllableArray = (syllables: string[], script: 'cyrillic' | 'latin') =>
  `array[${syllables.map((s) => `'${script === 'cyrillic' ? s : latin(s)}'`).join(', ')}]`;
/** SQL: the made-up word of three syllables numbered `n` (an SQL expression). */
const wordSql = (syllables: string[], script: 'cyrillic' | 'latin', n: string) =>
  [0, 1, 2].map((place) => `(${syllableArray(syllables, script)})[1 + ((${n}) / ${32 ** place}) % 32]`).join(' || ');
/** SQL: madeUpWord of the row number `g`. */
const madeUpWordSql = (script: 'cyrillic' | 'latin') => wordSql(SYLLABLES, script, 'g');

/*
 * Bodies of a news article's length (about 2,400 characters in each language, like a short
 * report; the seed's Kazpravda report has 6,700): what a search pays for ranking and for cutting
 * snippets grows with the text, and bodies of a few words hid that. Each body is three of
 * PARAGRAPHS paragraphs of 100 common words, picked by the article's number, so that filling the
 * table costs no more than the texts' vectors. The common words come from a vocabulary of 8,192,
 * the first ones far more often (the square of a uniform number), as in any language.
 */
const PARAGRAPHS = 997;
const PARAGRAPH_WORDS = 100;
const COMMON_WORDS = 8192;
const paragraphSql = (script: 'cyrillic' | 'latin') => {
  const n = `floor(${COMMON_WORDS} * (('x' || substr(md5(p || ':' || j), 1, 8))::bit(32)::bigint / 4294967296.0) ^ 2)::int`;
  return `string_agg(${wordSql(COMMON_SYLLABLES, script, n)} || case when j % 10 = 0 then '.' else '' end, ' ' order by j)`;
};
/** SQL: three paragraphs of article `g` in `script`; `offset` varies the pick between two texts in one script. */
const bodySql = (script: 'cyrillic' | 'latin', offset: number) =>
  [1, 7, 13]
    .map((step) => `(select ${script} from bench_paragraph where p = (g * ${step} + ${offset}) % ${PARAGRAPHS})`)
    .join(` || ' ' || `);

/*
 * Tables whose ids other rows point to get explicit ids (1..n), so that the formulas linking
 * rows hold whatever a sequence would hand out; their sequences are moved past them afterwards.
 */
const STATEMENTS: string[] = [
  `insert into country (id, code, name)
   select g, chr(65 + (g - 1) / 26) || chr(65 + (g - 1) % 26),
          ${translations({ kk: 'Синтетикалық ел', ru: 'Синтетическая страна', en: 'Synthetic Country' }, pad('g', 2))}
   from generate_series(1, ${SIZES.countries}) g`,

  // Ministry m belongs to country 1 + (m - 1) % 60; a tenth have no short name (null in answers).
  `insert into ministry (id, slug, kind, country_id, name, short_name, website)
   select g, 'synthetic-ministry-' || ${pad('g', 3)},
          (case when g % 4 = 0 then 'STATE_AGENCY' else 'MINISTRY' end)::ministry_kind,
          1 + (g - 1) % ${SIZES.countries},
          ${translations({ kk: 'Синтетикалық министрлік', ru: 'Синтетическое министерство', en: 'Synthetic Ministry' }, pad('g', 3))},
          case when g % 10 = 0 then null
               else ${translations({ kk: 'СМ', ru: 'СМ', en: 'SM' }, pad('g', 3))} end,
          'https://example.org/synthetic-ministry-' || g
   from generate_series(1, ${SIZES.ministries}) g`,

  // A third of the speakers have no ministry; the others work for a ministry of their own
  // country (ministry 1 + g % 360 has country 1 + g % 60).
  `insert into speaker (id, slug, full_name, position, country_id, ministry_id, organisation)
   select g, 'synthetic-speaker-' || ${pad('g', 5)},
          ${translations({ kk: 'Синтетикалық спикер', ru: 'Синтетический спикер', en: 'Synthetic Speaker' }, pad('g', 5))},
          ${translations({ kk: 'Синтетикалық лауазым', ru: 'Синтетическая должность', en: 'Synthetic Position' }, `(g % 50)::text`)},
          1 + g % ${SIZES.countries},
          case when g % 3 = 0 then null else 1 + g % 360 end,
          ${translations({ kk: 'Синтетикалық ұйым', ru: 'Синтетическая организация', en: 'Synthetic Organisation' }, `(g % 500)::text`)}
   from generate_series(1, ${SIZES.speakers}) g`,

  // A forum a week from 2024 on, five days each.
  `insert into forum (id, slug, title, edition, city, venue, host_country_id, time_zone, start_date, end_date, participant_count)
   select g, 'synthetic-forum-' || ${pad('g', 3)},
          ${translations({ kk: 'Синтетикалық форум', ru: 'Синтетический форум', en: 'Synthetic Forum' }, pad('g', 3))},
          1 + (g - 1) / ${SIZES.countries},
          ${translations({ kk: 'Синтетикалық қала', ru: 'Синтетический город', en: 'Synthetic City' }, `(g % 20)::text`)},
          ${translations({ kk: 'Синтетикалық орын', ru: 'Синтетическая площадка', en: 'Synthetic Venue' }, `(g % 20)::text`)},
          1 + g % ${SIZES.countries}, 'Asia/Almaty',
          date '2024-01-01' + (g - 1) * 7, date '2024-01-01' + (g - 1) * 7 + 4, 500 + g
   from generate_series(1, ${SIZES.forums}) g`,

  // Eight one-hour slots a day over five days; the slot order is shuffled against the id order
  // so that a server ordering by id instead of start time gives a different answer.
  `insert into session (id, slug, forum_id, title, description, kind, starts_at, ends_at, room, track, language)
   select g, 'synthetic-session-' || ${pad('g', 5)}, f.id,
          ${translations({ kk: 'Синтетикалық сессия', ru: 'Синтетическая сессия', en: 'Synthetic Session' }, pad('g', 5))},
          ${translations({ kk: 'Синтетикалық сипаттама', ru: 'Синтетическое описание', en: 'Synthetic description' }, `g::text`)},
          (array['OPENING', 'PLENARY', 'PANEL', 'MASTER_CLASS', 'WORKSHOP', 'MINISTERIAL_MEETING'])[1 + k % 6]::session_kind,
          (f.start_date + k / 8)::timestamp at time zone 'Asia/Almaty' + interval '9 hours' + ((k * 3) % 8) * interval '1 hour',
          (f.start_date + k / 8)::timestamp at time zone 'Asia/Almaty' + interval '9 hours 50 minutes' + ((k * 3) % 8) * interval '1 hour',
          ${translations({ kk: 'Зал', ru: 'Зал', en: 'Hall' }, `(1 + k % 4)::text`)},
          ${translations({ kk: 'Трек', ru: 'Трек', en: 'Track' }, `(1 + k % 3)::text`)},
          'ru'
   from forum f, generate_series(0, ${SIZES.sessionsPerForum - 1}) k,
        lateral (select (f.id - 1) * ${SIZES.sessionsPerForum} + k + 1 as g) n`,

  // Speakers 4001 apart, so the up to five people of a session are distinct; positions run
  // against the insertion order so that the order of participants is the server's doing.
  `insert into session_participant (session_id, speaker_id, role, position)
   select s.id, 1 + (s.id * 7 + p * 4001) % ${SIZES.speakers},
          (case when p = 0 then 'MODERATOR' else 'SPEAKER' end)::participant_role,
          ${PARTICIPANTS} - p
   from session s, generate_series(0, 4) p
   where p < ${PARTICIPANTS}`,

  `create temporary table bench_paragraph on commit drop as
   select p, ${paragraphSql('cyrillic')} as cyrillic, ${paragraphSql('latin')} as latin
   from generate_series(0, ${PARAGRAPHS - 1}) p, generate_series(1, ${PARAGRAPH_WORDS}) j group by p`,
  `create unique index on bench_paragraph (p)`,

  // Published over 2024 (7919 is prime to the minutes of a year, so no two share a minute);
  // every 7th has no author (null in answers).
  `insert into article (id, slug, title, lead, body, source_url, outlet_name, outlet_url, author_name, language, published_at, view_count, status)
   select g, 'synthetic-article-' || ${pad('g', 5)},
          ${translations({ kk: 'Синтетикалық мақала', ru: 'Синтетическая статья', en: 'Synthetic Article' }, pad('g', 5))},
          ${translations({ kk: 'Синтетикалық лид', ru: 'Синтетический лид статьи', en: 'Synthetic lead paragraph of article' }, `g || ', about forum ' || (1 + g % ${SIZES.forums})`)},
          jsonb_build_object('kk', 'Синтетикалық мәтін ' || g || '. ' || ${bodySql('cyrillic', 500)} || ' ' || ${madeUpWordSql('cyrillic')},
                             'ru', 'Синтетический текст ' || g || '. ' || ${bodySql('cyrillic', 0)} || ' ' || ${madeUpWordSql('cyrillic')},
                             'en', 'Synthetic text ' || g || '. ' || ${bodySql('latin', 0)} || ' ' || ${madeUpWordSql('latin')}),
          'https://example.com/synthetic/article-' || g, 'Synthetic Outlet ' || (g % 30), 'https://example.com/',
          case when g % 7 = 0 then null else 'Synthetic Author ' || ${pad('g % 300', 3)} end,
          'ru', timestamptz '2024-01-01 00:00:00+00' + ((g::bigint * 7919) % 525600) * interval '1 minute',
          g % 1000, 'PUBLISHED'
   from generate_series(1, ${SIZES.articles}) g`,

  // 250 articles per forum; two speakers 10007 apart and two countries 17 apart per article.
  `insert into article_forum (article_id, forum_id, kind)
   select g, 1 + g % ${SIZES.forums}, 'COVERS' from generate_series(1, ${SIZES.articles}) g`,
  `insert into article_speaker (article_id, speaker_id, kind)
   select g, 1 + (g * 13 + d) % ${SIZES.speakers}, 'MENTIONS'
   from generate_series(1, ${SIZES.articles}) g, (values (0), (10007)) v(d)`,
  `insert into article_country (article_id, country_id, kind)
   select g, 1 + (g + d) % ${SIZES.countries}, 'MENTIONS'
   from generate_series(1, ${SIZES.articles}) g, (values (0), (17)) v(d)`,

  // What the agenda_changes migration does for sessions that exist already, since its triggers
  // are off during the load: each session is its forum's first change.
  `insert into session_change (forum_id, session_id, version, removed) select forum_id, id, 1, false from session`,
  `update forum set schedule_version = 1, schedule_changed_at = now()`,
];

/*
 * Triggers that keep the change feed: per row they update the session and the forum, which
 * would make the load take minutes and leave a forum's schedule_version at the number of rows
 * inserted. The article's only notify and fill the webhook outbox, and one of them is deferred
 * to the commit, which the search index built in the same transaction refuses ("pending trigger
 * events"). Only user triggers are switched off; foreign keys stay checked.
 */
const TABLES_WITH_FEED_TRIGGERS = ['session', 'session_participant', 'article'];

export interface DatasetSummary {
  slugs: string[];
  rows: Record<string, number>;
}

/** Fills a freshly migrated database; returns the forum slugs and the row counts. */
export async function fillDataset(client: Client): Promise<DatasetSummary> {
  await client.query('begin');
  try {
    await client.query(`set local maintenance_work_mem = '256MB'`);
    for (const table of TABLES_WITH_FEED_TRIGGERS) await client.query(`alter table "${table}" disable trigger user`);
    // Except the one that makes each row's search vector.
    for (const table of TABLES_WITH_FEED_TRIGGERS) {
      if (table !== 'session_participant') await client.query(`alter table "${table}" enable trigger "${table}_search_vector"`);
    }
    // Full-text (GIN) indexes cost most of the load when kept up to date row by row; built once
    // afterwards from their own definitions they take a fraction of that.
    const { rows: searchIndexes } = await client.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes
       where schemaname = current_schema() and indexdef like '% USING gin %'`,
    );
    for (const index of searchIndexes) await client.query(`drop index "${index.name}"`);
    for (const sql of STATEMENTS) await client.query(sql);
    // The search vocabulary is kept by triggers too, which were off for the articles and
    // sessions; filled before its trigram index is built again, like the other indexes.
    await client.query('select search_words_refresh()');
    for (const index of searchIndexes) await client.query(index.definition);
    for (const table of TABLES_WITH_FEED_TRIGGERS) await client.query(`alter table "${table}" enable trigger user`);
    for (const table of ['country', 'ministry', 'speaker', 'forum', 'session', 'article']) {
      await client.query(`select setval(pg_get_serial_sequence('"${table}"', 'id'), (select max(id) from "${table}"))`);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  // Fresh tables have no statistics and no visibility map: without these the planner guesses
  // and index-only scans are off, unlike on a database that has lived for a while.
  await client.query('vacuum analyze');

  const counted = [
    'forum',
    'session',
    'session_participant',
    'speaker',
    'country',
    'ministry',
    'article',
    'article_forum',
    'article_speaker',
    'article_country',
  ];
  const { rows } = await client.query<Record<string, string>>(
    `select ${counted.map((table) => `(select count(*) from "${table}") as "${table}"`).join(', ')}`,
  );
  const { rows: forums } = await client.query<{ slug: string }>('select slug from forum order by id');
  return { slugs: forums.map((f) => f.slug), rows: Object.fromEntries(Object.entries(rows[0]).map(([table, n]) => [table, Number(n)])) };
}
