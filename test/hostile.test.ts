import { seed } from '../src/db/seed';
import { startHarness, type Harness } from './helpers/harness';

/**
 * Anyone can send the API anything. Over a thousand generated hostile requests must each get a
 * coded answer below 500 and leave the database exactly as it was.
 */
const TABLES = [
  'forum',
  'session',
  'session_participant',
  'speaker',
  'country',
  'ministry',
  'article',
  'quote',
  'initiative',
  'app_user',
  'audit_entry',
];

describe('hostile input', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Row counts and an md5 over every row of the main tables: any write shows. */
  async function fingerprint(): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const table of TABLES) {
      const [row] = await h.orm.em
        .getConnection()
        .execute(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f from "${table}" t`);
      result[table] = row.f;
    }
    return result;
  }

  const STRINGS = [
    "'; drop table speaker; --",
    '" or 1=1 --',
    '<script>alert(1)</script>',
    '\u0000\u0001\u0002',
    'ё'.repeat(5000),
    'x'.repeat(100_000),
    '../../etc/passwd',
    '${7*7}{{7*7}}',
    '%s%n%x',
    '🙂'.repeat(300),
    '',
    ' ',
  ];
  const IDS = [
    '!!',
    'Rm9ydW06MA',
    'Rm9ydW06OTk5OTk5OTk5OTk5',
    Buffer.from('Session:-1').toString('base64url'),
    'null',
    '0',
    'a'.repeat(500),
  ];
  const NUMBERS = [-1, 0, 101, 1e9, 2 ** 31, -(2 ** 31) - 1, 3.5];

  function* requests(): Generator<{ body: unknown; headers?: Record<string, string>; raw?: string; method?: string; query?: string }> {
    // Malformed bodies and content types.
    for (const raw of [
      '{',
      '[]',
      '[{"query":"{ countries { code } }"}]',
      'null',
      '"str"',
      '{"query": 1}',
      '{"query": null}',
      '{"variables": []}',
      '\u0000',
    ]) {
      yield { body: undefined, raw };
      yield { body: undefined, raw, headers: { 'content-type': 'text/plain' } };
    }
    // Huge and deeply nested documents, alias and directive floods.
    yield { body: { query: `{ ${'forums { nodes { '.repeat(60)}id${' } }'.repeat(60)} }` } };
    yield { body: { query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: countries { code }`).join(' ')} }` } };
    yield { body: { query: `{ countries ${'@include(if: true) '.repeat(500)} { code } }` } };
    yield { body: { query: `{ countries { code } } ${'#'.repeat(200_000)}` } };
    yield { body: { query: `query { ${'countries { ministries { country { ministries { country { code } } } } } '.repeat(3)} }` } };
    // Every string, id and number through many arguments, as variables and as literals.
    const stringArgs = [
      'query($v: String!) { forum(slug: $v) { id } }',
      'query($v: String!) { speaker(slug: $v) { id } }',
      'query($v: String!) { country(code: $v) { code } }',
      'query($v: String!) { article(slug: $v) { id } }',
      'query($v: String!) { articles(filter: { query: $v }) { totalCount } }',
      'query($v: String!) { search(query: $v) { totalCount } }',
      'query($v: String!) { speakers(filter: { search: $v }) { totalCount } }',
      'query($v: String!) { forums(after: $v) { totalCount } }',
      'query($v: String!) { forum(slug: "camf-2025") { sessions(filter: { room: $v, track: $v }) { totalCount } } }',
      'query($v: String!) { forum(slug: "camf-2025") { sessions(first: 1) { nodes { startsAtLocal(timeZone: $v) } } } }',
      'query($v: LocalDate) { forum(slug: "camf-2025") { sessions(filter: { day: $v }) { totalCount } } }',
      'query($v: DateTime) { nowAndNext(forumSlug: "camf-2025", at: $v) { at } }',
      'mutation($v: String!) { login(email: $v, password: $v) { accessToken } }',
      'mutation($v: String!) { recordArticleView(slug: $v) }',
    ];
    for (const query of stringArgs) for (const v of STRINGS) yield { body: { query, variables: { v } } };
    const idArgs = [
      'query($v: ID!) { node(id: $v) { id } }',
      'query($v: ID) { articles(filter: { sessionId: $v }) { totalCount } }',
      'mutation($v: ID!) { cancelSession(input: { id: $v, expectedVersion: 1 }) { id } }',
    ];
    for (const query of idArgs) for (const v of [...IDS, ...STRINGS]) yield { body: { query, variables: { v } } };
    const numberArgs = [
      'query($v: Int) { forums(first: $v) { totalCount } }',
      'query($v: Int!) { agendaChanges(forumSlug: "camf-2025", sinceVersion: $v) { version } }',
      'query($v: Int) { popularArticles(first: $v) { views } }',
      'query($v: Int) { search(query: "форум", first: $v) { totalCount } }',
    ];
    for (const query of numberArgs)
      for (const v of [...NUMBERS, 'ten', null, true, [1], { a: 1 }]) yield { body: { query, variables: { v } } };
    // Wrong variable types, unknown fields, mutations over GET, missing operations.
    for (const v of [1, true, null, [], {}, 'x'.repeat(10)])
      yield { body: { query: 'query($v: [String!]!) { countries { code } }', variables: { v } } };
    for (const field of ['password', 'passwordHash', 'secretHash', '__typename { x }', 'email', 'internalNotes']) {
      yield { body: { query: `{ speaker(slug: "aida-balaeva") { ${field} } }` } };
    }
    for (const query of [
      'mutation { recordArticleView(slug: "x") }',
      'mutation { deleteSpeaker(input: { id: "x", expectedVersion: 1 }) { id } }',
    ]) {
      yield { body: undefined, method: 'GET', query };
    }
    yield { body: { query: 'query A { countries { code } } query B { forums { totalCount } }' } };
    yield { body: { query: '{ countries { code } }', operationName: 'Nope' } };
    // Every mutation without credentials, and with forged ones.
    for (const authorization of [
      undefined,
      'Bearer x',
      'Bearer fpt_' + 'a'.repeat(43),
      'Basic Zm9vOmJhcg==',
      'Bearer ' + 'e'.repeat(5000),
    ]) {
      for (const query of [
        'mutation { createUser(input: { email: "a@b.c", password: "long enough password", role: ADMIN }) { email } }',
        'mutation { deleteForum(input: { id: "Rm9ydW06MQ" }) }',
        'mutation { importSpeakers(input: { forumSlug: "camf-2025", rows: [{ fullName: { ru: "X" } }], dryRun: false }) { applied } }',
      ]) {
        yield { body: { query }, headers: authorization ? { authorization } : {} };
      }
    }
  }

  it('answers every request with a coded error below 500 and writes nothing', async () => {
    const before = await fingerprint();
    let sent = 0;
    const failures: string[] = [];
    const all = [...requests()];
    // Each generated request is sent four times, with different language headers, to pass a thousand.
    for (const language of ['ru', 'kk, en;q=0.5', '*;q=0, xx', 'en']) {
      for (const r of all) {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'accept-language': language,
          'apollo-require-preflight': 'true',
          ...(r.headers ?? {}),
        };
        const url = r.method === 'GET' ? `${h.url}/graphql?${new URLSearchParams({ query: r.query! })}` : `${h.url}/graphql`;
        const response = await fetch(url, {
          method: r.method ?? 'POST',
          headers,
          body: r.method === 'GET' ? undefined : (r.raw ?? JSON.stringify(r.body)),
        });
        sent += 1;
        const text = await response.text();
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const label = `${response.status} ${JSON.stringify(r.body ?? r.raw ?? r.query).slice(0, 120)}`;
        if (response.status >= 500) failures.push(`5xx: ${label}`);
        if (!body) failures.push(`not JSON: ${label}`);
        for (const error of body?.errors ?? []) {
          if (typeof error?.extensions?.code !== 'string') failures.push(`uncoded error: ${label} ${JSON.stringify(error).slice(0, 200)}`);
          if (/select |insert |update |delete from|at .*\.ts:\d+|node_modules/i.test(JSON.stringify(error)))
            failures.push(`leak: ${label}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(await fingerprint()).toEqual(before);
  }, 120_000);
});
