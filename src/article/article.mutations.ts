import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../shared/context';
import { recordChange } from '../audit/audit';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import type { Viewer } from '../shared/context';
import { Country } from '../country/country.entity';
import { BadUserInputError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { inTransaction } from '../shared/write-errors';
import { Speaker } from '../speaker/speaker.entity';
import { ArticleCountry, ArticleForum, ArticleMinistry, ArticleSession, ArticleSpeaker, LinkKind } from './article-link.entity';
import { Article, ArticleStatus } from './article.entity';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import {
  ArticleIdInput,
  CreateArticleInput,
  PublishArticleInput,
  ScheduleArticleInput,
  SetArticleLinksInput,
  UpdateArticleInput,
} from './article.mutation-inputs';

/*
 * Editors' changes to articles. Each mutation runs in one transaction (`em.transactional`, on a
 * fork of the request's EntityManager, so a failed write leaves the request usable) together
 * with its audit entry. The article is returned as the object itself, not through the public
 * loaders, so that editors see drafts and embargoed articles they work on.
 */

async function findArticle(em: EntityManager, globalId: string): Promise<Article> {
  const article = await em.findOne(Article, { id: idOf(globalId, 'Article', 'id') });
  if (!article) throw new NotFoundError(`No article with id "${globalId}"`);
  return article;
}

/** The forum an article's audit entries belong to: the first of its forums, as `Article.forums` lists them. */
export async function auditForumOf(em: EntityManager, articleId: number): Promise<number | null> {
  const [link] = await em.find(
    ArticleForum,
    { article: articleId },
    { populate: ['forum'], orderBy: { forum: { startDate: 'desc', id: 'asc' } }, limit: 1 },
  );
  return link?.forum.id ?? null;
}

/** What the audit log records of an article (its links are recorded by `setArticleLinks`). */
function snapshot(article: Article): Record<string, unknown> {
  return {
    slug: article.slug,
    title: article.title,
    lead: article.lead ?? null,
    body: article.body ?? null,
    sourceUrl: article.sourceUrl,
    outletName: article.outletName,
    outletUrl: article.outletUrl ?? null,
    authorName: article.authorName ?? null,
    authorTitle: article.authorTitle ?? null,
    photoCredit: article.photoCredit ?? null,
    language: article.language,
    status: article.status,
    publishedAt: article.publishedAt.toISOString(),
  };
}

/** Records a change to `article` made by `viewer` (nothing when nothing changed), in the same transaction. */
function record(em: EntityManager, viewer: Viewer, article: Article, action: string, before: Record<string, unknown>): Promise<unknown> {
  return recordChange(em, viewer, {
    entityType: 'Article',
    entityId: article.id,
    action,
    forumIds: () => auditForumOf(em, article.id),
    before,
    after: snapshot(article),
  });
}

/** The publication time a status allows: an embargo lies ahead, a publication does not. */
function checkTime(status: ArticleStatus, publishedAt: Date, now: Date, field: string): void {
  if (status === ArticleStatus.SCHEDULED && publishedAt <= now) {
    throw new BadUserInputError(`${field} of a scheduled article must be in the future`, { field });
  }
  if (status === ArticleStatus.PUBLISHED && publishedAt > now) {
    throw new BadUserInputError(`${field} of a published article cannot be in the future; schedule it instead`, { field });
  }
}

/*
 * `publishedAt` is a required column, and nothing records whether an editor gave it. A draft
 * created without one carries exactly its creation time, which publishing replaces with the
 * time of publication; any other past time is the outlet's and is kept.
 */
function hasNoOwnTime(article: Article): boolean {
  return article.publishedAt.getTime() === article.createdAt.getTime();
}

interface LinkTarget {
  id: number;
}

/** One kind of link target: how the input names it and which pivot entity stores the link. */
interface LinkList<T extends LinkTarget> {
  field: 'forums' | 'sessions' | 'speakers' | 'countries' | 'ministries';
  /** The input property naming a target, for error fields (`forums.2.slug`). */
  keyName: string;
  label: string;
  target: EntityClass<T>;
  pivot: EntityClass<object>;
  /** The pivot's property pointing to the target. */
  property: string;
  /** Loads the targets with these keys. */
  find(em: EntityManager, keys: (string | number)[]): Promise<T[]>;
  /** The key a loaded target answers to. */
  keyOf(target: T): string | number;
  /** How the audit log names a target. */
  name(target: T): string;
}

const bySlug =
  <T extends LinkTarget & { slug: string }>(entity: EntityClass<T>) =>
  (em: EntityManager, keys: (string | number)[]) =>
    em.find(entity, { slug: { $in: keys as string[] } } as never) as Promise<T[]>;

const LINK_LISTS = [
  {
    field: 'forums',
    keyName: 'slug',
    label: 'forum',
    target: Forum,
    pivot: ArticleForum,
    property: 'forum',
    find: bySlug(Forum),
    keyOf: (t: Forum) => t.slug,
    name: (t: Forum) => t.slug,
  } satisfies LinkList<Forum>,
  {
    field: 'sessions',
    keyName: 'id',
    label: 'session',
    target: Session,
    pivot: ArticleSession,
    property: 'session',
    find: (em: EntityManager, keys: (string | number)[]) => em.find(Session, { id: { $in: keys as number[] } }),
    keyOf: (t: Session) => t.id,
    name: (t: Session) => t.slug,
  } satisfies LinkList<Session>,
  {
    field: 'speakers',
    keyName: 'slug',
    label: 'speaker',
    target: Speaker,
    pivot: ArticleSpeaker,
    property: 'speaker',
    find: bySlug(Speaker),
    keyOf: (t: Speaker) => t.slug,
    name: (t: Speaker) => t.slug,
  } satisfies LinkList<Speaker>,
  {
    field: 'countries',
    keyName: 'code',
    label: 'country',
    target: Country,
    pivot: ArticleCountry,
    property: 'country',
    find: (em: EntityManager, keys: (string | number)[]) => em.find(Country, { code: { $in: keys as string[] } }),
    keyOf: (t: Country) => t.code,
    name: (t: Country) => t.code,
  } satisfies LinkList<Country>,
  {
    field: 'ministries',
    keyName: 'slug',
    label: 'ministry',
    target: Ministry,
    pivot: ArticleMinistry,
    property: 'ministry',
    find: bySlug(Ministry),
    keyOf: (t: Ministry) => t.slug,
    name: (t: Ministry) => t.slug,
  } satisfies LinkList<Ministry>,
] as LinkList<LinkTarget>[];

/** A link as the input names it: `key` finds the target, `given` is what the client sent. */
interface LinkItem {
  key: string | number;
  given: string;
  kind: LinkKind;
}

interface WantedLink {
  target: LinkTarget;
  kind: LinkKind;
}

/** The input's links of one list as loaded targets; an unknown or repeated target names its field. */
async function resolveLinks(em: EntityManager, list: LinkList<LinkTarget>, items: LinkItem[]): Promise<WantedLink[]> {
  const fieldOf = (index: number) => `${list.field}.${index}.${list.keyName}`;
  const seen = new Map<string | number, number>();
  items.forEach((item, index) => {
    if (seen.has(item.key)) throw new BadUserInputError(`The ${list.label} "${item.given}" is listed twice`, { field: fieldOf(index) });
    seen.set(item.key, index);
  });
  const found = new Map(
    (
      await list.find(
        em,
        items.map((i) => i.key),
      )
    ).map((t) => [list.keyOf(t), t]),
  );
  return items.map((item, index) => {
    const target = found.get(item.key);
    if (!target) throw new BadUserInputError(`Unknown ${list.label} "${item.given}"`, { field: fieldOf(index) });
    return { target, kind: item.kind };
  });
}

type LinkRecord = Record<string, string>;

/** Makes the article's links of one list exactly `wanted`; returns them before and after, for the audit log. */
async function replaceLinks(
  em: EntityManager,
  article: Article,
  list: LinkList<LinkTarget>,
  wanted: WantedLink[],
): Promise<{ before: LinkRecord[]; after: LinkRecord[] }> {
  type Pivot = Record<string, unknown> & { kind: LinkKind };
  const existing = (await em.find(list.pivot, { article: article.id } as never, { populate: [list.property] as never })) as Pivot[];
  const targetOf = (link: Pivot) => link[list.property] as LinkTarget;
  const entry = (target: LinkTarget, kind: LinkKind): LinkRecord => ({
    [list.keyName === 'id' ? 'slug' : list.keyName]: list.name(target),
    kind,
  });
  const sorted = (records: LinkRecord[]) => records.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const before = sorted(existing.map((link) => entry(targetOf(link), link.kind)));

  const wantedById = new Map(wanted.map((w) => [w.target.id, w]));
  const existingIds = new Set<number>();
  for (const link of existing) {
    const target = targetOf(link);
    existingIds.add(target.id);
    const want = wantedById.get(target.id);
    if (!want) em.remove(link);
    else link.kind = want.kind;
  }
  for (const want of wanted) {
    if (!existingIds.has(want.target.id)) em.create(list.pivot, { article, [list.property]: want.target, kind: want.kind } as never);
  }
  return { before, after: sorted(wanted.map((w) => entry(w.target, w.kind))) };
}

/** The key each input link names its target by (country codes upper-case, session ids unwrapped). */
function linkItems(input: SetArticleLinksInput, field: LinkList<LinkTarget>['field']): LinkItem[] | null {
  const bySlug = (l: { slug: string; kind: LinkKind }) => ({ key: l.slug, given: l.slug, kind: l.kind });
  switch (field) {
    case 'forums':
      return input.forums?.map(bySlug) ?? null;
    case 'sessions':
      return input.sessions?.map((l, i) => ({ key: idOf(l.id, 'Session', `sessions.${i}.id`), given: l.id, kind: l.kind })) ?? null;
    case 'speakers':
      return input.speakers?.map(bySlug) ?? null;
    case 'countries':
      return input.countries?.map((l) => ({ key: l.code.toUpperCase(), given: l.code.toUpperCase(), kind: l.kind })) ?? null;
    case 'ministries':
      return input.ministries?.map(bySlug) ?? null;
  }
}

@Resolver()
export class ArticleMutations {
  @Mutation(() => Article, { description: 'Creates an article (editors), by default as a draft. A taken slug is a CONFLICT on `slug`.' })
  async createArticle(
    @Arg('input', () => CreateArticleInput, { description: 'The new article.' }) input: CreateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    const now = new Date();
    const status = input.status;
    if (status === ArticleStatus.SCHEDULED && !input.publishedAt) {
      throw new BadUserInputError('A scheduled article needs publishedAt, when its embargo lifts', { field: 'publishedAt' });
    }
    const publishedAt = input.publishedAt ?? now;
    checkTime(status, publishedAt, now, 'publishedAt');
    return inTransaction(ctx.em, async (em) => {
      const article = em.create(Article, {
        slug: input.slug,
        title: requiredTranslations(input.title, 'title'),
        lead: input.lead ? translationsOf(input.lead) : null,
        body: input.body ? translationsOf(input.body) : null,
        sourceUrl: input.sourceUrl,
        outletName: input.outletName,
        outletUrl: input.outletUrl ?? null,
        authorName: input.authorName ?? null,
        authorTitle: input.authorTitle ?? null,
        photoCredit: input.photoCredit ?? null,
        language: input.language,
        status,
        publishedAt,
        // Equal to publishedAt when no time was given (see hasNoOwnTime).
        createdAt: now,
        updatedAt: now,
      });
      await em.flush();
      await record(em, viewer, article, 'CREATE', {});
      return article;
    });
  }

  @Mutation(() => Article, {
    description: "Changes an article's fields (editors); absent fields stay. The status changes through publish, schedule and unpublish.",
  })
  async updateArticle(
    @Arg('input', () => UpdateArticleInput, { description: 'The article and the changes.' }) input: UpdateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      const before = snapshot(article);
      if (input.publishedAt !== undefined) {
        checkTime(article.status, input.publishedAt, new Date(), 'publishedAt');
        article.publishedAt = input.publishedAt;
      }
      if (input.slug !== undefined) article.slug = input.slug;
      if (input.title !== undefined) article.title = requiredTranslations(input.title, 'title');
      if (input.lead !== undefined) article.lead = input.lead ? translationsOf(input.lead) : null;
      if (input.body !== undefined) article.body = input.body ? translationsOf(input.body) : null;
      if (input.sourceUrl !== undefined) article.sourceUrl = input.sourceUrl;
      if (input.outletName !== undefined) article.outletName = input.outletName;
      if (input.outletUrl !== undefined) article.outletUrl = input.outletUrl;
      if (input.authorName !== undefined) article.authorName = input.authorName;
      if (input.authorTitle !== undefined) article.authorTitle = input.authorTitle;
      if (input.photoCredit !== undefined) article.photoCredit = input.photoCredit;
      if (input.language !== undefined) article.language = input.language;
      await record(em, viewer, article, 'UPDATE', before);
      return article;
    });
  }

  @Mutation(() => Article, {
    description:
      'Publishes an article (editors): PUBLISHED from `publishedAt`, which becomes now when the article had no time of its ' +
      'own or a future one (an embargo is lifted at once).',
  })
  async publishArticle(
    @Arg('input', () => PublishArticleInput, { description: 'The article.' }) input: PublishArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      const before = snapshot(article);
      const now = new Date();
      if (input.publishedAt) {
        checkTime(ArticleStatus.PUBLISHED, input.publishedAt, now, 'publishedAt');
        article.publishedAt = input.publishedAt;
      } else if (article.publishedAt > now || (article.status === ArticleStatus.DRAFT && hasNoOwnTime(article))) {
        article.publishedAt = now;
      }
      article.status = ArticleStatus.PUBLISHED;
      await record(em, viewer, article, 'PUBLISH', before);
      return article;
    });
  }

  @Mutation(() => Article, {
    description: 'Puts an article under embargo (editors): SCHEDULED, invisible to the public until `publishAt`, then public by itself.',
  })
  async scheduleArticle(
    @Arg('input', () => ScheduleArticleInput, { description: 'The article and when it becomes public.' }) input: ScheduleArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    checkTime(ArticleStatus.SCHEDULED, input.publishAt, new Date(), 'publishAt');
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      const before = snapshot(article);
      article.status = ArticleStatus.SCHEDULED;
      article.publishedAt = input.publishAt;
      await record(em, viewer, article, 'SCHEDULE', before);
      return article;
    });
  }

  @Mutation(() => Article, { description: 'Takes an article back to DRAFT (editors): it disappears from the public API at once.' })
  async unpublishArticle(
    @Arg('input', () => ArticleIdInput, { description: 'The article.' }) input: ArticleIdInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      const before = snapshot(article);
      article.status = ArticleStatus.DRAFT;
      await record(em, viewer, article, 'UNPUBLISH', before);
      return article;
    });
  }

  @Mutation(() => ID, { description: 'Deletes an article with its links, quotes and view counts (editors); returns its global id.' })
  async deleteArticle(
    @Arg('input', () => ArticleIdInput, { description: 'The article.' }) input: ArticleIdInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      await recordChange(em, viewer, {
        entityType: 'Article',
        entityId: article.id,
        action: 'DELETE',
        forumIds: await auditForumOf(em, article.id),
        before: snapshot(article),
        after: {},
      });
      em.remove(article);
      return toGlobalId('Article', article.id);
    });
  }

  @Mutation(() => Article, {
    description:
      "Replaces an article's links to forums, sessions, speakers, countries and ministries (editors), each with its kind. " +
      'Each list given replaces that kind of link; lists left out stay. An unknown target is BAD_USER_INPUT naming its field.',
  })
  async setArticleLinks(
    @Arg('input', () => SetArticleLinksInput, { description: 'The article and its links.' }) input: SetArticleLinksInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    const lists = LINK_LISTS.map((list) => ({ list, items: linkItems(input, list.field) })).filter((l) => l.items !== null);
    return inTransaction(ctx.em, async (em) => {
      const article = await findArticle(em, input.id);
      // Every target is checked before anything is written.
      const resolved = [];
      for (const { list, items } of lists) resolved.push({ list, wanted: await resolveLinks(em, list, items!) });
      const forumBefore = await auditForumOf(em, article.id);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const { list, wanted } of resolved) {
        const change = await replaceLinks(em, article, list, wanted);
        before[list.field] = change.before;
        after[list.field] = change.after;
      }
      await em.flush();
      await recordChange(em, viewer, {
        entityType: 'Article',
        entityId: article.id,
        action: 'LINK',
        forumIds: async () => (await auditForumOf(em, article.id)) ?? forumBefore,
        before,
        after,
      });
      return article;
    });
  }
}
