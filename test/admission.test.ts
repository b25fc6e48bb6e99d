import http from 'node:http';
import pino from 'pino';
import { loadConfig, ConfigError } from '../src/config';
import { halfSentPost } from './helpers/half-sent';
import { startHarness, type Harness } from './helpers/harness';

type LogLine = Record<string, any>;

const QUERY = JSON.stringify({ query: '{ countries { code } }' });
const TOKEN = 'metrics-token-for-tests-0123456789';

/**
 * Admission control (src/admission.ts), over real HTTP: past MAX_REQUESTS_IN_FLIGHT a request is
 * refused at once, unread, with 503 and Retry-After; the probes are always answered; the requests
 * in flight finish normally, and the next ones are accepted again.
 */
describe('admission control', () => {
  let h: Harness;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'debug', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    h = await startHarness({ env: { MAX_REQUESTS_IN_FLIGHT: '3', METRICS_TOKEN: TOKEN }, logger });
  });

  afterAll(async () => {
    await h?.close();
  });

  const halfSent = () => halfSentPost(`${h.url}/graphql`, QUERY);

  /** Until the server has taken in `n` connections' headers (their requests are in flight). */
  async function inFlight(requests: ReturnType<typeof halfSent>[]) {
    // The health probe goes through the same event loop: once it is answered, the earlier
    // connections' headers have been read.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fetch(`${h.url}/healthz`);
    return requests;
  }

  const overloads = async () => {
    const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    return Number(/^forum_portal_refusals_total\{reason="overload"\} (\d+)$/m.exec(text)?.[1]);
  };

  it('refuses the request past the bound at once with 503 and Retry-After, and answers those in flight', async () => {
    const before = await overloads();
    const held = await inFlight([halfSent(), halfSent(), halfSent()]);

    const refused = await fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      errors: [{ message: 'The server is busy; try again in a moment', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    // GET exports and feeds count as well: every route but the probes.
    expect((await fetch(`${h.url}/forums/none/schedule.json`)).status).toBe(503);

    // The probes are answered whatever the load.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect(await overloads()).toBe(before + 2);

    for (const request of held) request.finish();
    for (const { answer } of held) {
      const { status, body } = await answer;
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ data: { countries: [] } });
    }
    // Their slots are free again.
    expect((await h.post({ query: '{ countries { code } }' })).status).toBe(200);
  });

  it('refuses without reading the body: a body past MAX_BODY_SIZE gets 503, not 413', async () => {
    const held = await inFlight([halfSent(), halfSent(), halfSent()]);
    const huge = JSON.stringify({ query: '{ countries { code } }', padding: 'x'.repeat(1024 * 1024) });
    const refused = await fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(refused.status).toBe(503);
    for (const request of held) request.finish();
    await Promise.all(held.map((r) => r.answer));
  });

  it('reads a refused keep-alive connection again only once Retry-After has passed', async () => {
    const held = await inFlight([halfSent(), halfSent(), halfSent()]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(`${h.url}/graphql`);
    const get = () =>
      new Promise<{ status: number; socket: unknown; ms: number }>((resolve, reject) => {
        const started = Date.now();
        const request = http.get(
          {
            host: url.hostname,
            port: url.port,
            path: '/graphql?query=%7Bcountries%7Bcode%7D%7D',
            agent,
            headers: { 'apollo-require-preflight': '1' },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode!, socket: request.socket, ms: Date.now() - started }));
          },
        );
        request.on('error', reject);
      });
    try {
      const first = await get();
      expect(first.status).toBe(503);
      // Asked again at once on the same connection: read when the client was told to come back.
      const second = await get();
      expect(second.socket).toBe(first.socket);
      expect(second.status).toBe(503);
      expect(second.ms).toBeGreaterThanOrEqual(900);
    } finally {
      agent.destroy();
      for (const request of held) request.finish();
      await Promise.all(held.map((r) => r.answer));
    }
  });

  it('writes no request line for a refusal, and sums them in one warning', () => {
    // Refusals never reach the request log: at thousands a second they would be the load.
    expect(lines.filter((l) => l.msg === 'request' && l.status === 503)).toEqual([]);
    const warnings = lines.filter((l) => l.msg === 'overloaded: refusing requests beyond MAX_REQUESTS_IN_FLIGHT');
    // The first refusal warns at once; the next ones within 10 s are summed into the next warning.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, refused: 1, maxInFlight: 3 });
  });

  it('refuses a MAX_REQUESTS_IN_FLIGHT that is not a positive integer', () => {
    expect(() => loadConfig({ MAX_REQUESTS_IN_FLIGHT: '0' })).toThrow(
      new ConfigError('MAX_REQUESTS_IN_FLIGHT must be an integer between 1 and 100000, got "0"'),
    );
    expect(loadConfig({}).maxRequestsInFlight).toBe(64);
  });
});
