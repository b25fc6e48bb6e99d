import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { children, linkedFrom } from '../shared/relations';
import { Speaker } from '../speaker/speaker.entity';
import { Ministry } from './ministry.entity';

export function ministryLoaders(em: EntityManager) {
  return {
    ministryById: byIdLoader(em, Ministry),
    ministryBySlug: byUniqueLoader(em, Ministry, 'slug'),
    speakerPageByMinistryId: pageLoader(em, Speaker, children(em, Speaker, 'ministry', ['slug'])),
    forumsByOrganiserId: listLoader(em, Forum, linkedFrom(em, Forum, 'organisers', [['startDate', 'desc'], 'id'])),
    articlePageByMinistryId: articlePageLoader(em, 'ministries'),
  };
}
