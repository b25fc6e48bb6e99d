import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { wrap } from '@mikro-orm/core';
import type { Context } from '../context';
import { ArticleConnection } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Forum } from '../forum/forum.entity';
import { Quote } from '../quote/quote.entity';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { Speaker } from '../speaker/speaker.entity';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

@Resolver(() => Session)
export class SessionResolver {
  @FieldResolver(() => Forum, { description: 'The forum this session belongs to.' })
  async forum(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Forum> {
    return (await loaders.forumById.load(session.forum.id))!;
  }

  @FieldResolver(() => [SessionParticipant], { description: 'Who takes part, with their roles, in display order.' })
  participants(@Root() session: Session, @Ctx() { loaders }: Context): Promise<SessionParticipant[]> {
    return loaders.participantsBySessionId.load(session.id);
  }

  @FieldResolver(() => [Quote], { description: 'Quotations from this session reported by articles.' })
  quotes(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Quote[]> {
    return loaders.quotesBySessionId.load(session.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'Articles covering this session, newest first.' })
  async articles(@Root() session: Session, @Args() args: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageBySessionId.load({ parent: session.id, page: pageOf(args) }));
  }
}

@Resolver(() => SessionParticipant)
export class SessionParticipantResolver {
  @FieldResolver(() => Speaker, { description: 'The person.' })
  async speaker(@Root() participant: SessionParticipant, @Ctx() { loaders }: Context): Promise<Speaker> {
    // The participant loaders join the speaker in; only a participant fetched by id needs a load.
    if (wrap(participant.speaker).isInitialized()) return participant.speaker;
    return (await loaders.speakerById.load(participant.speaker.id))!;
  }

  @FieldResolver(() => Session, { description: 'The session.' })
  async session(@Root() participant: SessionParticipant, @Ctx() { loaders }: Context): Promise<Session> {
    if (wrap(participant.session).isInitialized()) return participant.session;
    return (await loaders.sessionById.load(participant.session.id))!;
  }
}
