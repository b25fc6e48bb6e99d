import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { Role } from '../src/auth/user.entity';
import type { Config } from '../src/config';
import { ormOptions } from '../src/db/mikro-orm.config';
import { sessionConnection } from '../src/db/session-connection';
import { logger } from '../src/logger';
import { URL_PROBLEMS, webhookUrlProblem } from '../src/webhooks/ssrf';
import { WEBHOOK_USER_AGENT, WebhookDispatcher } from '../src/webhooks/webhook-dispatcher';
import { startHarness, type Harness } from './helpers/harness';

/**
 * The delivery side of webhooks against the real database (its outbox triggers and functions)
 * and a real HTTP receiver on loopback, which checks every delivery's Standard Webhooks
 * signature as a receiver would.
 */

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Whether the signature verified with the webhook's secret (false for unknown paths). */
  verified: boolean;
}

type Handler = (res: http.ServerResponse, request: Received) => void;

/** A receiver: records every request, verifies it, and answers as the test's handler says (200 by default). */
class Receiver {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string>();
  readonly handlers = new Map<string, Handler>();
  /** Responses never answered (hanging receivers), ended at cleanup. */
  readonly hanging: http.ServerResponse[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const secret = this.secrets.get(path);
      let verified = false;
      if (secret) {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const request: Received = { path, headers: req.headers, body, verified };
      this.received.push(request);
      const handler = this.handlers.get(path);
      if (handler) handler(res, request);
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  reset(): void {
    for (const res of this.hanging.splice(0)) res.destroy();
    this.received.length = 0;
    this.secrets.clear();
    this.handlers.clear();
  }

  async close(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface DeliveryRow {
  id: string;
  webhook_id: number;
  event_id: string;
  payload_text: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  log: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms until it returns something truthy; fails after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('webhook delivery', () => {
  let h: Harness;
  let db: Client;
  let ownerId: number;
  const receiver = new Receiver();
  const dispatchers: WebhookDispatcher[] = [];
  const orms: MikroORM[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_TIMEOUT_MS: '1500' } });
    // The app's own dispatcher (app.ts) stops with it: here every dispatcher is the test's, with
    // the settings each case needs. (The harness's close() stops the app again, which is a no-op.)
    await h.app.apollo.stop();
    db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
    await h.signIn(Role.ADMIN);
    ownerId = (await db.query<{ id: number }>('select max(id) as id from app_user')).rows[0].id;
    await receiver.start();
  });

  afterEach(async () => {
    // Hanging answers first, so that closing waits for no timeout.
    for (const res of receiver.hanging.splice(0)) res.destroy();
    await Promise.all(dispatchers.splice(0).map((d) => d.close()));
    await Promise.all(orms.splice(0).map((orm) => orm.close()));
    await db.query('delete from webhook');
    // Every request the receiver got was a delivery signed with its webhook's secret.
    expect(receiver.received.filter((r) => !r.verified).map((r) => r.path)).toEqual([]);
    receiver.reset();
  });

  afterAll(async () => {
    await receiver.close();
    await db?.end();
    await h?.close();
  });

  function dispatcher(settings: Partial<Config['webhooks']> = {}, orm: MikroORM = h.orm): WebhookDispatcher {
    const d = new WebhookDispatcher(sessionConnection(orm, h.config), { ...h.config.webhooks, ...settings }, logger);
    dispatchers.push(d);
    return d;
  }

  /** A webhook posting to the receiver's `path` (or to `url`), with a fresh secret. */
  async function webhook(path: string, url = receiver.url + path, events = ['SCHEDULE_CHANGED']): Promise<number> {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    receiver.secrets.set(path, secret);
    const { rows } = await db.query<{ id: number }>(
      'insert into webhook (url, events, secret, owner_id) values ($1, $2, $3, $4) returning id',
      [url, events, secret, ownerId],
    );
    return rows[0].id;
  }

  /** A delivery to one webhook, written and notified as the outbox does, in one transaction. */
  async function enqueue(webhookId: number, eventId: string, data: Record<string, unknown> = {}): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `with d as (
         insert into webhook_delivery (webhook_id, event_id, event_type, payload)
         values ($1, $2, 'SCHEDULE_CHANGED', jsonb_build_object('type', 'SCHEDULE_CHANGED', 'timestamp', '2026-01-01T00:00:00.000Z', 'data', $3::jsonb))
         returning id)
       select id, pg_notify('webhook_delivery', '') from d`,
      [webhookId, eventId, JSON.stringify(data)],
    );
    return rows[0].id;
  }

  async function delivery(id: string): Promise<DeliveryRow> {
    const { rows } = await db.query<DeliveryRow>('select *, payload::text as payload_text from webhook_delivery where id = $1', [id]);
    return rows[0];
  }

  const settled = (id: string, status = 'DELIVERED') =>
    waitFor(`delivery ${id} ${status}`, async () => {
      const row = await delivery(id);
      return row.status === status && row;
    });

  const attempted = (id: string, attempts = 1) =>
    waitFor(`delivery ${id} attempted ${attempts} times`, async () => {
      const row = await delivery(id);
      return row.attempts >= attempts && row;
    });

  async function webhookRow(id: number): Promise<{ consecutive_failures: number; failing: boolean }> {
    return (await db.query('select consecutive_failures, failing from webhook where id = $1', [id])).rows[0];
  }

  it('delivers an event of the outbox signed, as stored, and records it', async () => {
    const hook = await webhook('/a');
    await dispatcher().start();
    await db.query(`select enqueue_webhook_event('SCHEDULE_CHANGED', 'x:1', array[1], '{"a":1}'::jsonb)`);
    const { rows } = await db.query<{ id: string }>('select id from webhook_delivery where webhook_id = $1', [hook]);
    expect(rows).toHaveLength(1);

    const row = await settled(rows[0].id);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.verified).toBe(true);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe(WEBHOOK_USER_AGENT);
    expect(request.headers['webhook-id']).toBe('x:1');
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Exactly the stored payload.
    expect(request.body).toBe(row.payload_text);
    expect(JSON.parse(request.body)).toEqual({ type: 'SCHEDULE_CHANGED', timestamp: expect.any(String), data: { a: 1 } });

    expect(row).toMatchObject({ attempts: 1, last_status: 200, last_error: null, next_attempt_at: null });
    expect(row.last_attempt_at).toBeInstanceOf(Date);
    expect(row.log).toEqual([{ at: expect.any(String), status: 200, error: null, durationMs: expect.any(Number) }]);
    expect(new Date(row.log[0].at).getTime()).toBe(row.last_attempt_at!.getTime());
    expect(await webhookRow(hook)).toEqual({ consecutive_failures: 0, failing: false });
  });

  it('sends no statement while idle', async () => {
    const hook = await webhook('/idle');
    await dispatcher().start();
    await settled(await enqueue(hook, 'idle:1'));
    await sleep(200); // the round's end: it times the next one
    const { statements } = await h.countStatements(() => sleep(400));
    expect(statements).toBe(0);
  });

  it('retries a failing endpoint with growing delays until it answers 2xx', async () => {
    const hook = await webhook('/flaky');
    let calls = 0;
    receiver.handlers.set('/flaky', (res) => {
      calls += 1;
      if (calls <= 2) res.writeHead(500).end('boom');
      else res.writeHead(204).end();
    });
    await dispatcher().start();
    const id = await enqueue(hook, 'flaky:1');

    const first = await attempted(id);
    expect(first).toMatchObject({ status: 'PENDING', last_status: 500, last_error: 'HTTP 500: boom' });
    expect(first.next_attempt_at).toBeInstanceOf(Date);

    const row = await settled(id);
    expect(row.attempts).toBe(3);
    expect(row.log.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(row.log.map((a) => a.error)).toEqual(['HTTP 500: boom', 'HTTP 500: boom', null]);
    expect(row).toMatchObject({ last_status: 204, last_error: null, next_attempt_at: null });
    // retryBaseMs 100: the second attempt 100 ms after the first, the third 400 ms after that.
    const at = row.log.map((a) => Date.parse(a.at));
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(95);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(395);
    expect(receiver.at('/flaky').every((r) => r.verified && r.headers['webhook-id'] === 'flaky:1')).toBe(true);
    expect(await webhookRow(hook)).toEqual({ consecutive_failures: 0, failing: false });
  });

  it('gives a delivery up after maxAttempts, and marks the webhook failing after 5 failures in a row', async () => {
    const hook = await webhook('/down');
    receiver.handlers.set('/down', (res) => res.writeHead(503).end('x'.repeat(500)));
    await dispatcher({ maxAttempts: 1 }).start();
    const ids: string[] = [];
    for (let i = 1; i <= 4; i += 1) ids.push(await enqueue(hook, `down:${i}`));
    for (const id of ids) await settled(id, 'FAILED');
    expect(await webhookRow(hook)).toEqual({ consecutive_failures: 4, failing: false });
    const last = await settled(await enqueue(hook, 'down:5'), 'FAILED');
    expect(last).toMatchObject({ attempts: 1, last_status: 503, next_attempt_at: null });
    expect(last.last_error).toBe(`HTTP 503: ${'x'.repeat(200)}`);
    expect(await webhookRow(hook)).toEqual({ consecutive_failures: 5, failing: true });
    // In order, one attempt each.
    expect(receiver.at('/down').map((r) => r.headers['webhook-id'])).toEqual(['down:1', 'down:2', 'down:3', 'down:4', 'down:5']);
  });

  it('keeps an endpoint’s order: events behind a failed one wait for its retry', async () => {
    const hook = await webhook('/order');
    let calls = 0;
    receiver.handlers.set('/order', (res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 500 : 200).end();
    });
    await dispatcher().start();
    const first = await enqueue(hook, 'order:1');
    await attempted(first);
    const second = await enqueue(hook, 'order:2');
    await settled(second);
    expect(receiver.at('/order').map((r) => r.headers['webhook-id'])).toEqual(['order:1', 'order:1', 'order:2']);
  });

  it('two dispatchers on one database deliver each event once, in order per endpoint', async () => {
    const hooks = { '/p': await webhook('/p'), '/q': await webhook('/q') };
    for (let i = 0; i < 2; i += 1) {
      const orm = await MikroORM.init(ormOptions(h.databaseUrl));
      orms.push(orm);
      await dispatcher({}, orm).start();
    }
    const sent: Record<string, string[]> = { '/p': [], '/q': [] };
    const ids: string[] = [];
    for (let i = 1; i <= 20; i += 1) {
      const path = i % 2 === 0 ? '/p' : '/q';
      const eventId = `pq:${i}`;
      sent[path].push(eventId);
      ids.push(await enqueue(hooks[path], eventId, { i }));
    }
    for (const id of ids) expect(await settled(id)).toMatchObject({ attempts: 1 });
    expect(receiver.received).toHaveLength(20);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    for (const path of ['/p', '/q'] as const) {
      expect(receiver.at(path).map((r) => r.headers['webhook-id'])).toEqual(sent[path]);
    }
  });

  it('delivers what was written while no dispatcher ran, once one starts', async () => {
    const hook = await webhook('/later');
    const first = dispatcher();
    await first.start();
    await first.close();
    const ids = [await enqueue(hook, 'later:1'), await enqueue(hook, 'later:2'), await enqueue(hook, 'later:3')];
    expect((await delivery(ids[0])).status).toBe('PENDING');
    await dispatcher().start();
    for (const id of ids) await settled(id);
    expect(receiver.at('/later').map((r) => r.headers['webhook-id'])).toEqual(['later:1', 'later:2', 'later:3']);
  });

  it('times out on a receiver that never answers, without delaying another endpoint', async () => {
    const slow = await webhook('/hang');
    const fast = await webhook('/fast');
    receiver.handlers.set('/hang', (res) => receiver.hanging.push(res));
    await dispatcher().start();
    const stuck = await enqueue(slow, 'hang:1');
    await waitFor('the hanging request', async () => receiver.at('/hang').length > 0);

    const started = Date.now();
    const quick = await settled(await enqueue(fast, 'fast:1'));
    expect(quick.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    // The hanging attempt is still under way.
    expect((await delivery(stuck)).attempts).toBe(0);

    const row = await attempted(stuck);
    expect(row).toMatchObject({ status: 'PENDING', last_status: null, last_error: 'timed out: no answer within 1500 ms' });
    expect(row.log[0].durationMs).toBeGreaterThanOrEqual(1400);
  });

  it('refuses a private address when allowPrivate is off, without sending anything', async () => {
    const hook = await webhook('/private');
    await dispatcher({ allowPrivate: false }).start();
    const row = await attempted(await enqueue(hook, 'private:1'));
    expect(row).toMatchObject({ status: 'PENDING', last_status: null, last_error: URL_PROBLEMS.notPublic });
    expect(row.log).toEqual([{ at: expect.any(String), status: null, error: URL_PROBLEMS.notPublic, durationMs: expect.any(Number) }]);
    expect(receiver.received).toHaveLength(0);
    expect(await webhookRow(hook)).toEqual({ consecutive_failures: 1, failing: false });
  });

  it('does not follow a redirect', async () => {
    const hook = await webhook('/moved');
    receiver.handlers.set('/moved', (res) => res.writeHead(302, { location: `${receiver.url}/elsewhere` }).end('see elsewhere'));
    await dispatcher().start();
    const row = await attempted(await enqueue(hook, 'moved:1'));
    expect(row).toMatchObject({ status: 'PENDING', last_status: 302, last_error: 'redirects are not followed (HTTP 302): see elsewhere' });
    expect(receiver.at('/elsewhere')).toHaveLength(0);
  });

  it('records a refused connection as an attempt with no answer', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const hook = await webhook('/refused', `http://127.0.0.1:${port}/refused`);
    await dispatcher().start();
    const row = await attempted(await enqueue(hook, 'refused:1'));
    expect(row).toMatchObject({ status: 'PENDING', last_status: null });
    expect(row.last_error).toMatch(/ECONNREFUSED/);
  });

  describe('webhookUrlProblem', () => {
    it.each([
      ['http://127.0.0.1/hook', URL_PROBLEMS.notPublic],
      ['http://127.1.2.3:8080/', URL_PROBLEMS.notPublic],
      ['http://0x7f.1/', URL_PROBLEMS.notPublic],
      ['http://localhost/', URL_PROBLEMS.notPublic],
      ['http://[::1]/', URL_PROBLEMS.notPublic],
      ['http://0.0.0.0/', URL_PROBLEMS.notPublic],
      ['http://[::]/', URL_PROBLEMS.notPublic],
      ['http://169.254.169.254/latest', URL_PROBLEMS.notPublic],
      ['http://10.0.0.1/', URL_PROBLEMS.notPublic],
      ['http://172.16.5.4/', URL_PROBLEMS.notPublic],
      ['http://172.31.255.255/', URL_PROBLEMS.notPublic],
      ['https://192.168.1.1/', URL_PROBLEMS.notPublic],
      ['http://100.64.0.1/', URL_PROBLEMS.notPublic],
      ['http://224.0.0.1/', URL_PROBLEMS.notPublic],
      ['http://[fd00::1]/', URL_PROBLEMS.notPublic],
      ['http://[fe80::1]/', URL_PROBLEMS.notPublic],
      ['http://[ff02::1]/', URL_PROBLEMS.notPublic],
      ['http://[::ffff:127.0.0.1]/', URL_PROBLEMS.notPublic],
      ['http://[::ffff:169.254.169.254]/', URL_PROBLEMS.notPublic],
      ['http://[::ffff:10.0.0.1]/', URL_PROBLEMS.notPublic],
      ['ftp://x/', URL_PROBLEMS.notHttp],
      ['file:///etc/passwd', URL_PROBLEMS.notHttp],
      ['/relative/path', URL_PROBLEMS.notHttp],
      ['not a url', URL_PROBLEMS.notHttp],
      ['http://user:pw@example.com/', URL_PROBLEMS.credentials],
      ['http://user@example.com/', URL_PROBLEMS.credentials],
      ['http://nonexistent.invalid/', URL_PROBLEMS.doesNotResolve],
    ])('%s: %s', async (url, problem) => {
      expect(await webhookUrlProblem(url, false)).toBe(problem);
    });

    it.each([
      ['http://172.15.255.255/'],
      ['http://172.32.0.1/'],
      ['http://100.128.0.1/'],
      ['http://8.8.8.8/'],
      ['https://[2001:4860:4860::8888]/hook'],
      ['http://[::ffff:8.8.8.8]/'],
    ])('%s is a public address', async (url) => {
      expect(await webhookUrlProblem(url, false)).toBeNull();
    });

    it.each([
      ['http://127.0.0.1/hook'],
      ['http://localhost:8080/'],
      ['http://[::1]/'],
      ['http://10.0.0.1/'],
      ['http://[::ffff:127.0.0.1]/'],
    ])('%s is fine with allowPrivate', async (url) => {
      expect(await webhookUrlProblem(url, true)).toBeNull();
    });

    it('still refuses what is not an http URL, or does not resolve, with allowPrivate', async () => {
      expect(await webhookUrlProblem('ftp://127.0.0.1/', true)).toBe(URL_PROBLEMS.notHttp);
      expect(await webhookUrlProblem('http://a:b@127.0.0.1/', true)).toBe(URL_PROBLEMS.credentials);
      expect(await webhookUrlProblem('http://nonexistent.invalid/', true)).toBe(URL_PROBLEMS.doesNotResolve);
    });
  });
});
