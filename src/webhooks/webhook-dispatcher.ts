import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Pool, type ClientConfig, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import { Webhook as Signer } from 'standardwebhooks';
import type { Config } from '../config';
import { PgListener } from '../shared/pg-listener';
import { resolveWebhookUrl } from './ssrf';

/** The channel the outbox triggers notify when they write deliveries (enqueue_webhook_event). */
export const WEBHOOK_CHANNEL = 'webhook_delivery';
/** How the dispatcher's connections show in pg_stat_activity. */
export const WEBHOOKS_APPLICATION_NAME = 'forum-portal webhooks';
/** The `user-agent` of every delivery. */
export const WEBHOOK_USER_AGENT = 'forum-portal-webhooks';

/** Endpoints one process delivers to at the same time (and connections it holds for them). */
const ENDPOINTS_AT_ONCE = 5;
/** Deliveries sent to one endpoint before it is let go (and claimed again, by any process). */
const DELIVERIES_PER_CLAIM = 20;
/** Failed deliveries in a row after which a webhook shows as failing. */
const FAILING_AFTER = 5;
/** The longest wait between two attempts. */
const LONGEST_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;
/** Characters of a failed answer's body kept in last_error. */
const BODY_CHARS = 200;
/** The first key of the dispatcher's advisory locks ("whk"); the second is the webhook id. */
const LOCK_CLASS = 0x77686b;
/** After an error of the dispatcher itself (the database unreachable, …): when to try again. */
const RETRY_AFTER_ERROR_MS = 5_000;
/** While another process holds a due endpoint: when to look again (in case that process dies). */
const RECHECK_BUSY_MS = 5_000;
/** Longest start() waits for the first round. */
const START_WAIT_MS = 2_000;
/** setTimeout's longest delay; a later due time is looked up again when it fires. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Bounds of the dispatcher's own statements and connects. */
const STATEMENT_TIMEOUT_MS = 5_000;

interface Endpoint {
  id: number;
  url: string;
  secret: string;
}

interface Due {
  /** bigint: pg gives it as text. */
  id: string;
  event_id: string;
  /** The stored payload as text: the exact bytes signed and sent. */
  body: string;
  due: boolean;
}

/** One attempt as the delivery's `log` keeps it. */
interface Attempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/*
 * Locking. An endpoint is claimed with a session-level advisory lock (LOCK_CLASS, webhook id) on
 * one of the dispatcher's own connections, held while its deliveries are attempted one after the
 * other, and each attempt's outcome is committed on its own, at once. A process skips an endpoint
 * whose lock another holds, so two processes never deliver to one endpoint at once, and each
 * endpoint gets its events in order.
 *
 * Why not a transaction that holds `select … for update skip locked` on the webhook row over the
 * attempts: it would stay open for up to 20 HTTP requests (minutes with slow receivers), and
 * - every write that enqueues an event for that webhook would wait for it: the outbox insert's
 *   foreign key check takes KEY SHARE on the webhook row, which FOR UPDATE blocks (the agenda
 *   edit would fail on its statement timeout). FOR NO KEY UPDATE would let those through, but an
 *   API edit, secret rotation or deletion of the webhook would still wait for the receiver;
 * - the outcomes would show only at its end, and a crash would roll back the deliveries already
 *   made, which would then all be sent again;
 * - an open transaction with an xid holds back vacuum, and counts against any
 *   idle_in_transaction_session_timeout.
 * An advisory lock locks no row, and it ends with its connection as a row lock does: a process
 * that dies lets its endpoints go. The lock is taken and given back on the same connection, which
 * is thrown away (not returned to the pool) after any error, so no lock outlives its worker.
 *
 * Order. An endpoint is due when its oldest PENDING delivery is: after a failure, the events
 * behind it wait for its retry, so an endpoint never gets an event before an earlier one.
 */

/**
 * The endpoints with due work, in id order, and the first of them this connection can lock. The
 * candidates are materialised and the lock is tried in the outer query's filter under LIMIT 1:
 * the executor pulls candidate rows one at a time and stops at the first locked, so no lock is
 * taken on a row that is not returned.
 */
const CLAIM_SQL = `
with candidates as materialized (
  select w.id, w.url, w.secret from webhook w
  where w.id in (select d.webhook_id from webhook_delivery d where d.status = 'PENDING' and d.next_attempt_at <= now())
    and (select h.next_attempt_at from webhook_delivery h
          where h.webhook_id = w.id and h.status = 'PENDING' order by h.id limit 1) <= now()
  order by w.id
)
select id, url, secret from candidates where pg_try_advisory_lock($1, id) limit 1`;

/** The claimed endpoint's oldest PENDING deliveries, each with whether it is due. */
const DUE_SQL = `
select d.id, d.event_id, d.payload::text as body, d.next_attempt_at <= now() as due
from webhook_delivery d where d.webhook_id = $1 and d.status = 'PENDING' order by d.id limit $2`;

/**
 * One attempt recorded, with its webhook's failure count, in one statement (one commit):
 * $1 delivery, $2 webhook, $3 success, $4 at, $5 status, $6 error, $7 log entry, $8 max attempts,
 * $9 first retry delay, $10 longest delay, $11 failing after.
 */
const RECORD_SQL = `
with d as (
  update webhook_delivery set
    attempts = attempts + 1,
    last_attempt_at = $4,
    last_status = $5,
    last_error = $6,
    log = log || jsonb_build_array($7::jsonb),
    status = case when $3 then 'DELIVERED' when attempts + 1 >= $8 then 'FAILED' else 'PENDING' end,
    next_attempt_at = case when $3 or attempts + 1 >= $8 then null
      else now() + least($9::float8 * power(4, attempts), $10::float8) * interval '1 millisecond' end
  where id = $1 and status = 'PENDING'
  returning 1
)
update webhook set
  consecutive_failures = case when $3 then 0 else consecutive_failures + 1 end,
  failing = not $3 and consecutive_failures + 1 >= $11
where id = $2 and exists (select 1 from d)`;

/**
 * When the next attempt falls due, in milliseconds from now (negative: due already), over the
 * endpoints no other process holds; and whether another process holds a due one.
 */
const NEXT_DUE_SQL = `
with heads as (
  select distinct on (d.webhook_id) d.webhook_id, d.next_attempt_at
  from webhook_delivery d where d.status = 'PENDING' order by d.webhook_id, d.id
), held as (
  select h.*, exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
                        and l.classid = $1::int::oid and l.objid = h.webhook_id::oid and l.objsubid = 2 and l.granted) as busy
  from heads h
)
select extract(epoch from min(next_attempt_at) filter (where not busy) - now()) * 1000 as next_ms,
       coalesce(bool_or(busy and next_attempt_at <= now()), false) as busy
from held`;

/**
 * Sends the webhooks' deliveries: the outbox rows the triggers write (see the migration
 * ..._webhooks), to the endpoints, signed as Standard Webhooks, retried with growing delays.
 *
 * Work is looked for when PostgreSQL notifies that deliveries were written, when listening
 * starts (again: notifications in between are lost), and when the next retry falls due (a timer
 * set from the database after each round). Idle, it sends no statement at all.
 *
 * Up to ENDPOINTS_AT_ONCE workers each claim an endpoint (see "Locking" above), send it up to
 * DELIVERIES_PER_CLAIM due deliveries in order, stop at its first failure, let it go and claim
 * the next; a worker that claims one starts another, so a slow or dead receiver holds only its own
 * worker. Every attempt is bounded by timeoutMs (its DNS lookup included), and nothing is thrown
 * out of the loop: errors are logged and the work is looked for again later.
 */
export class WebhookDispatcher {
  private readonly listener: PgListener;
  /** The workers' connections, apart from the ORM's pool: receivers never hold up requests. */
  private readonly pool: Pool;
  private timer: NodeJS.Timeout | undefined;
  private workers = 0;
  /** Workers running, and the timing of the next round: what close() waits for. */
  private readonly running = new Set<Promise<void>>();
  /** Counts the calls for work: a worker that found none looks again if one came meanwhile. */
  private calls = 0;
  /** Something failed in this round: look again after RETRY_AFTER_ERROR_MS at the latest. */
  private failed = false;
  private closing: Promise<void> | undefined;

  /** `connection`: a session connection (sessionConnection), since the locks are session-level. */
  constructor(
    connection: ClientConfig,
    private readonly settings: Config['webhooks'],
    private readonly log: Logger,
  ) {
    this.pool = new Pool({
      ...connection,
      application_name: WEBHOOKS_APPLICATION_NAME,
      max: ENDPOINTS_AT_ONCE,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: STATEMENT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      allowExitOnIdle: true,
    });
    // An idle connection that breaks is dropped by the pool; without a listener it would crash.
    this.pool.on('error', (error) => this.log.warn({ err: error }, 'webhooks: a connection of the dispatcher broke'));
    this.listener = new PgListener(connection, WEBHOOKS_APPLICATION_NAME, [WEBHOOK_CHANNEL], {
      notification: () => this.wake(),
      listening: (again) => {
        if (again) this.log.info('webhooks: listening for deliveries again');
        this.wake();
      },
      lost: (error, retryInMs) => this.log.warn({ err: error, retryInMs }, 'webhooks: no connection listening for deliveries; retrying'),
    });
  }

  /** Starts listening, and delivers what is due already (in the background). */
  /**
   * Listens, and resolves once the first round (what was due at start) has ended, or after
   * START_WAIT_MS when receivers are slow: the start-up's own statements come before the process
   * reports ready, and a slow receiver does not hold the start back.
   */
  async start(): Promise<void> {
    await this.listener.start();
    const started = Date.now();
    while (this.running.size > 0 && Date.now() - started < START_WAIT_MS) {
      await Promise.race([Promise.all([...this.running]), new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref())]);
    }
  }

  /**
   * Stops: no new attempt starts, the ones under way end (each within timeoutMs) and are
   * recorded, then the connections close. Nothing keeps the process alive afterwards.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      while (this.running.size > 0) await Promise.all(this.running);
      await this.listener.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  /** Work may be due: a worker looks for it, unless all of them are busy (they look next). */
  private wake(): void {
    if (this.closing) return;
    this.calls += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.workers < ENDPOINTS_AT_ONCE) this.startWorker();
  }

  private startWorker(): void {
    this.workers += 1;
    const worker = this.work().finally(() => {
      this.workers -= 1;
      this.running.delete(worker);
      if (this.workers === 0 && !this.closing) this.track(this.timeNextRound());
    });
    this.running.add(worker);
  }

  private track(task: Promise<void>): void {
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Claims endpoints and delivers to them until none is due (or the dispatcher closes). */
  private async work(): Promise<void> {
    let client: PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await this.pool.connect();
      while (!this.closing) {
        const calls = this.calls;
        const [endpoint] = (await client.query<Endpoint>(CLAIM_SQL, [LOCK_CLASS])).rows;
        if (!endpoint) {
          if (this.calls === calls) return;
          continue;
        }
        // Other endpoints may be due too: another worker looks for them meanwhile.
        if (this.workers < ENDPOINTS_AT_ONCE) this.startWorker();
        try {
          await this.deliver(client, endpoint);
        } finally {
          await client.query('select pg_advisory_unlock($1, $2)', [LOCK_CLASS, endpoint.id]);
        }
      }
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      this.failed = true;
      if (!this.closing) this.log.warn({ err: error }, 'webhooks: delivering failed; trying again later');
    } finally {
      // After an error the connection is closed rather than reused: a lock it may still hold ends with it.
      client?.release(broken);
    }
  }

  /** Sends the claimed endpoint its due deliveries in order, up to the first failure. */
  private async deliver(client: PoolClient, endpoint: Endpoint): Promise<void> {
    const deliveries = (await client.query<Due>(DUE_SQL, [endpoint.id, DELIVERIES_PER_CLAIM])).rows;
    let signer: Signer | undefined;
    try {
      signer = new Signer(endpoint.secret);
    } catch {
      // recorded as each attempt's error below
    }
    for (const delivery of deliveries) {
      if (!delivery.due || this.closing) return;
      const attempt = await this.attempt(endpoint, signer, delivery);
      const success = attempt.error === null;
      await client.query(RECORD_SQL, [
        delivery.id,
        endpoint.id,
        success,
        attempt.at,
        attempt.status,
        attempt.error,
        JSON.stringify(attempt),
        this.settings.maxAttempts,
        this.settings.retryBaseMs,
        LONGEST_RETRY_DELAY_MS,
        FAILING_AFTER,
      ]);
      if (!success) {
        this.log.info(
          { webhookId: endpoint.id, deliveryId: delivery.id, status: attempt.status, error: attempt.error },
          'webhooks: a delivery attempt failed',
        );
        return;
      }
    }
  }

  /** One POST of one delivery, never throwing: its outcome as the log keeps it. */
  private async attempt(endpoint: Endpoint, signer: Signer | undefined, delivery: Due): Promise<Attempt> {
    const at = new Date();
    const started = performance.now();
    const outcome = (status: number | null, error: string | null): Attempt => ({
      at: at.toISOString(),
      status,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    if (!signer) return outcome(null, "the webhook's secret is not valid");
    const { timeoutMs, allowPrivate } = this.settings;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      // Resolved and checked again now (DNS may have changed since the webhook was made), and
      // the request connects to exactly the addresses checked.
      const target = await untilAborted(resolveWebhookUrl(endpoint.url, allowPrivate), deadline.signal);
      if (target.problem !== undefined) return outcome(null, target.problem);
      const timestamp = new Date();
      const answer = await post(
        target.url,
        target.addresses,
        {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(delivery.body)),
          'user-agent': WEBHOOK_USER_AGENT,
          'webhook-id': delivery.event_id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signer.sign(delivery.event_id, timestamp, delivery.body),
        },
        delivery.body,
        deadline.signal,
      );
      if (answer.status >= 200 && answer.status < 300) return outcome(answer.status, null);
      const message =
        answer.status >= 300 && answer.status < 400 ? `redirects are not followed (HTTP ${answer.status})` : `HTTP ${answer.status}`;
      const body = clip(answer.body);
      return outcome(answer.status, body === '' ? message : `${message}: ${body}`);
    } catch (error) {
      if (deadline.signal.aborted) return outcome(null, `timed out: no answer within ${timeoutMs} ms`);
      return outcome(null, clip(error instanceof Error ? error.message : String(error)) || 'the request failed');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * After a round: times the next one for the earliest retry due, from the database's clock.
   * Undefined rows: not listening, and listening again wakes the dispatcher anyway.
   */
  private async timeNextRound(): Promise<void> {
    let delay: number | undefined;
    try {
      const [row] = (await this.listener.query<{ next_ms: string | null; busy: boolean }>(NEXT_DUE_SQL, [LOCK_CLASS])) ?? [];
      if (row?.next_ms != null) delay = Math.max(0, Math.ceil(Number(row.next_ms)));
      // Another process is delivering to an endpoint with due work: it goes on until that is
      // done, but if it dies its endpoint must not wait for the next event.
      if (row?.busy) delay = Math.min(delay ?? RECHECK_BUSY_MS, RECHECK_BUSY_MS);
    } catch (error) {
      this.failed = true;
      if (this.listener.listening && !this.closing) this.log.warn({ err: error }, 'webhooks: could not look up the next due delivery');
    }
    if (this.failed) delay = Math.min(delay ?? RETRY_AFTER_ERROR_MS, RETRY_AFTER_ERROR_MS);
    // A round that started meanwhile times the next one itself.
    if (this.closing || this.workers > 0) return;
    this.failed = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (delay !== undefined) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.wake();
        },
        Math.min(delay, LONGEST_TIMER_MS),
      ).unref();
    }
  }
}

/** At most BODY_CHARS characters (whole code points), without NULs, which PostgreSQL text refuses. */
function clip(text: string): string {
  return Array.from(text.replace(/\0/g, '')).slice(0, BODY_CHARS).join('');
}

/** `promise`, or a rejection once `signal` aborts (the work itself goes on, unobserved). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * POSTs `body` to `url`, connecting only to `addresses` (the ones checked: no second DNS lookup
 * in between), on a connection of its own that is closed afterwards. node:http rather than
 * fetch, because Node's fetch takes no lookup function without the undici package. Redirects
 * are not followed (node:http never does). Resolves with the status and, unless it is 2xx, up
 * to BODY_CHARS characters of the body (the rest is not read); rejects when there is no answer.
 */
function post(
  url: URL,
  addresses: LookupAddress[],
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const lookup: LookupFunction = (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no IPv${family} address for ${hostname}`);
      error.code = 'ENOTFOUND';
      return callback(error, '', 0);
    }
    if (options.all) return callback(null, usable);
    return callback(null, usable[0].address, usable[0].family);
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers,
      agent: false,
      lookup,
      signal,
    });
    request.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let text = '';
      const answer = () => {
        response.destroy();
        if (settled) return;
        settled = true;
        resolve({ status, body: text });
      };
      if (status >= 200 && status < 300) return answer();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (text.length >= BODY_CHARS) answer();
      });
      // A body cut short (or timed out) still leaves the answer's status.
      response.on('end', answer);
      response.on('error', answer);
      response.on('close', answer);
    });
    request.end(body);
  });
}
