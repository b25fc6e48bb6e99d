import type { ApolloServerPlugin } from '@apollo/server';

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong request": the statement ran out of
 * time (57014, statement_timeout), the server is shutting down or restarting (57P01–57P03),
 * out of connections (53300), or the connection broke (class 08).
 */
const SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
/** Node's socket errors while connecting to or talking with PostgreSQL. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * Errors that carry no code: knex's pool gave up waiting for a connection (KnexTimeoutError;
 * MikroORM may rewrap it and lose the class name), or pg lost the connection. Knex puts the
 * statement before a driver's message (`BEGIN; - Connection terminated unexpectedly`, when the
 * connection of a write's transaction is lost).
 */
const MESSAGES = [
  /^Knex: Timeout acquiring a connection/,
  /(^| - )Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
];

/**
 * Whether an error means the database cannot answer right now (busy, too slow, down or
 * restarting), so the request may succeed if retried shortly. Looks through `cause`,
 * `originalError` (GraphQL), `thrownValue` (graphql-js wraps values that are not an `Error` of its
 * realm, e.g. socket errors under jest) and `errors` (AggregateError from a refused connection).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    originalError?: unknown;
    thrownValue?: unknown;
    errors?: unknown;
  };
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.code === 'string' && (SQLSTATES.has(e.code) || SOCKET_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  const nested = [e.cause, e.originalError, e.thrownValue, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return nested.some((n) => n !== error && isDatabaseUnavailable(n, depth + 1));
}

/**
 * Answers HTTP 503 with `Retry-After` when any error of the request is the database being
 * unavailable (formatError gives those the code SERVICE_UNAVAILABLE). Apollo takes the status
 * only from `extensions.http` of GraphQLErrors, which resolver errors from the driver lack.
 */
export function databaseUnavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, response }) {
          if (!errors.some((error) => isDatabaseUnavailable(error))) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/** What 503 answers suggest: a restart or a burst usually clears within seconds. */
export const RETRY_AFTER_SECONDS = 2;
