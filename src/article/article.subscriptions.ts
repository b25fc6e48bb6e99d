import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import { NotFoundError } from '../errors';
import { liveUpdatesOf, subscriptionEvents } from '../live/subscription-events';
import type { Context } from '../shared/context';
import { Article } from './article.entity';

/**
 * The events of one articlePublished subscription: the articles that become public (published,
 * or their embargo lifted), each read when it is sent, with a fresh EntityManager and loaders, as
 * the public sees it: one withdrawn again meanwhile, or not about the forum asked for, is skipped.
 */
async function publications(ctx: Context, forumSlug: string | undefined): Promise<AsyncIterableIterator<Article>> {
  const live = liveUpdatesOf(ctx);
  let forumId: number | undefined;
  if (forumSlug !== undefined) {
    const forum = await ctx.loaders.forumBySlug.load(forumSlug);
    if (!forum) throw new NotFoundError(`No forum "${forumSlug}"`, { argument: 'forumSlug' });
    forumId = forum.id;
  }
  const watch = live.watchPublications();
  const announced: number[] = [];
  return subscriptionEvents(watch, async (ended) => {
    while (!ended()) {
      const id = announced.shift();
      if (id === undefined) {
        announced.push(...(await watch.next()));
        continue;
      }
      live.renew(ctx);
      const article = await ctx.loaders.articleById.load(id);
      if (!article) continue;
      if (forumId !== undefined && !(await ctx.loaders.forumsByArticleId.load(id)).some((f) => f.id === forumId)) continue;
      return article;
    }
    return undefined;
  });
}

@Resolver()
export class ArticleSubscriptions {
  @Subscription(() => Article, {
    description:
      'Articles as they become public, over WebSocket (graphql-ws): published by an editor, or at the end of their embargo. ' +
      'With `forumSlug`, only those about that forum; NOT_FOUND for an unknown forum. For press sites that rebuild a page ' +
      'instead of polling the feeds.',
    subscribe: ({ args, context }) => publications(context as Context, (args as { forumSlug?: string | null }).forumSlug ?? undefined),
  })
  articlePublished(
    @Root() article: Article,
    @Arg('forumSlug', () => String, { nullable: true, description: 'Only articles about this forum; absent: all.' })
    _forumSlug?: string | null,
  ): Article {
    return article;
  }
}
