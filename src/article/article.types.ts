import { ArgsType, Field } from 'type-graphql';
import { ConnectionType, PageArgs, pageOf } from '../shared/paging';
import type { PageKey } from '../shared/sql-loading';
import { LinkKind } from './article-link.entity';
import { Article } from './article.entity';

/**
 * With `filter.query`, of more matching articles only the newest this many are ranked, paged and
 * counted: ranking reads each match's vector (13 µs for an article of a news report's length),
 * and a word in all 50,000 articles of the bench dataset took 870 ms; 500 are 25 pages of 20.
 */
export const ARTICLE_QUERY_CANDIDATES = 500;

export const ArticleConnection = ConnectionType(
  Article,
  'Article',
  'Whether `totalCount` counts every article of the list. False where it stopped: `articles(filter: { query })` counts ' +
    `at most the newest ${ARTICLE_QUERY_CANDIDATES.toLocaleString('en')} matches.`,
);

@ArgsType()
export class ArticlePageArgs extends PageArgs {
  @Field(() => LinkKind, {
    nullable: true,
    description: 'Only articles linked this way (COVERS: about it; MENTIONS: in passing); default: both.',
  })
  link?: LinkKind | null;
}

/** The loader key for a page of the articles linked to `parent` (see articlePageLoader). */
export function articlePageKey(parent: number, args: ArticlePageArgs): PageKey {
  return { parent, page: pageOf(args), filter: args.link ? { sql: 'p.kind = ?', params: [args.link] } : undefined };
}
