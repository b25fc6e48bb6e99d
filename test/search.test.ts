import { Client } from 'pg';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';
import { Article, ArticleStatus } from '../src/article/article.entity';
import { lexemeShares } from '../src/search/lexeme-shares';
import { ARTICLE_QUERY_CANDIDATES } from '../src/article/article.types';
import { parseTsquery, positiveLexemes } from '../src/shared/tsquery';
import { newestMatchesSql } from '../src/shared/search-matching';
import { onConnection, query, unseen } from '../src/shared/sql-loading';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../src/db/mikro-orm.config';
import { createContext } from '../src/context';
import { languagePreference, type Translations } from '../src/shared/i18n';
import { SearchResolver } from '../src/search/search.resolver';
import { SearchArgs } from '../src/search/search.types';
import { NEWEST_FIRST, publicArticle } from '../src/article/article.visibility';

const lexeme = (text: string, prefix = false) => ({ kind: 'lexeme', lexeme: text, prefix });

/**
 * Full-text search end to end, through GraphQL against a real PostgreSQL: `search` across
 * articles, speakers and sessions, and `articles(filter: { query })`. Each test searches for words
 * that only its own data contains.
 *
 * The data (built once in beforeAll; only 'statement counts' adds to it, words of its own):
 *
 *   ru-opening   «Медиафорум открылся»                   Russian stems
 *   ru-regional  body «Главный форум региона…»           Russian stems, in the body
 *   en-begins    «The forum begins»                      English stems
 *   kk-opening   ru «Открытие», kk «Медиафорум ашылды»   Kazakh word forms
 *   html         «Уязвимость <script>…» & …              markup in the source text
 *   rank-title   «Bishkek declaration» (older)           ranking: title before body
 *   rank-body    body «…the Bishkek declaration» (newer, language en)
 *   zanzibar-*   published, draft, embargoed, embargo lifted, future-dated
 *   samarkand    article title; speaker scholar (organisation); session camf-s1 (title)
 *   aida         speaker «Аида Балаева» / «Aida Balaeva», position in ru, en, kk
 *   camf         forum «Форум camf» / «Forum camf» in Астана / Astana
 *   KZ           country «Страна KZ» / «Country KZ»
 *   kz-mci       ministry «Министерство культуры и информации», ru МКИ РК, kk ҚР МАМ
 */

const DAY = 86_400_000;

let h: Harness;

interface ArticleText {
  title: Translations;
  lead?: Translations;
  body?: Translations;
}

/** A published article (unless `status` says otherwise) with exactly the given text. */
function article(
  em: EntityManager,
  slug: string,
  publishedAt: Date | string | number,
  text: ArticleText,
  status = ArticleStatus.PUBLISHED,
): Article {
  const created = make.article(em, slug, new Date(publishedAt).toISOString());
  created.title = text.title;
  created.lead = text.lead ?? null;
  created.body = text.body ?? null;
  created.status = status;
  return created;
}

beforeAll(async () => {
  h = await startHarness();
  const em = h.orm.em.fork();
  const kz = make.country(em, 'KZ');

  article(em, 'ru-opening', '2025-04-16T10:00:00Z', { title: { ru: 'Медиафорум открылся' }, lead: { ru: 'Делегации съехались в Астану' } });
  article(em, 'ru-regional', '2025-04-16T11:00:00Z', {
    title: { ru: 'Итоги дня' },
    body: { ru: 'Главный форум региона собрал журналистов' },
  });
  article(em, 'en-begins', '2025-04-16T12:00:00Z', { title: { en: 'The forum begins' } });
  article(em, 'kk-opening', '2025-04-16T09:00:00Z', { title: { ru: 'Открытие', kk: 'Медиафорум ашылды' } });
  article(em, 'html', '2025-04-16T13:00:00Z', { title: { ru: 'Уязвимость <script>alert(1)</script> & эксплойт найдены' } });

  // The body match is newer, so only the rank puts the title match first.
  article(em, 'rank-title', '2025-01-01T00:00:00Z', { title: { en: 'Bishkek declaration' } });
  const rankBody = article(em, 'rank-body', '2025-02-01T00:00:00Z', {
    title: { en: 'Day two' },
    body: { en: 'Delegates signed the Bishkek declaration' },
  });
  rankBody.language = 'en';

  const now = Date.now();
  article(em, 'zanzibar-published', now - 2 * DAY, { title: { en: 'Zanzibar published' } });
  article(em, 'zanzibar-draft', now - 2 * DAY, { title: { en: 'Zanzibar draft' } }, ArticleStatus.DRAFT);
  article(em, 'zanzibar-embargoed', now + 2 * DAY, { title: { en: 'Zanzibar embargoed' } }, ArticleStatus.SCHEDULED);
  article(em, 'zanzibar-lifted', now - DAY, { title: { en: 'Zanzibar lifted' } }, ArticleStatus.SCHEDULED);
  article(em, 'zanzibar-future', now + 2 * DAY, { title: { en: 'Zanzibar future' } });

  article(em, 'samarkand', '2025-04-17T10:00:00Z', { title: { en: 'Samarkand hosts delegates' } });
  article(em, 'kk-article', '2025-03-10T10:00:00Z', { title: { kk: 'Жаңа мақала' } });
  article(em, 'kk-malala', '2025-03-10T11:00:00Z', { title: { kk: 'Малала сөйледі' } });
  article(em, 'watanabe', '2025-03-11T10:00:00Z', { title: { en: 'Watanabe on press freedom' } });
  const scholar = make.speaker(em, 'scholar', kz);
  scholar.organisation = { en: 'Samarkand State University' };
  const aida = make.speaker(em, 'aida', kz);
  aida.fullName = { ru: 'Аида Балаева', en: 'Aida Balaeva', kk: 'Аида Балаева' };
  aida.position = { ru: 'Министр культуры и информации', en: 'Minister of Culture and Information', kk: 'Мәдениет және ақпарат министрі' };
  const { sessions } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [aida] });
  sessions[0].title = { en: 'Samarkand workshop', ru: 'Самаркандский воркшоп' };
  const mci = make.ministry(em, kz, 'kz-mci');
  mci.name = {
    ru: 'Министерство культуры и информации',
    en: 'Ministry of Culture and Information',
    kk: 'Мәдениет және ақпарат министрлігі',
  };
  mci.shortName = { ru: 'МКИ РК', kk: 'ҚР МАМ' };

  await em.flush();
});

afterAll(async () => {
  await h?.close();
});

/** Runs a query that must succeed and returns its data. */
async function data(query: string, variables?: Record<string, unknown>, acceptLanguage?: string): Promise<any> {
  const result = await h.execute(query, variables, acceptLanguage);
  expect(result.errors).toBeUndefined();
  return result.data;
}

const SEARCH = `query($query: String!, $first: Int, $kinds: [SearchKind!]) {
  search(query: $query, first: $first, kinds: $kinds) {
    totalCount
    hits {
      kind rank snippet
      node {
        __typename
        ... on Article { slug }
        ... on Speaker { slug }
        ... on Session { slug }
        ... on Forum { slug }
        ... on Ministry { slug }
        ... on Country { slug: code }
      }
    }
  }
}`;

interface Hit {
  kind: string;
  rank: number;
  snippet: string | null;
  node: { __typename: string; slug: string };
}

async function search(
  query: string,
  variables: Record<string, unknown> = {},
  acceptLanguage?: string,
): Promise<{ totalCount: number; hits: Hit[] }> {
  return (await data(SEARCH, { query, ...variables }, acceptLanguage)).search;
}

/** The slugs `search` finds, best first, with the total count checked against them. */
async function found(query: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const { totalCount, hits } = await search(query, variables);
  expect(totalCount).toBe(hits.length);
  return hits.map((hit) => hit.node.slug);
}

const ARTICLES = `query($filter: ArticleFilter, $first: Int, $after: String) {
  articles(filter: $filter, first: $first, after: $after) { totalCount totalCountExact nodes { slug } pageInfo { hasNextPage endCursor } }
}`;

/** The slugs `articles(filter:)` lists, in order, with the total count checked against them. */
async function listed(filter: Record<string, unknown>): Promise<string[]> {
  const { articles } = await data(ARTICLES, { filter, first: 100 });
  expect(articles.totalCount).toBe(articles.nodes.length);
  return articles.nodes.map((node: { slug: string }) => node.slug);
}

describe('matching', () => {
  it('Russian words match by their stem', async () => {
    // The Kazakh title «Медиафорум ашылды» has the same word as the Russian one, in fewer words
    // (the Russian article has a lead as well): it ranks first.
    expect(await found('медиафорума')).toEqual(['kk-opening', 'ru-opening']);
    // The forum «Форум camf» too: a title match before a match in an article's body.
    // Then the English «forum», found by the word in Latin letters (below: a similar word).
    expect(await found('форумы')).toEqual(['camf', 'ru-regional', 'en-begins']);
    expect(await listed({ query: 'медиафорума' })).toEqual(['kk-opening', 'ru-opening']);
    expect(await listed({ query: 'форумы' })).toEqual(['ru-regional', 'en-begins']);
  });

  it('English words match by their stem', async () => {
    expect(await found('forums')).toEqual(['en-begins', 'camf', 'ru-regional']);
    expect(await found('BEGINNING')).toEqual(['en-begins']);
    expect(await listed({ query: 'forums' })).toEqual(['en-begins', 'ru-regional']);
  });

  it('Kazakh words match exactly (the simple configuration: no stemmer for Kazakh)', async () => {
    expect(await found('ашылды')).toEqual(['kk-opening']);
    expect(await found('АШЫЛДЫ')).toEqual(['kk-opening']);
    expect(await found('ашылған')).toEqual([]);
    expect(await listed({ query: 'ашылды' })).toEqual(['kk-opening']);
  });

  it('forums, countries and ministries are found by their names, and kinds narrows to some kinds', async () => {
    expect(await found('Astana', { kinds: ['FORUM'] })).toEqual(['camf']);
    expect(await found('Страна')).toEqual(['KZ']);
    // The minister (position «…министрі», a word like it) comes after, as a similar match.
    expect((await found('министрлігі'))[0]).toEqual('kz-mci');
    // The abbreviation counts as a name, in each language it has.
    expect(await found('МКИ')).toEqual(['kz-mci']);
    expect(await found('МАМ')).toEqual(['kz-mci']);
    // The minister's position («Minister of Culture and Information») has the same words but one.
    const { hits } = await search('Culture and Information');
    expect(hits.map((hit) => [hit.kind, hit.node.__typename, hit.node.slug])).toEqual([
      ['MINISTRY', 'Ministry', 'kz-mci'],
      ['SPEAKER', 'Speaker', 'aida'],
    ]);
    expect(await found('Culture and Information', { kinds: ['SPEAKER'] })).toEqual(['aida']);
    expect(await found('Astana', { kinds: ['COUNTRY', 'MINISTRY'] })).toEqual([]);
  });

  it('web search syntax: phrases and or', async () => {
    expect(await found('"signed the Bishkek"')).toEqual(['rank-body']);
    expect(await found('"Bishkek signed"')).toEqual([]);
    expect(await found('forums or ашылды')).toEqual(['en-begins', 'kk-opening', 'camf']);
  });

  it('input that looks like SQL or tsquery syntax is only text: no errors', async () => {
    const inputs = [`'); drop table article; --`, '"unbalanced', 'a & | ! :*', '<script>', '\\', '((', "o'clock", '-'];
    for (const input of inputs) {
      expect(await search(input)).toEqual({ totalCount: 0, hits: [] });
      expect(await listed({ query: input })).toEqual([]);
    }
    expect(await found('Bishkek')).toEqual(['rank-title', 'rank-body']);
  });

  it('finds articles, speakers and sessions, as their own types, and narrows by kind', async () => {
    const { totalCount, hits } = await search('Samarkand');
    expect(totalCount).toBe(3);
    expect(hits.map((hit) => [hit.kind, hit.node.__typename, hit.node.slug])).toEqual([
      ['ARTICLE', 'Article', 'samarkand'],
      ['SESSION', 'Session', 'camf-s1'],
      ['SPEAKER', 'Speaker', 'scholar'],
    ]);
    expect(await found('Samarkand', { kinds: ['SPEAKER', 'SESSION'] })).toEqual(['camf-s1', 'scholar']);
    expect(await found('Samarkand', { kinds: ['SPEAKER'] })).toEqual(['scholar']);
    expect(await found('Samarkand', { kinds: [] })).toEqual([]);
    expect(await search('Samarkand', { first: 1 })).toMatchObject({ totalCount: 3, hits: [{ node: { slug: 'samarkand' } }] });
    expect(await search('Samarkand', { first: 0 })).toEqual({ totalCount: 3, hits: [] });
  });

  it('hit nodes are whole entities: dates, JSON columns and relations as from any other query', async () => {
    const { search: result } = await data(
      `query($query: String!) { search(query: $query) { hits { node {
        ... on Article { slug publishedAt status titleTranslations { en } }
        ... on Session { slug startsAt forum { slug } }
        ... on Speaker { slug organisation(lang: EN) }
      } } } }`,
      { query: 'Samarkand' },
    );
    expect(result.hits).toEqual([
      {
        node: {
          slug: 'samarkand',
          publishedAt: '2025-04-17T10:00:00.000Z',
          status: 'PUBLISHED',
          titleTranslations: { en: 'Samarkand hosts delegates' },
        },
      },
      { node: { slug: 'camf-s1', startsAt: '2025-04-16T04:00:00.000Z', forum: { slug: 'camf' } } },
      { node: { slug: 'scholar', organisation: 'Samarkand State University' } },
    ]);
  });

  it('hit nodes resolve their own fields and relations, in the reader language', async () => {
    const result = await data(
      `query($query: String!) { search(query: $query) { hits { node {
        ... on Speaker { id fullName position country { code } }
      } } } }`,
      { query: 'Balaeva' },
      'en',
    );
    expect(result.search.hits).toEqual([
      {
        node: {
          id: expect.any(String),
          fullName: 'Aida Balaeva',
          position: 'Minister of Culture and Information',
          country: { code: 'KZ' },
        },
      },
    ]);
    const { node } = await data(`query($id: ID!) { node(id: $id) { ... on Speaker { slug } } }`, { id: result.search.hits[0].node.id });
    expect(node).toEqual({ slug: 'aida' });
  });
});

describe('matching what readers type', () => {
  it('takes the last word as a prefix while it is being typed, ranked below whole words', async () => {
    expect(await found('Медиафор')).toEqual(['kk-opening', 'ru-opening']);
    expect(await found('Samark', { kinds: ['SESSION', 'SPEAKER'] })).toEqual(['camf-s1', 'scholar']);
    const { hits } = await search('Samarkand hos');
    expect(hits[0].node.slug).toBe('samarkand');
    expect(hits[0].rank).toBeGreaterThanOrEqual(1);
    expect(hits[0].rank).toBeLessThan(2);
    // A space after the last word: it is whole, and only whole words (or words like it) match.
    expect(await found('Samarkand ho ')).toEqual([]);
  });

  it('forgives a typo and finds the forms of a name the stemmer splits, ranked below what matches as typed', async () => {
    const typo = await search('Медиафорун');
    expect(typo.hits.map((hit) => hit.node.slug)).toEqual(['kk-opening', 'ru-opening']);
    expect(typo.hits.every((hit) => hit.rank < 1)).toBe(true);
    // Russian Snowball stems «Астана» to «аст» but «Астану» to «астан».
    expect(await found('Астана', { kinds: ['ARTICLE'] })).toEqual(['ru-opening']);
    expect(await found('Balayeva')).toEqual(['aida']);
  });

  it('forgives two letters wrong in a long word that has nothing like it, and not in a short one', async () => {
    // «Медеафарум» has too few trigrams in common with «медиафорум» (0.29) to be found like it;
    // it is two letters away, as «Semarkant» is from «samarkand».
    const typos = await search('Медеафарум');
    expect(typos.hits.map((hit) => hit.node.slug)).toEqual(['kk-opening', 'ru-opening']);
    expect(typos.hits.every((hit) => hit.rank < 1)).toBe(true);
    expect(await found('Semarkant', { kinds: ['ARTICLE'] })).toEqual(['samarkand']);
    expect(await listed({ query: 'Медеафарум' })).toEqual(['kk-opening', 'ru-opening']);
    // A shorter word two letters away is another word: «Бушкак» is not «Бишкек».
    expect(await found('Бушкак')).toEqual([]);
    expect(await found('Бишкек')).toEqual(['rank-title', 'rank-body']);
    // Three letters wrong are another word.
    expect(await found('Медеафарым')).toEqual([]);
    // levenshtein takes at most 255 letters; «щ» is four in Latin letters.
    expect(await search('щ'.repeat(200))).toEqual({ totalCount: 0, hits: [] });
  });

  it('takes a word the vocabulary knows in its other endings, not as a typo of words that look like it', async () => {
    // «мақала» (article) and the name «Малала» have enough trigrams in common (0.44) to pass for
    // a typo of each other.
    expect(await found('мақала')).toEqual(['kk-article']);
    expect(await found('мақаласы')).toEqual(['kk-article']);
    expect(await found('Малала')).toEqual(['kk-malala']);
    // A word it does not know is still taken as a typo.
    expect(await found('мақалв')).toEqual(['kk-article']);
  });

  it('finds a name written in the other script', async () => {
    // The article's title is only in English, «Samarkand hosts delegates».
    expect(await found('Самарканд', { kinds: ['ARTICLE'] })).toEqual(['samarkand']);
    // «Ватанабэ» in Latin letters is «vatanabe», too unlike the English stem «watanab» (0.31);
    // its own English stem, «vatanab», is like it (0.45).
    expect(await found('Ватанабэ', { kinds: ['ARTICLE'] })).toEqual(['watanabe']);
    // The ministry's Kazakh name, «Мәдениет және ақпарат министрлігі», in Latin letters.
    expect(await found('Madeniet', { kinds: ['MINISTRY'] })).toEqual(['kz-mci']);
  });

  it('takes Kazakh case, plural and possessive endings off a word', async () => {
    expect((await found('медиафорумда', { kinds: ['ARTICLE'] })).sort()).toEqual(['kk-opening', 'ru-opening']);
    expect(await found('министрлігінде')).toContain('kz-mci');
    // A typo as well: what is left without the ending is like «Астана».
    expect(await found('Астанодағы', { kinds: ['FORUM'] })).toEqual(['camf']);
  });

  it('finds a quoted Kazakh phrase whose words carry endings, in their order only', async () => {
    const em = h.orm.em.fork();
    article(em, 'kk-open-data', '2025-04-02T00:00:00Z', { title: { kk: 'Тілші ашық деректерден материал жасады' } });
    await em.flush();
    expect(await found('"ашық деректер"')).toEqual(['kk-open-data']);
    expect(await found('"деректер ашық"')).toEqual([]);
    // Words matched one by one find the form too, through the vocabulary.
    expect(await found('ашық деректер')).toEqual(['kk-open-data']);
  });

  it('takes what is left of a word without its ending as a typo only when five letters or more are left', async () => {
    const em = h.orm.em.fork();
    article(em, 'larik-interview', '2025-04-01T00:00:00Z', { title: { ru: 'Интервью: Ларик' } });
    await em.flush();
    expect(await found('Ларик')).toEqual(['larik-interview']);
    // «ларидағы» without «дағы» is «лари»: like «ларик» (0.57), but four letters are no word to
    // correct, and «ларидағы» itself is not like it.
    expect(await found('ларидағы')).toEqual([]);
  });

  it('excludes a word in every language and form, not only where the query language stems it', async () => {
    expect(await found('Samarkand', { kinds: ['SESSION'] })).toEqual(['camf-s1']);
    expect(await found('Samarkand -workshop', { kinds: ['SESSION'] })).toEqual([]);
    // The session's Russian title says «воркшоп»; its English one «workshop».
    expect(await found('Samarkand -воркшоп', { kinds: ['SESSION'] })).toEqual([]);
    expect(await found('Samarkand -workshops', { kinds: ['SESSION'] })).toEqual([]);
    expect(await found('Медиафорум -Астану')).toEqual(['kk-opening']);
  });

  it('gives each search its own answer where one operation keeps a statement text per shape of search', async () => {
    // Through one document, searches of other shapes in turn (queries, kinds, how each kind is
    // read), then each through a document of its own: a new operation, with nothing kept yet.
    const searches: [string, Record<string, unknown>][] = [
      ['Samarkand', {}],
      ['Samarkand -workshop', { kinds: ['SESSION'] }],
      ['Samarkand', { kinds: ['SESSION', 'ARTICLE'] }],
      ['Samark', {}],
      ['"Bishkek declaration"', {}],
      ['Медиафорум -Астану', {}],
      ['медиафорун', { first: 1 }],
      ['Samarkand', {}],
    ];
    const kept = [];
    for (const [text, variables] of searches) kept.push(await search(text, variables));
    expect(kept[0].hits.length).toBeGreaterThan(1);
    expect(kept[1].hits).toEqual([]);
    expect(kept[7]).toEqual(kept[0]);
    for (const [i, [text, variables]] of searches.entries()) {
      const own = SEARCH.replace('query(', `query Own${i}(`);
      expect((await data(own, { query: text, ...variables })).search).toEqual(kept[i]);
    }
  });

  it('matches articles(filter: { query }) as search does, with the same rank tiers', async () => {
    expect(await listed({ query: 'Медиафор' })).toEqual(['kk-opening', 'ru-opening']);
    expect(await listed({ query: 'Медиафорун' })).toEqual(['kk-opening', 'ru-opening']);
    expect(await listed({ query: 'медиафорумда' })).toEqual(['kk-opening', 'ru-opening']);
    expect(await listed({ query: 'Медиафорум -Астану' })).toEqual(['kk-opening']);
    expect(await listed({ query: 'Самарканд' })).toEqual(['samarkand']);
    // A match in the title before one in the body, although the body's article is newer.
    expect(await listed({ query: 'Bishkek' })).toEqual(['rank-title', 'rank-body']);
  });

  it('answers every input of the classes readers type with hits or none, never an error, in search and in articles', async () => {
    // A seeded mix of letters of the three alphabets, digits and every character the query
    // syntax and tsquery give meaning to.
    const alphabet = [
      ...'аәбғқңөұүһіыэюяАӘҒҚabcxyzABC0123456789',
      ' ',
      ' ',
      ' ',
      '-',
      '"',
      "'",
      ':',
      '*',
      '&',
      '|',
      '!',
      '(',
      ')',
      '\\',
      '<',
      '.',
      ',',
    ];
    let state = 20261205;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let i = 0; i < 150; i += 1) {
      const length = 1 + Math.floor(random() * 30);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      if (!text.trim()) continue;
      const result = await h.execute(SEARCH, { query: text });
      expect({ text, errors: result.errors }).toEqual({ text, errors: undefined });
      expect(result.data!.search.totalCount).toBeGreaterThanOrEqual(result.data!.search.hits.length);
      const listing = await h.execute(ARTICLES, { filter: { query: text }, first: 5 });
      expect({ text, errors: listing.errors }).toEqual({ text, errors: undefined });
    }
  });

  it('ranks and counts at most the newest 200 of a kind that matches more, and says so', async () => {
    const em = h.orm.em.fork();
    const kz = await em.findOneOrFail((await import('../src/country/country.entity')).Country, { code: 'KZ' });
    for (let i = 0; i < 201; i += 1) make.speaker(em, `termez-${i}`, kz).organisation = { en: `Termez office ${i}` };
    await em.flush();
    const broad = (
      await data(`{ search(query: "Termez", first: 3) { totalCount totalCountExact hits { node { ... on Speaker { slug } } } } }`)
    ).search;
    expect(broad.totalCount).toBe(200);
    expect(broad.totalCountExact).toBe(false);
    expect(broad.hits.map((hit: { node: { slug: string } }) => hit.node.slug)).toHaveLength(3);
    // The trailing space: «17» is a whole word, not the start of 170 to 179.
    const narrow = (await data(`{ search(query: "Termez 17 ") { totalCount totalCountExact } }`)).search;
    expect(narrow).toEqual({ totalCount: 1, totalCountExact: true });
  });
});

describe('visibility', () => {
  it('drafts and embargoed articles are never found; an article whose embargo has lifted is', async () => {
    expect(await found('zanzibar')).toEqual(['zanzibar-lifted', 'zanzibar-published']);
    expect(await listed({ query: 'zanzibar' })).toEqual(['zanzibar-lifted', 'zanzibar-published']);
    expect(await found('zanzibar draft')).toEqual([]);
    expect(await found('zanzibar embargoed')).toEqual([]);
    expect(await found('zanzibar future')).toEqual([]);
  });
});

describe('ranking', () => {
  it('a match in the title ranks above one in the body, before recency', async () => {
    const { hits } = await search('Bishkek');
    expect(hits.map((hit) => [hit.node.slug, hit.rank])).toEqual([
      // Matches of the text as written rank from 2, plus ts_rank scaled below 1: one word once in
      // a title (weight 1) gives r = 0.608, in a body (weight 0.2) 0.122; each divided by log2 of
      // the row's words + 1 (2 words here, 6 there), then r / (r + 1).
      ['rank-title', expect.closeTo(2 + 0.6079 / Math.log2(3) / (1 + 0.6079 / Math.log2(3)), 3)],
      ['rank-body', expect.closeTo(2 + 0.1216 / Math.log2(7) / (1 + 0.1216 / Math.log2(7)), 3)],
    ]);
  });

  it('a name ranks the person above an article that has it among more words, though the article is newer', async () => {
    const em = h.orm.em.fork();
    const zarina = make.speaker(em, 'zarina', make.country(em, 'TJ'));
    zarina.fullName = { en: 'Zarina Nurlanova' };
    article(em, 'zarina-interview', '2025-02-10T10:00:00Z', {
      title: { en: 'Zarina Nurlanova on the new media law' },
      lead: { en: 'The editor answered questions about the law, the newsrooms and the courts.' },
    });
    await em.flush();
    expect(await found('Zarina Nurlanova')).toEqual(['zarina', 'zarina-interview']);
  });

  it('articles(filter: {query}) comes best match first, pages in that order, and combines with the other filters', async () => {
    expect(await listed({ query: 'Bishkek' })).toEqual(['rank-title', 'rank-body']);
    const first = (await data(ARTICLES, { filter: { query: 'Bishkek' }, first: 1 })).articles;
    expect(first).toMatchObject({ totalCount: 2, nodes: [{ slug: 'rank-title' }], pageInfo: { hasNextPage: true } });
    const second = (await data(ARTICLES, { filter: { query: 'Bishkek' }, first: 1, after: first.pageInfo.endCursor })).articles;
    expect(second).toMatchObject({ totalCount: 2, nodes: [{ slug: 'rank-body' }], pageInfo: { hasNextPage: false } });
    expect(await listed({ query: 'Bishkek', language: 'en' })).toEqual(['rank-body']);
    expect(await listed({ query: 'Bishkek', language: 'ru' })).toEqual(['rank-title']);
  });

  it('articles without a query (or a blank one) stay newest first', async () => {
    const all = await listed({});
    expect(all.slice(0, 3)).toEqual(['zanzibar-lifted', 'zanzibar-published', 'samarkand']);
    expect(await listed({ query: '  \n ' })).toEqual(all);
    expect(await listed({ query: '' })).toEqual(all);
  });
});

describe('snippets', () => {
  it('mark the matched words and escape the markup of the source text', async () => {
    const { hits } = await search('уязвимость');
    expect(hits.map((hit) => hit.snippet)).toEqual([
      '<mark>Уязвимость</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; эксплойт найдены',
    ]);
    expect((await search('медиафорума')).hits.map((hit) => hit.snippet)).toEqual([
      '<mark>Медиафорум</mark> ашылды',
      '<mark>Медиафорум</mark> открылся — Делегации съехались в Астану',
    ]);
    expect((await search('Bishkek')).hits.map((hit) => hit.snippet)).toEqual([
      '<mark>Bishkek</mark> declaration',
      'Day two — Delegates signed the <mark>Bishkek</mark> declaration',
    ]);
  });

  it("come from the reader's language when it matches there, else from the first of their languages that matches", async () => {
    const snippets = async (query: string, acceptLanguage?: string) =>
      (await search(query, {}, acceptLanguage)).hits.map((hit) => hit.snippet);
    expect(await snippets('Балаева')).toEqual(['Аида <mark>Балаева</mark> — Министр культуры и информации']);
    expect(await snippets('Балаева', 'kk')).toEqual(['Аида <mark>Балаева</mark> — Мәдениет және ақпарат министрі']);
    // The English text matches the name in Latin letters.
    expect(await snippets('Балаева', 'en')).toEqual(['Aida <mark>Balaeva</mark> — Minister of Culture and Information']);
    // And the reader's Russian matches a Latin spelling.
    expect(await snippets('Balaeva')).toEqual(['Аида <mark>Балаева</mark> — Министр культуры и информации']);
    // The Russian title («Открытие») does not match: the Kazakh one does.
    expect(await snippets('ашылды')).toEqual(['Медиафорум <mark>ашылды</mark>']);
    expect(await snippets('ашылды', 'en')).toEqual(['Медиафорум <mark>ашылды</mark>']);
  });

  it('follow Accept-Language over HTTP', async () => {
    const response = await h.post(
      { query: 'query($q: String!) { search(query: $q, first: 1) { hits { snippet } } }', variables: { q: 'министрі' } },
      { 'accept-language': 'kk-KZ, ru;q=0.5' },
    );
    expect(response.body).toEqual({
      data: { search: { hits: [{ snippet: 'Аида Балаева — Мәдениет және ақпарат <mark>министрі</mark>' }] } },
    });
  });
});

describe('validation', () => {
  it('refuses an over-long query with BAD_USER_INPUT, in search and in articles', async () => {
    const long = 'а'.repeat(201);
    expect(await h.execute(`query($q: String!) { search(query: $q) { totalCount } }`, { q: long })).toEqual({
      errors: [{ message: 'Argument "query" is longer than 200 characters', extensions: { code: 'BAD_USER_INPUT', argument: 'query' } }],
    });
    expect(await h.execute(`query($q: String) { articles(filter: { query: $q }) { totalCount } }`, { q: long })).toEqual({
      errors: [
        {
          message: 'Field "query" of argument "filter" is longer than 200 characters',
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter', field: 'query' },
        },
      ],
    });
    expect(await found('а'.repeat(200))).toEqual([]);
  });

  it('refuses a blank query and more than 50 hits, without touching the database', async () => {
    const { result: blank, statements } = await h.countStatements(() =>
      h.execute(`query($q: String!) { search(query: $q) { totalCount } }`, { q: ' \t ' }),
    );
    expect(blank).toEqual({
      data: null,
      errors: [
        {
          message: 'query must not be empty',
          locations: [{ line: 1, column: 22 }],
          path: ['search'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'query' },
        },
      ],
    });
    expect(statements).toBe(0);
    expect(
      await h.execute(`query($q: String!, $first: Int) { search(query: $q, first: $first) { totalCount } }`, { q: 'forum', first: 51 }),
    ).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid argument: first must not be greater than 50',
          locations: [{ line: 1, column: 35 }],
          path: ['search'],
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'first',
            invalid: [{ field: 'first', problems: ['first must not be greater than 50'] }],
          },
        },
      ],
    });
  });
});

/** The generic plan of newestMatchesSql's newest-first path over `table`, matching an unseen query as the search does. */
function newestFirstPlan(em: EntityManager, table: string, where: string, newest: string): Promise<string> {
  return onConnection(em.getKnex(), async (connection) => {
    const match = (vector: string) => `${vector} @@ ${unseen('$1', 'tsquery')}`;
    const sql = newestMatchesSql({ table, match, where, newest, columns: 't.id', limit: 200 }, true);
    await connection.query(`prepare newest_probe(tsquery) as ${sql}`);
    await connection.query('begin; set local plan_cache_mode = force_generic_plan');
    const { rows } = await connection.query<{ 'QUERY PLAN': string }>("explain (costs off) execute newest_probe('urgench')");
    await connection.query('commit; deallocate newest_probe');
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/** A newest-first plan that reads rows from `index` in order, matching each one's vector as copied for the rank (the query: InitPlan 1, $0). */
const readingEachVectorOnce = (index: string, table: string) =>
  new RegExp(
    `^Limit\\n\\s+InitPlan 1 \\(returns \\$0\\)\\n\\s+->\\s+Result\\n\\s+->\\s+Nested Loop\\n\\s+->\\s+Index Scan Backward using ${index} on ${table} t\\n(.*\\n)*` +
      `\\s+->\\s+Subquery Scan on c\\n\\s+Filter: \\(c\\.v @@ \\$0\\)\\n\\s+->\\s+Result$`,
  );

describe('long texts and common words', () => {
  /** About 1,700 characters of words no other test searches for. */
  const filler = (seed: string) => Array.from({ length: 40 }, (_, i) => `${seed} строка${i} продолжается`).join(' ');

  it('cut the snippet of a long text from around its first match', async () => {
    const em = h.orm.em.fork();
    // The word a reader looks for comes after 17,000 characters of the body.
    article(em, 'long-report', '2025-05-01T00:00:00Z', {
      title: { ru: 'Большой отчёт' },
      body: {
        ru: `${Array.from({ length: 10 }, (_, i) => filler(`абзац${i}`)).join(' ')} Хивинская декларация подписана. ${filler('хвост')}`,
      },
    });
    await em.flush();
    const [hit] = (await search('хивинская декларация')).hits;
    expect(hit.node.slug).toBe('long-report');
    expect(hit.snippet).toContain('<mark>Хивинская</mark> <mark>декларация</mark> подписана');
    // From the 600 characters around the match, not from the start of the text.
    expect(hit.snippet!.length).toBeLessThan(700);
    expect(hit.snippet).not.toContain('Большой отчёт');
    // A match at the start: the snippet starts with the text.
    expect((await search('большой отчёт')).hits[0].snippet).toMatch(/^<mark>Большой<\/mark> <mark>отчёт<\/mark> — абзац0/);
  });

  it('read the tsqueries PostgreSQL prints: operators, phrases, prefixes, weights and quotes', async () => {
    const em = h.orm.em.fork();
    const printed = async (sql: string) => ((await em.getConnection().execute(`select (${sql})::text as q`))[0] as { q: string }).q;
    const web = await printed(`websearch_to_tsquery('english', '"signed declarations" or treaty -draft')`);
    expect(web).toBe(`'sign' <-> 'declar' | 'treati' & !'draft'`);
    expect(parseTsquery(web)).toEqual({
      kind: 'or',
      operands: [
        { kind: 'and', operands: [lexeme('sign'), lexeme('declar')] },
        { kind: 'and', operands: [lexeme('treati'), { kind: 'not', operand: lexeme('draft') }] },
      ],
    });
    expect(positiveLexemes(parseTsquery(web))).toEqual(['sign', 'declar', 'treati']);
    const quoted = await printed(`$$'it''s' & ( 'back\\\\slash':*A | '5' <2> 'x' )$$::tsquery`);
    expect(parseTsquery(quoted)).toEqual({
      kind: 'and',
      operands: [
        lexeme("it's"),
        { kind: 'or', operands: [lexeme('back\\slash', true), { kind: 'and', operands: [lexeme('5'), lexeme('x')] }] },
      ],
    });
    expect(parseTsquery(await printed(`websearch_to_tsquery('english', 'the')`))).toBeNull();
  });

  it('take the newest-first scan only where PostgreSQL counts the words in enough rows, and find the same either way', async () => {
    const em = h.orm.em.fork();
    // Enough rows that reading the newest first pays for 200 candidates: sqrt(19 · 200 / rows) ≤ 95%.
    await em.getConnection().execute(
      `insert into speaker (slug, full_name, position, country_id, organisation)
       select 'urgench-' || g, '{"en": "Urgench delegate"}', '{"en": "Delegate"}', (select id from country where code = 'KZ'),
              jsonb_build_object('en', 'Urgench office ' || g)
       from generate_series(1, 8000) g`,
    );
    const query = '{ search(query: "Urgench", first: 50, kinds: [SPEAKER]) { totalCount hits { rank node { ... on Speaker { slug } } } } }';
    // The statistics read at the first search of this file do not list the word: through the index.
    const shares = await lexemeShares(em);
    const queries = (...texts: string[]) => texts.map((text) => parseTsquery(text)!);
    expect(shares.share('speaker', queries("'urgench'"))).toBe(0);
    const throughIndex = await data(query);

    await em.getConnection().execute('analyze speaker');
    await shares.refresh();
    const speakers = Number(((await em.getConnection().execute('select count(*) as n from speaker'))[0] as { n: string }).n);
    expect(shares.share('speaker', queries("'urgench'"))).toBeCloseTo(8000 / speakers, 2);
    expect(shares.newestFirst('speaker', queries("'urgench'"), 200)).toBe(true);
    // Fewer rows per candidate, or a rarer word: through the index.
    expect(shares.newestFirst('speaker', queries("'urgench'"), 5000)).toBe(false);
    expect(shares.newestFirst('speaker', queries("'urgench' & 'nosuchword'"), 200)).toBe(false);
    // Words the statistics do not list count as none; prefixes count what they start; alternatives add up.
    expect(shares.share('speaker', queries("'urgench' & 'nosuchword'"))).toBe(0);
    expect(shares.share('speaker', queries("'urgen':*"))).toBeCloseTo(8000 / speakers, 2);
    expect(shares.share('speaker', queries("'urgench' | 'nosuchword'", "'nosuchword'"))).toBeCloseTo(8000 / speakers, 2);
    expect(shares.newestFirst('no_such_table', queries("'urgench'"), 1)).toBe(false);

    expect(throughIndex.search.totalCount).toBe(200);
    expect(await data(query)).toEqual(throughIndex);

    // Planned once for any words, as the search's statements are (withGenericPlans), the newest-
    // first path still reads the newest rows, in an order an index gives in full (no sort), and
    // matches each row's vector as read into memory for the rank, where the GIN index does not
    // reach: PostgreSQL would otherwise find all 8,000 matches through it and sort them.
    expect(await newestFirstPlan(em, 'speaker', 'true', 't.id desc')).toMatch(readingEachVectorOnce('speaker_pkey', 'speaker'));
  });

  it('articles(filter: { query }) ranks and counts the newest 500 matches of more', async () => {
    const em = h.orm.em.fork();
    // The oldest has the word in its title, which would rank it first among all of them.
    await em.getConnection().execute(
      `insert into article (slug, title, body, source_url, outlet_name, language, published_at)
       select 'nukus-' || g, (case when g = 0 then '{"en": "Nukus"}' else '{"en": "Report"}' end)::jsonb, '{"en": "From Nukus"}',
              'https://example.com/' || g, 'Outlet', 'en', timestamptz '2024-06-01' + g * interval '1 minute'
       from generate_series(0, ${ARTICLE_QUERY_CANDIDATES}) g`,
    );
    const { articles } = await data(ARTICLES, { filter: { query: 'Nukus' }, first: 3 });
    // Newest first in full from one index: no sort above it, which would copy every row it keeps.
    await em.getConnection().execute('analyze article');
    expect(await newestFirstPlan(em, 'article', publicArticle('t'), NEWEST_FIRST)).toMatch(
      readingEachVectorOnce('article_published_at_id_index', 'article'),
    );
    expect(articles.totalCount).toBe(ARTICLE_QUERY_CANDIDATES);
    expect(articles.totalCountExact).toBe(false);
    expect(articles.nodes.map((node: { slug: string }) => node.slug)).toEqual([500, 499, 498].map((g) => `nukus-${g}`));
    // With fewer matches, the title's match comes first.
    expect((await data(ARTICLES, { filter: { query: 'Nukus', publishedTo: '2024-06-01T00:05:00Z' }, first: 3 })).articles).toEqual({
      totalCount: 5,
      totalCountExact: true,
      nodes: [{ slug: 'nukus-0' }, { slug: 'nukus-4' }, { slug: 'nukus-3' }],
      pageInfo: expect.anything(),
    });
  });
});

describe('statement counts', () => {
  const QUERY = `query($q: String!) { search(query: $q, first: 50) {
    totalCount
    hits { kind rank snippet node {
      ... on Article { slug title lead }
      ... on Speaker { slug fullName country { code } }
      ... on Session { slug title }
    } }
  } }`;

  it('search runs the same statements for a few hits as for many', async () => {
    const em = h.orm.em.fork();
    const uz = make.country(em, 'UZ');
    const add = (from: number, to: number) => {
      const speakers = [];
      for (let i = from; i < to; i += 1) {
        article(em, `tashkent-${i}`, Date.UTC(2024, 0, 1, 0, i), { title: { ru: `Ташкент ${i}`, en: `Tashkent ${i}` } });
        const speaker = make.speaker(em, `tashkent-${i}`, uz);
        speaker.fullName = { ru: `Гость из Ташкента ${i}` };
        speakers.push(speaker);
      }
      const { sessions } = make.forumWithAgenda(em, { slug: `tashkent-${from}`, host: uz, sessions: to - from, speakers });
      for (const session of sessions) session.description = { ru: 'Встреча в Ташкенте' };
    };

    add(0, 1);
    await em.flush();
    const small = await h.countStatements(() => data(QUERY, { q: 'Ташкент' }));
    // The article, the speaker, the session, and the forum named «tashkent-0» in Latin letters.
    expect(small.result.search.totalCount).toBe(4);

    add(1, 40);
    await em.flush();
    const large = await h.countStatements(() => data(QUERY, { q: 'Ташкент' }));
    expect(large.result.search.totalCount).toBe(122);
    expect(large.result.search.hits).toHaveLength(50);

    // One for the words' stems and similar words, one for the search (hits, snippets, nodes,
    // count) and one for the speakers' countries, on one connection.
    expect(small.statements).toBe(3);
    expect(large.statements).toBe(3);
    const speakers = large.result.search.hits.filter((hit: { kind: string }) => hit.kind === 'SPEAKER');
    expect(speakers.length).toBeGreaterThan(1);
    expect(speakers.map((hit: { node: { country: { code: string } } }) => hit.node.country.code)).toEqual(speakers.map(() => 'UZ'));
  });

  it("reads the hits' countries on the search's own connection, before it goes back to the pool", async () => {
    const sent: { client: Client; text: string }[] = [];
    const query = Client.prototype.query;
    Client.prototype.query = function recorded(this: Client, ...args: unknown[]) {
      const [first] = args as [string | { text: string }];
      sent.push({ client: this, text: typeof first === 'string' ? first : first.text });
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    try {
      await data(QUERY, { q: 'Ташкент' });
    } finally {
      Client.prototype.query = query;
    }
    const meaning = sent.findIndex((s) => s.text.startsWith('with given as'));
    const find = sent.findIndex((s) => s.text.startsWith('with q as'));
    const countries = sent.findIndex((s) => s.text.includes('from "country" t where t.id = any'));
    expect([meaning, find, countries].every((i) => i >= 0)).toBe(true);
    expect(meaning < find && find < countries).toBe(true);
    expect(new Set([meaning, find, countries].map((i) => sent[i].client)).size).toBe(1);
  });
});

describe('plans', () => {
  // One connection, whose prepared statements pg_prepared_statements lists.
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(ormOptions(h.databaseUrl, 5000, 1));
  });

  afterAll(async () => {
    await orm?.close();
  });

  it("are PostgreSQL's generic ones from a statement's sixth run on, whatever the words", async () => {
    // Searches of three shapes (words being typed; phrases; an exclusion), each with other words.
    const texts = [
      ...['Samarkand', 'Zanzibar', 'Bishkek', 'Watanabe', 'Медиафорум', 'декларация', 'Nukus', 'Ташкент'],
      ...['"Bishkek declaration"', '"forum begins"', '"Медиафорум открылся"', '"Жаңа мақала"', '"Samarkand hosts"', '"Day two"'],
      ...['Samarkand -workshop', 'Zanzibar -draft', 'forum -begins', 'Медиафорум -Астану', 'Bishkek -day', 'Nukus -zzz'],
    ];
    const resolver = new SearchResolver();
    for (const text of texts) {
      const context = await createContext(orm, {
        languages: languagePreference('ru'),
        publicBaseUrl: h.config.publicBaseUrl,
        auth: h.config,
      });
      await resolver.search(Object.assign(new SearchArgs(), { query: text }), context);
    }
    const plans = await query(
      orm.em.fork(),
      "select left(statement, 12) as statement, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like 'with %' and generic_plans + custom_plans >= 6",
      [],
    );
    // The meaning statement, and the find statement of each shape.
    expect(plans.filter((p) => p.statement === 'with given a')).toHaveLength(1);
    expect(plans.filter((p) => p.statement === 'with q as (s').length).toBeGreaterThanOrEqual(3);
    for (const p of plans) expect(p).toMatchObject({ custom: 5, generic: expect.any(Number) });
    for (const p of plans) expect(p.generic).toBeGreaterThan(0);
  });
});
