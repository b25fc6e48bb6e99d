import type { EntityManager } from '@mikro-orm/postgresql';
import { isDeepStrictEqual } from 'node:util';
import type { Viewer } from '../shared/context';
import { Forum } from '../forum/forum.entity';
import { AuditEntry } from './audit-entry.entity';

export type Changes = Record<string, { before: unknown; after: unknown }>;

const empty = (value: unknown) => value === null || value === undefined;

/**
 * The fields whose values differ between `before` and `after`, each with both values. A field
 * empty on both sides is no change, so a creation (`before` is `{}`) lists what it set and a
 * deletion (`after` is `{}`) what it removed.
 */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (empty(before[key]) && empty(after[key])) continue;
    if (!isDeepStrictEqual(before[key], after[key])) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}

/** The forums a change belongs to, one entry each; null or none: one entry without a forum. */
type ForumIds = number | null | readonly number[];

/** One change, as a write records it. */
export interface ChangeRecord {
  entityType: string;
  entityId: number;
  action: string;
  /** Its forums, or how to look them up (asked only when something changed). */
  forumIds: ForumIds | (() => Promise<ForumIds>);
  /** The audited state before the change (`{}` for a creation) and after it (`{}` for a deletion). */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * The one way a write records itself: adds its audit entries to `em`'s unit of work, so that the
 * same flush writes them in the same transaction as the change, or neither is written. A write
 * that changed no field records nothing. Returns what changed.
 */
export async function recordChange(em: EntityManager, viewer: Viewer, record: ChangeRecord): Promise<Changes> {
  const changes = changedFields(record.before, record.after);
  if (Object.keys(changes).length === 0) return changes;
  const given = typeof record.forumIds === 'function' ? await record.forumIds() : record.forumIds;
  const forumIds = typeof given === 'number' || given === null ? [given] : given;
  for (const forumId of forumIds.length > 0 ? forumIds : [null]) {
    em.create(AuditEntry, {
      actor: viewer.user,
      actorEmail: viewer.user.email,
      entityType: record.entityType,
      entityId: record.entityId,
      action: record.action,
      forum: forumId === null ? null : em.getReference(Forum, forumId),
      changes,
    });
  }
  return changes;
}
