/*
 * The two measured operations, as the GraphQL server and the baseline are asked for them. Both
 * sides get the same forum slug in the same request slot and must answer with the same `data`.
 */

export type Operation = 'agenda' | 'coverage';
export const OPERATIONS: readonly Operation[] = ['agenda', 'coverage'];

/** A full agenda page, the size of a real forum's programme. */
export const AGENDA_SESSIONS = 40;
/** The default page of Forum.articles: what a press site's forum page shows. */
export const COVERAGE_ARTICLES = 20;

/** Sent by both sides' requests: the baseline's SQL localizes in this language's order too. */
export const ACCEPT_LANGUAGE = 'en';

export const GRAPHQL_QUERIES: Record<Operation, string> = {
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
};

/** Stands for the forum slug in request templates; the load client fills it in per request. */
export const SLUG = '%SLUG%';

/** One request, with SLUG where the forum slug goes (slugs are [a-z0-9-], safe in JSON and URLs). */
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

export function graphqlTemplate(operation: Operation): RequestTemplate {
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
  return { ...template, path: template.path.replace(SLUG, slug), body: template.body?.replace(SLUG, slug) };
}

/**
 * What every successful body starts with, on both sides (PostgreSQL's json text has spaces
 * around colons, Apollo's has none); `errors`, or a null forum, is a failure. Only the start is
 * checked under load: parsing 25 KB per response would make the load client the bottleneck.
 */
export const EXPECTED_START = /^\{\s*"data"\s*:\s*\{\s*"forum"\s*:\s*\{/;

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
