import type { EntityManager } from '@mikro-orm/postgresql';
import { pageLoader } from '../shared/sql-loading';
import { Article } from './article.entity';

/**
 * SQL: the article aliased `alias` is public: not a draft, and published (or its embargo lifted)
 * by now. Every public read of articles goes through this, so an embargoed article appears by
 * itself at its time, with no job to flip it.
 */
export function publicArticle(alias: string): string {
  return `${alias}.status <> 'DRAFT' and ${alias}.published_at <= now()`;
}

export const NEWEST_FIRST = 't.published_at desc, t.id desc';

/** Pages of the public articles linked to each parent through `pivot` (`p.<column>` = parent). */
export function articlePageLoader(em: EntityManager, pivot: string, column: string) {
  return pageLoader(em, Article, {
    from: `article t join ${pivot} p on p.article_id = t.id`,
    parent: `p.${column}`,
    orderBy: NEWEST_FIRST,
    where: publicArticle('t'),
  });
}
