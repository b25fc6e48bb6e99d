import { Client } from 'pg';
import pino from 'pino';
import { ArticleStatus } from '../src/article/article.entity';
import { Role } from '../src/auth/user.entity';
import { LISTENER_APPLICATION_NAME } from '../src/response-cache';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

type LogLine = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
  /** SQL statements the server sent while answering. */
  statements: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The in-process response cache in front of Apollo, over real HTTP and PostgreSQL. */
describe('response cache', () => {
  let h: Harness;
  let sql: Client;
  const lines: LogLine[] = [];

  const AGENDA = '{ forum(slug: "camf") { id title sessions(first: 5) { nodes { id version title } } } }';
  const ARTICLES = '{ articles(first: 10) { nodes { id slug title viewCount } } }';

  beforeAll(async () => {
    const logger = pino({ level: 'debug', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    h = await startHarness({ env: { RESPONSE_CACHE_MB: '8' }, logger });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
    const aida = make.speaker(em, 'aida', kz);
    aida.email = 'aida@example.org';
    const { forum } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida] });
    make.article(em, 'opening', '2025-04-16T10:00:00Z', { forums: [forum] });
    await em.flush();
    // A connection of its own, as another server process or an operator would have.
    sql = new Client({ connectionString: h.databaseUrl });
    await sql.connect();
    await settle();
  });

  afterAll(async () => {
    await sql?.end();
    await h?.close();
  });

  /** Lets notifications of earlier writes arrive, and the lookups they cause finish. */
  async function settle(): Promise<void> {
    await sleep(150);
  }

  async function ask(query: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'POST'): Promise<Answer> {
    const request =
      method === 'POST'
        ? fetch(`${h.url}/graphql`, {
            method,
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query }),
          })
        : fetch(`${h.url}/graphql?${new URLSearchParams({ query })}`, { headers });
    const { result, statements } = await h.countStatements(async () => {
      const response = await request;
      return { response, text: await response.text() };
    });
    const { response, text } = result;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, headers: response.headers, text, body, statements };
  }

  /** Asks until `done` holds, for up to `ms`: the last answer. */
  async function askUntil(query: string, done: (a: Answer) => boolean, ms = 2000, headers: Record<string, string> = {}): Promise<Answer> {
    const until = Date.now() + ms;
    let answer = await ask(query, headers);
    while (!done(answer) && Date.now() < until) {
      await sleep(20);
      answer = await ask(query, headers);
    }
    return answer;
  }

  const cacheOf = (a: Answer) => a.headers.get('x-cache');
  const forumTitle = (a: Answer) => a.body.data.forum.title as string;

  async function requestLine(id: string): Promise<LogLine> {
    for (let i = 0; i < 50; i += 1) {
      const line = lines.find((l) => l.requestId === id && l.msg === 'request');
      if (line) return line;
      await sleep(10);
    }
    throw new Error(`no request log line for ${id}`);
  }

  it('answers a repeated public query from memory: the same bytes and headers, no SQL, one entry per language', async () => {
    const miss = await ask(AGENDA, { 'accept-language': 'en' });
    expect(miss.status).toBe(200);
    expect(cacheOf(miss)).toBe('MISS');
    expect(miss.statements).toBeGreaterThan(0);
    expect(forumTitle(miss)).toBe('Forum camf');

    const hit = await ask(AGENDA, { 'accept-language': 'en' });
    expect(cacheOf(hit)).toBe('HIT');
    expect(hit.statements).toBe(0);
    expect(hit.text).toBe(miss.text);
    for (const header of ['content-type', 'cache-control', 'vary', 'etag']) expect(hit.headers.get(header)).toBe(miss.headers.get(header));
    expect(hit.headers.get('cache-control')).toBe('public, max-age=60');
    expect(Number(hit.headers.get('age'))).toBeLessThanOrEqual(1);
    expect(hit.headers.get('x-request-id')).not.toBe(miss.headers.get('x-request-id'));

    const missLine = await requestLine(miss.headers.get('x-request-id')!);
    const hitLine = await requestLine(hit.headers.get('x-request-id')!);
    expect(missLine).toMatchObject({ cache: 'miss', status: 200, outcome: 'ok' });
    expect(missLine.sqlStatements).toBeGreaterThan(0);
    expect(hitLine).toMatchObject({ cache: 'hit', status: 200, outcome: 'ok', sqlStatements: 0 });

    const russian = await ask(AGENDA, { 'accept-language': 'ru' });
    expect(cacheOf(russian)).toBe('MISS');
    expect(forumTitle(russian)).toBe('Форум camf');
    const russianAgain = await ask(AGENDA, { 'accept-language': 'ru' });
    expect(cacheOf(russianAgain)).toBe('HIT');
    expect(forumTitle(russianAgain)).toBe('Форум camf');
    expect(forumTitle(await ask(AGENDA, { 'accept-language': 'en' }))).toBe('Forum camf');
  });

  it('answers If-None-Match on a GET from memory with 304, as Apollo would', async () => {
    const headers = { 'accept-language': 'en', 'apollo-require-preflight': 'true' };
    const first = await ask(AGENDA, headers, 'GET');
    expect(first.status).toBe(200);
    // fetch would add `cache-control: no-cache` to a conditional request, which forbids a 304.
    const conditional = await ask(AGENDA, { ...headers, 'if-none-match': first.headers.get('etag')!, 'cache-control': 'max-age=0' }, 'GET');
    expect(conditional.status).toBe(304);
    expect(cacheOf(conditional)).toBe('HIT');
    expect(conditional.statements).toBe(0);
  });

  it('shows the change of a mutation answered by this process at once: its answer waits until the cache has seen the commit', async () => {
    const admin = await h.signIn(Role.ADMIN);
    const editor = await h.signIn(Role.EDITOR);
    await settle();
    const before = await ask(AGENDA);
    await ask(ARTICLES);
    expect(cacheOf(await ask(AGENDA))).toBe('HIT');
    expect(cacheOf(await ask(ARTICLES))).toBe('HIT');
    const forum = before.body.data.forum;
    const [session] = forum.sessions.nodes;

    /** Sends a mutation; the index in the log of the first line written after it was sent, and its request id. */
    const mutate = async (query: string, variables: Record<string, unknown>, authorization: string) => {
      const from = lines.length;
      const response = await fetch(`${h.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query, variables }),
      });
      expect(response.headers.get('x-cache')).toBe('BYPASS');
      const result = (await response.json()) as any;
      expect(result.errors).toBeUndefined();
      return { from, id: response.headers.get('x-request-id')! };
    };
    /** The cache dropped entries on the mutation's notification before the mutation's answer went out. */
    const clearedBeforeAnswer = async ({ from, id }: { from: number; id: string }) => {
      const answered = lines.indexOf(await requestLine(id));
      const cleared = lines.findIndex((l, i) => i >= from && l.msg === 'response cache entries cleared');
      expect(cleared).toBeGreaterThanOrEqual(from);
      expect(cleared).toBeLessThan(answered);
    };

    await clearedBeforeAnswer(
      await mutate(
        'mutation($input: UpdateForumInput!) { updateForum(input: $input) { title } }',
        { input: { id: forum.id, title: { en: 'Renamed forum' } } },
        admin,
      ),
    );
    const afterForum = await ask(AGENDA);
    expect(cacheOf(afterForum)).toBe('MISS');
    expect(forumTitle(afterForum)).toBe('Renamed forum');

    await clearedBeforeAnswer(
      await mutate(
        'mutation($input: UpdateSessionInput!) { updateSession(input: $input) { title } }',
        { input: { id: session.id, expectedVersion: session.version, title: { en: 'Renamed session' } } },
        admin,
      ),
    );
    expect((await ask(AGENDA)).body.data.forum.sessions.nodes[0].title).toBe('Renamed session');

    const [article] = (await ask(ARTICLES)).body.data.articles.nodes;
    await clearedBeforeAnswer(
      await mutate(
        'mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { title } }',
        { input: { id: article.id, title: { en: 'Renamed article' } } },
        editor,
      ),
    );
    expect((await ask(ARTICLES)).body.data.articles.nodes[0].title).toBe('Renamed article');
  });

  it("drops what another process's write made stale (NOTIFY at commit), and nothing when an article's views are counted", async () => {
    await settle();
    await ask(AGENDA);
    await ask(ARTICLES);
    const cached = await ask(ARTICLES);
    expect(cacheOf(cached)).toBe('HIT');
    expect(cacheOf(await ask(AGENDA))).toBe('HIT');

    // Views as another process's recordArticleView counts them, and as this one does.
    await sql.query(
      "with d as (insert into article_view_day (article_id, day, views) select id, current_date, 1 from article where slug = 'opening'" +
        ' on conflict (article_id, day) do update set views = article_view_day.views + 1)' +
        " update article set view_count = view_count + 1 where slug = 'opening'",
    );
    const view = await h.post({ query: 'mutation { recordArticleView(slug: "opening") }' });
    expect(view.body.errors).toBeUndefined();
    await settle();
    const afterViews = await ask(ARTICLES);
    expect(cacheOf(afterViews)).toBe('HIT');
    expect(afterViews.text).toBe(cached.text);

    await sql.query(`update forum set title = jsonb_set(title, '{en}', '"Written elsewhere"') where slug = 'camf'`);
    const changed = await askUntil(AGENDA, (a) => forumTitle(a) === 'Written elsewhere');
    expect(forumTitle(changed)).toBe('Written elsewhere');
    // Only what read the forum went.
    const articles = await ask(ARTICLES);
    expect(cacheOf(articles)).toBe('HIT');
    expect(articles.text).toBe(cached.text);
  });

  it('shows an embargoed article once its time has come, without any write', async () => {
    const em = h.orm.em.fork();
    const publishedAt = new Date(Date.now() + 1500);
    const embargoed = make.article(em, 'embargoed', publishedAt.toISOString());
    embargoed.status = ArticleStatus.SCHEDULED;
    await em.flush();
    await settle();

    const slugs = (a: Answer) => a.body.data.articles.nodes.map((n: { slug: string }) => n.slug);
    await ask(ARTICLES);
    const before = await ask(ARTICLES);
    expect(cacheOf(before)).toBe('HIT');
    expect(slugs(before)).not.toContain('embargoed');

    const after = await askUntil(ARTICLES, (a) => slugs(a).includes('embargoed'), 4000);
    expect(slugs(after)).toContain('embargoed');
    expect(Date.now()).toBeGreaterThanOrEqual(publishedAt.getTime());
  });

  it('neither serves nor keeps answers to requests with credentials', async () => {
    const organiser = await h.signIn(Role.ORGANISER, ['camf']);
    await settle();
    await ask(AGENDA);
    expect(cacheOf(await ask(AGENDA))).toBe('HIT');
    const credentialed = await ask(AGENDA, { authorization: organiser });
    expect(cacheOf(credentialed)).toBe('BYPASS');
    expect(credentialed.statements).toBeGreaterThan(0);
    expect(credentialed.headers.get('cache-control')).toBe('no-store');

    // Organisers see speakers' private fields: never to be served to anyone else.
    const PRIVATE = '{ speaker(slug: "aida") { slug email } }';
    for (let i = 0; i < 2; i += 1) {
      const own = await ask(PRIVATE, { authorization: organiser });
      expect(cacheOf(own)).toBe('BYPASS');
      expect(own.body.data.speaker.email).toBe('aida@example.org');
    }
    const anonymous = await ask(PRIVATE);
    expect(cacheOf(anonymous)).toBe('MISS');
    expect(anonymous.body.data.speaker.email).toBeNull();

    const forged = await ask(AGENDA, { authorization: 'Bearer forged' });
    expect(forged.status).toBe(401);
    expect(cacheOf(forged)).toBe('BYPASS');
  });

  it('keeps neither errors nor mutations', async () => {
    const BROKEN = '{ node(id: "!!") { id } }';
    for (let i = 0; i < 2; i += 1) {
      const error = await ask(BROKEN);
      expect(error.body.errors).toBeDefined();
      expect(cacheOf(error)).toBe('MISS');
    }
    const counts: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const mutation = await ask('mutation { recordArticleView(slug: "opening") }');
      expect(cacheOf(mutation)).toBe('MISS');
      expect(mutation.statements).toBeGreaterThan(0);
      counts.push(mutation.body.data.recordArticleView);
    }
    expect(counts[1]).toBe(counts[0] + 1);
  });

  it('still refuses a GET without a preflight header when the same query is cached', async () => {
    const QUERY = '{ countries { code } }';
    await ask(QUERY);
    expect(cacheOf(await ask(QUERY))).toBe('HIT');
    const preflighted = { 'apollo-require-preflight': 'true' };
    expect(cacheOf(await ask(QUERY, preflighted, 'GET'))).toBe('MISS');
    const hit = await ask(QUERY, preflighted, 'GET');
    expect(cacheOf(hit)).toBe('HIT');
    expect(hit.body).toEqual({ data: { countries: [{ code: 'KZ' }] } });

    for (const headers of [{}, { 'apollo-require-preflight': '' }, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const refused = await ask(QUERY, headers, 'GET');
      expect(refused.status).toBe(400);
      expect(refused.text).toMatch(/Cross-Site Request Forgery/);
    }
  });

  it('bypasses the cache while its listening connection is down, and uses it again once reconnected', async () => {
    await settle();
    await ask(AGENDA);
    expect(cacheOf(await ask(AGENDA))).toBe('HIT');
    const { rows } = await sql.query(
      'select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1 and datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    expect(rows).toEqual([{ terminated: true }]);

    const bypassed = await askUntil(AGENDA, (a) => cacheOf(a) === 'BYPASS', 1000);
    expect(cacheOf(bypassed)).toBe('BYPASS');
    expect(bypassed.statements).toBeGreaterThan(0);
    expect(forumTitle(bypassed)).toBe('Written elsewhere');

    const back = await askUntil(AGENDA, (a) => cacheOf(a) === 'HIT', 5000);
    expect(cacheOf(back)).toBe('HIT');
    expect(back.statements).toBe(0);
    const { rows: listening } = await sql.query(
      'select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    expect(listening).toEqual([{ n: 1 }]);
  });
});

describe('response cache turned off (RESPONSE_CACHE_MB=0)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { RESPONSE_CACHE_MB: '0' } });
    const em = h.orm.em.fork();
    make.country(em, 'KZ');
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('runs every request, and listens for nothing', async () => {
    for (let i = 0; i < 3; i += 1) {
      const { result: response, statements } = await h.countStatements(() => h.post({ query: '{ countries { code } }' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(response.headers.get('x-cache')).toBeNull();
      expect(statements).toBeGreaterThan(0);
    }
    const listeners = await h.orm.em
      .getConnection()
      .execute('select count(*)::int as n from pg_stat_activity where application_name = ? and datname = current_database()', [
        LISTENER_APPLICATION_NAME,
      ]);
    expect(listeners).toEqual([{ n: 0 }]);
  });
});
