import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import { BadUserInputError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { Session } from '../session/session.entity';
import { fromGlobalId } from '../shared/global-id';
import { PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { parseSearch } from '../shared/search';
import { matchSql, meaning, newestMatchesSql, parsedPositiveQueries, rankSql, type BindQuery } from '../shared/search-matching';
import { lexemeShares } from '../search/lexeme-shares';
import { allOf } from '../shared/sql-filter';
import { fetchRootPage, query } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { Article } from './article.entity';
import { ARTICLE_QUERY_CANDIDATES, ArticleConnection } from './article.types';
import { NEWEST_FIRST, publicArticle } from './article.visibility';

@InputType({ description: 'Narrows a list of articles; all given conditions must hold.' })
export class ArticleFilter {
  @Field(() => String, { nullable: true, description: 'Only articles about this forum (its slug).' })
  forumSlug?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only articles about this session (its global id).' })
  sessionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only articles mentioning this speaker (their slug).' })
  speakerSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only articles mentioning this country (ISO 3166-1 alpha-2 code).' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Only articles mentioning this ministry (its slug).' })
  ministrySlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only articles published in this language (BCP 47 code, e.g. `ru`).' })
  language?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only articles published at or after this moment.' })
  publishedFrom?: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'Only articles published before this moment (for a day: the next midnight).',
  })
  publishedTo?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only articles whose title, lead or text matches this text, in any language, as `search` matches it (each word by its ' +
      'stem, without Kazakh endings, as a prefix when last, or by similar words; web search syntax: "quoted phrase", `or`, ' +
      '`-word`). The articles then come best match first (the text as written before similar words, a match in the title ' +
      'before one in the text), newest first among equals; of more matches, the newest ' +
      `${ARTICLE_QUERY_CANDIDATES.toLocaleString('en')} are ranked and counted. Blank means no condition.`,
  })
  query?: string | null;
}

function sessionIdOf(globalId: string): number {
  const { type, id } = fromGlobalId(globalId);
  if (type !== 'Session') throw new BadUserInputError(`"${globalId}" is not the id of a Session`, { argument: 'filter.sessionId' });
  return id;
}

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => ArticleConnection, {
    description: 'News articles, newest first (best match first with `filter.query`), optionally filtered.',
  })
  async articles(
    @Arg('filter', () => ArticleFilter, { nullable: true, description: 'Conditions the articles must meet.' })
    filter: ArticleFilter | undefined,
    @Args() args: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<Connection<Article>> {
    const linked = (pivot: string, column: string, target: string, key: string, value: unknown) => ({
      sql: `exists (select 1 from ${pivot} p join ${target} x on x.id = p.${column} where p.article_id = t.id and x.${key} = ?)`,
      params: [value],
    });
    const conditions = allOf([
      filter?.forumSlug && linked('article_forum', 'forum_id', 'forum', 'slug', filter.forumSlug),
      filter?.sessionId && {
        sql: 'exists (select 1 from article_session p where p.article_id = t.id and p.session_id = ?)',
        params: [sessionIdOf(filter.sessionId)],
      },
      filter?.speakerSlug && linked('article_speaker', 'speaker_id', 'speaker', 'slug', filter.speakerSlug),
      filter?.countryCode && linked('article_country', 'country_id', 'country', 'code', filter.countryCode.toUpperCase()),
      filter?.ministrySlug && linked('article_ministry', 'ministry_id', 'ministry', 'slug', filter.ministrySlug),
      filter?.language && { sql: 't.language = ?', params: [filter.language] },
      filter?.publishedFrom && { sql: 't.published_at >= ?', params: [filter.publishedFrom] },
      filter?.publishedTo && { sql: 't.published_at < ?', params: [filter.publishedTo] },
    ]);
    // A blank query is no query: websearch_to_tsquery would make it match nothing.
    const text = filter?.query?.trim();
    if (!text) {
      const list = { from: 'article t', orderBy: NEWEST_FIRST, where: publicArticle('t') };
      return toConnection(await fetchRootPage(em, Article, list, pageOf(args), conditions));
    }
    const [meant, shares] = await Promise.all([meaning((sql, params) => query(em, sql, params), parseSearch(text)), lexemeShares(em)]);
    const rankParams: unknown[] = [];
    const matchParams: unknown[] = [];
    const into =
      (params: unknown[]): BindQuery =>
      (q) => {
        params.push(q);
        return '?::tsquery';
      };
    // The newest matches, as search takes a kind's candidates; with other conditions, every match
    // first: the planner may then start from those (a forum's articles), and a newest-first scan
    // would read every article for a forum's few.
    const candidates = newestMatchesSql(
      {
        table: 'article',
        match: (vector) => matchSql(meant, vector, into(matchParams)),
        where: [publicArticle('t'), ...(conditions ? [conditions.sql] : [])].join(' and '),
        newest: NEWEST_FIRST,
        columns: 't.*',
        limit: ARTICLE_QUERY_CANDIDATES,
      },
      !conditions && shares.newestFirst('article', parsedPositiveQueries(meant), ARTICLE_QUERY_CANDIDATES),
    );
    const list = {
      from: `(${candidates}) t`,
      // fetchRootPage writes the order (inside row_number()) before the rows, so the rank's
      // bindings come first; each `?` is bound in the order the text names it.
      orderBy: `${rankSql(meant, 't.v', into(rankParams))} desc, ${NEWEST_FIRST}`,
    };
    const filtered = { sql: 'true', params: [...rankParams, ...(conditions?.params ?? []), ...matchParams] };
    const page = await fetchRootPage(em, Article, list, pageOf(args), filtered);
    return toConnection({ ...page, capped: page.totalCount >= ARTICLE_QUERY_CANDIDATES });
  }

  @Query(() => ArticleConnection, {
    description:
      'For editors and admins: the articles the public does not see yet (drafts, and scheduled ones before their time), ' +
      'most recently edited first. The answer is never cached (it needs a sign-in).',
  })
  async unpublishedArticles(@Args() args: PageArgs, @Ctx() { em, viewer }: Context): Promise<Connection<Article>> {
    requireRole(viewer, Role.EDITOR);
    const list = { from: 'article t', orderBy: 't.updated_at desc, t.id desc', where: `not (${publicArticle('t')})` };
    return toConnection(await fetchRootPage(em, Article, list, pageOf(args)));
  }

  @Query(() => Article, { nullable: true, description: 'An article by slug; null when unknown.' })
  article(@Arg('slug', { description: 'The article slug.' }) slug: string, @Ctx() { loaders }: Context): Promise<Article | null> {
    return loaders.articleBySlug.load(slug);
  }

  @FieldResolver(() => [Forum], { description: 'Forums the article covers.' })
  forums(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Forum[]> {
    return loaders.forumsByArticleId.load(article.id);
  }

  @FieldResolver(() => [Session], { description: 'Sessions the article covers, in time order.' })
  sessions(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Session[]> {
    return loaders.sessionsByArticleId.load(article.id);
  }

  @FieldResolver(() => [Speaker], { description: 'People the article mentions.' })
  speakers(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Speaker[]> {
    return loaders.speakersByArticleId.load(article.id);
  }

  @FieldResolver(() => [Country], { description: 'Countries the article mentions, by ISO code.' })
  countries(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Country[]> {
    return loaders.countriesByArticleId.load(article.id);
  }

  @FieldResolver(() => [Ministry], { description: 'Ministries and agencies the article mentions.' })
  ministries(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Ministry[]> {
    return loaders.ministriesByArticleId.load(article.id);
  }

  @FieldResolver(() => [Quote], { description: 'Quotations the article reports.' })
  quotes(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Quote[]> {
    return loaders.quotesByArticleId.load(article.id);
  }
}
