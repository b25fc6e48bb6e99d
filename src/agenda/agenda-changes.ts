import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../errors';
import type { Forum } from '../forum/forum.entity';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { selectList } from '../shared/projection';
import { findBySql, query } from '../shared/sql-loading';
import type { AgendaChanges } from './agenda.types';

/** BAD_USER_INPUT unless `sinceVersion` lies between 0 and the forum's schedule version. */
export function checkSinceVersion(forum: Forum, sinceVersion: number): void {
  if (sinceVersion < 0 || sinceVersion > forum.scheduleVersion) {
    throw new BadUserInputError(`sinceVersion must be between 0 and the current schedule version ${forum.scheduleVersion}`, {
      argument: 'sinceVersion',
    });
  }
}

/**
 * What changed in the forum's agenda after `sinceVersion`, up to `forum.scheduleVersion`. Read the
 * forum before calling: a write landing in between is then returned now and again next time
 * (harmless), never skipped. For the agendaChanges query and the agendaChanged subscription.
 */
export async function agendaChangesSince(em: EntityManager, forum: Forum, sinceVersion: number): Promise<AgendaChanges> {
  const [changed, removed] = await Promise.all([
    findBySql(
      em,
      Session,
      `select ${selectList(em, Session, 't')} from session_change c join session t on t.id = c.session_id and t.forum_id = c.forum_id` +
        ' where c.forum_id = ? and c.version > ? and not c.removed order by t.starts_at, t.id',
      [forum.id, sinceVersion],
    ),
    query(em, 'select session_id, version from session_change where forum_id = ? and version > ? and removed order by version', [
      forum.id,
      sinceVersion,
    ]),
  ]);
  return {
    forum,
    sinceVersion,
    version: forum.scheduleVersion,
    changed,
    removed: removed.map((r) => ({ id: toGlobalId('Session', Number(r.session_id)), version: Number(r.version) })),
  };
}
