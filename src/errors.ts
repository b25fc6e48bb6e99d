import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable';
import { logger } from './logger';
import { currentRequest } from './request-log';

/** The error codes clients can rely on, in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'QUERY_TOO_COMPLEX';

class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends CodedError {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, 'BAD_USER_INPUT', extensions);
  }
}

export class NotFoundError extends CodedError {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, 'NOT_FOUND', extensions);
  }
}

export class ForbiddenError extends CodedError {
  constructor(message = 'You are not allowed to do this') {
    super(message, 'FORBIDDEN');
  }
}

export class UnauthenticatedError extends CodedError {
  constructor(message = 'Sign in to do this') {
    // Apollo answers with this HTTP status (and drops `http` from the payload).
    super(message, 'UNAUTHENTICATED', { http: { status: 401 } });
  }
}

/**
 * An operation over a query limit (depth, aliases, directives or estimated cost; see limits.ts),
 * refused before it runs. `extensions.limit` names the limit, with `max` and `actual`.
 */
export class QueryTooComplexError extends CodedError {
  constructor(message: string, extensions: { limit: string; max: number; actual: number | null }) {
    super(message, 'QUERY_TOO_COMPLEX', { ...extensions, http: { status: 400 } });
  }
}

export class ConflictError extends CodedError {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, 'CONFLICT', extensions);
  }
}

/** Too many requests from one client: HTTP 429 with `Retry-After` (also in `extensions.retryAfter`). */
export class RateLimitedError extends CodedError {
  constructor(retryAfterSeconds: number, message = 'Too many requests; try again later') {
    const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    super(message, 'RATE_LIMITED', {
      retryAfter,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
    });
  }
}

const UNAVAILABLE_MESSAGE = 'The service is busy or briefly unavailable; try again shortly';

/**
 * The database cannot answer now (statement timeout, no free connection, restarting): HTTP 503
 * with `Retry-After`. Driver errors of this kind get the same code in formatError.
 */
export class ServiceUnavailableError extends CodedError {
  constructor(message = UNAVAILABLE_MESSAGE) {
    super(message, 'SERVICE_UNAVAILABLE', {
      http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
    });
  }
}

/** Codes GraphQL itself or Apollo attach to errors about the request, safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface ValidationProblem {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationProblem[];
}

/** class-validator's tree of problems as a list, each with its dotted field path (`speakers.2.email`). */
function flatten(errors: ValidationProblem[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * What graphql-js throws when a request's variables have more than 50 coercion errors (with no
 * code, nor the AST node Apollo tells the other coercion errors by): the client's fault all the same.
 */
const TOO_MANY_VARIABLE_ERRORS = 'Too many errors processing variables, error limit reached. Execution aborted.';

/**
 * Apollo's `formatError`: coded errors pass through (without stack traces); class-validator
 * failures become BAD_USER_INPUT with the offending fields; anything else is logged with its
 * stack and replaced by a generic message, so no SQL or internals reach the client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  // type-graphql puts whatever validation threw in `validationErrors`: class-validator's list of
  // problems, or the exception of a validator that crashed (validator.js's isEmail throws URIError
  // on a lone surrogate), which is unexpected and logged below. formatError must not throw: Apollo
  // would answer a bare "Internal server error" and log nothing.
  const crashed = original instanceof ArgumentValidationError && !Array.isArray(original.extensions.validationErrors);
  if (original instanceof ArgumentValidationError && !crashed) {
    const invalid = flatten(original.extensions.validationErrors);
    const detail = invalid.map((i) => i.problems.join('; ')).join('; ');
    return {
      message: `Invalid argument: ${detail}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: invalid[0]?.field, invalid },
    };
  }
  if (!crashed && (original instanceof CodedError || REQUEST_ERROR_CODES.has(String(extensions.code)))) {
    return { ...formatted, extensions };
  }
  if (original instanceof GraphQLError && original.message === TOO_MANY_VARIABLE_ERRORS) {
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (isDatabaseUnavailable(original)) {
    // Expected under overload or during a database restart; the HTTP status (503) is set by
    // databaseUnavailablePlugin, as Apollo reads it from the error before formatting.
    logger.warn({ err: original, path: formatted.path }, 'database unavailable');
    return {
      message: UNAVAILABLE_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    };
  }
  // The request id ties the client's report to this log line (and to X-Request-Id).
  const request = currentRequest();
  const requestId = request?.id ?? randomUUID();
  const thrown = crashed ? (original as ArgumentValidationError).extensions.validationErrors : original;
  (request?.log ?? logger.child({ requestId })).error({ err: thrown, path: formatted.path }, 'unexpected error');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}
