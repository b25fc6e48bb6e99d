import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * Each query limit (src/limits.ts, and Apollo's token limit) at exactly its maximum, which runs,
 * and one over, which is refused before any SQL with the limit's name and the measured value.
 * The limits are set small so that each boundary is a short query.
 */
describe('boundaries of the query limits', () => {
  let h: Harness;
  const MAX = { depth: 4, aliases: 3, directives: 2, cost: 30, listSize: 4, tokens: 100 };
  const ENV = {
    GRAPHQL_MAX_DEPTH: String(MAX.depth),
    GRAPHQL_MAX_ALIASES: String(MAX.aliases),
    GRAPHQL_MAX_DIRECTIVES: String(MAX.directives),
    GRAPHQL_MAX_COST: String(MAX.cost),
    GRAPHQL_LIST_SIZE: String(MAX.listSize),
  };

  beforeAll(async () => {
    h = await startHarness({ env: ENV });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 3, speakers: [make.speaker(em, 'aida', kz)] });
    await em.flush();
  });

  afterAll(async () => {
    for (const app of apps) await app.apollo.stop();
    await h?.close();
  });

  type Post = (body: { query: string; variables?: Record<string, unknown> }) => Promise<{ status: number; body: any }>;
  const apps: App[] = [];

  /** Another app on the test database, with these settings; how to post to it. */
  async function startApp(config: Config): Promise<Post> {
    const app = await createApp(h.orm, config);
    apps.push(app);
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
    return async (body) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };
  }

  /** Runs: HTTP 200, data, no error. */
  async function runs(query: string, variables?: Record<string, unknown>, post: Post = (body) => h.post(body)) {
    const response = await post({ query, variables });
    expect({ query, errors: response.body.errors }).toEqual({ query, errors: undefined });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(expect.any(Object));
    return response.body.data;
  }

  /** Refused before anything runs: HTTP 400, QUERY_TOO_COMPLEX, no SQL. */
  async function refused(query: string, variables?: Record<string, unknown>, post: Post = (body) => h.post(body)) {
    const { result, statements } = await h.countStatements(() => post({ query, variables }));
    expect(statements).toBe(0);
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    return result.body.errors[0] as { message: string; extensions: Record<string, unknown> };
  }

  describe('depth', () => {
    // forums, nodes, sessions, totalCount: 4 levels; `nodes { slug }` instead of totalCount: 5.
    const AT_MAX = '{ forums(first: 1) { nodes { sessions(first: 1) { totalCount } } } }';
    const OVER = '{ forums(first: 1) { nodes { sessions(first: 1) { nodes { slug } } } } }';

    it('runs a query exactly as deep as the limit and refuses one level more', async () => {
      expect((await runs(AT_MAX)).forums.nodes).toEqual([{ sessions: { totalCount: 3 } }]);
      expect(await refused(OVER)).toEqual({
        message: `Query is nested 5 levels deep; the limit is ${MAX.depth}`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: MAX.depth, actual: 5 },
      });
    });

    it('counts the levels inside named and inline fragments, and the deepest of sibling fields', async () => {
      const named = (inner: string) =>
        `{ forums(first: 1) { ...F } } fragment F on ForumConnection { nodes { sessions(first: 1) { ${inner} } } }`;
      await runs(named('totalCount'));
      expect((await refused(named('nodes { slug }'))).extensions).toMatchObject({ limit: 'depth', actual: 5 });

      const inline = (inner: string) => `{ forums(first: 1) { ... on ForumConnection { nodes { sessions(first: 1) { ${inner} } } } } }`;
      await runs(inline('totalCount'));
      expect((await refused(inline('nodes { slug }'))).extensions).toMatchObject({ limit: 'depth', actual: 5 });

      // The same fragment spread twice is measured once and counts the same both times.
      const twice = (inner: string) =>
        `{ a: forums(first: 1) { ...F } b: forums(first: 1) { ...F } } fragment F on ForumConnection { nodes { sessions(first: 1) { ${inner} } } }`;
      await runs(twice('totalCount'));
      expect((await refused(twice('nodes { slug }'))).extensions).toMatchObject({ limit: 'depth', actual: 5 });

      // A shallow field after a deep one does not hide the depth of the first.
      expect(
        (await refused(`{ forums(first: 1) { nodes { sessions(first: 1) { nodes { slug } } } } __typename }`)).extensions,
      ).toMatchObject({ actual: 5 });
    });

    it('leaves introspection to graphql-js, which bounds it itself', async () => {
      const schema = await runs('{ __schema { queryType { fields { type { ofType { name } } } } } }');
      expect(schema.__schema.queryType.fields.length).toBeGreaterThan(10);
      const type = await runs('{ __type(name: "Forum") { fields { type { ofType { ofType { name } } } } } }');
      expect(type.__type.fields.length).toBeGreaterThan(10);
    });
  });

  describe('aliases', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: countries { code }`).join(' ')} }`;

    it('runs a query with exactly as many aliases as the limit and refuses one more', async () => {
      expect(await runs(aliased(3))).toEqual({ a0: [{ code: 'KZ' }], a1: [{ code: 'KZ' }], a2: [{ code: 'KZ' }] });
      expect(await refused(aliased(4))).toEqual({
        message: `Query uses 4 aliases; the limit is ${MAX.aliases}`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: MAX.aliases, actual: 4 },
      });
    });

    it('counts aliases inside fields, inline fragments, and named fragments once per spread', async () => {
      await runs('{ countries { a: code b: code } c: __typename }');
      expect((await refused('{ countries { a: code b: code } c: __typename d: __typename }')).extensions).toMatchObject({
        limit: 'aliases',
        actual: 4,
      });
      expect((await refused('{ ... on Query { a: __typename b: __typename } countries { c: code d: code } }')).extensions).toMatchObject({
        actual: 4,
      });
      await runs('{ ...F } fragment F on Query { a: __typename b: __typename }');
      expect(
        (
          await refused(
            '{ ...F countries { ...G } } fragment F on Query { a: __typename b: __typename } fragment G on Country { c: code d: code }',
          )
        ).extensions,
      ).toMatchObject({ actual: 4 });
      expect((await refused('{ ...F ...F } fragment F on Query { a: __typename b: __typename }')).extensions).toMatchObject({ actual: 4 });
    });
  });

  describe('directives', () => {
    it('runs a query with exactly as many directives as the limit and refuses one more', async () => {
      expect(await runs('{ countries @include(if: true) { code @skip(if: false) } }')).toEqual({ countries: [{ code: 'KZ' }] });
      expect(await refused('{ countries @include(if: true) { code @skip(if: false) name @include(if: true) } }')).toEqual({
        message: `Query uses 3 directives; the limit is ${MAX.directives}`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: MAX.directives, actual: 3 },
      });
    });

    it('counts directives on fragment spreads, on inline fragments, and inside fragments once per spread', async () => {
      await runs('{ ...F @include(if: true) ... @skip(if: false) { __typename } } fragment F on Query { __typename }');
      expect(
        (
          await refused(
            '{ ...F @include(if: true) ... @skip(if: false) { __typename } } fragment F on Query { __typename @include(if: true) }',
          )
        ).extensions,
      ).toMatchObject({
        limit: 'directives',
        actual: 3,
      });
      await runs('{ ...F } fragment F on Query { __typename @include(if: true) countries @skip(if: false) { code } }');
      expect(
        (
          await refused(
            '{ ...F ...G } fragment F on Query { __typename @include(if: true) } fragment G on Query { ...F countries @skip(if: false) { code } }',
          )
        ).extensions,
      ).toMatchObject({ actual: 3 });
    });
  });

  describe('estimated cost', () => {
    // 1 for forums, plus `first` times 1 for totalCount.
    const PAGE = 'query($n: Int!) { forums(first: $n) { totalCount } }';

    it('runs a query costing exactly the limit and refuses one costing one more, with first from a variable or literal', async () => {
      expect(await runs(PAGE, { n: 29 })).toEqual({ forums: { totalCount: 1 } });
      expect(await refused(PAGE, { n: 30 })).toEqual({
        message: `Query is too expensive: estimated cost 31, limit ${MAX.cost}. Ask for smaller pages (first) or fewer nested lists.`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: MAX.cost, actual: 31 },
      });
      await runs('{ forums(first: 29) { totalCount } }');
      expect((await refused('{ forums(first: 30) { totalCount } }')).extensions).toMatchObject({ limit: 'cost', actual: 31 });
    });

    it("counts a page's nodes and edges once per item, lists without first as GRAPHQL_LIST_SIZE items, and every root field", async () => {
      // An app of its own: an app learns which types wrap a page at its first costed request, and
      // a mutation test run (npm run mutation) credits that to the test that sent it.
      const post = await startApp(h.config);
      // nodes: 1 + 1 × (slug + title) = 3 per item; forums: 1 + 9 × 3 = 28, then 1 + 10 × 3 = 31.
      await runs('{ forums(first: 9) { nodes { slug title } } }', undefined, post);
      expect((await refused('{ forums(first: 10) { nodes { slug title } } }', undefined, post)).extensions).toMatchObject({ actual: 31 });
      // edges: 1 + 1 × (cursor + node { slug }) = 4 per item.
      await runs('{ forums(first: 7) { edges { cursor node { slug } } } }', undefined, post);
      expect((await refused('{ forums(first: 8) { edges { cursor node { slug } } } }', undefined, post)).extensions).toMatchObject({
        actual: 1 + 8 * 4,
      });
      // countries: a list without first, assumed to hold 4: 1 + 4 × (code + name) = 9; forums without first: its default page of 20.
      expect(await runs('{ countries { code name } forums { totalCount } }', undefined, post)).toEqual({
        countries: [{ code: 'KZ', name: 'Казахстан' }],
        forums: { totalCount: 1 },
      });
      expect((await refused('{ countries { code name } forums { totalCount } __typename }', undefined, post)).extensions).toMatchObject({
        limit: 'cost',
        actual: 9 + 21 + 1,
      });
      // Nested lists multiply: countries (4) × forums of a country (4) × 2 fields.
      await runs('{ countries { forums { slug } } }', undefined, post);
      expect((await refused('{ countries { forums { slug title } } }', undefined, post)).extensions).toMatchObject({
        actual: 1 + 4 * (1 + 4 * 2),
      });
      // A search's hits are its page: 1 + 3 × (1 + 1 × (kind + rank)) = 10 per search.
      const searches = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `s${i}: search(query: "forum", first: 3) { hits { kind rank } }`).join(' ')} }`;
      await runs(searches(3), undefined, post);
      expect((await refused(searches(4).replace('s0: ', ''), undefined, post)).extensions).toMatchObject({ actual: 40 });
    });

    it('does not let a negative first offset the cost of the rest of the query', async () => {
      const result = await refused('{ a: forums(first: -100) { totalCount } b: forums(first: 30) { totalCount } }');
      expect(result.extensions).toMatchObject({ limit: 'cost', actual: 1 + 31 });
    });

    it("costs only the operation that runs, not the document's other operations", async () => {
      const document = 'query Cheap { forums(first: 2) { totalCount } } query Dear { forums(first: 100) { totalCount } }';
      const cheap = await h.post({ query: document, operationName: 'Cheap' });
      expect(cheap.status).toBe(200);
      expect(cheap.body).toEqual({ data: { forums: { totalCount: 1 } } });
      const dear = await h.post({ query: document, operationName: 'Dear' });
      expect(dear.status).toBe(400);
      expect(dear.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', actual: 101 });
      // Without an operation name Apollo cannot pick one: its own error, not ours.
      const neither = await h.post({ query: document });
      expect(neither.status).toBe(400);
      expect(neither.body.errors[0].extensions.code).not.toBe('QUERY_TOO_COMPLEX');
    });

    it('refuses a query too large to count (over 10,000 fields with fragments expanded) without a number', async () => {
      // Each fragment spreads the next twice: 2^14 copies of __typename, within every other limit.
      const fragments = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
      const error = await refused(`{ ...F0 } ${fragments} fragment F14 on Query { __typename }`);
      expect(error).toEqual({
        message: `Query is too expensive: estimated cost too high to count, limit ${MAX.cost}. Ask for smaller pages (first) or fewer nested lists.`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: MAX.cost, actual: null },
      });
    });

    it('answers an explicit null for a paging argument with a default as BAD_USER_INPUT, not as a limit', async () => {
      // `first: Int! = 20` takes a nullable variable (the default covers an absent one), but not null.
      for (const query of [
        'query($n: Int) { forums(first: $n) { totalCount } }',
        'query($n: Int) { countries { articles(first: $n) { totalCount } } }',
      ]) {
        const response = await h.post({ query, variables: { n: null } });
        expect([response.status, response.body]).toEqual([
          400,
          { errors: [{ message: 'Argument "first" of non-null type "Int!" must not be null.', extensions: { code: 'BAD_USER_INPUT' } }] },
        ]);
      }
      // Left out, the default applies.
      expect(await runs('query($n: Int) { forums(first: $n) { totalCount } }', {})).toEqual({ forums: { totalCount: 1 } });
    });

    it('costs introspection nothing', async () => {
      // Counted like data, fields (4) × args (4) would cost 1 + 1 + 4 × (1 + 2 + 1 + 4 × 3) = 66.
      const { __type } = await runs('{ __type(name: "Query") { fields { name type { name } args { name type { name } } } } }');
      expect(__type.fields.length).toBeGreaterThan(10);
    });
  });

  describe('tokens (Apollo parseOptions.maxTokens)', () => {
    let tokensApp: App | undefined;
    let tokensUrl: string;

    beforeAll(async () => {
      // An app of its own: 100 tokens, the smallest GRAPHQL_MAX_TOKENS, would not fit the other tests' documents.
      tokensApp = await createApp(
        h.orm,
        loadConfig({ ...ENV, PUBLIC_BASE_URL: h.config.publicBaseUrl, RESPONSE_CACHE_MB: '0', GRAPHQL_MAX_TOKENS: String(MAX.tokens) }),
      );
      await new Promise<void>((resolve) => tokensApp!.httpServer.listen(0, '127.0.0.1', resolve));
      tokensUrl = `http://127.0.0.1:${(tokensApp.httpServer.address() as AddressInfo).port}/graphql`;
    });

    afterAll(async () => {
      await tokensApp?.apollo.stop();
    });

    async function post(query: string) {
      const response = await fetch(tokensUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: (await response.json()) as any };
    }

    // `{ __type ( name : "Query" ) { ` and ` } }` are 10 tokens; each `name` inside one more.
    const withTokens = (n: number) => `{ __type(name: "Query") { ${'name '.repeat(n - 10)}} }`;

    it('parses a document of exactly the maximum of tokens and refuses one more', async () => {
      expect(await post(withTokens(MAX.tokens))).toEqual({ status: 200, body: { data: { __type: { name: 'Query' } } } });
      const { result, statements } = await h.countStatements(() => post(withTokens(MAX.tokens + 1)));
      expect(statements).toBe(0);
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message: `Syntax Error: Document contains more that ${MAX.tokens} tokens. Parsing aborted.`,
          locations: [expect.any(Object)],
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ]);
    });
  });
});
