import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireForum } from '../auth/viewer';
import { Country } from '../country/country.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import { write } from '../shared/write';
import { Forum } from './forum.entity';
import type { CreateForumInput, ForumIdInput, UpdateForumInput } from './forum.inputs';

/* Admins' changes to forums; each in one transaction with its audit entry. */

/** Admins only (no other role named); an API token narrowed to some forums, only in those. */
const ADMINS_OF_THE_FORUM = { roles: [] };

/** The zone's canonical spelling (`asia/almaty` → `Asia/Almaty`). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

async function hostCountry(em: EntityManager, code: string): Promise<Country> {
  const country = await em.findOne(Country, { code: code.toUpperCase() });
  if (!country) throw new BadUserInputError(`Unknown country "${code}"`, { field: 'hostCountryCode' });
  return country;
}

/** The entities named by `keys` (in order, repeats dropped); an unknown one names its field (`countryCodes.2`). */
async function allNamed<T extends { id: number }>(
  keys: string[],
  field: string,
  label: string,
  load: (keys: string[]) => Promise<T[]>,
  keyOfEntity: (entity: T) => string,
): Promise<T[]> {
  const found = new Map((await load(keys)).map((e) => [keyOfEntity(e), e]));
  const result = new Map<string, T>();
  keys.forEach((key, index) => {
    const entity = found.get(key);
    if (!entity) throw new BadUserInputError(`Unknown ${label} "${key}"`, { field: `${field}.${index}` });
    result.set(key, entity);
  });
  return [...result.values()];
}

const organisers = (em: EntityManager, slugs: string[]) =>
  allNamed(
    slugs,
    'organiserSlugs',
    'ministry',
    (keys) => em.find(Ministry, { slug: { $in: keys } }),
    (m) => m.slug,
  );

const countries = (em: EntityManager, codes: string[]) =>
  allNamed(
    codes.map((c) => c.toUpperCase()),
    'countryCodes',
    'country',
    (keys) => em.find(Country, { code: { $in: keys } }),
    (c) => c.code,
  );

/** What the audit log records of a forum. */
function auditedState(forum: Forum): Record<string, unknown> {
  return {
    slug: forum.slug,
    title: forum.title,
    edition: forum.edition,
    city: forum.city,
    venue: forum.venue ?? null,
    hostCountry: forum.hostCountry.code,
    timeZone: forum.timeZone,
    startDate: forum.startDate,
    endDate: forum.endDate,
    participantCount: forum.participantCount ?? null,
    description: forum.description ?? null,
    website: forum.website ?? null,
    organisers: forum.organisers
      .getItems()
      .map((m) => m.slug)
      .sort(),
    countries: forum.countries
      .getItems()
      .map((c) => c.code)
      .sort(),
  };
}

async function findForum(em: EntityManager, globalId: string, lock = false): Promise<Forum> {
  const id = idOf(globalId, 'Forum', 'id');
  const forum = await em.findOne(
    Forum,
    { id },
    { populate: ['hostCountry', 'organisers', 'countries'], ...(lock && { lockMode: LockMode.PESSIMISTIC_WRITE }) },
  );
  if (!forum) throw new NotFoundError(`No forum with id "${globalId}"`);
  return forum;
}

/** The forums named by slug, for inputs' `forumSlugs`: BAD_USER_INPUT (field forumSlugs) naming any unknown. */
export async function forumsBySlug(em: EntityManager, slugs: readonly string[]): Promise<Forum[]> {
  const forums = await em.find(Forum, { slug: { $in: [...slugs] } });
  const missing = slugs.filter((slug) => !forums.some((f) => f.slug === slug));
  if (missing.length > 0) throw new BadUserInputError(`Unknown forum: ${missing.join(', ')}`, { field: 'forumSlugs' });
  return forums;
}

export const createForum = write('admin', async ({ em, record }, input: CreateForumInput): Promise<Forum> => {
  const forum = em.create(Forum, {
    slug: input.slug,
    title: requiredTranslations(input.title, 'title'),
    edition: input.edition,
    city: requiredTranslations(input.city, 'city'),
    venue: input.venue ? translationsOf(input.venue) : null,
    hostCountry: await hostCountry(em, input.hostCountryCode),
    timeZone: canonicalZone(input.timeZone),
    startDate: input.startDate,
    endDate: input.endDate,
    participantCount: input.participantCount ?? null,
    description: input.description ? translationsOf(input.description) : null,
    website: input.website ?? null,
  });
  forum.organisers.set(await organisers(em, input.organiserSlugs));
  forum.countries.set(await countries(em, input.countryCodes));
  await em.flush();
  await record({ entityType: 'Forum', entityId: forum.id, action: 'CREATE', forumIds: forum.id, before: {}, after: auditedState(forum) });
  return forum;
});

export const updateForum = write(ADMINS_OF_THE_FORUM, async ({ em, viewer, record }, input: UpdateForumInput): Promise<Forum> => {
  const forum = await findForum(em, input.id);
  requireForum(viewer, forum.id);
  const before = auditedState(forum);
  if (input.slug !== undefined) forum.slug = input.slug;
  if (input.title !== undefined) forum.title = requiredTranslations(input.title, 'title');
  if (input.edition !== undefined) forum.edition = input.edition;
  if (input.city !== undefined) forum.city = requiredTranslations(input.city, 'city');
  if (input.venue !== undefined) forum.venue = input.venue ? translationsOf(input.venue) : null;
  if (input.hostCountryCode !== undefined) forum.hostCountry = await hostCountry(em, input.hostCountryCode);
  if (input.timeZone !== undefined) forum.timeZone = canonicalZone(input.timeZone);
  if (input.startDate !== undefined) forum.startDate = input.startDate;
  if (input.endDate !== undefined) forum.endDate = input.endDate;
  if (forum.endDate < forum.startDate) {
    const field = input.endDate !== undefined ? 'endDate' : 'startDate';
    throw new BadUserInputError(`endDate (${forum.endDate}) cannot be before startDate (${forum.startDate})`, { field });
  }
  if (input.participantCount !== undefined) forum.participantCount = input.participantCount;
  if (input.description !== undefined) forum.description = input.description ? translationsOf(input.description) : null;
  if (input.website !== undefined) forum.website = input.website;
  if (input.organiserSlugs !== undefined) forum.organisers.set(await organisers(em, input.organiserSlugs));
  if (input.countryCodes !== undefined) forum.countries.set(await countries(em, input.countryCodes));
  await record({ entityType: 'Forum', entityId: forum.id, action: 'UPDATE', forumIds: forum.id, before, after: auditedState(forum) });
  return forum;
});

export const deleteForum = write(ADMINS_OF_THE_FORUM, async ({ em, viewer, record }, input: ForumIdInput): Promise<string> => {
  // The row lock makes a session added meanwhile wait, then fail, instead of being deleted with the forum.
  const forum = await findForum(em, input.id, true);
  requireForum(viewer, forum.id);
  const sessions = await em.count(Session, { forum: forum.id });
  const initiatives = await em.count(Initiative, { forum: forum.id });
  if (sessions > 0 || initiatives > 0) {
    throw new ConflictError(`The forum has ${sessions} session(s) and ${initiatives} initiative(s); delete them first`);
  }
  // forumIds null: the entry outlives the forum (its forum column would be set null anyway).
  await record({ entityType: 'Forum', entityId: forum.id, action: 'DELETE', forumIds: null, before: auditedState(forum), after: {} });
  em.remove(forum);
  return toGlobalId('Forum', forum.id);
});
