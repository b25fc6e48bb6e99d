import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/user.entity';
import { Country } from '../country/country.entity';
import { BadUserInputError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import { query } from '../shared/sql-loading';
import { write } from '../shared/write';
import { Speaker } from '../speaker/speaker.entity';
import { ArticleCountry, ArticleForum, ArticleMinistry, ArticleSession, ArticleSpeaker, LinkKind } from './article-link.entity';
import { Article, ArticleStatus } from './article.entity';
import type {
  ArticleIdInput,
  CreateArticleInput,
  PublishArticleInput,
  ScheduleArticleInput,
  SetArticleLinksInput,
  UpdateArticleInput,
} from './article.inputs';
import { publicArticle } from './article.visibility';

/*
 * Editors' changes to articles, each in one transaction with its audit entry (forum: the
 * article's first), and the public's page views. The article is returned as the object itself,
 * not through the public loaders, so that editors see drafts and embargoed articles they work on.
 */

const EDITORS = { roles: [Role.EDITOR] };

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
function articleState(article: Article): Record<string, unknown> {
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

const auditedAs = (em: EntityManager, article: Article) => ({
  entityType: 'Article',
  entityId: article.id,
  forumIds: () => auditForumOf(em, article.id),
});

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

export const createArticle = write(EDITORS, async ({ em, record }, input: CreateArticleInput): Promise<Article> => {
  const now = new Date();
  const status = input.status;
  if (status === ArticleStatus.SCHEDULED && !input.publishedAt) {
    throw new BadUserInputError('A scheduled article needs publishedAt, when its embargo lifts', { field: 'publishedAt' });
  }
  const publishedAt = input.publishedAt ?? now;
  checkTime(status, publishedAt, now, 'publishedAt');
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
  await record({ ...auditedAs(em, article), action: 'CREATE', before: {}, after: articleState(article) });
  return article;
});

export const updateArticle = write(EDITORS, async ({ em, record }, input: UpdateArticleInput): Promise<Article> => {
  const article = await findArticle(em, input.id);
  const before = articleState(article);
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
  await record({ ...auditedAs(em, article), action: 'UPDATE', before, after: articleState(article) });
  return article;
});

export const publishArticle = write(EDITORS, async ({ em, record }, input: PublishArticleInput): Promise<Article> => {
  const article = await findArticle(em, input.id);
  const before = articleState(article);
  const now = new Date();
  if (input.publishedAt) {
    checkTime(ArticleStatus.PUBLISHED, input.publishedAt, now, 'publishedAt');
    article.publishedAt = input.publishedAt;
  } else if (article.publishedAt > now || (article.status === ArticleStatus.DRAFT && hasNoOwnTime(article))) {
    article.publishedAt = now;
  }
  article.status = ArticleStatus.PUBLISHED;
  await record({ ...auditedAs(em, article), action: 'PUBLISH', before, after: articleState(article) });
  return article;
});

export const scheduleArticle = write(EDITORS, async ({ em, record }, input: ScheduleArticleInput): Promise<Article> => {
  checkTime(ArticleStatus.SCHEDULED, input.publishAt, new Date(), 'publishAt');
  const article = await findArticle(em, input.id);
  const before = articleState(article);
  article.status = ArticleStatus.SCHEDULED;
  article.publishedAt = input.publishAt;
  await record({ ...auditedAs(em, article), action: 'SCHEDULE', before, after: articleState(article) });
  return article;
});

export const unpublishArticle = write(EDITORS, async ({ em, record }, input: ArticleIdInput): Promise<Article> => {
  const article = await findArticle(em, input.id);
  const before = articleState(article);
  article.status = ArticleStatus.DRAFT;
  await record({ ...auditedAs(em, article), action: 'UNPUBLISH', before, after: articleState(article) });
  return article;
});

export const deleteArticle = write(EDITORS, async ({ em, record }, input: ArticleIdInput): Promise<string> => {
  const article = await findArticle(em, input.id);
  await record({ ...auditedAs(em, article), action: 'DELETE', before: articleState(article), after: {} });
  em.remove(article);
  return toGlobalId('Article', article.id);
});

export const setArticleLinks = write(EDITORS, async ({ em, record }, input: SetArticleLinksInput): Promise<Article> => {
  const lists = LINK_LISTS.map((list) => ({ list, items: linkItems(input, list.field) })).filter((l) => l.items !== null);
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
  await record({
    ...auditedAs(em, article),
    action: 'LINK',
    // An article unlinked from all its forums keeps the entry in the forum it left.
    forumIds: async () => (await auditForumOf(em, article.id)) ?? forumBefore,
    before,
    after,
  });
  return article;
});

/** Counts one view of a published article; returns its new total. NOT_FOUND unless it is public. */
export const recordArticleView = write('anyone', async ({ em }, slug: string): Promise<number> => {
  // One statement: concurrent views each add exactly one to the day's and the total count.
  const [row] = await query(
    em,
    `with a as (select t.id from article t where t.slug = ? and ${publicArticle('t')}),` +
      ` d as (insert into article_view_day (article_id, day, views) select id, (now() at time zone 'UTC')::date, 1 from a` +
      ' on conflict (article_id, day) do update set views = article_view_day.views + 1)' +
      ' update article set view_count = view_count + 1 where id = (select id from a) returning view_count',
    [slug],
  );
  if (!row) throw new NotFoundError(`No published article "${slug}"`);
  return Number(row.view_count);
});
