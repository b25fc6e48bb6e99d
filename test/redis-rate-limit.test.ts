import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createApp, type App } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { startHarness, type Harness } from './helpers/harness';
import { describeUnless, TEST_REDIS_URL, unreachable } from './helpers/services';
import { startTcpRelay } from './helpers/tcp-relay';

interface LogLine {
  level: number;
  msg: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rate limits counted in a shared Redis (REDIS_URL, src/redis.ts): several instances enforce one
 * budget, and when Redis fails or hangs, each falls back to counting in its own memory, answers
 * every request, logs it, and reports itself degraded on /readyz.
 */
describeUnless(unreachable(TEST_REDIS_URL, 'Redis'))('rate limits in Redis', () => {
  let h: Harness;
  const apps: App[] = [];
  const relays: Awaited<ReturnType<typeof startTcpRelay>>[] = [];
  const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    for (const app of apps) await app.apollo.stop();
    for (const relay of relays) await relay.close();
    await h?.close();
  });

  /** Another app (an instance) on the test's database, counting in the Redis at `redisUrl`. */
  async function instance(redisUrl: string) {
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
    const app = await createApp(h.orm, { ...h.config, redisUrl }, { logger });
    apps.push(app);
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
    return {
      lines,
      async login(email: string, password = 'a wrong guess') {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
        });
        const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
        return { status: response.status, code: body.errors?.[0]?.extensions.code };
      },
      async readyz() {
        const response = await fetch(`${base}/readyz`);
        return { status: response.status, body: (await response.json()) as unknown };
      },
    };
  }

  /** An email no earlier run has used: Redis keeps counts for the window, across test runs. */
  const freshEmail = () => `guess-${randomBytes(6).toString('hex')}@example.org`;

  /** Redis through a relay the test can cut or hang. */
  async function relayedRedis() {
    const target = new URL(TEST_REDIS_URL);
    const relay = await startTcpRelay(Number(target.port || 6379), target.hostname);
    relays.push(relay);
    const url = new URL(TEST_REDIS_URL);
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    return { relay, url: url.toString() };
  }

  it('refuses the 11th sign-in attempt for one email when the attempts alternate between two instances', async () => {
    const [a, b] = [await instance(TEST_REDIS_URL), await instance(TEST_REDIS_URL)];
    const email = freshEmail();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect(await (attempt % 2 ? a : b).login(email)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    expect(await a.login(email)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(await b.login(email)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    // One budget per email: another is untouched on both.
    expect(await b.login(freshEmail())).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await a.readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('keeps answering when Redis goes away, counts in each process meanwhile, says so, and shares again once it is back', async () => {
    const { relay, url } = await relayedRedis();
    const a = await instance(url);
    const email = freshEmail();
    expect(await a.login(email)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });

    relay.cut();
    // Still answered, and still limited: ten attempts per process now.
    for (let attempt = 1; attempt <= 10; attempt += 1) expect(await a.login(email)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await a.login(email)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(await a.readyz()).toEqual({
      status: 200,
      body: { status: 'degraded', reason: 'redis unreachable: rate limits are counted per process' },
    });
    const warnings = a.lines.filter((l) => l.msg === 'redis unreachable: rate limits are counted per process until it is back');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe(40);

    relay.restore();
    const deadline = Date.now() + 10_000;
    while (
      (await a.readyz()).status === 200 &&
      ((await a.readyz()).body as { status: string }).status !== 'ready' &&
      Date.now() < deadline
    ) {
      await sleep(100);
    }
    expect(await a.readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    expect(a.lines.some((l) => l.msg === 'redis reachable again: rate limits are shared between instances')).toBe(true);
    // Counted in Redis again, where this email has one attempt from before the cut.
    for (let attempt = 2; attempt <= 10; attempt += 1) expect(await a.login(email)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await a.login(email)).toEqual({ status: 429, code: 'RATE_LIMITED' });
  });

  it('answers at once when Redis hangs, counting in the process, and logs it', async () => {
    const { relay, url } = await relayedRedis();
    const a = await instance(url);
    const email = freshEmail();
    relay.hang();
    for (let attempt = 1; attempt <= 10; attempt += 1) expect(await a.login(email)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await a.login(email)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    const warnings = a.lines.filter((l) => l.msg === 'redis did not answer in time: a rate limit was counted in this process');
    expect(warnings).toHaveLength(1);
    relay.restore();
  });

  it('starts and serves, degraded, when Redis cannot be reached at all', async () => {
    const { relay, url } = await relayedRedis();
    relay.cut();
    const a = await instance(url);
    expect(await a.login(freshEmail())).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await a.readyz()).body).toEqual({ status: 'degraded', reason: 'redis unreachable: rate limits are counted per process' });
  });

  it('refuses a REDIS_URL that is not a Redis URL, without echoing it', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://user:secret@cache:6379' })).toThrow(
      new ConfigError('REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379'),
    );
    expect(loadConfig({ REDIS_URL: ' ' }).redisUrl).toBeUndefined();
  });
});
