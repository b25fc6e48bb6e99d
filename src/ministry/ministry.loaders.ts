import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { children, linkedFrom } from '../shared/relations';
import { Speaker } from '../speaker/speaker.entity';
import { Ministry } from './ministry.entity';

export const ministryLoaders = {
  ministryById: (em: EntityManager) => byIdLoader(em, Ministry),
  ministryBySlug: (em: EntityManager) => byUniqueLoader(em, Ministry, 'slug'),
  speakerPageByMinistryId: (em: EntityManager) => pageLoader(em, Speaker, children(em, Speaker, 'ministry', ['slug'])),
  forumsByOrganiserId: (em: EntityManager) => listLoader(em, Forum, linkedFrom(em, Forum, 'organisers', [['startDate', 'desc'], 'id'])),
  articlePageByMinistryId: (em: EntityManager) => articlePageLoader(em, 'ministries'),
};
