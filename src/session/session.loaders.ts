import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicArticle } from '../article/article.visibility';
import { Quote } from '../quote/quote.entity';
import { byIdLoader, byUniqueLoader, groupByKey, listLoader } from '../shared/sql-loading';
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
      const rows = await em.find(
        SessionParticipant,
        { session: { $in: [...ids] } },
        { populate: ['speaker'], orderBy: { session: 'asc', position: 'asc', id: 'asc' } },
      );
      return groupByKey(ids, rows, (p) => p.session.id);
    }),
    quotesBySessionId: listLoader(em, Quote, { from: 'quote t join article a on a.id = t.article_id', parent: 't.session_id', orderBy: 't.id', where: publicArticle('a') }),
    articlePageBySessionId: articlePageLoader(em, 'article_session', 'session_id'),
  };
}
