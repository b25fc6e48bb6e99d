import type { EntityManager } from '@mikro-orm/postgresql';
import { articlePageLoader } from '../article/article.visibility';
import { Country } from '../country/country.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { children, joinManyToOne, linked } from '../shared/relations';
import { byIdLoader, byUniqueLoader, listLoader, pageLoader, type RelationSql } from '../shared/sql-loading';
import { Forum } from './forum.entity';

const withForum = (em: EntityManager, rel: RelationSql): RelationSql => ({
  ...rel,
  from: `${rel.from} ${joinManyToOne(em, Session, 't', 'forum', 'f')}`,
});

export const forumLoaders = {
  forumById: (em: EntityManager) => byIdLoader(em, Forum),
  forumBySlug: (em: EntityManager) => byUniqueLoader(em, Forum, 'slug'),
  // The forum is joined as `f` so that filters can use its time zone (sessions by local day).
  sessionPageByForumId: (em: EntityManager) => pageLoader(em, Session, withForum(em, children(em, Session, 'forum', ['startsAt', 'id']))),
  // The whole agenda, for views that group it (days, rooms, tracks); an agenda is bounded.
  sessionsByForumId: (em: EntityManager) => listLoader(em, Session, children(em, Session, 'forum', ['startsAt', 'id'])),
  countriesByForumId: (em: EntityManager) => listLoader(em, Country, linked(em, Forum, 'countries', ['code'])),
  organisersByForumId: (em: EntityManager) => listLoader(em, Ministry, linked(em, Forum, 'organisers', ['slug'])),
  initiativesByForumId: (em: EntityManager) => listLoader(em, Initiative, children(em, Initiative, 'forum', ['id'])),
  articlePageByForumId: (em: EntityManager) => articlePageLoader(em, 'forums'),
};
