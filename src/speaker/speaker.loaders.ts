import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Article } from '../article/article.entity';
import { Quote } from '../quote/quote.entity';
import { SessionParticipant } from '../session/session-participant.entity';
import { byIdLoader, byUniqueLoader, groupByKey, listLoader, pageLoader } from '../shared/sql-loading';
import { Speaker } from './speaker.entity';

export function speakerLoaders(em: EntityManager) {
  return {
    speakerById: byIdLoader(em, Speaker),
    speakerBySlug: byUniqueLoader(em, Speaker, 'slug'),
    // The session comes joined in the same statement: who-speaks-where lists always show it.
    participationsBySpeakerId: new DataLoader<number, SessionParticipant[]>(async (ids) => {
      const rows = await em.find(
        SessionParticipant,
        { speaker: { $in: [...ids] } },
        { populate: ['session'], orderBy: { session: { startsAt: 'asc' }, id: 'asc' } },
      );
      return groupByKey(ids, rows, (p) => p.speaker.id);
    }),
    quotesBySpeakerId: listLoader(em, Quote, { from: 'quote t', parent: 't.speaker_id', orderBy: 't.id' }),
    articlePageBySpeakerId: pageLoader(em, Article, {
      from: 'article t join article_speaker p on p.article_id = t.id',
      parent: 'p.speaker_id',
      orderBy: 't.published_at desc, t.id desc',
    }),
  };
}
