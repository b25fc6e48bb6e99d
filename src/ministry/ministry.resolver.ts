import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { readList } from '../shared/read-tags';
import { selectList } from '../shared/projection';
import { findBySql, related } from '../shared/sql-loading';
import { ArticleConnection, ArticlePageArgs, articlePageKey } from '../article/article.types';
import type { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import type { Speaker } from '../speaker/speaker.entity';
import { SpeakerConnection } from '../speaker/speaker.types';
import { Ministry } from './ministry.entity';

@Resolver(() => Ministry)
export class MinistryResolver {
  @Query(() => [Ministry], { description: 'Ministries and state agencies, of one country when `countryCode` is given; ordered by slug.' })
  async ministries(
    @Arg('countryCode', () => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country.' })
    countryCode: string | undefined,
    @Ctx() { em, loaders }: Context,
  ): Promise<Ministry[]> {
    if (!countryCode) {
      readList(em, Ministry);
      return findBySql(em, Ministry, `select ${selectList(em, Ministry, 't')} from ministry t order by t.slug`, []);
    }
    const country = await loaders.countryByCode.load(countryCode.toUpperCase());
    return country ? loaders.ministriesByCountryId.load(country.id) : [];
  }

  @Query(() => Ministry, { nullable: true, description: 'A ministry by its slug; null when unknown.' })
  ministry(
    @Arg('slug', { description: 'The ministry slug, e.g. `kz-mci`.' }) slug: string,
    @Ctx() { loaders }: Context,
  ): Promise<Ministry | null> {
    return loaders.ministryBySlug.load(slug);
  }

  @FieldResolver(() => Country, { description: 'The country whose government this is.' })
  country(@Root() ministry: Ministry, @Ctx() { loaders }: Context): Country | Promise<Country> {
    return related(ministry.country, loaders.countryById);
  }

  @FieldResolver(() => SpeakerConnection, { description: 'Speakers working for this ministry, by slug.' })
  async speakers(@Root() ministry: Ministry, @Args() args: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Speaker>> {
    return toConnection(await loaders.speakerPageByMinistryId.load({ parent: ministry.id, page: pageOf(args) }));
  }

  @FieldResolver(() => [Forum], { description: 'Forums this ministry organises, latest first.' })
  forumsOrganised(@Root() ministry: Ministry, @Ctx() { loaders }: Context): Promise<Forum[]> {
    return loaders.forumsByOrganiserId.load(ministry.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'Articles that mention this ministry, newest first.' })
  async articles(@Root() ministry: Ministry, @Args() args: ArticlePageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageByMinistryId.load(articlePageKey(ministry.id, args)));
  }
}
