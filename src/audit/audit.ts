import type { EntityManager } from '@mikro-orm/postgresql';
import { isDeepStrictEqual } from 'node:util';
import type { Viewer } from '../auth/viewer';
import { Forum } from '../forum/forum.entity';
import { AuditEntry } from './audit-entry.entity';

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** The fields of `after` whose values differ from `before`, each with both values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[key], after[key])) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}

export interface AuditRecord {
  entityType: string;
  entityId: number;
  action: string;
  forumId: number | null;
  changes: Changes;
}

/**
 * Adds an audit entry to `em`'s unit of work: it is written by the same flush, in the same
 * transaction, as the change it describes.
 */
export function audit(em: EntityManager, viewer: Viewer, record: AuditRecord): AuditEntry {
  return em.create(AuditEntry, {
    actor: viewer.user,
    actorEmail: viewer.user.email,
    entityType: record.entityType,
    entityId: record.entityId,
    action: record.action,
    forum: record.forumId === null ? null : em.getReference(Forum, record.forumId),
    changes: record.changes,
  });
}
