import { Arg, Args, Ctx, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import { Reads } from '../shared/projection';
import type { Context } from '../shared/context';
import { publicUrl } from '../shared/public-urls';
import { ArticleConnection, ArticlePageArgs, articlePageKey } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { SessionParticipant } from '../session/session-participant.entity';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { fetchRootPage, related } from '../shared/sql-loading';
import { allOf, anyTranslationMatches, containsPattern } from '../shared/sql-filter';
import { Speaker } from './speaker.entity';
import { SpeakerConnection } from './speaker.types';

@InputType({ description: 'Narrows a list of speakers; all given conditions must hold.' })
export class SpeakerFilter {
  @Field(() => String, { nullable: true, description: 'Only speakers from this country (ISO 3166-1 alpha-2 code).' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Only speakers working for this ministry (its slug).' })
  ministrySlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only speakers taking part in a session of this forum (its slug).' })
  forumSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only speakers whose name, in any language, contains this text (case-insensitive).' })
  search?: string | null;
}

@Resolver(() => Speaker)
export class SpeakerResolver {
  @Query(() => SpeakerConnection, { description: 'Speakers, by slug, optionally filtered.' })
  async speakers(
    @Arg('filter', () => SpeakerFilter, { nullable: true, description: 'Conditions the speakers must meet.' })
    filter: SpeakerFilter | undefined,
    @Args() args: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<Connection<Speaker>> {
    const where = allOf([
      filter?.countryCode && { sql: 't.country_id = (select id from country where code = ?)', params: [filter.countryCode.toUpperCase()] },
      filter?.ministrySlug && { sql: 't.ministry_id = (select id from ministry where slug = ?)', params: [filter.ministrySlug] },
      filter?.forumSlug && {
        sql:
          'exists (select 1 from session_participant sp join session s on s.id = sp.session_id' +
          ' join forum f on f.id = s.forum_id where sp.speaker_id = t.id and f.slug = ?)',
        params: [filter.forumSlug],
      },
      filter?.search && { sql: anyTranslationMatches('t.full_name'), params: [containsPattern(filter.search)] },
    ]);
    return toConnection(await fetchRootPage(em, Speaker, { from: 'speaker t', orderBy: 't.slug' }, pageOf(args), where));
  }

  @Query(() => Speaker, { nullable: true, description: 'A speaker by slug; null when unknown.' })
  speaker(
    @Arg('slug', { description: 'The speaker slug, e.g. `aida-balaeva`.' }) slug: string,
    @Ctx() { loaders }: Context,
  ): Promise<Speaker | null> {
    return loaders.speakerBySlug.load(slug);
  }

  @Reads({ Speaker: ['slug'] })
  @FieldResolver(() => String, { description: "The speaker's public page on the portal (PUBLIC_BASE_URL); oEmbed accepts it." })
  url(@Root() speaker: Speaker, @Ctx() { publicBaseUrl }: Context): string {
    return publicUrl(publicBaseUrl, 'speaker', speaker.slug);
  }

  @FieldResolver(() => Country, { description: 'The country the speaker represents.' })
  country(@Root() speaker: Speaker, @Ctx() { loaders }: Context): Country | Promise<Country> {
    return related(speaker.country, loaders.countryById);
  }

  @FieldResolver(() => Ministry, { nullable: true, description: 'The ministry or agency the speaker works for, if any.' })
  ministry(@Root() speaker: Speaker, @Ctx() { loaders }: Context): Ministry | Promise<Ministry> | null {
    return speaker.ministry ? related(speaker.ministry, loaders.ministryById) : null;
  }

  @FieldResolver(() => [SessionParticipant], {
    description: 'The sessions this person takes part in, with their role in each, in time order.',
  })
  participations(@Root() speaker: Speaker, @Ctx() { loaders }: Context): Promise<SessionParticipant[]> {
    return loaders.participationsBySpeakerId.load(speaker.id);
  }

  @FieldResolver(() => [Quote], { description: "The speaker's quotations reported by articles." })
  quotes(@Root() speaker: Speaker, @Ctx() { loaders }: Context): Promise<Quote[]> {
    return loaders.quotesBySpeakerId.load(speaker.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'Articles that mention this speaker, newest first.' })
  async articles(@Root() speaker: Speaker, @Args() args: ArticlePageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageBySpeakerId.load(articlePageKey(speaker.id, args)));
  }
}
