import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { requireAdmin, requireRole, type Viewer } from '../auth/viewer';
import type { Role } from '../auth/user.entity';
import { inTransaction, type ConstraintFields } from './write-errors';

/** What a write's work is given. */
export interface WriteScope {
  /** The transaction's EntityManager: every read and write of the work goes through it. */
  em: EntityManager;
  /** Who writes; record the change with recordChange(em, viewer, ...). */
  viewer: Viewer;
  /** The request, for its loaders and languages. */
  ctx: Context;
}

/** Who may write, before the work checks the forum: these roles (admins always), or admins acting for every forum. */
export type WriteAccess = { roles: readonly Role[] } | 'admin';

/**
 * The one path of a write, declared at the top of each service function:
 *
 *   export const createQuote = write({ roles: [Role.EDITOR] }, async ({ em, viewer }, input: CreateQuoteInput) => { ... });
 *
 * The caller's role is checked first (UNAUTHENTICATED, FORBIDDEN). The work then runs in one
 * transaction (inTransaction): its reads, its writes and its audit entries commit together or
 * not at all, and constraint violations become coded errors, `constraints` naming the input
 * field of each. Checks on the forum, which need data, belong in the work.
 */
export function write<Input, Result>(
  access: WriteAccess,
  work: (scope: WriteScope, input: Input) => Promise<Result>,
  constraints?: ConstraintFields,
): (ctx: Context, input: Input) => Promise<Result> {
  return (ctx, input) => {
    const viewer = access === 'admin' ? requireAdmin(ctx.viewer) : requireRole(ctx.viewer, ...access.roles);
    return inTransaction(ctx, (em) => work({ em, viewer, ctx }, input), constraints);
  };
}
