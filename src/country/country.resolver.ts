import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { ArticleConnection, ArticlePageArgs, articlePageKey } from '../article/article.types';
import { SpeakerConnection } from '../speaker/speaker.types';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import type { Article } from '../article/article.entity';
import type { Speaker } from '../speaker/speaker.entity';
import { readList } from '../shared/read-tags';
import { selectList } from '../shared/projection';
import { findBySql } from '../shared/sql-loading';
import { Country } from './country.entity';

@Resolver(() => Country)
export class CountryResolver {
  @Query(() => [Country], { description: 'All countries, ordered by ISO code.' })
  async countries(@Ctx() { em }: Context): Promise<Country[]> {
    readList(em, Country);
    return findBySql(em, Country, `select ${selectList(em, Country, 't')} from country t order by t.code`, []);
  }

  @Query(() => Country, { nullable: true, description: 'A country by its ISO 3166-1 alpha-2 code (any case); null when unknown.' })
  country(
    @Arg('code', { description: 'ISO 3166-1 alpha-2 code, e.g. `KZ`.' }) code: string,
    @Ctx() { loaders }: Context,
  ): Promise<Country | null> {
    return loaders.countryByCode.load(code.toUpperCase());
  }

  @FieldResolver(() => [Ministry], { description: "The country's ministries and state agencies." })
  ministries(@Root() country: Country, @Ctx() { loaders }: Context): Promise<Ministry[]> {
    return loaders.ministriesByCountryId.load(country.id);
  }

  @FieldResolver(() => SpeakerConnection, { description: 'Speakers from this country, by slug.' })
  async speakers(@Root() country: Country, @Args() args: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Speaker>> {
    return toConnection(await loaders.speakerPageByCountryId.load({ parent: country.id, page: pageOf(args) }));
  }

  @FieldResolver(() => [Forum], { description: 'Forums this country takes part in, latest first.' })
  forums(@Root() country: Country, @Ctx() { loaders }: Context): Promise<Forum[]> {
    return loaders.forumsByCountryId.load(country.id);
  }

  @FieldResolver(() => ArticleConnection, { description: 'Articles that mention this country, newest first.' })
  async articles(@Root() country: Country, @Args() args: ArticlePageArgs, @Ctx() { loaders }: Context): Promise<Connection<Article>> {
    return toConnection(await loaders.articlePageByCountryId.load(articlePageKey(country.id, args)));
  }
}
