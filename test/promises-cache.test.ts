import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import pino from 'pino';
import { ArticleStatus } from '../src/article/article.entity';
import { createApp, type App } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { ormOptions } from '../src/db/mikro-orm.config';
import { LISTENER_APPLICATION_NAME } from '../src/response-cache';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

type LogLine = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  /** The body as sent. */
  text: string;
  body: any;
  /** When the answer had arrived (Date.now()). */
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done` holds, for up to `ms`: whether it does. */
async function until(done: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await sleep(10);
  return done();
}

/** One connection through a Relay. */
interface Relayed {
  /** Whether it is a response cache's listening connection (by its application_name). */
  listener: boolean;
  /** Everything the client sent, as text (statements travel as plain text). */
  sent: string;
  /** The relay's own connection to PostgreSQL: its port is the backend's client_port. */
  upstream: net.Socket;
  /** Whether the client has closed it. */
  closed: boolean;
  /** Holds back what PostgreSQL sends the client, as a slow network would, until released. */
  hold(): void;
  release(): void;
  /** Bytes PostgreSQL has sent that are held back. */
  heldBytes(): number;
  /** Whether PostgreSQL has answered since the client last sent anything (its last query is done). */
  answered(): boolean;
}

/**
 * A TCP relay in front of the test's PostgreSQL: an ORM (and the response cache of an app built
 * on it) connected through it reaches the same database, but the test can hold back what the
 * server sends on a listening connection, so as to see what the cache does meanwhile.
 */
async function startRelay(target: URL) {
  const connections: Relayed[] = [];
  const clients: net.Socket[] = [];
  let holdNewListeners = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const held: Buffer[] = [];
    let holding = false;
    let upstreamEnded = false;
    let awaitingAnswer = false;
    const connection: Relayed = {
      listener: false,
      sent: '',
      upstream,
      closed: false,
      hold: () => void (holding = true),
      release: () => {
        holding = false;
        if (held.length) client.write(Buffer.concat(held.splice(0)));
        if (upstreamEnded) client.end();
      },
      heldBytes: () => held.reduce((n, b) => n + b.length, 0),
      answered: () => !awaitingAnswer,
    };
    connections.push(connection);
    client.on('data', (data: Buffer) => {
      if (!connection.listener && data.includes(LISTENER_APPLICATION_NAME)) {
        connection.listener = true;
        if (holdNewListeners) holding = true;
      }
      connection.sent += data.toString('latin1');
      awaitingAnswer = true;
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      awaitingAnswer = false;
      if (holding) held.push(data);
      else client.write(data);
    });
    upstream.on('close', () => {
      upstreamEnded = true;
      if (!holding) client.end();
    });
    clients.push(client);
    client.on('close', () => {
      connection.closed = true;
      upstream.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target.toString());
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    /** The database's URL, through the relay. */
    url: url.toString(),
    connections,
    listeners: () => connections.filter((c) => c.listener),
    /** Listening connections made from now on are held from their first byte. */
    holdNewListeners: (on: boolean) => void (holdNewListeners = on),
    async close(): Promise<void> {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of connections) c.upstream.destroy();
        for (const client of clients) client.destroy();
      });
    },
  };
}

/**
 * The response cache's bounds, over real HTTP and PostgreSQL (src/response-cache.ts): the memory
 * budget and which entries it evicts, expiry after CACHE_MAX_AGE, that an answer computed from
 * reads older than the latest clearing is not kept, which requests share an entry, when it looks
 * up the next embargo, and how it recovers (and gives up) its listening connection.
 */
describe('bounds of the response cache', () => {
  let h: Harness;
  let sql: Client;
  let shortLived: App | undefined;
  let shortLivedUrl: string;
  const lines: LogLine[] = [];
  const BUDGET = 1024 * 1024;

  beforeAll(async () => {
    const logger = pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    // 1 MB, the smallest budget (whole MB only); bodies up to 2 MB, so one answer can outgrow it.
    h = await startHarness({ env: { RESPONSE_CACHE_MB: '1', MAX_BODY_SIZE: '2mb' }, logger });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
    make.ministry(em, kz, 'kz-mci');
    const { forum } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [make.speaker(em, 'aida', kz)] });
    // 150,000 Cyrillic letters: 300,000 bytes of UTF-8 in an answer.
    forum.description = { ru: 'ж'.repeat(150_000) };
    await em.flush();
    sql = new Client({ connectionString: h.databaseUrl });
    await sql.connect();
    // A second app on the same database whose entries live 3 seconds.
    shortLived = await createApp(h.orm, { ...h.config, cacheMaxAgeSeconds: 3 });
    await new Promise<void>((resolve) => shortLived!.httpServer.listen(0, '127.0.0.1', resolve));
    shortLivedUrl = `http://127.0.0.1:${(shortLived.httpServer.address() as AddressInfo).port}`;
    await settle();
  });

  afterAll(async () => {
    await sql?.end();
    await shortLived?.apollo.stop();
    await h?.close();
  });

  /** Lets notifications of earlier writes arrive. */
  const settle = () => sleep(150);

  async function ask(
    query: string,
    options: { base?: string; headers?: Record<string, string>; method?: 'GET' | 'POST' | 'PUT' } = {},
  ): Promise<Answer> {
    const method = options.method ?? 'POST';
    const response =
      method === 'GET'
        ? await fetch(`${options.base ?? h.url}/graphql?${new URLSearchParams({ query })}`, { headers: options.headers })
        : await fetch(`${options.base ?? h.url}/graphql`, {
            method,
            headers: { 'content-type': 'application/json', ...options.headers },
            body: JSON.stringify({ query }),
          });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (e.g. a refusal by CSRF prevention): kept as text
    }
    return { status: response.status, headers: response.headers, text, body, at: Date.now() };
  }
  const cacheOf = (a: Answer) => a.headers.get('x-cache');

  async function askUntil(query: string, done: (a: Answer) => boolean, ms = 3000, options: { base?: string } = {}): Promise<Answer> {
    const deadline = Date.now() + ms;
    let answer = await ask(query, options);
    while (!done(answer) && Date.now() < deadline) {
      await sleep(20);
      answer = await ask(query, options);
    }
    return answer;
  }

  /** The request log line of an answer. */
  async function requestLine(answer: Answer): Promise<LogLine> {
    const id = answer.headers.get('x-request-id');
    await until(() => lines.some((l) => l.requestId === id && l.msg === 'request'), 1000);
    const line = lines.find((l) => l.requestId === id && l.msg === 'request');
    if (!line) throw new Error(`no request log line for ${id}`);
    return line;
  }

  /**
   * Another app with the same settings on the test's database, reached through a relay (see
   * startRelay), with a log of its own.
   */
  async function startRelayedApp() {
    const relay = await startRelay(new URL(h.databaseUrl));
    const log: LogLine[] = [];
    const logger = pino({ level: 'info', base: undefined }, { write: (s: string) => void log.push(JSON.parse(s)) });
    const orm = await MikroORM.init(ormOptions(relay.url));
    let app: App;
    try {
      app = await createApp(orm, { ...h.config }, { logger });
      await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    } catch (error) {
      await orm.close();
      await relay.close();
      throw error;
    }
    let stopped = false;
    return {
      base: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`,
      relay,
      log,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        await app.apollo.stop();
      },
      async close(): Promise<void> {
        await this.stop();
        await orm.close();
        await relay.close();
      },
    };
  }

  /** The statements that looked up the next embargo on the listening connections of a relay. */
  const embargoLookups = (relay: Awaited<ReturnType<typeof startRelay>>) =>
    relay.listeners().reduce((n, c) => n + c.sent.split('min(published_at)').length - 1, 0);

  /**
   * The same small query made about `bytes` long with a comment (the body, as sent, is part of
   * the key and counts towards the budget); `tag` makes it another entry.
   */
  const padded = (tag: string, bytes: number) => `{ countries { code } } # ${tag} ${'x'.repeat(bytes)}`;

  it('takes RESPONSE_CACHE_MB in whole megabytes', () => {
    expect(loadConfig({ RESPONSE_CACHE_MB: '1' }).responseCacheBytes).toBe(BUDGET);
    expect(() => loadConfig({ RESPONSE_CACHE_MB: '0.5' })).toThrow(ConfigError);
  });

  it('stays within its budget by evicting the least recently used entries', async () => {
    // Three entries of 300 KB fit in 1 MB, four do not.
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((tag) => padded(tag, 300_000));
    for (const query of [a, b, c]) expect(cacheOf(await ask(query))).toBe('MISS');
    const hit = await ask(a);
    expect(cacheOf(hit)).toBe('HIT');
    expect(hit.body).toEqual({ data: { countries: [{ code: 'KZ' }] } });

    // d pushes out b, the one used longest ago (a was just used).
    expect(cacheOf(await ask(d))).toBe('MISS');
    for (const query of [a, c, d]) expect(cacheOf(await ask(query))).toBe('HIT');
    expect(cacheOf(await ask(b))).toBe('MISS');
    expect(cacheOf(await ask(b))).toBe('HIT');
  });

  it('never keeps an answer larger than the whole budget, and keeps the rest', async () => {
    const small = padded('small', 10);
    expect(cacheOf(await ask(small))).toBe('MISS');
    const huge = padded('huge', BUDGET + 1000);
    for (let i = 0; i < 2; i += 1) {
      const answer = await ask(huge);
      expect(answer.status).toBe(200);
      expect(cacheOf(answer)).toBe('MISS');
    }
    expect(cacheOf(await ask(small))).toBe('HIT');
  });

  it('keeps an answer as large as the whole budget, but not one byte larger', async () => {
    const headers = { accept: 'application/json', 'accept-language': 'en' };
    const probe = await ask(padded('probe', 0), { headers });
    expect(probe.status).toBe(200);
    // What the answer read: the list of countries, and each country's row.
    const countries = await h.orm.em.getConnection().execute<{ id: number }[]>('select id from country');
    const tags = ['country', ...countries.map(({ id }) => `country:${id}`)];
    /*
     * The size the cache reckons an entry at: its key (method, path, the request headers it
     * depends on and the body as sent, a line each), the answer's body, the headers it keeps for
     * hits (what Apollo set, and the ETag), 200 bytes for its own bookkeeping, and each tag with
     * 50 bytes for its place in the tag index.
     */
    const sizeOf = (query: string) =>
      200 +
      ['POST', '/graphql', '=application/json', '=en', '=application/json', '', '', JSON.stringify({ query })].join('\n').length +
      Buffer.byteLength(probe.text) +
      ['content-type', 'cache-control', 'etag'].reduce((sum, name) => sum + name.length + probe.headers.get(name)!.length, 0) +
      tags.reduce((sum, tag) => sum + 50 + tag.length, 0);
    const exact = padded('exact', BUDGET - sizeOf(padded('exact', 0)));
    const over = padded('over', BUDGET + 1 - sizeOf(padded('over', 0)));
    expect([sizeOf(exact), sizeOf(over)]).toEqual([BUDGET, BUDGET + 1]);

    expect(cacheOf(await ask(exact, { headers }))).toBe('MISS');
    const kept = await ask(exact, { headers });
    expect(cacheOf(kept)).toBe('HIT');
    expect(kept.text).toBe(probe.text);
    for (let i = 0; i < 2; i += 1) expect(cacheOf(await ask(over, { headers }))).toBe('MISS');
    // Too large to keep, it took nothing else's room.
    expect(cacheOf(await ask(exact, { headers }))).toBe('HIT');
  });

  it('counts the bytes of an answer, not its characters', async () => {
    // Each answer is 300 KB of UTF-8 but 150,000 characters: three fit in 1 MB, four do not.
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((tag) => `{ forum(slug: "camf") { description } } # ${tag}`);
    for (const query of [a, b, c]) {
      const answer = await ask(query);
      expect(cacheOf(answer)).toBe('MISS');
      expect(answer.body.data.forum.description).toHaveLength(150_000);
    }
    expect(cacheOf(await ask(d))).toBe('MISS');
    expect(cacheOf(await ask(a))).toBe('MISS');
    for (const query of [c, d, a]) expect(cacheOf(await ask(query))).toBe('HIT');
  });

  it('counts an answer stored twice by concurrent requests once', async () => {
    const [a, b, c] = ['twice-a', 'twice-b', 'twice-c'].map((tag) => padded(tag, 300_000));
    // Both requests for a are waiting for the same lock, so both miss and both store.
    const locker = new Client({ connectionString: h.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table country in access exclusive mode');
      const both = [ask(a), ask(a)];
      await waitForLockWaiters(2);
      await locker.query('rollback');
      expect((await Promise.all(both)).map(cacheOf)).toEqual(['MISS', 'MISS']);
    } finally {
      await locker.end();
    }
    for (const query of [b, c]) expect(cacheOf(await ask(query))).toBe('MISS');
    for (const query of [a, b, c]) expect(cacheOf(await ask(query))).toBe('HIT');
  });

  it('ends an entry CACHE_MAX_AGE seconds after it was stored, saying its age until then, and frees its room', async () => {
    const options = { base: shortLivedUrl };
    const queries = ['e', 'f', 'g'].map((tag) => padded(tag, 300_000));
    for (const query of queries) expect(cacheOf(await ask(query, options))).toBe('MISS');
    const stored = Date.now();
    const fresh = await ask(queries[2], options);
    expect(cacheOf(fresh)).toBe('HIT');
    expect(fresh.headers.get('cache-control')).toBe('public, max-age=3');
    expect(fresh.headers.get('age')).toBe('0');

    await sleep(stored + 1100 - Date.now());
    const older = await ask(queries[2], options);
    expect(cacheOf(older)).toBe('HIT');
    // Whole seconds since it was stored: 1, or 2 on a busy machine.
    expect(['1', '2']).toContain(older.headers.get('age'));

    await sleep(stored + 3100 - Date.now());
    // Expired, each is answered afresh and kept again: the expired ones no longer take up room.
    for (const query of queries) expect(cacheOf(await ask(query, options))).toBe('MISS');
    for (const query of queries) expect(cacheOf(await ask(query, options))).toBe('HIT');
  });

  it('does not keep an answer computed while something it read changed', async () => {
    // countries reads at once; ministries waits for a lock this test holds, so the request is
    // still running when another process changes a country (and the cache drops what read it).
    const QUERY = '{ countries { code name } ministries { slug } }';
    // Reads the same country: its entry goes when the change is notified, which tells the test it was.
    const OTHER = '{ country(code: "KZ") { code } }';
    const nameOf = (a: Answer) => a.body.data.countries[0].name;
    await ask(OTHER);
    expect(cacheOf(await ask(OTHER))).toBe('HIT');

    const locker = new Client({ connectionString: h.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table ministry in access exclusive mode');
      const slow = ask(QUERY);
      await waitForLockWaiters();
      // The request's read of country has been answered by now (it does not wait for the lock).
      await sleep(200);
      await sql.query(`update country set name = jsonb_set(name, '{ru}', '"Казахстан (новое)"') where code = 'KZ'`);
      expect(cacheOf(await askUntil(OTHER, (a) => cacheOf(a) === 'MISS'))).toBe('MISS');
      await locker.query('rollback');

      const stale = await slow;
      expect(stale.status).toBe(200);
      expect(cacheOf(stale)).toBe('MISS');
      expect(nameOf(stale)).toBe('Казахстан');
    } finally {
      await locker.end();
    }
    // Had the stale answer been kept, this would be a hit with the old name.
    const next = await ask(QUERY);
    expect(cacheOf(next)).toBe('MISS');
    expect(nameOf(next)).toBe('Казахстан (новое)');
    const again = await ask(QUERY);
    expect(cacheOf(again)).toBe('HIT');
    expect(nameOf(again)).toBe('Казахстан (новое)');
  });

  /** Until `n` statements of the test database wait for a lock. */
  async function waitForLockWaiters(n = 1): Promise<void> {
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const { rows } = await sql.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (rows[0].n >= n) return;
      await sleep(10);
    }
    throw new Error(`fewer than ${n} statements ever waited for the lock`);
  }

  it('keeps apart GET requests that CSRF prevention tells apart, so that a refused one never finds an entry', async () => {
    const QUERY = '{ countries { code name } }';
    // A JSON content type, or an x-apollo-operation-name header, lets a GET through without apollo-require-preflight.
    for (const headers of [{ 'content-type': 'application/json' }, { 'x-apollo-operation-name': 'Countries' }] as Record<
      string,
      string
    >[]) {
      expect(cacheOf(await ask(QUERY, { method: 'GET', headers }))).toBe('MISS');
      expect(cacheOf(await ask(QUERY, { method: 'GET', headers }))).toBe('HIT');
    }
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const refused = await ask(QUERY, { method: 'GET', headers });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/Cross-Site Request Forgery/);
    }
  });

  it('keeps apart requests whose headers differ only where one ends or whether it is there, so that a refused one never finds an entry', async () => {
    const QUERY = '{ countries { code } } # apart';
    /** A GET with exactly these headers (fetch would add Accept and Accept-Language of its own). */
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; cache: string | undefined; text: string }>((resolve, reject) => {
        const request = http.get(`${h.url}/graphql?${new URLSearchParams({ query: QUERY })}`, { headers }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode!, cache: response.headers['x-cache'] as string | undefined, text }),
          );
        });
        request.on('error', reject);
      });
    const preflight = { 'apollo-require-preflight': 'true' };
    const pairs: [Record<string, string>, Record<string, string>, number][] = [
      // The same characters, split differently between the content type and the preflight
      // header: the one answered, the other refused for its content type (a GET's must be JSON).
      [{ 'content-type': 'application/json', ...preflight }, { 'content-type': 'application/jsonpreflight' }, 415],
      // No Accept is as good as */*; an Accept that only says "undefined" accepts no JSON.
      [preflight, { accept: 'undefined', ...preflight }, 406],
    ];
    for (const [answered, refused, status] of pairs) {
      expect(await get(answered)).toMatchObject({ status: 200, cache: 'MISS' });
      const hit = await get(answered);
      expect(hit).toMatchObject({ status: 200, cache: 'HIT' });
      expect(JSON.parse(hit.text)).toEqual({ data: { countries: [{ code: 'KZ' }] } });
      for (let i = 0; i < 2; i += 1) expect(await get(refused)).toMatchObject({ status, cache: 'MISS' });
    }
  });

  it('leaves methods other than GET and POST alone, and its request log line says so', async () => {
    const put = await ask('{ countries { code } }', { method: 'PUT' });
    expect(put.status).toBeGreaterThanOrEqual(400);
    expect(cacheOf(put)).toBe('BYPASS');
    expect(await requestLine(put)).toMatchObject({ method: 'PUT', cache: 'bypass' });
  });

  it('keeps answering from memory while the next embargo is further away than a timer can wait (24.8 days)', async () => {
    const em = h.orm.em.fork();
    const far = make.article(em, 'far-embargo', new Date(Date.now() + 30 * 86_400_000).toISOString());
    far.status = ArticleStatus.SCHEDULED;
    await em.flush();
    await settle();
    const QUERY = '{ articles(first: 5) { nodes { slug } } }';
    expect(cacheOf(await ask(QUERY))).toBe('MISS');
    await sleep(50);
    const hit = await ask(QUERY);
    expect(cacheOf(hit)).toBe('HIT');
    expect(hit.body.data.articles.nodes).toEqual([]);
  });

  it('looks up the next embargo once more for the article changes notified during a lookup, not once for each', async () => {
    const relayed = await startRelayedApp();
    const { relay, base } = relayed;
    const lookups = () => embargoLookups(relay);
    const QUERY = '{ articles(first: 5) { nodes { slug } } }';
    const slugs = (a: Answer) => a.body.data.articles.nodes.map((n: { slug: string }) => n.slug);
    try {
      // The lookup made on connecting, answered: held back, it would still be running when the
      // notifications arrive, and they would make it run once more instead of starting one.
      expect(await until(() => lookups() === 1)).toBe(true);
      const [listener] = relay.listeners();
      expect(await until(() => listener.answered())).toBe(true);
      listener.hold();
      // Three changes of articles by another process, the first putting one under embargo for a
      // few seconds: their notifications wait in the relay, and reach the listener together.
      const em = h.orm.em.fork();
      // Far enough ahead for the steps below on a loaded machine: the answer before it must still be cached.
      const publishedAt = Date.now() + 6000;
      const embargoed = make.article(em, 'lifted-during-lookup', new Date(publishedAt).toISOString());
      embargoed.status = ArticleStatus.SCHEDULED;
      await em.flush();
      for (const title of ['Lifted', 'Lifted at last']) {
        await sql.query("update article set title = jsonb_build_object('en', $1::text) where slug = 'lifted-during-lookup'", [title]);
      }
      // Each notification is sent at its commit; on a loaded machine the last may take a while to
      // reach the relay, and one released after the others would start a lookup of its own.
      let held = 0;
      do {
        held = listener.heldBytes();
        await sleep(300);
      } while (listener.heldBytes() !== held);
      expect(held).toBeGreaterThan(0);
      listener.release();

      // The first starts a lookup, the other two arrive while it runs: once more for both, which
      // finds the article; and no more.
      expect(await until(() => lookups() === 3, 10_000)).toBe(true);
      await sleep(300);
      expect(lookups()).toBe(3);
      await ask(QUERY, { base });
      const before = await ask(QUERY, { base });
      expect(cacheOf(before)).toBe('HIT');
      expect(slugs(before)).not.toContain('lifted-during-lookup');
      const after = await askUntil(QUERY, (a) => slugs(a).includes('lifted-during-lookup'), 12_000, { base });
      expect(slugs(after)).toContain('lifted-during-lookup');
      expect(Date.now()).toBeGreaterThanOrEqual(publishedAt);
    } finally {
      for (const c of relay.connections) c.release();
      await sql.query("delete from article where slug = 'lifted-during-lookup'");
      await relayed.close();
    }
  });

  it('keeps answering from memory when it cannot look up the next embargo, and says why', async () => {
    const QUERY = '{ countries { code } }';
    const failures = () => lines.filter((l) => l.msg === 'response cache: could not look up the next embargo');
    const before = failures().length;
    await settle();
    await sql.query('alter table article rename to article_away');
    try {
      // Another process changes an article and a country in one transaction: the lookup that
      // follows fails, and the country's answer goes. One commit, so that the country's
      // notification can't arrive after the failure and take away the answer stored below.
      await sql.query('begin');
      await sql.query(
        "insert into article_away (slug, title, source_url, outlet_name, language, published_at) values ('away', '{\"en\": \"Away\"}', 'https://news.example/away', 'News', 'en', now())",
      );
      await sql.query("update country set code = code where code = 'KZ'");
      await sql.query('commit');
      expect(await until(() => failures().length > before)).toBe(true);
      const [failure] = failures().slice(before);
      expect(failure.level).toBe(40);
      expect(failure.err.message).toMatch(/article/);
      expect(cacheOf(await askUntil(QUERY, (a) => cacheOf(a) === 'MISS'))).toBe('MISS');
      const hit = await ask(QUERY);
      expect(cacheOf(hit)).toBe('HIT');
      expect(hit.body).toEqual({ data: { countries: [{ code: 'KZ' }] } });
    } finally {
      await sql.query('alter table article_away rename to article');
      await sql.query("delete from article where slug = 'away'");
    }
  });

  it('is off when CACHE_MAX_AGE is 0, and then listens for nothing', async () => {
    const listeners = async () =>
      (
        await sql.query('select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()', [
          LISTENER_APPLICATION_NAME,
        ])
      ).rows[0].n;
    const before = await listeners();
    const uncached = await createApp(h.orm, { ...h.config, cacheMaxAgeSeconds: 0 });
    await new Promise<void>((resolve) => uncached.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(uncached.httpServer.address() as AddressInfo).port}`;
      for (let i = 0; i < 2; i += 1) {
        const answer = await ask('{ countries { code } }', { base });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(cacheOf(answer)).toBeNull();
      }
      expect(await listeners()).toBe(before);
    } finally {
      await uncached.apollo.stop();
    }
  });

  it('holds the answer to a mutation until the listener has caught up, except one that only counts views, and drops nothing unwritten', async () => {
    const QUERY = '{ countries { code } }';
    /** When each listening connection (this file's apps') last sent a statement, and which. */
    const listenerActivity = async () =>
      (
        await sql.query(
          'select pid, query_start, query from pg_stat_activity where application_name = $1 and datname = current_database() order by pid',
          [LISTENER_APPLICATION_NAME],
        )
      ).rows;
    await settle();
    await ask(QUERY);
    expect(cacheOf(await ask(QUERY))).toBe('HIT');
    const idle = await listenerActivity();
    const view = await ask('mutation { recordArticleView(slug: "missing") }');
    expect(view.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(await listenerActivity()).toEqual(idle);
    // Refused (anonymous), but a mutation: the cache cannot know it wrote nothing, so it waits
    // for the listener (one statement on its connection); as nothing was written, nothing is dropped.
    const mixed = await ask('mutation { v: recordArticleView(slug: "missing") r: revokeApiToken(id: "1") }');
    expect(mixed.body.errors).toBeDefined();
    const caughtUp = await listenerActivity();
    const moved = caughtUp.filter((row, i) => row.query_start.getTime() !== idle[i].query_start.getTime());
    expect(moved.map((row) => row.query)).toEqual(['select 1']);
    expect(cacheOf(await ask(QUERY))).toBe('HIT');
    // Only fields named at the top count as view counting: a fragment is waited for too.
    await ask('mutation { ... on Mutation { recordArticleView(slug: "missing") } }');
    const again = await listenerActivity();
    expect(again.filter((row, i) => row.query_start.getTime() !== caughtUp[i].query_start.getTime()).map((row) => row.query)).toEqual([
      'select 1',
    ]);
    expect(cacheOf(await ask(QUERY))).toBe('HIT');
  });

  it('reconnects its listener after a quarter of a second, every time, and says so', async () => {
    const terminate = () =>
      sql.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', [
        LISTENER_APPLICATION_NAME,
      ]);
    const warnings = () => lines.filter((l) => l.msg?.startsWith('response cache: no connection listening'));
    const recoveries = () => lines.filter((l) => l.msg === 'response cache: listening for content changes again');
    // Connecting the first time is no recovery.
    expect(recoveries()).toEqual([]);
    const before = { warnings: warnings().length, recoveries: recoveries().length };
    const QUERY = '{ countries { code } }';

    for (let round = 1; round <= 2; round += 1) {
      await settle();
      await ask(QUERY);
      expect(cacheOf(await ask(QUERY))).toBe('HIT');
      await terminate();
      expect(cacheOf(await askUntil(QUERY, (a) => cacheOf(a) === 'BYPASS', 1000))).toBe('BYPASS');
      expect(cacheOf(await askUntil(QUERY, (a) => cacheOf(a) === 'HIT', 5000))).toBe('HIT');
      // The delay starts over once connected: each loss waits 250 ms before the first retry.
      expect(
        warnings()
          .slice(before.warnings)
          .map((l) => [l.level, l.retryInMs]),
      ).toEqual(Array.from({ length: round }, () => [40, 250]));
      expect(
        recoveries()
          .slice(before.recoveries)
          .map((l) => l.level),
      ).toEqual(Array.from({ length: round }, () => 30));
    }
  });

  it('keeps trying while the database refuses its connection, waiting twice as long each time', async () => {
    const name = new URL(h.databaseUrl).pathname.slice(1);
    // A database cannot refuse connections while being altered from one of its own.
    const admin = new Client({ connectionString: h.databaseUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await admin.connect();
    const warnings = () => lines.filter((l) => l.msg?.startsWith('response cache: no connection listening'));
    const recoveries = () => lines.filter((l) => l.msg === 'response cache: listening for content changes again');
    const before = { warnings: warnings().length, recoveries: recoveries().length };
    const QUERY = '{ countries { code } }';
    await settle();
    await ask(QUERY);
    expect(cacheOf(await ask(QUERY))).toBe('HIT');
    await admin.query(`alter database "${name}" allow_connections false`);
    try {
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = $2', [
        LISTENER_APPLICATION_NAME,
        name,
      ]);
      // The loss, then at least one refused attempt.
      const until = Date.now() + 5000;
      while (warnings().length < before.warnings + 2 && Date.now() < until) await sleep(20);
    } finally {
      await admin.query(`alter database "${name}" allow_connections true`);
      await admin.end();
    }
    expect(cacheOf(await askUntil(QUERY, (a) => cacheOf(a) === 'HIT', 8000))).toBe('HIT');
    const delays = warnings()
      .slice(before.warnings)
      .map((l) => l.retryInMs);
    expect(delays.slice(0, 2)).toEqual([250, 500]);
    delays.forEach((delay, i) => expect(delay).toBe(250 * 2 ** i));
    expect(recoveries().length).toBe(before.recoveries + 1);
  });

  it('leaves no connection behind when stopped while connecting its listener again', async () => {
    const relayed = await startRelayedApp();
    const { relay, base } = relayed;
    const QUERY = '{ countries { code } }';
    const warnings = () => relayed.log.filter((l) => l.msg?.startsWith('response cache: no connection listening'));
    try {
      await ask(QUERY, { base });
      expect(cacheOf(await ask(QUERY, { base }))).toBe('HIT');
      const [first] = relay.listeners();
      relay.holdNewListeners(true);
      await sql.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and client_port = $2', [
        LISTENER_APPLICATION_NAME,
        first.upstream.localPort,
      ]);
      expect(cacheOf(await askUntil(QUERY, (a) => cacheOf(a) === 'BYPASS', 1000, { base }))).toBe('BYPASS');
      // The next attempt has reached PostgreSQL, but hears nothing back yet.
      expect(await until(() => relay.listeners().length === 2 && relay.listeners()[1].heldBytes() > 0)).toBe(true);
      const second = relay.listeners()[1];
      await relayed.stop();
      const warned = warnings().length;
      second.release();
      // Connected after all, it hangs up at once instead of listening.
      expect(await until(() => second.closed)).toBe(true);
      expect(first.closed).toBe(true);
      const backends = async () =>
        (await sql.query('select count(*)::int as n from pg_stat_activity where client_port = $1', [second.upstream.localPort])).rows[0]
          .n as number;
      for (let i = 0; i < 100 && (await backends()) > 0; i += 1) await sleep(10);
      expect(await backends()).toBe(0);
      await sleep(600);
      expect(warnings().length).toBe(warned);
      expect(relay.listeners()).toHaveLength(2);
    } finally {
      await relayed.close();
    }
  });
});
