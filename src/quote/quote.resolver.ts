import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { related } from '../shared/sql-loading';
import { Article } from '../article/article.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import { Quote } from './quote.entity';

@Resolver(() => Quote)
export class QuoteResolver {
  @FieldResolver(() => Speaker, { description: 'Who said it.' })
  speaker(@Root() quote: Quote, @Ctx() { loaders }: Context): Speaker | Promise<Speaker> {
    return related(quote.speaker, loaders.speakerById);
  }

  @FieldResolver(() => Article, { description: 'The article reporting it.' })
  article(@Root() quote: Quote, @Ctx() { loaders }: Context): Article | Promise<Article> {
    return related(quote.article, loaders.quotedArticleById);
  }

  @FieldResolver(() => Session, { nullable: true, description: 'The session where it was said, when known.' })
  session(@Root() quote: Quote, @Ctx() { loaders }: Context): Session | Promise<Session> | null {
    return quote.session ? related(quote.session, loaders.sessionById) : null;
  }
}
