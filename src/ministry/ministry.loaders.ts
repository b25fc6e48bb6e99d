import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Ministry } from './ministry.entity';

export function ministryLoaders(em: EntityManager) {
  return {
    ministryById: byIdLoader(em, Ministry),
    ministryBySlug: byUniqueLoader(em, Ministry, 'slug'),
    speakerPageByMinistryId: pageLoader(em, Speaker, { from: 'speaker t', parent: 't.ministry_id', orderBy: 't.slug' }),
    forumsByOrganiserId: listLoader(em, Forum, {
      from: 'forum t join forum_organiser p on p.forum_id = t.id',
      parent: 'p.ministry_id',
      orderBy: 't.start_date desc, t.id',
    }),
    articlePageByMinistryId: articlePageLoader(em, 'article_ministry', 'ministry_id'),
  };
}
