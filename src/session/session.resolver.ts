import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Reads } from '../shared/projection';
import type { Context } from '../shared/context';
import { publicUrl } from '../shared/public-urls';
import { related } from '../shared/sql-loading';
import { ArticleConnection, ArticlePageArgs, articlePageKey } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Forum } from '../forum/forum.entity';
import { Quote } from '../quote/quote.entity';
import { toConnection, type Connection } from '../shared/paging';
import { Speaker } from '../speaker/speaker.entity';
import { toZonedIso, validTimeZone } from '../shared/time';
import type { Loaders } from '../shared/context';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';

function TimeZoneArg(): ReturnType<typeof Arg> {
  return Arg('timeZone', () => String, {
    nullable: true,
    description: "IANA time zone to express the time in, e.g. the attendee's own; default: the forum's.",
  });
}

async function inZone(instant: Date, session: Session, timeZone: string | undefined, loaders: Loaders): Promise<string> {
  const zone = timeZone ? validTimeZone(timeZone, 'timeZone') : (await related(session.forum, loaders.forumById)).timeZone;
  return toZonedIso(instant, zone);
}

@Resolver(() => Session)
export class SessionResolver {
  @Reads({ Session: ['slug'] })
  @FieldResolver(() => String, { description: "The session's public page on the portal (PUBLIC_BASE_URL); oEmbed accepts it." })
  url(@Root() session: Session, @Ctx() { publicBaseUrl }: Context): string {
    return publicUrl(publicBaseUrl, 'session', session.slug);
  }

  @FieldResolver(() => Forum, { description: 'The forum this session belongs to.' })
  forum(@Root() session: Session, @Ctx() { loaders }: Context): Forum | Promise<Forum> {
    return related(session.forum, loaders.forumById);
  }

  @Reads({ Session: ['startsAt', 'forum'], Forum: ['timeZone'] })
  @FieldResolver(() => String, {
    description:
      'Start as local wall-clock time with its UTC offset (e.g. `2025-04-16T10:00:00+05:00`), in the forum time zone unless `timeZone` names another.',
  })
  startsAtLocal(@Root() session: Session, @TimeZoneArg() timeZone: string | undefined, @Ctx() { loaders }: Context): Promise<string> {
    return inZone(session.startsAt, session, timeZone, loaders);
  }

  @Reads({ Session: ['endsAt', 'forum'], Forum: ['timeZone'] })
  @FieldResolver(() => String, {
    description: 'End as local wall-clock time with its UTC offset, in the forum time zone unless `timeZone` names another.',
  })
  endsAtLocal(@Root() session: Session, @TimeZoneArg() timeZone: string | undefined, @Ctx() { loaders }: Context): Promise<string> {
    return inZone(session.endsAt, session, timeZone, loaders);
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
  async articles(@Root() session: Session, @Args() args: ArticlePageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageBySessionId.load(articlePageKey(session.id, args)));
  }
}

@Resolver(() => SessionParticipant)
export class SessionParticipantResolver {
  @FieldResolver(() => Speaker, { description: 'The person.' })
  speaker(@Root() participant: SessionParticipant, @Ctx() { loaders }: Context): Speaker | Promise<Speaker> {
    // The participant loaders join the speaker in, so this normally loads nothing.
    return related(participant.speaker, loaders.speakerById);
  }

  @FieldResolver(() => Session, { description: 'The session.' })
  session(@Root() participant: SessionParticipant, @Ctx() { loaders }: Context): Session | Promise<Session> {
    return related(participant.session, loaders.sessionById);
  }
}
