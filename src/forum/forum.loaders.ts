import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Country } from '../country/country.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { children, joinManyToOne, linked } from '../shared/relations';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader, type RelationSql } from '../shared/sql-loading';
import { Forum } from './forum.entity';

export function forumLoaders(em: EntityManager) {
  const withForum = (rel: RelationSql): RelationSql => ({ ...rel, from: `${rel.from} ${joinManyToOne(em, Session, 't', 'forum', 'f')}` });
  return {
    forumById: byIdLoader(em, Forum),
    forumBySlug: byUniqueLoader(em, Forum, 'slug'),
    // The forum is joined as `f` so that filters can use its time zone (sessions by local day).
    sessionPageByForumId: pageLoader(em, Session, withForum(children(em, Session, 'forum', ['startsAt', 'id']))),
    // The whole agenda, for views that group it (days, rooms, tracks); an agenda is bounded.
    sessionsByForumId: listLoader(em, Session, children(em, Session, 'forum', ['startsAt', 'id'])),
    countriesByForumId: listLoader(em, Country, linked(em, Forum, 'countries', ['code'])),
    organisersByForumId: listLoader(em, Ministry, linked(em, Forum, 'organisers', ['slug'])),
    initiativesByForumId: listLoader(em, Initiative, children(em, Initiative, 'forum', ['id'])),
    articlePageByForumId: articlePageLoader(em, 'forums'),
  };
}
