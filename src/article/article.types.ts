import { ArgsType, Field } from 'type-graphql';
import { ConnectionType, PageArgs, pageOf } from '../shared/paging';
import type { PageKey } from '../shared/sql-loading';
import { LinkKind } from './article-link.entity';
import { Article } from './article.entity';

export const ArticleConnection = ConnectionType(Article, 'Article');

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
