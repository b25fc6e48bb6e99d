import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { QueryLimits } from './limits';

/** Every setting the server reads, validated once at start. `.env.example` documents each one. */
export interface Config {
  port: number;
  /** A second port that serves only GET /metrics, with no token: for a monitoring network (metrics.ts). */
  metricsPort: number | undefined;
  /** The bearer token that opens GET /metrics on the main port; without it /metrics is not served there. */
  metricsToken: string | undefined;
  /** A PostgreSQL server to use; when absent the server runs an embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /**
   * PostgreSQL for the connections that need a session of their own (LISTEN, advisory locks),
   * when DATABASE_URL is a transaction-mode pooler; absent: the same as DATABASE_URL.
   */
  databaseListenUrl: string | undefined;
  /** Prepare the read path's statements by name, once per connection (sql-loading.ts). */
  preparedStatements: boolean;
  /** Where the embedded PostgreSQL keeps its data between runs. */
  embeddedDataDir: string;
  /** Load the seed data at start. Always done on a freshly created embedded database. */
  seed: boolean;
  /** Apply pending migrations at start; false when a deploy step runs `npm run migrate` instead. */
  migrateOnStart: boolean;
  logLevel: string;
  /** Milliseconds a single SQL statement may run before PostgreSQL cancels it. */
  statementTimeoutMs: number;
  /** Connections of the ORM's pool: statements that run at once (databasePoolSize). */
  databasePoolSize: number;
  /** Largest accepted request body, e.g. `100kb`. */
  maxBodySize: string;
  /** Most lexical tokens in a GraphQL document (Apollo's parseOptions.maxTokens). */
  graphqlMaxTokens: number;
  /** Depth, alias, directive and cost limits of a GraphQL operation (limits.ts). */
  queryLimits: QueryLimits;
  /** Whether the schema answers introspection (`__schema`); off by default in production. */
  graphqlIntrospection: boolean;
  /** Whether GET /graphql from a browser shows Apollo's landing page (Sandbox); off by default in production. */
  graphqlLandingPage: boolean;
  /** Origins whose pages may call /graphql from a browser; '*' for any (the data is public). */
  corsOrigins: '*' | string[];
  /** How long shared caches may keep a public query's response; 0 turns caching off. */
  cacheMaxAgeSeconds: number;
  /** Memory for the in-process cache of public query responses (response-cache.ts); 0 turns it off. */
  responseCacheBytes: number;
  /** Where the portal's public pages live, e.g. https://camf.kz: the base of every public URL. */
  publicBaseUrl: string;
  /** Signs access tokens (HS256). From JWT_SECRET; required in production. */
  jwtSecret: Uint8Array;
  /** Whether jwtSecret was generated for this process (tokens die with it). */
  jwtSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  /** Length of the rate-limit window, in seconds. */
  rateLimitWindowSeconds: number;
  /** Sign-in attempts allowed per window per client IP and email; 0: unlimited. */
  loginRateLimit: number;
  /** Mutations (top-level mutation fields) allowed per window per client; 0: unlimited. */
  mutationRateLimit: number;
  /**
   * Requests worked on at once by this process; more are refused at once with 503 and
   * Retry-After (admission.ts), so that the accepted ones keep a bounded latency.
   */
  maxRequestsInFlight: number;
  /** A Redis that the instances share: rate limits are counted there. Without it, per process. */
  redisUrl: string | undefined;
  /**
   * Which reverse proxies' X-Forwarded-For to believe for the client's IP (Express's `trust
   * proxy`): false, a number of hops, or addresses, subnets and Express's names for ranges.
   */
  trustProxy: false | number | string[];
  /** Open WebSocket connections (subscriptions) allowed per client IP. */
  wsMaxConnectionsPerClient: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  wsMaxSubscriptionsPerConnection: number;
  /** Webhook deliveries: what they may reach and how they are retried (src/webhooks/). */
  webhooks: {
    /** Deliver to loopback, private and link-local addresses too (tests, closed networks). */
    allowPrivate: boolean;
    /** Delay before the second attempt; each later one waits 4 times longer, up to 6 hours. */
    retryBaseMs: number;
    /** Attempts before a delivery is given up (FAILED). */
    maxAttempts: number;
    /** How long one attempt may take. */
    timeoutMs: number;
  };
}

/** Why the server cannot start, in one line that names the cause and the fix: printed as it is. */
export class StartupError extends Error {}

/** A setting with a value the server cannot use. */
export class ConfigError extends StartupError {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback = false): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '') return fallback;
  if (['0', 'false', 'no'].includes(raw)) return false;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: empty (the socket's address is the client), a number of proxy hops, or a list.
 * `true` (believe any X-Forwarded-For) is refused: any client could then pick its own IP and with
 * it a fresh rate-limit budget.
 */
function trustProxy(raw: string | undefined): false | number | string[] {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.find((e) => !PROXY_RANGE_NAMES.has(e) && !/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(e));
  if (bad !== undefined || entries.length === 0) {
    throw new ConfigError(
      `TRUST_PROXY must be a number of hops or addresses, subnets, loopback, linklocal or uniquelocal, got "${bad ?? value}"`,
    );
  }
  return entries;
}

function corsOrigins(raw: string | undefined): '*' | string[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return '*';
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = origins.find((o) => !/^https?:\/\/[^/]+$/.test(o));
  if (bad) throw new ConfigError(`CORS_ORIGINS must list origins like https://camf.kz, got "${bad}"`);
  return origins;
}

function redisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  // Not echoed: the URL may hold a password.
  if (!/^rediss?:\/\/[^/]/.test(raw.trim()))
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379');
  return raw.trim();
}

/** Sent in a header, so printable without spaces; never echoed in the error. */
function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('METRICS_TOKEN must be printable ASCII without spaces');
  if (raw.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters, e.g. the output of `openssl rand -hex 24`');
  return raw;
}

/**
 * The pool for a PostgreSQL on this machine, as the embedded one is: about two statements per
 * core keep it busy, and more only share the cores. On the bench's 2-core machine, with
 * PostgreSQL on it, a pool of 10 gave the search a p99 of 115 ms, 6 gave 85 ms, 4 gave 60 ms and
 * 3 gave 54 ms, at the same throughput. For a server elsewhere, whose cores are not known here,
 * the default stays at 10.
 */
export function localPoolSize(): number {
  return Math.min(10, Math.max(2, 2 * os.availableParallelism()));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseListenUrl = env.DATABASE_LISTEN_URL || undefined;
  if (databaseListenUrl && !/^postgres(ql)?:\/\//.test(databaseListenUrl)) {
    throw new ConfigError('DATABASE_LISTEN_URL must start with postgres:// or postgresql://');
  }
  if (databaseListenUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_LISTEN_URL needs DATABASE_URL: the embedded database has no other address');
  }
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const metricsPort = env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 0, 65535) : undefined;
  if (metricsPort && metricsPort === port) throw new ConfigError(`METRICS_PORT must differ from PORT (${port}), or be left empty`);
  const publicBaseUrl = (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicBaseUrl)) {
    throw new ConfigError('PUBLIC_BASE_URL must be an absolute http(s) URL');
  }
  const production = env.NODE_ENV === 'production';
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '' && Buffer.byteLength(env.JWT_SECRET) < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes');
  }
  if (production && !env.JWT_SECRET) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  return {
    port,
    metricsPort,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    databaseUrl,
    databaseListenUrl,
    preparedStatements: flag(env, 'PREPARED_STATEMENTS', true),
    embeddedDataDir: path.resolve(env.EMBEDDED_DATA_DIR || '.data/postgres'),
    seed: flag(env, 'SEED'),
    migrateOnStart: flag(env, 'MIGRATE_ON_START', true),
    logLevel: env.LOG_LEVEL || 'info',
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 5000, 100, 600000),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', databaseUrl ? 10 : localPoolSize(), 1, 1000),
    maxBodySize: env.MAX_BODY_SIZE || '100kb',
    graphqlMaxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 10_000, 100, 1_000_000),
    queryLimits: {
      maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 12, 1, 1000),
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 30, 0, 100_000),
      maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 0, 100_000),
      maxCost: integer(env, 'GRAPHQL_MAX_COST', 50_000, 1, 1_000_000_000),
      assumedListSize: integer(env, 'GRAPHQL_LIST_SIZE', 10, 1, 10_000),
    },
    graphqlIntrospection: flag(env, 'GRAPHQL_INTROSPECTION', !production),
    graphqlLandingPage: flag(env, 'GRAPHQL_LANDING_PAGE', !production),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    cacheMaxAgeSeconds: integer(env, 'CACHE_MAX_AGE', 60, 0, 86400),
    responseCacheBytes: integer(env, 'RESPONSE_CACHE_MB', 32, 0, 65536) * 1024 * 1024,
    publicBaseUrl,
    // Outside production a missing secret is made up per process: sign-ins then last until a restart.
    jwtSecret: env.JWT_SECRET ? new TextEncoder().encode(env.JWT_SECRET) : randomBytes(32),
    jwtSecretGenerated: !env.JWT_SECRET,
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
    rateLimitWindowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
    loginRateLimit: integer(env, 'LOGIN_RATE_LIMIT', 10, 0, 1_000_000),
    mutationRateLimit: integer(env, 'MUTATION_RATE_LIMIT', 120, 0, 1_000_000),
    maxRequestsInFlight: integer(env, 'MAX_REQUESTS_IN_FLIGHT', 64, 1, 100_000),
    redisUrl: redisUrl(env.REDIS_URL),
    trustProxy: trustProxy(env.TRUST_PROXY),
    wsMaxConnectionsPerClient: integer(env, 'WS_MAX_CONNECTIONS_PER_CLIENT', 20, 1, 100_000),
    wsMaxSubscriptionsPerConnection: integer(env, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 10_000),
    webhooks: {
      allowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE'),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
      maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 12, 1, 100),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    },
  };
}
