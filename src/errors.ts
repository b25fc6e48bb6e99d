import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { logger } from './logger';

/** The error codes clients can rely on, in `extensions.code`. */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

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

export class ConflictError extends CodedError {
  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message, 'CONFLICT', extensions);
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
 * Apollo's `formatError`: coded errors pass through (without stack traces); class-validator
 * failures become BAD_USER_INPUT with the offending fields; anything else is logged with its
 * stack and replaced by a generic message, so no SQL or internals reach the client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  if (original instanceof ArgumentValidationError) {
    const invalid = flatten(original.extensions.validationErrors);
    const detail = invalid.map((i) => i.problems.join('; ')).join('; ');
    return {
      message: `Invalid argument: ${detail}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: invalid[0]?.field, invalid },
    };
  }
  if (original instanceof CodedError || REQUEST_ERROR_CODES.has(String(extensions.code))) {
    return { ...formatted, extensions };
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected error');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
