import type { EntityManager } from '@mikro-orm/postgresql';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { Session } from '../session/session.entity';
import { children, linked } from '../shared/relations';
import { byIdLoader, byUniqueLoader, listLoader } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Article } from './article.entity';
import { publicArticle, relatedArticlesLoader } from './article.visibility';

export const articleLoaders = {
  articleById: (em: EntityManager) => byIdLoader(em, Article, publicArticle('t')),
  /**
   * For Quote.article only, whatever the article's status: every way to a quote already passed
   * the article's visibility (quoteById and the speaker's and session's quotes keep those of
   * public articles; an article's own quotes are reached from the article; editors' mutations
   * return their drafts' quotes), and an editor's draft must not read as missing.
   */
  quotedArticleById: (em: EntityManager) => byIdLoader(em, Article),
  articleBySlug: (em: EntityManager) => byUniqueLoader(em, Article, 'slug', publicArticle('t')),
  forumsByArticleId: (em: EntityManager) => listLoader(em, Forum, linked(em, Article, 'forums', [['startDate', 'desc'], 'id'])),
  sessionsByArticleId: (em: EntityManager) => listLoader(em, Session, linked(em, Article, 'sessions', ['startsAt', 'id'])),
  speakersByArticleId: (em: EntityManager) => listLoader(em, Speaker, linked(em, Article, 'speakers', ['slug'])),
  countriesByArticleId: (em: EntityManager) => listLoader(em, Country, linked(em, Article, 'countries', ['code'])),
  ministriesByArticleId: (em: EntityManager) => listLoader(em, Ministry, linked(em, Article, 'ministries', ['slug'])),
  relatedArticles: (em: EntityManager) => relatedArticlesLoader(em),
  quotesByArticleId: (em: EntityManager) => listLoader(em, Quote, children(em, Quote, 'article', ['id'])),
};
