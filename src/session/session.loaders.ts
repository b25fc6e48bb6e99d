import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicQuotesLoader } from '../article/article.visibility';
import { jsonRow, selectList } from '../shared/projection';
import { children, columnOf, joinManyToOne } from '../shared/relations';
import { toReadRow } from '../shared/read-rows';
import { byIdLoader, byUniqueLoader, groupByKey, query } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

export const sessionLoaders = {
  sessionById: (em: EntityManager) => byIdLoader(em, Session),
  sessionBySlug: (em: EntityManager) => byUniqueLoader(em, Session, 'slug'),
  participantById: (em: EntityManager) => byIdLoader(em, SessionParticipant),
  // The speaker, their country and ministry come joined in the same statement: an agenda always
  // shows who speaks and for whom, and this keeps the nested agenda query at three statements
  // (forum, sessions, participants) for any number of sessions.
  participantsBySessionId: (em: EntityManager) => {
    const bySession = children(em, SessionParticipant, 'session', ['position', 'id']);
    const speakers = em.getMetadata().get(Speaker.name);
    return new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await query(
        em,
        `select ${selectList(em, SessionParticipant, 't')}, ${jsonRow(em, Speaker, 's')} as "__speaker", ${jsonRow(em, Country, 'c')} as "__country",` +
          ` case when s."${columnOf(speakers, 'ministry')}" is not null then ${jsonRow(em, Ministry, 'm')} end as "__ministry"` +
          ` from ${bySession.from} ${joinManyToOne(em, SessionParticipant, 't', 'speaker', 's')} ${joinManyToOne(em, Speaker, 's', 'country', 'c')}` +
          ` ${joinManyToOne(em, Speaker, 's', 'ministry', 'm', 'left join')}` +
          ` where ${bySession.parent} = any(?) order by ${bySession.parent}, ${bySession.orderBy}`,
        [ids],
      );
      // Read from the far end inwards, so that each row's many-to-one is the row read before it.
      const participants = rows.map((row) => {
        toReadRow(em, Country, row.__country as Record<string, unknown>);
        if (row.__ministry) toReadRow(em, Ministry, row.__ministry as Record<string, unknown>);
        toReadRow(em, Speaker, row.__speaker as Record<string, unknown>);
        return toReadRow(em, SessionParticipant, row);
      });
      return groupByKey(ids, participants, (p) => p.session.id);
    });
  },
  quotesBySessionId: (em: EntityManager) => publicQuotesLoader(em, 'session'),
  articlePageBySessionId: (em: EntityManager) => articlePageLoader(em, 'sessions'),
};
