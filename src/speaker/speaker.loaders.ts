import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicArticle } from '../article/article.visibility';
import { Quote } from '../quote/quote.entity';
import { SessionParticipant } from '../session/session-participant.entity';
import { jsonRow, selectList } from '../shared/projection';
import { toReadRow } from '../shared/read-rows';
import { Session } from '../session/session.entity';
import { byIdLoader, byUniqueLoader, groupByKey, listLoader, query } from '../shared/sql-loading';
import { forumIdsOfSpeakers } from './speaker-forums';
import { Speaker } from './speaker.entity';

export function speakerLoaders(em: EntityManager) {
  return {
    speakerById: byIdLoader(em, Speaker),
    speakerBySlug: byUniqueLoader(em, Speaker, 'slug'),
    // The session comes joined in the same statement: who-speaks-where lists always show it.
    participationsBySpeakerId: new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await query(
        em,
        `select ${selectList(em, SessionParticipant, 't')}, ${jsonRow(em, Session, 's')} as "__session" from session_participant t join session s on s.id = t.session_id` +
          ' where t.speaker_id = any(?) order by s.starts_at, t.id',
        [ids],
      );
      // The session is read first, so that the participation's `session` is that row.
      const participations = rows.map((row) => {
        toReadRow(em, Session, row.__session as Record<string, unknown>);
        return toReadRow(em, SessionParticipant, row);
      });
      return groupByKey(ids, participations, (p) => p.speaker.id);
    }),
    // Who may edit a speaker and see its private fields (speaker-forums.ts).
    forumIdsBySpeakerId: new DataLoader<number, number[]>((ids) => forumIdsOfSpeakers(em, ids)),
    quotesBySpeakerId: listLoader(em, Quote, { from: 'quote t join article a on a.id = t.article_id', parent: 't.speaker_id', orderBy: 't.id', where: publicArticle('a') }),
    articlePageBySpeakerId: articlePageLoader(em, 'article_speaker', 'speaker_id'),
  };
}
