import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicArticle } from '../article/article.visibility';
import { Quote } from '../quote/quote.entity';
import { toReadRow } from '../shared/read-rows';
import { byIdLoader, byUniqueLoader, groupByKey, listLoader, query } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

export function sessionLoaders(em: EntityManager) {
  return {
    sessionById: byIdLoader(em, Session),
    sessionBySlug: byUniqueLoader(em, Session, 'slug'),
    participantById: byIdLoader(em, SessionParticipant),
    // The speaker comes joined in the same statement: an agenda always shows who speaks, and this
    // keeps the nested agenda query at a fixed five statements.
    participantsBySessionId: new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await query(
        em,
        'select t.*, to_jsonb(s) as "__speaker" from session_participant t join speaker s on s.id = t.speaker_id' +
          ' where t.session_id = any(?) order by t.session_id, t.position, t.id',
        [ids],
      );
      // The speaker is read first, so that the participant's `speaker` is that row.
      const participants = rows.map(({ __speaker, ...columns }) => {
        toReadRow(em, Speaker, __speaker as Record<string, unknown>);
        return toReadRow(em, SessionParticipant, columns);
      });
      return groupByKey(ids, participants, (p) => p.session.id);
    }),
    quotesBySessionId: listLoader(em, Quote, { from: 'quote t join article a on a.id = t.article_id', parent: 't.session_id', orderBy: 't.id', where: publicArticle('a') }),
    articlePageBySessionId: articlePageLoader(em, 'article_session', 'session_id'),
  };
}
