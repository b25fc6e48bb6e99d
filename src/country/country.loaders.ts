import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { children, linkedFrom } from '../shared/relations';
import { Speaker } from '../speaker/speaker.entity';
import { Country } from './country.entity';

export function countryLoaders(em: EntityManager) {
  return {
    countryById: byIdLoader(em, Country),
    countryByCode: byUniqueLoader(em, Country, 'code'),
    ministriesByCountryId: listLoader(em, Ministry, children(em, Ministry, 'country', ['slug'])),
    speakerPageByCountryId: pageLoader(em, Speaker, children(em, Speaker, 'country', ['slug'])),
    forumsByCountryId: listLoader(em, Forum, linkedFrom(em, Forum, 'countries', [['startDate', 'desc'], 'id'])),
    articlePageByCountryId: articlePageLoader(em, 'countries'),
  };
}
