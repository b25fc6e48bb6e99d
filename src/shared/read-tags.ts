import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { currentRequest } from '../request-log';

/*
 * What an answer read, as tags that the content_changed triggers name when it changes (migration
 * ..._content_changed_tags), so that the response cache clears only the answers a write made stale:
 * - `table:id` for every row read: read-rows.ts tags each row as it maps it;
 * - `table` for a list that any row of the table may join or leave: a root list (all speakers,
 *   search hits) or a lookup by key that found nothing. Lists of a parent's children need no tag
 *   of their own: a change to a child names its parent, which the answer read.
 * Statements outside the read path (`query` in sql-loading.ts) can't say what they read: an answer
 * that sent one is cleared by any change.
 */

/** Notes that the current request read `tag`, when its answer may be cached. */
export function readTag(tag: string): void {
  currentRequest()?.reads?.tags.add(tag);
}

/** Notes a read of a list that any row of `entity`'s table may join or leave. */
export function readList(em: EntityManager, entity: EntityClass<object>): void {
  const reads = currentRequest()?.reads;
  if (reads) reads.tags.add(em.getMetadata().get(entity.name).tableName);
}

/** Counts a statement sent by the read path, whose reads are tagged. */
export function countReadStatement(): void {
  const reads = currentRequest()?.reads;
  if (reads) reads.statements += 1;
}
