import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { articlePageLoader, publicArticle } from '../article/article.visibility';
import { Quote } from '../quote/quote.entity';
import { jsonRow, selectList } from '../shared/projection';
import { toReadRow } from '../shared/read-rows';
import { byIdLoader, byUniqueLoader, groupByKey, listLoader, query } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

export function sessionLoaders(em: EntityManager) {
  return {
    sessionById: byIdLoader(em, Session),
    sessionBySlug: byUniqueLoader(em, Session, 'slug'),
    participantById: byIdLoader(em, SessionParticipant),
    // The speaker, their country and ministry come joined in the same statement: an agenda always
    // shows who speaks and for whom, and this keeps the nested agenda query at three statements
    // (forum, sessions, participants) for any number of sessions.
    participantsBySessionId: new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await query(
        em,
        `select ${selectList(em, SessionParticipant, 't')}, ${jsonRow(em, Speaker, 's')} as "__speaker",` +
          ` ${jsonRow(em, Country, 'c')} as "__country", case when m.id is not null then ${jsonRow(em, Ministry, 'm')} end as "__ministry"` +
          ' from session_participant t join speaker s on s.id = t.speaker_id join country c on c.id = s.country_id' +
          ' left join ministry m on m.id = s.ministry_id' +
          ' where t.session_id = any(?) order by t.session_id, t.position, t.id',
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
    }),
    quotesBySessionId: listLoader(em, Quote, { from: 'quote t join article a on a.id = t.article_id', parent: 't.session_id', orderBy: 't.id', where: publicArticle('a') }),
    articlePageBySessionId: articlePageLoader(em, 'article_session', 'session_id'),
  };
}
