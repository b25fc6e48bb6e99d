import { madeUpWord } from './dataset';

/*
 * The measured operations, as the GraphQL server and the baseline are asked for them. For agenda
 * and coverage both sides get the same forum slug in the same request slot and must answer with
 * the same `data`. Search has no baseline: its requests carry a search text where the others
 * carry a slug (SEARCH_TEXTS).
 */

export type Operation = 'agenda' | 'coverage';
export type ServerOperation = Operation | 'search';

/** A full agenda page, the size of a real forum's programme. */
export const AGENDA_SESSIONS = 40;
/** The default page of Forum.articles: what a press site's forum page shows. */
export const COVERAGE_ARTICLES = 20;

/** Sent by both sides' requests: the baseline's SQL localizes in this language's order too. */
export const ACCEPT_LANGUAGE = 'en';

/** Hits per search: a search page's first screen. */
export const SEARCH_HITS = 10;

export const GRAPHQL_QUERIES: Record<ServerOperation, string> = {
  agenda: `query Agenda($slug: String!) {
  forum(slug: $slug) {
    title
    sessions(first: ${AGENDA_SESSIONS}) {
      edges { node { title startsAt participants { role speaker { fullName position country { code name } ministry { shortName } } } } }
    }
  }
}`,
  coverage: `query Coverage($slug: String!) {
  forum(slug: $slug) {
    title
    articles(first: ${COVERAGE_ARTICLES}) {
      edges { node { title lead publishedAt authorName speakers { fullName } countries { code name } } }
    }
  }
}`,
  search: `query Search($slug: String!) {
  search(query: $slug, first: ${SEARCH_HITS}) {
    totalCount
    hits {
      kind rank snippet
      node {
        ... on Article { title publishedAt }
        ... on Speaker { fullName country { code } }
        ... on Session { title startsAt }
        ... on Forum { title }
        ... on Country { code name }
        ... on Ministry { name }
      }
    }
  }
}`,
};

/*
 * What readers type, in the kinds of the relevance test set (test/search-relevance/), on the
 * bench dataset's texts («Синтетическая статья 01234», «Synthetic Speaker 00042», ...): the
 * words as written, other cases, Kazakh endings, a word being typed, typos, exclusions, phrases,
 * other kinds, words in every row, words no row has, and the rarer made-up words of the texts.
 * Numbers vary, so that the texts are many; the sequence is the same in every run.
 */
/** The word with its fourth letter wrong. */
export const typo = (word: string) => `${word.slice(0, 3)}ы${word.slice(4)}`;

function searchTexts(): string[] {
  const random = seededRandom(16);
  const n = (max: number, width: number) => String(1 + Math.floor(random() * max)).padStart(width, '0');
  const kinds: (() => string)[] = [
    () => `Синтетическая статья ${n(50_000, 5)}`,
    () => `Synthetic Article ${n(50_000, 5)}`,
    () => `статьи ${n(50_000, 5)}`,
    () => `спикера ${n(20_000, 5)}`,
    () => `мақаласы ${n(50_000, 5)}`,
    () => `спикердің ${n(20_000, 5)}`,
    () => `Synthetic Speaker ${n(20_000, 5).slice(0, 3)}`,
    () => `Синтетическая сесс`,
    () => `Synthetc Article ${n(50_000, 5)}`,
    () => `Синтетичская статья ${n(50_000, 5)}`,
    () => `Synthetic Speaker ${n(20_000, 5)} -Article`,
    () => `"Synthetic Forum ${n(200, 3)}"`,
    () => `Synthetic Ministry ${n(400, 3)}`,
    () => `Synthetic Country ${n(60, 2)}`,
    () => `Synthetic`,
    () => `Astana`,
    // The made-up words at the end of the articles' texts: as written, with a letter wrong, and
    // in Latin letters.
    () => madeUpWord(Number(n(50_000, 1)), 'cyrillic'),
    () => typo(madeUpWord(Number(n(50_000, 1)), 'cyrillic')),
    () => madeUpWord(Number(n(50_000, 1)), 'latin'),
  ];
  return Array.from({ length: 10 }, () => kinds.map((make) => make())).flat();
}

/** The search texts, escaped for a JSON string: the load client puts them where SLUG stands. */
export const SEARCH_TEXTS = searchTexts().map((text) => JSON.stringify(text).slice(1, -1));

/** Stands for the forum slug (or search text) in request templates; the load client fills it in per request. */
export const SLUG = '%SLUG%';

/**
 * One request, with SLUG where the forum slug goes (slugs are [a-z0-9-], safe in JSON and URLs; search
 * texts go in POST bodies only, escaped for JSON).
 */
export interface RequestTemplate {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/*
 * An explicit Accept: by default fetch (used to verify and count) accepts any type and autocannon
 * sends no Accept at all, so a response cache keyed by Accept would take the load for new requests.
 */
const COMMON_HEADERS = { accept: 'application/json', 'accept-language': ACCEPT_LANGUAGE };

export function graphqlTemplate(operation: ServerOperation): RequestTemplate {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { ...COMMON_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ query: GRAPHQL_QUERIES[operation], variables: { slug: SLUG } }),
  };
}

export function baselineTemplate(operation: Operation): RequestTemplate {
  return { method: 'GET', path: `/${operation}?slug=${SLUG}`, headers: COMMON_HEADERS };
}

export function fillTemplate(template: RequestTemplate, slug: string): RequestTemplate {
  // A function, so that `$` in a value is never a replacement pattern.
  return { ...template, path: template.path.replace(SLUG, () => slug), body: template.body?.replace(SLUG, () => slug) };
}

/**
 * What every successful body starts with, on both sides (PostgreSQL's json text has spaces
 * around colons, Apollo's has none); `errors`, or a null forum, is a failure. Only the start is
 * checked under load: parsing 25 KB per response would make the load client the bottleneck.
 */
export const EXPECTED_START = /^\{\s*"data"\s*:\s*\{\s*"(forum|search)"\s*:\s*\{/;

/**
 * A small seeded generator (mulberry32), so that every run, and both sides of a round, ask for
 * the same sequence of forums.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
