import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Reads } from '../shared/projection';
import { GraphQLDateTime } from '../shared/date-range';
import type { Context } from '../shared/context';
import { publicUrl } from '../shared/public-urls';
import { BadUserInputError } from '../errors';
import { toReadRow } from '../shared/read-rows';
import { selectList } from '../shared/projection';
import { readList } from '../shared/read-tags';
import { query } from '../shared/sql-loading';
import { Article } from './article.entity';
import * as articles from './article.service';
import { publicArticle } from './article.visibility';
import { ArchiveYear, ArticleViews } from './reading.types';

const MAX_LIST = 50;

function limit(first: number, argument = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_LIST) {
    throw new BadUserInputError(`${argument} must be between 1 and ${MAX_LIST}`, { argument });
  }
  return first;
}

/** "Most read", "read also" and the date archive: what a press site shows around an article. */
@Resolver(() => Article)
export class ReadingResolver {
  @Query(() => [ArticleViews], {
    description: 'Most read articles, by views since a moment (all time by default), optionally of one forum.',
  })
  async popularArticles(
    @Arg('forumSlug', () => String, { nullable: true, description: 'Only articles linked to this forum.' }) forumSlug: string | undefined,
    @Arg('since', () => GraphQLDateTime, { nullable: true, description: 'Count views from this moment (by UTC day); default: all time.' })
    since: Date | undefined,
    @Arg('first', () => Int, { defaultValue: 10, description: `How many, at most ${MAX_LIST}.` }) first: number,
    @Ctx() { em }: Context,
  ): Promise<ArticleViews[]> {
    const forumCondition =
      'exists (select 1 from article_forum af join forum f on f.id = af.forum_id where af.article_id = t.id and f.slug = ?)';
    const views = since
      ? "coalesce((select sum(v.views) from article_view_day v where v.article_id = t.id and v.day >= (?::timestamptz at time zone 'UTC')::date), 0)"
      : 't.view_count';
    readList(em, Article);
    const rows = await query(
      em,
      `select * from (select ${selectList(em, Article, 't')}, ${views}::int as "__views", t.published_at as "__published_at" from article t where ${publicArticle('t')}` +
        ` and (?::text is null or ${forumCondition})) ranked where "__views" > 0 order by "__views" desc, "__published_at" desc, id desc limit ?`,
      [...(since ? [since] : []), forumSlug ?? null, forumSlug ?? null, limit(first)],
    );
    return rows.map(({ __views, ...columns }) => ({ article: toReadRow(em, Article, columns), views: Number(__views) }));
  }

  @Mutation(() => Int, { description: "Counts one view of a published article and returns its new total; for the site's page-view hook." })
  recordArticleView(@Arg('slug', { description: 'The article slug.' }) slug: string, @Ctx() ctx: Context): Promise<number> {
    return articles.recordArticleView(ctx, slug);
  }

  @Reads({ Forum: ['timeZone'] })
  @Query(() => [ArchiveYear], {
    description: "Counts of published articles per year, month and day (newest first), in a forum's time zone when given, else UTC.",
  })
  async articleArchive(
    @Arg('forumSlug', () => String, { nullable: true, description: 'Only articles linked to this forum.' }) forumSlug: string | undefined,
    @Ctx() { em, loaders }: Context,
  ): Promise<ArchiveYear[]> {
    const forum = forumSlug ? await loaders.forumBySlug.load(forumSlug) : null;
    if (forumSlug && !forum) return [];
    readList(em, Article);
    const rows = await query(
      em,
      `select to_char((t.published_at at time zone ?)::date, 'YYYY-MM-DD') as day, count(*)::int as n from article t` +
        ` where ${publicArticle('t')} and (?::int is null or exists (select 1 from article_forum af where af.article_id = t.id and af.forum_id = ?))` +
        ' group by 1 order by 1 desc',
      [forum?.timeZone ?? 'UTC', forum?.id ?? null, forum?.id ?? null],
    );
    const years: ArchiveYear[] = [];
    for (const { day, n } of rows as { day: string; n: number }[]) {
      const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
      let y = years.at(-1);
      if (y?.year !== year) years.push((y = { year, count: 0, months: [] }));
      let m = y.months.at(-1);
      if (m?.month !== month) y.months.push((m = { month, count: 0, days: [] }));
      m.days.push({ date: day, count: n });
      m.count += n;
      y.count += n;
    }
    return years;
  }

  @Reads({ Article: ['slug'] })
  @FieldResolver(() => String, { description: "The article's public page on the portal (PUBLIC_BASE_URL); oEmbed accepts it." })
  url(@Root() article: Article, @Ctx() { publicBaseUrl }: Context): string {
    return publicUrl(publicBaseUrl, 'article', article.slug);
  }

  @FieldResolver(() => [Article], {
    description: 'Read also: other published articles sharing sessions, speakers, forums or countries with this one, most related first.',
  })
  related(
    @Root() article: Article,
    @Arg('first', () => Int, { defaultValue: 5, description: `How many, at most ${MAX_LIST}.` }) first: number,
    @Ctx() { loaders }: Context,
  ): Promise<Article[]> {
    return loaders.relatedArticles.load({ article: article.id, first: limit(first) });
  }
}
