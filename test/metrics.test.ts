import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, type App } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

type LogLine = Record<string, any>;

const TOKEN = 'metrics-token-for-tests-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The exposition text as a map from `name{labels}` (as prom-client prints them, labels in the
 * order they were declared, `le` last) to the value.
 */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** GET /metrics, over real HTTP, on the main port with METRICS_TOKEN (src/metrics.ts). */
describe('metrics', () => {
  let h: Harness;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'debug', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    h = await startHarness({ env: { METRICS_TOKEN: TOKEN, RESPONSE_CACHE_MB: '8' }, logger });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [make.speaker(em, 'aida', kz)] });
    await em.flush();
    // Lets the notification of the writes above arrive before the cache is measured.
    await sleep(150);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** `null`: no Authorization header. */
  const scrapeResponse = (authorization: string | null = `Bearer ${TOKEN}`, base = h.url) =>
    fetch(`${base}/metrics`, { headers: authorization === null ? {} : { authorization } });

  async function scrape(authorization?: string | null, base?: string): Promise<Map<string, number>> {
    const response = await scrapeResponse(authorization, base);
    expect(response.status).toBe(200);
    return parse(await response.text());
  }

  /**
   * Scrapes until `done` holds (a request is observed once its response has gone out, which the
   * client may see a moment before), for up to 2 s: the last scrape.
   */
  async function scrapeUntil(
    done: (samples: Map<string, number>) => boolean,
    authorization?: string | null,
    base?: string,
  ): Promise<Map<string, number>> {
    const until = Date.now() + 2000;
    let samples = await scrape(authorization, base);
    while (!done(samples) && Date.now() < until) {
      await sleep(20);
      samples = await scrape(authorization, base);
    }
    return samples;
  }

  const value = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;

  it('answers only to the bearer token: 401 JSON without it or with a wrong one, the exposition text with it', async () => {
    for (const authorization of [null, 'Bearer wrong-token-of-some-length', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const refused = await scrapeResponse(authorization);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(await refused.json()).toEqual({
        errors: [{ message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    const allowed = await scrapeResponse();
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(allowed.headers.get('cache-control')).toBe('no-store');
    expect(await allowed.text()).toContain('# TYPE forum_portal_graphql_request_duration_seconds histogram');
  });

  it('logs a scrape at debug, not info, and leaves it out of the request series; a refused one is logged at info', async () => {
    const scraped = await scrapeResponse();
    const refused = await scrapeResponse('Bearer wrong');
    await sleep(50);
    const lineOf = (response: Response) => lines.find((l) => l.requestId === response.headers.get('x-request-id') && l.msg === 'request');
    expect(lineOf(scraped)).toMatchObject({ level: 20, path: '/metrics', status: 200 });
    expect(lineOf(refused)).toMatchObject({ level: 30, path: '/metrics', status: 401 });
    expect([...(await scrape()).keys()].some((key) => key.includes('route="/metrics"'))).toBe(false);
  });

  it('times GraphQL requests by operation name, and counts their statements and response-cache hits and misses', async () => {
    const QUERY = 'query MetricsAgenda { forum(slug: "camf") { title sessions(first: 5) { nodes { id } } } }';
    const COUNT = 'forum_portal_graphql_request_duration_seconds_count{operation="MetricsAgenda"}';
    const before = await scrape();
    const miss = await h.countStatements(() => h.post({ query: QUERY }));
    expect(miss.result.headers.get('x-cache')).toBe('MISS');
    expect(miss.statements).toBeGreaterThan(0);
    for (let i = 0; i < 3; i += 1) expect((await h.post({ query: QUERY })).headers.get('x-cache')).toBe('HIT');
    const anonymous = await h.post({ query: '{ countries { code } }' });
    expect(anonymous.status).toBe(200);

    const after = await scrapeUntil((s) => value(s, COUNT) - value(before, COUNT) === 4);
    const rose = (key: string) => value(after, key) - value(before, key);
    expect(rose(COUNT)).toBe(4);
    expect(rose('forum_portal_graphql_request_duration_seconds_count{operation="anonymous"}')).toBe(1);
    expect(rose('forum_portal_response_cache_requests_total{result="miss"}')).toBe(2);
    expect(rose('forum_portal_response_cache_requests_total{result="hit"}')).toBe(3);
    // The statements of the miss, none for the hits; the anonymous query's own are counted too.
    expect(rose('forum_portal_sql_statements_per_request_count')).toBe(5);
    expect(rose('forum_portal_sql_statements_per_request_sum')).toBeGreaterThanOrEqual(miss.statements);
    expect(rose('forum_portal_sql_statements_per_request_bucket{le="0"}')).toBe(3);
  });

  it('bounds operation names: past the first 100, a new name counts as "other"', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `Probe${i}`);
    for (const name of names) expect((await h.post({ query: `query ${name} { __typename }` })).status).toBe(200);
    const samples = await scrapeUntil((s) => s.has('forum_portal_graphql_request_duration_seconds_count{operation="other"}'));
    const operations = new Set(
      [...samples.keys()]
        .map((key) => /^forum_portal_graphql_request_duration_seconds_count\{operation="(.*)"\}$/.exec(key)?.[1])
        .filter(Boolean),
    );
    const named = [...operations].filter((name) => name !== 'anonymous' && name !== 'other');
    expect(named).toHaveLength(100);
    expect(named).toContain('Probe0');
    expect(named).not.toContain('Probe100');
    expect(value(samples, 'forum_portal_graphql_request_duration_seconds_count{operation="other"}')).toBeGreaterThanOrEqual(2);
  });

  it('times plain-HTTP requests by route pattern, never by path', async () => {
    const COUNT = 'forum_portal_http_request_duration_seconds_count{route="/forums/:slug/agenda.ics"}';
    const before = await scrape();
    expect((await fetch(`${h.url}/forums/camf/agenda.ics`)).status).toBe(200);
    expect((await fetch(`${h.url}/forums/no-such-forum/agenda.ics`)).status).toBe(404);
    expect((await fetch(`${h.url}/no/such/path`)).status).toBe(404);
    const after = await scrapeUntil((s) => value(s, COUNT) - value(before, COUNT) === 2);
    expect(value(after, COUNT) - value(before, COUNT)).toBe(2);
    expect(value(after, 'forum_portal_http_request_duration_seconds_count{route="unmatched"}')).toBeGreaterThanOrEqual(1);
    expect([...after.keys()].filter((key) => /camf|no-such|no\/such/.test(key))).toEqual([]);
  });

  it('counts a RATE_LIMITED refusal', async () => {
    const KEY = 'forum_portal_refusals_total{reason="rate_limit"}';
    const before = await scrape();
    expect(before.get(KEY)).toBe(0);
    expect(before.get('forum_portal_refusals_total{reason="overload"}')).toBe(0);
    const logins = Array.from({ length: 11 }, (_, i) => `a${i}: login(email: "metrics@example.org", password: "p${i}") { accessToken }`);
    const refused = await h.post({ query: `mutation { ${logins.join(' ')} }` });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(value(await scrapeUntil((s) => value(s, KEY) === 1), KEY)).toBe(1);
  });

  it('counts a request answered with an unexpected error', async () => {
    const KEY = 'forum_portal_internal_errors_total';
    const before = await scrape();
    await h.orm.em.getConnection().execute('alter table speaker rename to speaker_hidden');
    try {
      const response = await h.post({ query: '{ speakers { totalCount } }' });
      expect(response.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await h.orm.em.getConnection().execute('alter table speaker_hidden rename to speaker');
    }
    const after = await scrapeUntil((s) => value(s, KEY) > value(before, KEY));
    expect(value(after, KEY) - value(before, KEY)).toBe(1);
  });

  it('counts response-cache clearings by scope', async () => {
    const KEY = 'forum_portal_response_cache_clearings_total{scope="tags"}';
    const before = await scrape();
    const em = h.orm.em.fork();
    make.country(em, 'UZ');
    await em.flush();
    const after = await scrapeUntil((s) => value(s, KEY) > value(before, KEY));
    expect(value(after, KEY)).toBeGreaterThan(value(before, KEY));
    // The listener's first connection cleared everything once.
    expect(value(after, 'forum_portal_response_cache_clearings_total{scope="all"}')).toBeGreaterThanOrEqual(1);
  });

  it('reads the database pool at scrape time: connections in use, and requests waiting for one', async () => {
    const { client } = h.orm.em.getKnex() as any;
    const max: number = client.pool.max;
    const held: unknown[] = await Promise.all(Array.from({ length: max }, () => client.acquireConnection()));
    const waiting: Promise<unknown> = client.acquireConnection();
    try {
      const samples = await scrape();
      expect(samples.get('forum_portal_db_pool_connections_in_use')).toBe(max);
      expect(samples.get('forum_portal_db_pool_connections_idle')).toBe(0);
      expect(samples.get('forum_portal_db_pool_acquires_waiting')).toBe(1);
    } finally {
      for (const connection of held) client.releaseConnection(connection);
      client.releaseConnection(await waiting);
    }
    const samples = await scrape();
    expect(samples.get('forum_portal_db_pool_connections_in_use')).toBe(0);
    expect(samples.get('forum_portal_db_pool_acquires_waiting')).toBe(0);
  });

  it("exposes prom-client's process metrics under the same prefix: memory and event-loop lag", async () => {
    const samples = await scrape();
    expect(samples.get('forum_portal_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.get('forum_portal_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(samples.has('forum_portal_nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect([...samples.keys()].filter((key) => !key.startsWith('forum_portal_'))).toEqual([]);
  });

  describe('other settings', () => {
    const apps: App[] = [];
    afterAll(async () => {
      for (const app of apps) await app.apollo.stop();
    });

    async function start(env: NodeJS.ProcessEnv): Promise<{ app: App; url: string }> {
      const app = await createApp(h.orm, loadConfig({ RESPONSE_CACHE_MB: '0', ...env }));
      apps.push(app);
      return { app, url: await listen(app.httpServer) };
    }

    it('does not serve /metrics with neither METRICS_TOKEN nor METRICS_PORT: 404 like any unknown path', async () => {
      const { app, url } = await start({});
      expect(app.metricsServer).toBeUndefined();
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ errors: [{ message: 'Nothing is served at this path', extensions: { code: 'NOT_FOUND' } }] });
    });

    it('serves /metrics on METRICS_PORT without a token, and only there; stopping the app closes that port', async () => {
      const { app, url } = await start({ METRICS_PORT: '0' });
      const metricsUrl = await listen(app.metricsServer!);
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      expect(
        (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"query":"query OnTheSide { __typename }"}',
          })
        ).status,
      ).toBe(200);

      const KEY = 'forum_portal_graphql_request_duration_seconds_count{operation="OnTheSide"}';
      const samples = await scrapeUntil((s) => s.has(KEY), null, metricsUrl);
      expect(samples.get('forum_portal_graphql_request_duration_seconds_count{operation="OnTheSide"}')).toBe(1);
      const elsewhere = await fetch(`${metricsUrl}/graphql`);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.json()).toEqual({
        errors: [{ message: 'Nothing is served at this path', extensions: { code: 'NOT_FOUND' } }],
      });

      await app.apollo.stop();
      expect(app.metricsServer!.listening).toBe(false);
    });

    it('refuses a short or unprintable METRICS_TOKEN and a METRICS_PORT that is not a port or is PORT', () => {
      expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
        new ConfigError('METRICS_TOKEN must be at least 16 characters, e.g. the output of `openssl rand -hex 24`'),
      );
      expect(() => loadConfig({ METRICS_TOKEN: 'has a space in the middle' })).toThrow(ConfigError);
      expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(ConfigError);
      expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(ConfigError);
      expect(() => loadConfig({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(
        new ConfigError('METRICS_PORT must differ from PORT (4000), or be left empty'),
      );
      expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: TOKEN })).toMatchObject({ metricsPort: 9464, metricsToken: TOKEN });
      expect(loadConfig({})).toMatchObject({ metricsPort: undefined, metricsToken: undefined });
    });
  });
});
