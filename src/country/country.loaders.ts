import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { children, linkedFrom } from '../shared/relations';
import { Speaker } from '../speaker/speaker.entity';
import { Country } from './country.entity';

export const countryLoaders = {
  countryById: (em: EntityManager) => byIdLoader(em, Country),
  countryByCode: (em: EntityManager) => byUniqueLoader(em, Country, 'code'),
  ministriesByCountryId: (em: EntityManager) => listLoader(em, Ministry, children(em, Ministry, 'country', ['slug'])),
  speakerPageByCountryId: (em: EntityManager) => pageLoader(em, Speaker, children(em, Speaker, 'country', ['slug'])),
  forumsByCountryId: (em: EntityManager) => listLoader(em, Forum, linkedFrom(em, Forum, 'countries', [['startDate', 'desc'], 'id'])),
  articlePageByCountryId: (em: EntityManager) => articlePageLoader(em, 'countries'),
};
