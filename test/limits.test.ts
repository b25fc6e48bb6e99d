import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** Limits on what one operation may ask for (src/limits.ts), with the default settings. */
describe('query limits', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { ru: 'Казахстан', en: 'Kazakhstan', kk: 'Қазақстан' });
    const speakers = [make.speaker(em, 'aida-balaeva', kz), make.speaker(em, 'hans', make.country(em, 'DE'))];
    const { forum } = make.forumWithAgenda(em, { slug: 'camf-2025', host: kz, sessions: 40, speakers });
    for (let i = 0; i < 5; i += 1) make.article(em, `story-${i}`, '2025-04-16T08:00:00Z', { forums: [forum], speakers, countries: [kz] });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  /** POSTs over HTTP and counts the SQL statements the request caused. */
  async function refused(body: { query: string; variables?: Record<string, unknown> }) {
    const { result, statements } = await h.countStatements(() => h.post(body));
    expect(statements).toBe(0);
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toHaveLength(1);
    return result.body.errors[0] as { message: string; extensions: Record<string, unknown> };
  }

  it('refuses a query nested deeper than 12 levels', async () => {
    // countries → forums → countries → ...: 13 levels with the leaf.
    const query = `{ ${'countries { forums { '.repeat(6)}slug${' } }'.repeat(6)} }`;
    expect(await refused({ query })).toEqual({
      message: 'Query is nested 13 levels deep; the limit is 12',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, actual: 13 },
    });
  });

  it('counts depth through fragments', async () => {
    // countries, then 5 × (forums, countries), forums, slug: 13 levels.
    const query = `{ countries { ...F } } fragment F on Country { ${'forums { countries { '.repeat(5)}forums { slug }${' } }'.repeat(5)} }`;
    expect((await refused({ query })).extensions).toMatchObject({ limit: 'depth', actual: 13 });
  });

  it('refuses more than 30 aliases', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: countries { code }`).join(' ')} }`;
    expect(await refused({ query })).toEqual({
      message: 'Query uses 31 aliases; the limit is 30',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 },
    });
  });

  it('counts aliases in a fragment once per spread, without expanding fragments exponentially', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^20 copies of one alias.
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `{ ...F0 } ${fragments} fragment F20 on Query { c: countries { code } }`;
    const started = Date.now();
    expect((await refused({ query })).extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 2 ** 20 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses more than 20 directives', async () => {
    const query = `{ countries { ${'...C @include(if: true) '.repeat(21)} } } fragment C on Country { code }`;
    expect(await refused({ query })).toEqual({
      message: 'Query uses 21 directives; the limit is 20',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 20, actual: 21 },
    });
  });

  const NESTED = `query($n: Int!) { forums(first: $n) { nodes { slug sessions(first: $n) { nodes { slug articles(first: $n) { nodes { slug title } } } } } } }`;

  it('reads first from variables: three nested pages of 100 are refused before any SQL', async () => {
    const error = await refused({ query: NESTED, variables: { n: 100 } });
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50_000 });
    expect(error.extensions.actual).toBeGreaterThan(1_000_000);
    expect(error.message).toMatch(/^Query is too expensive: estimated cost \d+, limit 50000\./);
  });

  it('lets the same query through with pages of 5', async () => {
    const response = await h.post({ query: NESTED, variables: { n: 5 } });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.forums.nodes).toEqual([{ slug: 'camf-2025', sessions: { nodes: expect.any(Array) } }]);
    expect(response.body.data.forums.nodes[0].sessions.nodes).toHaveLength(5);
  });

  it('counts a literal first like a variable, and the schema default when first is left out', async () => {
    const literal = NESTED.replace('query($n: Int!)', '').replaceAll('$n', '100');
    expect((await refused({ query: literal })).extensions).toMatchObject({ limit: 'cost' });
    // The schema's default page of 20 at three levels costs about 20 × 20 × 20 × 3: within the limit.
    const defaults = NESTED.replace('query($n: Int!)', '').replaceAll('(first: $n)', '');
    const response = await h.post({ query: defaults });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.forums.nodes[0].sessions.nodes).toHaveLength(20);
  });

  it('keeps the cost of a query it has worked out by the values that can change it: a page size, not a text', async () => {
    const query = `query($n: Int!, $slug: String!) { forum(slug: $slug) { sessions(first: $n) { nodes { slug articles(first: $n) { nodes { slug } } } } } }`;
    // Two nested pages of 250 cost over the limit (50,000), of 5 within it, whatever the text.
    for (const slug of ['camf-2025', 'no-such-forum', 'camf-2025']) {
      expect((await refused({ query, variables: { n: 250, slug } })).extensions).toMatchObject({ limit: 'cost' });
      const response = await h.post({ query, variables: { n: 5, slug } });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.forum?.sessions.nodes.length ?? 0).toBe(slug === 'camf-2025' ? 5 : 0);
    }
    // An explicit null where the page size cannot be null is still refused every time.
    for (let i = 0; i < 2; i += 1) {
      const response = await h.post({ query: query.replace('$n: Int!', '$n: Int'), variables: { n: null, slug: 'camf-2025' } });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('leaves variables of the wrong type to GraphQL', async () => {
    const response = await h.post({ query: NESTED, variables: { n: 'many' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses batched operations (a JSON array body)', async () => {
    const { result, statements } = await h.countStatements(() =>
      h.post([{ query: '{ countries { code } }' }, { query: '{ forums { totalCount } }' }]),
    );
    expect(statements).toBe(0);
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).toMatch(/batching/i);
  });

  it("lets the test suite's real agenda and coverage queries through", async () => {
    const queries: [string, Record<string, unknown>][] = [
      // test/agenda-app.test.ts
      [
        `query($slug: String!) { forum(slug: $slug) { days { date sessions { title participants { role speaker { fullName country { code name } } } } } } }`,
        { slug: 'camf-2025' },
      ],
      // test/agenda.test.ts, with the largest page
      [
        `query Agenda($slug: String!, $first: Int) { forum(slug: $slug) { title sessions(first: $first) { totalCount edges { node {
          title startsAt startsAtLocal participants { role speaker { fullName country { code name } ministry { slug shortName } } } } } } } }`,
        { slug: 'camf-2025', first: 100 },
      ],
      // test/reading.test.ts
      [
        `query($slug: String!) { forum(slug: $slug) { articles(first: 20) { nodes { title lead publishedAt authorName
          speakers { fullName } countries { code name } } } } }`,
        { slug: 'camf-2025' },
      ],
    ];
    for (const [query, variables] of queries) {
      const response = await h.post({ query, variables });
      expect({ query, errors: response.body.errors }).toEqual({ query, errors: undefined });
      expect(response.status).toBe(200);
    }
  });

  it("lets the README's example queries through", async () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const curl = /-d '(\{"query":.*\})'/.exec(readme)![1];
    const queries = [JSON.parse(curl).query as string];
    for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      // One query per block: mutation lines and comments are left out.
      const query = block
        .split('\n')
        .filter((line) => !/^(mutation|#)/.test(line))
        .join('\n')
        .trim();
      if (query.startsWith('query')) queries.push(query);
    }
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const query of queries) {
      const response = await h.post({ query, variables: { since: 0 } }, { 'accept-language': 'en' });
      // Some need a signed-in organiser; none may be refused as too complex or invalid.
      const errors = (response.body.errors ?? []).filter((e: any) => !['UNAUTHENTICATED', 'FORBIDDEN'].includes(e.extensions.code));
      expect({ query, errors }).toEqual({ query, errors: [] });
    }
  });
});
