import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { Article } from './article.entity';
import {
  ArticleIdInput,
  CreateArticleInput,
  PublishArticleInput,
  ScheduleArticleInput,
  SetArticleLinksInput,
  UpdateArticleInput,
} from './article.inputs';
import * as articles from './article.service';

/** Editors' changes to articles (article.service.ts). */
@Resolver()
export class ArticleMutations {
  @Mutation(() => Article, { description: 'Creates an article (editors), by default as a draft. A taken slug is a CONFLICT on `slug`.' })
  createArticle(
    @Arg('input', () => CreateArticleInput, { description: 'The new article.' }) input: CreateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.createArticle(ctx, input);
  }

  @Mutation(() => Article, {
    description: "Changes an article's fields (editors); absent fields stay. The status changes through publish, schedule and unpublish.",
  })
  updateArticle(
    @Arg('input', () => UpdateArticleInput, { description: 'The article and the changes.' }) input: UpdateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.updateArticle(ctx, input);
  }

  @Mutation(() => Article, {
    description:
      'Publishes an article (editors): PUBLISHED from `publishedAt`, which becomes now when the article had no time of its ' +
      'own or a future one (an embargo is lifted at once).',
  })
  publishArticle(
    @Arg('input', () => PublishArticleInput, { description: 'The article.' }) input: PublishArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.publishArticle(ctx, input);
  }

  @Mutation(() => Article, {
    description: 'Puts an article under embargo (editors): SCHEDULED, invisible to the public until `publishAt`, then public by itself.',
  })
  scheduleArticle(
    @Arg('input', () => ScheduleArticleInput, { description: 'The article and when it becomes public.' }) input: ScheduleArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.scheduleArticle(ctx, input);
  }

  @Mutation(() => Article, { description: 'Takes an article back to DRAFT (editors): it disappears from the public API at once.' })
  unpublishArticle(
    @Arg('input', () => ArticleIdInput, { description: 'The article.' }) input: ArticleIdInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.unpublishArticle(ctx, input);
  }

  @Mutation(() => ID, { description: 'Deletes an article with its links, quotes and view counts (editors); returns its global id.' })
  deleteArticle(
    @Arg('input', () => ArticleIdInput, { description: 'The article.' }) input: ArticleIdInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return articles.deleteArticle(ctx, input);
  }

  @Mutation(() => Article, {
    description:
      "Replaces an article's links to forums, sessions, speakers, countries and ministries (editors), each with its kind. " +
      'Each list given replaces that kind of link; lists left out stay. An unknown target is BAD_USER_INPUT naming its field.',
  })
  setArticleLinks(
    @Arg('input', () => SetArticleLinksInput, { description: 'The article and its links.' }) input: SetArticleLinksInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    return articles.setArticleLinks(ctx, input);
  }
}
