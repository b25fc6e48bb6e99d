import { AsyncResource } from 'node:async_hooks';
import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config';
import { sessionConnection } from './db/session-connection';
import { logger as processLogger } from './logger';
import { currentRequest, type ReadLog } from './request-log';
import { PgListener } from './shared/pg-listener';

/** The channel the content_changed triggers notify (migration ..._content_changed_notify). */
const CHANNEL = 'content_changed';
/** How the listener's connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'forum-portal response cache';
/** setTimeout's longest delay; a later embargo is looked up again when it fires. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Estimated bookkeeping per entry besides its key, headers, body and tags. */
const ENTRY_OVERHEAD_BYTES = 200;
/** Estimated bookkeeping per tag of an entry (the tag index's set entry). */
const TAG_OVERHEAD_BYTES = 50;
/**
 * The tag of entries cleared by any change: answers that read outside the tagged read path. As a
 * notification's tag, it clears every entry (a truncate, or too many tags for one notification).
 */
const EVERYTHING = '*';

/**
 * Milliseconds (by the database's clock) until the next article becomes public without a write:
 * the complement, in time only, of publicArticle() in article/article.visibility.ts.
 */
const NEXT_EMBARGO_SQL =
  "select extract(epoch from min(published_at) - now()) * 1000 as ms from article where status <> 'DRAFT' and published_at > now()";

/**
 * Mutations that change nothing a cached response shows before CACHE_MAX_AGE would end it anyway:
 * page views (article_view_day and article.view_count, which the triggers ignore too).
 */
const VIEW_COUNTING_FIELDS = new Set(['recordArticleView']);

interface StoredResponse {
  status: number;
  headers: [string, string | number | string[]][];
  body: Buffer;
  operationName: string | undefined;
  storedAt: number;
  expiresAt: number;
  bytes: number;
  /** What the answer read (read-tags.ts), or EVERYTHING. */
  tags: string[];
}

/** An answer being computed: what it reads, and what changed meanwhile. */
interface Pending {
  reads: ReadLog;
  /** Tags of the changes notified since it started (clearing everything moves the generation instead). */
  changed: Set<string>;
}

/** Counts the cache's clearings (metrics.ts: a prom-client Counter fits); the cache works without one. */
export interface ClearingCounter {
  inc(labels: { scope: 'all' | 'tags' }): void;
}

type RawBodyRequest = http.IncomingMessage & { rawBody?: Buffer };

/** The JSON parser's `verify` hook: keeps the body as sent, which is part of the cache key. */
export function keepRawBody(req: http.IncomingMessage, _res: http.ServerResponse, body: Buffer): void {
  (req as RawBodyRequest).rawBody = body;
}

function present(value: string | undefined): string {
  return value === undefined ? '-' : `=${value}`;
}

/**
 * Everything an anonymous answer depends on, or Apollo's decision to refuse the request: method,
 * URL (a GET's operation), body, Accept (response content type), Accept-Language, and what CSRF
 * prevention looks at (content type, a non-empty preflight header). So a request that would have
 * been refused never finds an entry: refusals are not public, so never stored. Header values cannot
 * hold a newline, which therefore separates the parts.
 */
function keyOf(req: Request): string {
  const { headers } = req;
  return [
    req.method,
    req.originalUrl,
    present(headers.accept),
    present(headers['accept-language']),
    present(headers['content-type']),
    headers['apollo-require-preflight'] ? 'preflight' : '',
    headers['x-apollo-operation-name'] ? 'operation-name' : '',
    (req as RawBodyRequest).rawBody?.toString('latin1') ?? '',
  ].join('\n');
}

/** Whether the operation may have changed public data: any mutation besides counting views. */
function writesContent(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation?.operation === 'mutation' &&
    !operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && VIEW_COUNTING_FIELDS.has(s.name.value))
  );
}

/**
 * An in-process cache of the responses Apollo sends with `Cache-Control: public` (successful
 * anonymous queries, decided by httpCachePlugin alone), answered before Apollo: no parsing, no SQL.
 *
 * Each entry lives at most CACHE_MAX_AGE and carries the tags of what its answer read (read-tags.ts).
 * PostgreSQL's content_changed notifications (any process's write, at commit; migration
 * ..._content_changed_tags) name the tags a change made stale, and only the entries holding one
 * of them are dropped; an answer being computed while a change it read is notified is not kept.
 * A mutation answered here is sent only once the listener has received the notifications of its
 * commit (read-your-writes). The whole cache is dropped when an embargoed article's time comes and
 * when the listening connection is lost: while it is down, changes could go unnoticed, so the
 * cache is neither read nor filled until it listens again.
 */
export class ResponseCache {
  private readonly entries = new Map<string, StoredResponse>();
  /** The keys of the entries holding each tag. */
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly pending = new Set<Pending>();
  private bytes = 0;
  /** Moves whenever everything is dropped; an answer computed by a request that started before is not kept. */
  private generation = 0;
  private readonly listener: PgListener;
  private embargoTimer: NodeJS.Timeout | undefined;
  private embargoLookupRunning = false;
  private embargoLookupAgain = false;
  /*
   * Bound here, outside any request: the lookup may be started by a request (its mutation), whose
   * statement count in the request log must not include it.
   */
  private readonly lookUpNextEmbargoOutsideRequests = AsyncResource.bind(() => void this.lookUpNextEmbargo());

  constructor(
    connection: ClientConfig,
    private readonly budgetBytes: number,
    private readonly maxAgeMs: number,
    private readonly log: Logger,
    private readonly clearings?: ClearingCounter,
  ) {
    this.listener = new PgListener(connection, LISTENER_APPLICATION_NAME, [CHANNEL], {
      notification: (_channel, payload) => this.invalidateTags(payload ? payload.split(' ') : []),
      listening: (again) => {
        if (again) this.log.info('response cache: listening for content changes again');
        // Entries from before were dropped with the connection; the embargo may have moved meanwhile.
        this.invalidate('listening');
      },
      lost: (error, retryInMs) => {
        this.clear();
        this.log.warn(
          { err: error, retryInMs },
          'response cache: no connection listening for content changes; the cache is bypassed until there is one',
        );
      },
    });
  }

  /** Connects the listener; resolves after the first attempt (later ones retry in the background). */
  async start(): Promise<void> {
    await this.listener.start();
  }

  /** Stops listening and empties the cache; nothing keeps the process alive afterwards. */
  async close(): Promise<void> {
    clearTimeout(this.embargoTimer);
    this.clear();
    await this.listener.close();
  }

  /** Drops every entry, and any answer still being computed from earlier reads. */
  invalidate(reason: string): void {
    this.log.debug({ reason }, 'response cache cleared');
    this.clear();
    this.lookUpNextEmbargoOutsideRequests();
  }

  /** Drops the entries, and the answers being computed, that read any of `tags`. */
  invalidateTags(tags: readonly string[]): void {
    if (tags.length === 0 || tags.includes(EVERYTHING)) {
      this.invalidate('everything changed');
      return;
    }
    let dropped = 0;
    for (const tag of [...tags, EVERYTHING]) {
      for (const key of this.keysByTag.get(tag) ?? []) {
        this.remove(key);
        dropped += 1;
      }
    }
    for (const { changed } of this.pending) for (const tag of tags) changed.add(tag);
    this.log.debug({ tags: tags.length, dropped }, 'response cache entries cleared');
    this.clearings?.inc({ scope: 'tags' });
    // An article's change may move the next embargo.
    if (tags.includes('article')) this.lookUpNextEmbargoOutsideRequests();
  }

  /**
   * Resolves once the listener has received every notification committed before the call: a
   * query on its connection is answered only after the notifications pending for it. Without a
   * listener, drops everything instead.
   */
  private async catchUp(): Promise<void> {
    if (!this.listener.listening) return this.invalidate('mutation answered while not listening');
    try {
      await this.listener.query('select 1');
    } catch {
      // The listener's own error handler drops the cache and reconnects.
    }
  }

  /*
   * Outside any request, like the embargo lookup: the mutation's statement count must not include it.
   */
  private readonly catchUpOutsideRequests = AsyncResource.bind(() => this.catchUp());

  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const state = currentRequest();
    const cacheable = this.listener.listening && (req.method === 'GET' || req.method === 'POST') && req.headers.authorization === undefined;
    if (!cacheable) {
      if (state) state.cache = 'bypass';
      res.setHeader('X-Cache', 'BYPASS');
      this.beforeSend(res, () => undefined);
      next();
      return;
    }
    const key = keyOf(req);
    const hit = this.lookup(key);
    if (hit) {
      if (state) {
        state.cache = 'hit';
        state.operationName = hit.operationName;
      }
      res.setHeader('X-Cache', 'HIT');
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      res.setHeader('Age', String(Math.floor((Date.now() - hit.storedAt) / 1000)));
      res.status(hit.status).send(hit.body);
      return;
    }
    if (state) state.cache = 'miss';
    res.setHeader('X-Cache', 'MISS');
    const generation = this.generation;
    const pending: Pending | undefined = state && { reads: (state.reads = { tags: new Set(), statements: 0 }), changed: new Set() };
    if (pending) {
      this.pending.add(pending);
      res.once('close', () => this.pending.delete(pending));
    }
    const before = res.getHeaders();
    this.beforeSend(res, (body) => {
      if (res.statusCode !== 200 || !String(res.getHeader('cache-control')).startsWith('public')) return undefined;
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) return undefined;
      // What Apollo and its plugins set (content type, Cache-Control); the rest is set again by
      // the middleware before this one on every request, hits included.
      const headers = Object.entries(res.getHeaders()).filter(
        ([name, value]) => String(value) !== String(before[name]),
      ) as StoredResponse['headers'];
      return () => {
        if (generation !== this.generation || !this.listener.listening || !pending || !state) return;
        this.pending.delete(pending);
        const { reads, changed } = pending;
        // A statement outside the tagged read path: the answer may depend on anything.
        const tags = state.statements > reads.statements ? [EVERYTHING] : [...reads.tags];
        if (changed.size > 0 && (tags[0] === EVERYTHING || tags.some((tag) => changed.has(tag)))) return;
        const etag = res.getHeader('etag'); // made by res.send: kept so that hits skip hashing
        if (etag !== undefined) headers.push(['etag', etag]);
        this.store(key, headers, typeof body === 'string' ? Buffer.from(body) : body, state.operationName, tags);
      };
    });
    next();
  };

  /**
   * Runs `inspect` when Apollo sends the response (res.send, before any byte goes out), and what
   * it returns after. A mutation's answer waits there, its transaction committed, until the
   * listener has the notifications of its changes: its client's next read can't find an entry
   * the mutation made stale.
   */
  private beforeSend(res: Response, inspect: (body: unknown) => (() => void) | undefined): void {
    const send = res.send;
    res.send = ((body?: unknown) => {
      res.send = send;
      if (writesContent(currentRequest()?.operation)) {
        void this.catchUpOutsideRequests()
          .then(() => send.call(res, body))
          .catch((error: unknown) => this.log.error({ err: error }, 'response cache: could not send the answer to a mutation'));
        return res;
      }
      const after = inspect(body);
      const sent = send.call(res, body);
      after?.();
      return sent;
    }) as Response['send'];
  }

  private lookup(key: string): StoredResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry); // now the most recently used: evicted last
    return entry;
  }

  private store(key: string, headers: StoredResponse['headers'], body: Buffer, operationName: string | undefined, tags: string[]): void {
    const bytes =
      ENTRY_OVERHEAD_BYTES +
      key.length +
      body.length +
      headers.reduce((sum, [name, value]) => sum + name.length + String(value).length, 0) +
      tags.reduce((sum, tag) => sum + TAG_OVERHEAD_BYTES + tag.length, 0);
    if (bytes > this.budgetBytes) return;
    this.remove(key);
    const now = Date.now();
    this.entries.set(key, { status: 200, headers, body, operationName, storedAt: now, expiresAt: now + this.maxAgeMs, bytes, tags });
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.bytes += bytes;
    for (const oldKey of this.entries.keys()) {
      if (this.bytes <= this.budgetBytes) break;
      this.remove(oldKey);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }

  private clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.keysByTag.clear();
    this.bytes = 0;
    this.clearings?.inc({ scope: 'all' });
  }

  /**
   * Schedules an invalidation for when the next embargoed article becomes public: one statement
   * per invalidation, never per request. Invalidations during a lookup make it run once more.
   */
  private async lookUpNextEmbargo(): Promise<void> {
    if (this.embargoLookupRunning) {
      this.embargoLookupAgain = true;
      return;
    }
    this.embargoLookupRunning = true;
    try {
      do {
        this.embargoLookupAgain = false;
        const rows = await this.listener.query<{ ms: string | null }>(NEXT_EMBARGO_SQL);
        if (!rows) return;
        clearTimeout(this.embargoTimer);
        const ms = rows[0]?.ms;
        if (ms !== null && ms !== undefined) {
          this.embargoTimer = setTimeout(
            () => this.invalidate('embargo lifted'),
            Math.min(Math.ceil(Number(ms)), LONGEST_TIMER_MS),
          ).unref();
        }
      } while (this.embargoLookupAgain);
    } catch (error) {
      // A lost connection is handled (and logged) by the listener's own error handler.
      if (this.listener.listening) this.log.warn({ err: error }, 'response cache: could not look up the next embargo');
    } finally {
      this.embargoLookupRunning = false;
    }
  }
}

/**
 * The /graphql middleware that answers from the response cache, to mount before Apollo's; a
 * pass-through when RESPONSE_CACHE_MB or CACHE_MAX_AGE is 0. Listens on a session connection of its
 * own (sessionConnection: DATABASE_LISTEN_URL, else the ORM's settings), outside the ORM's pool,
 * and closes it with the HTTP server (apollo.stop() closes that).
 */
export async function startResponseCache(
  orm: MikroORM,
  config: Config,
  options: { httpServer: http.Server; logger?: Logger; clearings?: ClearingCounter },
): Promise<RequestHandler> {
  if (config.responseCacheBytes === 0 || config.cacheMaxAgeSeconds === 0) return (_req, _res, next) => next();
  const cache = new ResponseCache(
    sessionConnection(orm, config),
    config.responseCacheBytes,
    config.cacheMaxAgeSeconds * 1000,
    options.logger ?? processLogger,
    options.clearings,
  );
  options.httpServer.once('close', () => void cache.close());
  await cache.start();
  return cache.middleware;
}
