import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Reads } from '../shared/projection';
import type { Context } from '../shared/context';
import { publicUrl } from '../shared/public-urls';
import { ArticleConnection, ArticlePageArgs, articlePageKey } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import type { Session } from '../session/session.entity';
import { SessionFilter, sessionFilterSql } from '../session/session.inputs';
import { SessionConnection } from '../session/session.types';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { fetchRootPage, related } from '../shared/sql-loading';
import { ForumConnection } from './forum.types';
import { Forum } from './forum.entity';

@Resolver(() => Forum)
export class ForumResolver {
  @Query(() => ForumConnection, { description: 'All forums, latest first.' })
  async forums(@Args() args: PageArgs, @Ctx() { em }: Context): Promise<Connection<Forum>> {
    return toConnection(await fetchRootPage(em, Forum, { from: 'forum t', orderBy: 't.start_date desc, t.id desc' }, pageOf(args)));
  }

  @Query(() => Forum, { nullable: true, description: 'A forum by slug (e.g. `camf-2025`); null when unknown.' })
  forum(
    @Arg('slug', { description: 'The forum slug, e.g. `camf-2025`.' }) slug: string,
    @Ctx() { loaders }: Context,
  ): Promise<Forum | null> {
    return loaders.forumBySlug.load(slug);
  }

  @Reads({ Forum: ['slug'] })
  @FieldResolver(() => String, { description: "The forum's public page on the portal (PUBLIC_BASE_URL); oEmbed accepts it." })
  url(@Root() forum: Forum, @Ctx() { publicBaseUrl }: Context): string {
    return publicUrl(publicBaseUrl, 'forum', forum.slug);
  }

  @FieldResolver(() => Country, { description: 'The country hosting the forum.' })
  hostCountry(@Root() forum: Forum, @Ctx() { loaders }: Context): Country | Promise<Country> {
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

  @FieldResolver(() => SessionConnection, { description: 'The agenda: sessions in time order, optionally filtered.' })
  async sessions(
    @Root() forum: Forum,
    @Arg('filter', () => SessionFilter, { nullable: true, description: 'Conditions the sessions must meet.' })
    filter: SessionFilter | undefined,
    @Args() args: PageArgs,
    @Ctx() { loaders }: Context,
  ): Promise<Connection<Session>> {
    return toConnection(
      await loaders.sessionPageByForumId.load({ parent: forum.id, page: pageOf(args), filter: sessionFilterSql(filter) }),
    );
  }

  @FieldResolver(() => [Initiative], { description: 'Initiatives announced or discussed at the forum.' })
  initiatives(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<Initiative[]> {
    return loaders.initiativesByForumId.load(forum.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'News coverage of the forum, newest first.' })
  async articles(@Root() forum: Forum, @Args() args: ArticlePageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageByForumId.load(articlePageKey(forum.id, args)));
  }
}
