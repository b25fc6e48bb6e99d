import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Country } from './country.entity';

export function countryLoaders(em: EntityManager) {
  return {
    countryById: byIdLoader(em, Country),
    countryByCode: byUniqueLoader(em, Country, 'code'),
    ministriesByCountryId: listLoader(em, Ministry, { from: 'ministry t', parent: 't.country_id', orderBy: 't.slug' }),
    speakerPageByCountryId: pageLoader(em, Speaker, { from: 'speaker t', parent: 't.country_id', orderBy: 't.slug' }),
    forumsByCountryId: listLoader(em, Forum, {
      from: 'forum t join forum_country p on p.forum_id = t.id',
      parent: 'p.country_id',
      orderBy: 't.start_date desc, t.id',
    }),
    articlePageByCountryId: articlePageLoader(em, 'article_country', 'country_id'),
  };
}
