import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange, type ChangeRecord, type Changes } from '../audit/audit';
import { requireAdmin, requireRole } from '../auth/viewer';
import type { Role } from '../auth/user.entity';
import type { Context, Viewer } from './context';
import { inTransaction, type ConstraintFields } from './write-errors';

/** What a write's work is given. */
export interface WriteScope<V extends Viewer | null = Viewer> {
  /** The transaction's EntityManager: every read and write of the work goes through it. */
  em: EntityManager;
  /** Who writes (null for a public write, such as counting a page view). */
  viewer: V;
  /** The request, for its loaders and languages. */
  ctx: Context;
  /** Records the change in the audit log, in this transaction (recordChange, as `viewer`). */
  record: V extends Viewer ? (change: ChangeRecord) => Promise<Changes> : never;
  /**
   * Runs `then` once the transaction has committed, and not at all when it rolls back: for what
   * must not see uncommitted data, such as dropping what the request's loaders cached.
   */
  afterCommit(then: () => void): void;
}

/** Who may write, before the work checks the forum: these roles (admins always), admins only, or anyone. */
export type WriteAccess = { roles: readonly Role[] } | 'admin' | 'anyone';

type Work<V extends Viewer | null, Input, Result> = (scope: WriteScope<V>, input: Input) => Promise<Result>;

/**
 * The one path of a write, declared at the top of each service function:
 *
 *   export const createQuote = write({ roles: [Role.EDITOR] }, async ({ em, record }, input: CreateQuoteInput) => { ... });
 *
 * The caller's role is checked first (UNAUTHENTICATED, FORBIDDEN). The work then runs in one
 * transaction (inTransaction): its reads, its writes and its audit entries commit together or
 * not at all, and constraint violations become coded errors, `constraints` naming the input
 * field of each. Checks on the forum, which need data, belong in the work. This is where a
 * write gets what every write needs; live updates add their outbox row here.
 */
export function write<Input, Result>(
  access: 'anyone',
  work: Work<Viewer | null, Input, Result>,
  constraints?: ConstraintFields,
): (ctx: Context, input: Input) => Promise<Result>;
export function write<Input, Result>(
  access: Exclude<WriteAccess, 'anyone'>,
  work: Work<Viewer, Input, Result>,
  constraints?: ConstraintFields,
): (ctx: Context, input: Input) => Promise<Result>;
export function write<Input, Result>(
  access: WriteAccess,
  work: Work<Viewer, Input, Result> | Work<Viewer | null, Input, Result>,
  constraints?: ConstraintFields,
): (ctx: Context, input: Input) => Promise<Result> {
  return async (ctx, input) => {
    const viewer =
      access === 'anyone' ? ctx.viewer : access === 'admin' ? requireAdmin(ctx.viewer) : requireRole(ctx.viewer, ...access.roles);
    const committed: (() => void)[] = [];
    const result = await inTransaction(
      ctx.em,
      (em) =>
        (work as Work<Viewer | null, Input, Result>)(
          {
            em,
            viewer,
            ctx,
            record: ((change: ChangeRecord) => recordChange(em, viewer!, change)) as WriteScope<Viewer | null>['record'],
            afterCommit: (then) => committed.push(then),
          },
          input,
        ),
      constraints,
    );
    for (const then of committed) then();
    return result;
  };
}
