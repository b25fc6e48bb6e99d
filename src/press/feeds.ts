import type { EntityManager } from '@mikro-orm/postgresql';
import { create } from 'xmlbuilder2';
import { Article } from '../article/article.entity';
import { NEWEST_FIRST, publicArticle } from '../article/article.visibility';
import { Forum } from '../forum/forum.entity';
import { availableLanguage, localize, type Language, type Translations } from '../shared/i18n';
import { publicUrl } from '../shared/public-urls';
import { findBySql, query } from '../shared/sql-loading';

/*
 * A forum's coverage as feeds a CMS can ingest: RSS 2.0 and JSON Feed 1.1, the newest 50
 * published articles. Both are small, fixed formats written here directly (RSS through
 * xmlbuilder2, which escapes); the `feed` package is ESM-only, which this CommonJS build and jest
 * cannot load.
 */

export const FEED_SIZE = 50;

const LINKED = `from article t join article_forum p on p.article_id = t.id where p.forum_id = ? and ${publicArticle('t')}`;

/** What a feed's validators depend on, in one statement: an embargo lifting changes it too. */
export async function feedState(em: EntityManager, forum: Forum): Promise<{ count: number; changed: Date | null }> {
  const [row] = await query(
    em,
    `select count(*)::int as n, (extract(epoch from max(greatest(t.updated_at, t.published_at))) * 1000)::bigint as changed_ms ${LINKED}`,
    [forum.id],
  );
  return { count: Number(row.n), changed: row.changed_ms === null ? null : new Date(Number(row.changed_ms)) };
}

export async function feedArticles(em: EntityManager, forum: Forum): Promise<Article[]> {
  return findBySql(em, Article, `select t.* ${LINKED} order by ${NEWEST_FIRST} limit ${FEED_SIZE}`, [forum.id]);
}

export interface FeedInput {
  forum: Forum;
  articles: Article[];
  languages: readonly Language[];
  publicBaseUrl: string;
  /** This feed's own URL. */
  self: string;
  updated: Date;
}

function text(value: Translations | null | undefined, languages: readonly Language[]): string {
  return localize(value, languages) ?? '';
}

function channelTitle({ forum, languages }: FeedInput): string {
  return text(forum.title, languages) || forum.slug;
}

export function renderRss(input: FeedInput): string {
  const { forum, articles, languages, publicBaseUrl } = input;
  const rss = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  });
  const channel = rss.ele('channel');
  channel.ele('title').txt(channelTitle(input));
  channel.ele('link').txt(publicUrl(publicBaseUrl, 'forum', forum.slug));
  channel.ele('description').txt(text(forum.description, languages) || channelTitle(input));
  channel.ele('language').txt(availableLanguage(forum.title, languages) ?? languages[0]);
  channel.ele('lastBuildDate').txt(input.updated.toUTCString());
  channel.ele('atom:link', { href: input.self, rel: 'self', type: 'application/rss+xml' });
  channel.ele('generator').txt('Forum Portal');
  for (const article of articles) {
    const url = publicUrl(publicBaseUrl, 'article', article.slug);
    const item = channel.ele('item');
    item.ele('title').txt(text(article.title, languages));
    item.ele('link').txt(url);
    item.ele('guid', { isPermaLink: 'true' }).txt(url);
    item.ele('pubDate').txt(article.publishedAt.toUTCString());
    const summary = text(article.lead, languages);
    if (summary) item.ele('description').txt(summary);
    if (article.authorName) item.ele('dc:creator').txt(article.authorName);
    item.ele('source', { url: article.sourceUrl }).txt(article.outletName);
  }
  return rss.end({ prettyPrint: true });
}

export function renderJsonFeed(input: FeedInput): string {
  const { forum, articles, languages, publicBaseUrl } = input;
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: channelTitle(input),
    home_page_url: publicUrl(publicBaseUrl, 'forum', forum.slug),
    feed_url: input.self,
    description: text(forum.description, languages) || undefined,
    language: availableLanguage(forum.title, languages) ?? languages[0],
    items: articles.map((article) => {
      const title = text(article.title, languages);
      return {
        id: publicUrl(publicBaseUrl, 'article', article.slug),
        url: publicUrl(publicBaseUrl, 'article', article.slug),
        external_url: article.sourceUrl,
        title,
        summary: text(article.lead, languages) || undefined,
        // JSON Feed needs content; the body is our own summary, the lead or the title stand in.
        content_text: text(article.body, languages) || text(article.lead, languages) || title,
        date_published: article.publishedAt.toISOString(),
        date_modified: article.updatedAt.toISOString(),
        authors: article.authorName ? [{ name: article.authorName }] : undefined,
        language: availableLanguage(article.title, languages) ?? undefined,
      };
    }),
  });
}
