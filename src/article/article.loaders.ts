import type { EntityManager } from '@mikro-orm/postgresql';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { Session } from '../session/session.entity';
import { byIdLoader, byUniqueLoader, listLoader } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Article } from './article.entity';
import { publicArticle, relatedArticlesLoader } from './article.visibility';

export function articleLoaders(em: EntityManager) {
  return {
    articleById: byIdLoader(em, Article, publicArticle('t')),
    /**
     * For Quote.article only, whatever the article's status: every way to a quote already passed
     * the article's visibility (quoteById and the speaker's and session's quotes keep those of
     * public articles; an article's own quotes are reached from the article; editors' mutations
     * return their drafts' quotes), and an editor's draft must not read as missing.
     */
    quotedArticleById: byIdLoader(em, Article),
    articleBySlug: byUniqueLoader(em, Article, 'slug', publicArticle('t')),
    forumsByArticleId: listLoader(em, Forum, {
      from: 'forum t join article_forum p on p.forum_id = t.id',
      parent: 'p.article_id',
      orderBy: 't.start_date desc, t.id',
    }),
    sessionsByArticleId: listLoader(em, Session, {
      from: 'session t join article_session p on p.session_id = t.id',
      parent: 'p.article_id',
      orderBy: 't.starts_at, t.id',
    }),
    speakersByArticleId: listLoader(em, Speaker, {
      from: 'speaker t join article_speaker p on p.speaker_id = t.id',
      parent: 'p.article_id',
      orderBy: 't.slug',
    }),
    countriesByArticleId: listLoader(em, Country, {
      from: 'country t join article_country p on p.country_id = t.id',
      parent: 'p.article_id',
      orderBy: 't.code',
    }),
    ministriesByArticleId: listLoader(em, Ministry, {
      from: 'ministry t join article_ministry p on p.ministry_id = t.id',
      parent: 'p.article_id',
      orderBy: 't.slug',
    }),
    relatedArticles: relatedArticlesLoader(em),
    quotesByArticleId: listLoader(em, Quote, { from: 'quote t', parent: 't.article_id', orderBy: 't.id' }),
  };
}
