import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router, type Request } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { currentRequest, type RequestSummary } from './request-log';
import { otherMethods, sendError } from './shared/http';

/** Every series starts with it, prom-client's default process metrics included. */
const PREFIX = 'forum_portal_';

/**
 * Operation names are chosen by clients, so there is no end to them: the first
 * MAX_OPERATION_NAMES distinct ones get a series of their own, any later one counts as "other".
 * Only names of operations that passed parsing and validation get here (the request log learns
 * them from Apollo's didResolveOperation, or from a cached answer), and the portal's own clients
 * send theirs from the first minutes after a start. A client inventing names can push later names
 * into "other" until the next restart, but never grow the memory or the scrape. Over-long names
 * are "other" too: a label is no place for a kilobyte.
 */
const MAX_OPERATION_NAMES = 100;
const MAX_OPERATION_NAME_LENGTH = 100;

/** From a cached answer (under 1 ms) to the pool's acquire timeout and beyond. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** 0 for a cache hit, 1–5 for the read path, dozens when something went N+1. */
const STATEMENT_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 50, 100];

const REFUSAL_REASONS = ['rate_limit', 'overload'] as const;

/** The knex pool (tarn) under MikroORM's connection, as far as it is read here. */
interface PoolCounts {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * The app's Prometheus metrics, in a registry of its own (never prom-client's global one: tests run
 * many apps in one process). Request series come from the request log's account of each finished
 * request (request-log.ts), so statements are counted once, for both; the pool is read at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly graphqlDuration = new Histogram({
    name: `${PREFIX}graphql_request_duration_seconds`,
    help: 'Time from receiving a /graphql request to its response, by operation name ("anonymous" without one, "other" past the first 100 names).',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from receiving a plain-HTTP request (exports, feeds, oEmbed, import, probes) to its response, by route pattern ("unmatched" for none).',
    labelNames: ['route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly statements = new Histogram({
    name: `${PREFIX}sql_statements_per_request`,
    help: 'SQL statements sent to PostgreSQL on behalf of one HTTP request.',
    buckets: STATEMENT_BUCKETS,
    registers: [this.registry],
  });
  private readonly internalErrors = new Counter({
    name: `${PREFIX}internal_errors_total`,
    help: 'Requests answered with an unexpected error (GraphQL INTERNAL_SERVER_ERROR or HTTP 500), each logged with its request id.',
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: `${PREFIX}refusals_total`,
    help: 'Requests refused to protect the service: rate_limit (RATE_LIMITED, HTTP 429) or overload (admission control, HTTP 503).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly cacheResults = new Counter({
    name: `${PREFIX}response_cache_requests_total`,
    help: 'GraphQL requests seen by the response cache: hit (answered from memory), miss (run, maybe kept), bypass (not cacheable).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  /** Handed to the response cache, which counts its clearings itself (response-cache.ts). */
  readonly cacheClearings = new Counter({
    name: `${PREFIX}response_cache_clearings_total`,
    help: 'Response cache clearings: all (every entry: a truncate, an embargo lifted, the listener lost) or tags (the entries that read what a change touched).',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();

  constructor(orm: MikroORM) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    // Present at 0 from the start, so that an alert on their rate sees the first refusal.
    for (const reason of REFUSAL_REASONS) this.refusals.inc({ reason }, 0);
    const pool = () => (orm.em.getKnex() as unknown as { client: { pool?: PoolCounts } }).client.pool;
    const gauge = (name: string, help: string, read: (pool: PoolCounts) => number) =>
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        registers: [this.registry],
        collect() {
          const current = pool();
          // No pool: the ORM is closed, so nothing is in use or waiting.
          this.set(current ? read(current) : 0);
        },
      });
    gauge('db_pool_connections_in_use', 'Database connections lent out of the pool now.', (p) => p.numUsed());
    gauge('db_pool_connections_idle', 'Open database connections idle in the pool now.', (p) => p.numFree());
    gauge('db_pool_acquires_waiting', 'Requests for a database connection waiting for one now (the pool is exhausted).', (p) =>
      p.numPendingAcquires(),
    );
  }

  /** Admission control's refusals (admission.ts), which never reach the request log. */
  readonly countOverload = (): void => {
    this.refusals.inc({ reason: 'overload' });
  };

  /** The request log's hook (requestLogging's `onDone`): one observation per finished request. */
  readonly observe = (req: Request, request: RequestSummary): void => {
    // Scrapes are not traffic: each would add a request without SQL every few seconds.
    if (routeOf(req) === '/metrics') return;
    const seconds = request.durationMs / 1000;
    if (request.path === '/graphql' || request.path.startsWith('/graphql/')) {
      this.graphqlDuration.observe({ operation: this.operationLabel(request.operationName) }, seconds);
    } else {
      this.httpDuration.observe({ route: routeOf(req) }, seconds);
    }
    this.statements.observe(request.sqlStatements);
    if (request.cache) this.cacheResults.inc({ result: request.cache });
    if (request.errorCodes?.includes('RATE_LIMITED')) this.refusals.inc({ reason: 'rate_limit' });
    if (request.status === 500 || request.errorCodes?.includes('INTERNAL_SERVER_ERROR')) this.internalErrors.inc();
  };

  private operationLabel(name: string | undefined): string {
    if (name === undefined || name === '') return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES || name.length > MAX_OPERATION_NAME_LENGTH) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

/** The pattern a router matched (`/forums/:slug/agenda.ics`), never the path itself: one series per route. */
function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return path;
  // A route for several paths, e.g. the 405 answer of router.all(['/healthz', '/readyz'], …).
  if (Array.isArray(path)) return path.join(',');
  return 'unmatched';
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics, the exposition text. With a token, only to `Authorization: Bearer <token>`,
 * compared in constant time (hashes of equal length, so not even the token's length shows).
 */
export function metricsRouter(metrics: Metrics, token?: string): Router {
  const expected = token === undefined ? undefined : digest(token);
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const sent = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(sent), expected)) {
        res.set('WWW-Authenticate', 'Bearer');
        sendError(res, 401, 'UNAUTHENTICATED', 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
        return;
      }
    }
    // A scraper asks every few seconds: its requests would drown the info log.
    const state = currentRequest();
    if (state) state.quiet = true;
    const text = await metrics.registry.metrics();
    res.set('Cache-Control', 'no-store').type(metrics.registry.contentType).send(text);
  });
  router.all('/metrics', otherMethods('GET', 'HEAD'));
  return router;
}

/**
 * The server for METRICS_PORT: /metrics with no token (the port is meant for the monitoring
 * network only), 404 for anything else. Not listening yet: server.ts listens, tests on a free port.
 */
export function metricsServer(metrics: Metrics): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRouter(metrics));
  app.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'Nothing is served at this path'));
  return http.createServer(app);
}
