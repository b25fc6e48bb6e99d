import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Article } from '../article/article.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import { Quote } from './quote.entity';

@Resolver(() => Quote)
export class QuoteResolver {
  @FieldResolver(() => Speaker, { description: 'Who said it.' })
  async speaker(@Root() quote: Quote, @Ctx() { loaders }: Context): Promise<Speaker> {
    return (await loaders.speakerById.load(quote.speaker.id))!;
  }

  @FieldResolver(() => Article, { description: 'The article reporting it.' })
  async article(@Root() quote: Quote, @Ctx() { loaders }: Context): Promise<Article> {
    return (await loaders.articleById.load(quote.article.id))!;
  }

  @FieldResolver(() => Session, { nullable: true, description: 'The session where it was said, when known.' })
  session(@Root() quote: Quote, @Ctx() { loaders }: Context): Promise<Session | null> | null {
    return quote.session ? loaders.sessionById.load(quote.session.id) : null;
  }
}
