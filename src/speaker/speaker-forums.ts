import type { EntityManager } from '@mikro-orm/postgresql';
import { groupByKey } from '../shared/sql-loading';

/*
 * The forums a speaker belongs to, which decide who may edit it and see its private fields. A
 * speaker has no forum column: it belongs to the forums of the sessions it takes part in, and to
 * the forum it was created for. The latter lives in its CREATE audit entry (written in the same
 * transaction as the speaker, so every speaker created through the API has one; the bulk
 * import's IMPORT_CREATE entries count the same way). Without it an organiser could neither see
 * nor edit a speaker they just created until they booked it into a session.
 */
const FORUMS_OF_SPEAKERS =
  'select sp.speaker_id, s.forum_id from session_participant sp join session s on s.id = sp.session_id where sp.speaker_id in (?)' +
  ` union select a.entity_id, a.forum_id from audit_entry a where a.entity_type = 'Speaker' and a.action in ('CREATE', 'IMPORT_CREATE')` +
  ' and a.forum_id is not null and a.entity_id in (?)';

/**
 * The ids of the forums each speaker belongs to, in key order, each sorted. Runs through `em`,
 * so inside its transaction when it has one: a mutation must not wait for a second pooled
 * connection while holding one.
 */
export async function forumIdsOfSpeakers(em: EntityManager, speakerIds: readonly number[]): Promise<number[][]> {
  if (speakerIds.length === 0) return [];
  const ids = [...speakerIds];
  const rows = await em.execute<{ speaker_id: number; forum_id: number }[]>(FORUMS_OF_SPEAKERS, [ids, ids]);
  return groupByKey(speakerIds, rows, (r) => Number(r.speaker_id)).map((group) =>
    group.map((r) => Number(r.forum_id)).sort((a, b) => a - b),
  );
}
