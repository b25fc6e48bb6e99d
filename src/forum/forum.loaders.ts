import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Country } from '../country/country.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader } from '../shared/sql-loading';
import { Forum } from './forum.entity';

export function forumLoaders(em: EntityManager) {
  return {
    forumById: byIdLoader(em, Forum),
    forumBySlug: byUniqueLoader(em, Forum, 'slug'),
    // The forum is joined as `f` so that filters can use its time zone (sessions by local day).
    sessionPageByForumId: pageLoader(em, Session, {
      from: 'session t join forum f on f.id = t.forum_id',
      parent: 't.forum_id',
      orderBy: 't.starts_at, t.id',
    }),
    // The whole agenda, for views that group it (days, rooms, tracks); an agenda is bounded.
    sessionsByForumId: listLoader(em, Session, { from: 'session t', parent: 't.forum_id', orderBy: 't.starts_at, t.id' }),
    countriesByForumId: listLoader(em, Country, {
      from: 'country t join forum_country p on p.country_id = t.id',
      parent: 'p.forum_id',
      orderBy: 't.code',
    }),
    organisersByForumId: listLoader(em, Ministry, {
      from: 'ministry t join forum_organiser p on p.ministry_id = t.id',
      parent: 'p.forum_id',
      orderBy: 't.slug',
    }),
    initiativesByForumId: listLoader(em, Initiative, { from: 'initiative t', parent: 't.forum_id', orderBy: 't.id' }),
    articlePageByForumId: articlePageLoader(em, 'article_forum', 'forum_id'),
  };
}
