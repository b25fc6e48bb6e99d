import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { related } from '../shared/sql-loading';
import { ArticleConnection } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Forum } from '../forum/forum.entity';
import { Quote } from '../quote/quote.entity';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { Speaker } from '../speaker/speaker.entity';
import { toZonedIso } from '../shared/time';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

@Resolver(() => Session)
export class SessionResolver {
  @FieldResolver(() => Forum, { description: 'The forum this session belongs to.' })
  async forum(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Forum> {
    return related(session.forum, loaders.forumById);
  }

  @FieldResolver(() => String, {
    description: 'Start as local time in the forum time zone, ISO 8601 with its offset (e.g. `2025-04-16T10:00:00+05:00`).',
  })
  async startsAtLocal(@Root() session: Session, @Ctx() { loaders }: Context): Promise<string> {
    return toZonedIso(session.startsAt, (await related(session.forum, loaders.forumById)).timeZone);
  }

  @FieldResolver(() => String, { description: 'End as local time in the forum time zone, ISO 8601 with its offset.' })
  async endsAtLocal(@Root() session: Session, @Ctx() { loaders }: Context): Promise<string> {
    return toZonedIso(session.endsAt, (await related(session.forum, loaders.forumById)).timeZone);
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
    // The participant loaders join the speaker in, so this normally loads nothing.
    return related(participant.speaker, loaders.speakerById);
  }

  @FieldResolver(() => Session, { description: 'The session.' })
  async session(@Root() participant: SessionParticipant, @Ctx() { loaders }: Context): Promise<Session> {
    return related(participant.session, loaders.sessionById);
  }
}
