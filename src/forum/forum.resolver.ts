import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import type { Context } from '../context';
import { ArticleConnection } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session, SessionKind } from '../session/session.entity';
import { SessionConnection } from '../session/session.types';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { fetchRootPage, related } from '../shared/sql-loading';
import { allOf } from '../shared/sql-filter';
import { ForumConnection } from './forum.types';
import { Forum } from './forum.entity';

@ArgsType()
class SessionPageArgs extends PageArgs {
  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Only sessions starting on this local date, in the forum time zone.' })
  day?: string | null;

  @Field(() => SessionKind, { nullable: true, description: 'Only sessions of this kind.' })
  kind?: SessionKind | null;
}

/** The local dates from `start` to `end` inclusive (YYYY-MM-DD strings, calendar arithmetic in UTC). */
export function datesBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${start}T00:00:00Z`); d <= new Date(`${end}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

@Resolver(() => Forum)
export class ForumResolver {
  @Query(() => ForumConnection, { description: 'All forums, latest first.' })
  async forums(@Args() args: PageArgs, @Ctx() { em }: Context): Promise<Connection<Forum>> {
    return toConnection(await fetchRootPage(em, Forum, { from: 'forum t', orderBy: 't.start_date desc, t.id desc' }, pageOf(args)));
  }

  @Query(() => Forum, { nullable: true, description: 'A forum by slug (e.g. `camf-2025`); null when unknown.' })
  forum(@Arg('slug', { description: 'The forum slug, e.g. `camf-2025`.' }) slug: string, @Ctx() { loaders }: Context): Promise<Forum | null> {
    return loaders.forumBySlug.load(slug);
  }

  @FieldResolver(() => [GraphQLLocalDate], { description: 'Every day of the forum, as local dates, first to last.' })
  days(@Root() forum: Forum): string[] {
    return datesBetween(forum.startDate, forum.endDate);
  }

  @FieldResolver(() => Country, { description: 'The country hosting the forum.' })
  async hostCountry(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<Country> {
    return related(forum.hostCountry, loaders.countryById);
  }

  @FieldResolver(() => [Ministry], { description: 'The ministries and agencies organising the forum.' })
  organisers(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<Ministry[]> {
    return loaders.organisersByForumId.load(forum.id);
  }

  @FieldResolver(() => [Country], { description: 'Participating countries, by ISO code.' })
  countries(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<Country[]> {
    return loaders.countriesByForumId.load(forum.id);
  }

  @FieldResolver(() => SessionConnection, { description: 'The agenda: sessions in time order, optionally of one day or kind.' })
  async sessions(@Root() forum: Forum, @Args() args: SessionPageArgs, @Ctx() { loaders }: Context): Promise<Connection<Session>> {
    const filter = allOf([
      args.day && { sql: '(t.starts_at at time zone f.time_zone)::date = ?::date', params: [args.day] },
      args.kind && { sql: 't.kind = ?', params: [args.kind] },
    ]);
    return toConnection(await loaders.sessionPageByForumId.load({ parent: forum.id, page: pageOf(args), filter }));
  }

  @FieldResolver(() => [Initiative], { description: 'Initiatives announced or discussed at the forum.' })
  initiatives(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<Initiative[]> {
    return loaders.initiativesByForumId.load(forum.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'News coverage of the forum, newest first.' })
  async articles(@Root() forum: Forum, @Args() args: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageByForumId.load({ parent: forum.id, page: pageOf(args) }));
  }
}
