import {
  DeadlockException,
  ForeignKeyConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError } from '../errors';

/*
 * The one place where failures of a write (a flush, a transaction) become API errors. A write
 * that breaks a rule the database enforces is the client's problem, never a 500:
 *
 *   UniqueConstraintViolationException      -> CONFLICT, field from the constraint name
 *   ForeignKeyConstraintViolationException  -> BAD_USER_INPUT, field from the constraint name
 *   OptimisticLockError                     -> CONFLICT, field `expectedVersion`
 *   DeadlockException (deadlock, serialization failure) -> CONFLICT: nothing was written, retry
 *
 * Anything else is returned unchanged (and ends up masked as INTERNAL_SERVER_ERROR).
 */

/**
 * Constraint name -> input field, for names the guess gets wrong (e.g. multi-column keys), or the
 * field with the message a client should read instead of the generic one.
 */
export type ConstraintFields = Readonly<Record<string, string | { field: string; message: string }>>;

interface PgErrorInfo {
  constraint?: string;
  table?: string;
}

const camelCase = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The input field a constraint guards, guessed from MikroORM's naming `<table>_<columns>_<kind>`:
 * `speaker_email_unique` -> `email`, `speaker_external_id_unique` -> `externalId`,
 * `speaker_country_id_foreign` -> `country`. `fields` overrides the guess per constraint name.
 */
function fieldOf(error: PgErrorInfo, fields: ConstraintFields | undefined): string | undefined {
  const constraint = error.constraint;
  if (!constraint) return undefined;
  const given = fields?.[constraint];
  if (given) return typeof given === 'string' ? given : given.field;
  let columns = constraint;
  if (error.table && columns.startsWith(`${error.table}_`)) columns = columns.slice(error.table.length + 1);
  const foreign = /_(foreign|fkey)$/.test(columns);
  columns = columns.replace(/_(unique|key|foreign|fkey)$/, '');
  if (foreign) columns = columns.replace(/_id$/, '');
  return camelCase(columns);
}

/**
 * The API error for a failed write: a coded error for the ORM and driver failures listed above,
 * otherwise `error` itself. Use it in a `catch` around a flush or transaction: `throw toWriteError(e)`.
 */
export function toWriteError(error: unknown, fields?: ConstraintFields): unknown {
  if (error instanceof OptimisticLockError) {
    return new ConflictError('Someone else changed this in the meantime; reload it and try again', { field: 'expectedVersion' });
  }
  if (error instanceof UniqueConstraintViolationException) {
    const field = fieldOf(error as PgErrorInfo, fields);
    const given = fields?.[(error as PgErrorInfo).constraint ?? ''];
    if (typeof given === 'object') return new ConflictError(given.message, { field });
    return new ConflictError(field ? `Another record already has this ${field}` : 'This would duplicate another record', { field });
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    const field = fieldOf(error as PgErrorInfo, fields);
    return new BadUserInputError(
      field ? `${field} refers to something that does not exist (any more)` : 'This refers to something that does not exist',
      {
        field,
      },
    );
  }
  if (error instanceof DeadlockException) {
    // PostgreSQL rolled the whole transaction back: nothing was written.
    return new ConflictError('A concurrent change got in the way; nothing was changed, try again');
  }
  return error;
}

/**
 * Runs one write's reads and writes in one transaction, on a fork of the request's EntityManager
 * `em` (so the audit entry commits with the change, or neither does). A failure is
 * mapped by toWriteError; the request's identity map is then cleared, because the failed fork
 * shared its entity instances and may have left changes on them that a later mutation of the
 * same operation would otherwise flush.
 */
export async function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>, fields?: ConstraintFields): Promise<T> {
  try {
    return await em.transactional((tx) => work(tx as EntityManager));
  } catch (error) {
    em.clear();
    throw toWriteError(error, fields);
  }
}

/**
 * Refuses a change made from a stale read: CONFLICT (field `expectedVersion`) unless the entity
 * is still at the version the client read. A check before the flush, for a clear message; the
 * version column still guards the flush itself against a concurrent writer (OptimisticLockError).
 */
export function expectVersion(entity: { version: number }, expectedVersion: number, what: string): void {
  if (entity.version !== expectedVersion) {
    throw new ConflictError(
      `${what} has changed since you read it (it is at version ${entity.version}, you sent ${expectedVersion}); reload it and try again`,
      { field: 'expectedVersion' },
    );
  }
}
