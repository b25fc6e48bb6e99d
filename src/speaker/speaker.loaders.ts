import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicQuotesLoader } from '../article/article.visibility';
import { SessionParticipant } from '../session/session-participant.entity';
import { jsonRow, selectList } from '../shared/projection';
import { children, joinManyToOne, orderSql } from '../shared/relations';
import { toReadRow } from '../shared/read-rows';
import { Session } from '../session/session.entity';
import { byIdLoader, byUniqueLoader, groupByKey, query } from '../shared/sql-loading';
import { forumIdsOfSpeakers } from './speaker-forums';
import { Speaker } from './speaker.entity';

export const speakerLoaders = {
  speakerById: (em: EntityManager) => byIdLoader(em, Speaker),
  speakerBySlug: (em: EntityManager) => byUniqueLoader(em, Speaker, 'slug'),
  // The session comes joined in the same statement: who-speaks-where lists always show it.
  participationsBySpeakerId: (em: EntityManager) => {
    const bySpeaker = children(em, SessionParticipant, 'speaker', ['id']);
    return new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await query(
        em,
        `select ${selectList(em, SessionParticipant, 't')}, ${jsonRow(em, Session, 's')} as "__session"` +
          ` from ${bySpeaker.from} ${joinManyToOne(em, SessionParticipant, 't', 'session', 's')}` +
          ` where ${bySpeaker.parent} = any(?) order by ${orderSql(em.getMetadata().get(Session.name), 's', ['startsAt'])}, ${bySpeaker.orderBy}`,
        [ids],
      );
      // The session is read first, so that the participation's `session` is that row.
      const participations = rows.map((row) => {
        toReadRow(em, Session, row.__session as Record<string, unknown>);
        return toReadRow(em, SessionParticipant, row);
      });
      return groupByKey(ids, participations, (p) => p.speaker.id);
    });
  },
  // Who may edit a speaker and see its private fields (speaker-forums.ts).
  forumIdsBySpeakerId: (em: EntityManager) => new DataLoader<number, number[]>((ids) => forumIdsOfSpeakers(em, ids)),
  quotesBySpeakerId: (em: EntityManager) => publicQuotesLoader(em, 'speaker'),
  articlePageBySpeakerId: (em: EntityManager) => articlePageLoader(em, 'speakers'),
};
