import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { GraphQLLocalDate } from '../shared/date-range';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../shared/context';
import {
  COUNTRY_CODE,
  HTTP_URL,
  HasText,
  NotNullWhenGiven,
  IsSlug,
  idOf,
  requiredTranslations,
  translationsOf,
} from '../shared/input-rules';
import { recordChange } from '../audit/audit';
import { requireAdmin, requireForum, requireRole } from '../auth/viewer';
import { Country } from '../country/country.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { inTransaction } from '../shared/write-errors';
import { validTimeZone } from '../shared/time';
import { LocalizedTextInput } from '../speaker/speaker.inputs';
import { Forum } from './forum.entity';

/*
 * Admins' changes to forums. Each mutation runs in one transaction with its audit entry, on a
 * fork of the request's EntityManager (so a failed write leaves the request usable).
 */

/** IANA names only: Intl also takes offsets like "+05:00", which PostgreSQL reads with the opposite sign. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function IsIanaTimeZone(): PropertyDecorator {
  return ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !ZONE_NAME.test(value)) return false;
        try {
          validTimeZone(value, 'timeZone');
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'timeZone must be an IANA time zone such as Asia/Almaty',
    },
  });
}

/** The zone's canonical spelling (`asia/almaty` → `Asia/Almaty`). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** When the input gives both dates, the end may not come before the start. */
function NotBeforeStartDate(): PropertyDecorator {
  return ValidateBy({
    name: 'notBeforeStartDate',
    validator: {
      validate: (value: unknown, args) => {
        const start = (args?.object as { startDate?: unknown }).startDate;
        return typeof value !== 'string' || typeof start !== 'string' || value >= start;
      },
      defaultMessage: () => 'endDate cannot be before startDate',
    },
  });
}

const COUNTRY_MESSAGE = { message: 'country codes must be two-letter ISO 3166-1 codes' };

@InputType({ description: 'A new forum edition.' })
class CreateForumInput {
  @Field({ description: 'URL-safe identifier, unique among forums (e.g. `camf-2025`): lower-case letters, digits and single hyphens.' })
  @IsSlug()
  slug!: string;

  @Field(() => LocalizedTextInput, { description: 'The forum name.' })
  @ValidateNested()
  @HasText()
  title!: LocalizedTextInput;

  @Field(() => Int, { description: 'Which edition this is: 1 for the first.' })
  @Min(1)
  @Max(1000)
  edition!: number;

  @Field(() => LocalizedTextInput, { description: 'The host city.' })
  @ValidateNested()
  @HasText()
  city!: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The venue.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  venue?: LocalizedTextInput | null;

  @Field({ description: 'ISO 3166-1 alpha-2 code of the host country (either case).' })
  @Matches(COUNTRY_CODE, { message: 'hostCountryCode must be a two-letter ISO 3166-1 code' })
  hostCountryCode!: string;

  @Field({ description: 'IANA time zone of the venue, e.g. `Asia/Almaty`.' })
  @IsIanaTimeZone()
  timeZone!: string;

  @Field(() => GraphQLLocalDate, { description: 'First day, local date (YYYY-MM-DD).' })
  startDate!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day, local date (YYYY-MM-DD); not before startDate.' })
  @NotBeforeStartDate()
  endDate!: string;

  @Field(() => Int, { nullable: true, description: 'Number of participants, when announced; 0 or more.' })
  @IsOptional()
  @Min(0)
  participantCount?: number | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What the forum is about.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  description?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of the official website.' })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'website must be an http(s) URL' })
  website?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'Slugs of the organising ministries and agencies.' })
  @ArrayMaxSize(50)
  organiserSlugs!: string[];

  @Field(() => [String], { defaultValue: [], description: 'ISO 3166-1 alpha-2 codes of the participating countries.' })
  @ArrayMaxSize(250)
  @Matches(COUNTRY_CODE, { each: true, ...COUNTRY_MESSAGE })
  countryCodes!: string[];
}

@InputType({ description: "Changes to a forum's fields: absent fields stay as they are, null clears an optional one." })
class UpdateForumInput {
  @Field(() => ID, { description: 'The global id of the forum.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New slug (links to the old one stop working).' })
  @NotNullWhenGiven()
  @IsSlug()
  slug?: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The forum name, replacing all its languages.' })
  @NotNullWhenGiven()
  @ValidateNested()
  @HasText()
  title?: LocalizedTextInput;

  @Field(() => Int, { nullable: true, description: 'Which edition this is.' })
  @NotNullWhenGiven()
  @Min(1)
  @Max(1000)
  edition?: number;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The host city, replacing all its languages.' })
  @NotNullWhenGiven()
  @ValidateNested()
  @HasText()
  city?: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The venue, replacing all its languages; null removes it.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  venue?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the host country.' })
  @NotNullWhenGiven()
  @Matches(COUNTRY_CODE, { message: 'hostCountryCode must be a two-letter ISO 3166-1 code' })
  hostCountryCode?: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the venue. Session times stay the same instants.' })
  @NotNullWhenGiven()
  @IsIanaTimeZone()
  timeZone?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'First day, local date.' })
  @NotNullWhenGiven()
  startDate?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Last day, local date; not before the (new or kept) start date.' })
  @NotNullWhenGiven()
  @NotBeforeStartDate()
  endDate?: string;

  @Field(() => Int, { nullable: true, description: 'Number of participants, 0 or more; null: not announced.' })
  @IsOptional()
  @Min(0)
  participantCount?: number | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The description, replacing all its languages; null removes it.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  description?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of the official website; null removes it.' })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'website must be an http(s) URL' })
  website?: string | null;

  @Field(() => [String], { nullable: true, description: 'Slugs of the organising ministries, replacing the list.' })
  @NotNullWhenGiven()
  @ArrayMaxSize(50)
  organiserSlugs?: string[];

  @Field(() => [String], { nullable: true, description: 'ISO codes of the participating countries, replacing the list.' })
  @NotNullWhenGiven()
  @ArrayMaxSize(250)
  @Matches(COUNTRY_CODE, { each: true, ...COUNTRY_MESSAGE })
  countryCodes?: string[];
}

@InputType({ description: 'Which forum.' })
class ForumIdInput {
  @Field(() => ID, { description: 'The global id of the forum.' })
  id!: string;
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
function snapshot(forum: Forum): Record<string, unknown> {
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

@Resolver()
export class ForumMutations {
  @Mutation(() => Forum, { description: 'Creates a forum edition (admins). A taken slug is a CONFLICT on `slug`.' })
  async createForum(
    @Arg('input', () => CreateForumInput, { description: 'The new forum.' }) input: CreateForumInput,
    @Ctx() ctx: Context,
  ): Promise<Forum> {
    const viewer = requireAdmin(ctx.viewer);
    return inTransaction(ctx.em, async (em) => {
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
      await recordChange(em, viewer, {
        entityType: 'Forum',
        entityId: forum.id,
        action: 'CREATE',
        forumIds: forum.id,
        before: {},
        after: snapshot(forum),
      });
      return forum;
    });
  }

  @Mutation(() => Forum, { description: "Changes a forum's fields (admins); absent fields stay as they are." })
  async updateForum(
    @Arg('input', () => UpdateForumInput, { description: 'The forum and the changes.' }) input: UpdateForumInput,
    @Ctx() ctx: Context,
  ): Promise<Forum> {
    // Admins only (no other role named); an API token narrowed to some forums, only in those.
    const viewer = requireRole(ctx.viewer);
    return inTransaction(ctx.em, async (em) => {
      const forum = await findForum(em, input.id);
      requireForum(viewer, forum.id);
      const before = snapshot(forum);
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
      await recordChange(em, viewer, {
        entityType: 'Forum',
        entityId: forum.id,
        action: 'UPDATE',
        forumIds: forum.id,
        before,
        after: snapshot(forum),
      });
      return forum;
    });
  }

  @Mutation(() => ID, {
    description:
      'Deletes a forum (admins) with its links to articles, organisers and countries; returns its global id. A forum with ' +
      'sessions or initiatives is a CONFLICT: delete those first.',
  })
  async deleteForum(
    @Arg('input', () => ForumIdInput, { description: 'The forum.' }) input: ForumIdInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const viewer = requireRole(ctx.viewer);
    return inTransaction(ctx.em, async (em) => {
      // The row lock makes a session added meanwhile wait, then fail, instead of being deleted with the forum.
      const forum = await findForum(em, input.id, true);
      requireForum(viewer, forum.id);
      const sessions = await em.count(Session, { forum: forum.id });
      const initiatives = await em.count(Initiative, { forum: forum.id });
      if (sessions > 0 || initiatives > 0) {
        throw new ConflictError(`The forum has ${sessions} session(s) and ${initiatives} initiative(s); delete them first`);
      }
      // forumId null: the entry outlives the forum (its forum column would be set null anyway).
      await recordChange(em, viewer, {
        entityType: 'Forum',
        entityId: forum.id,
        action: 'DELETE',
        forumIds: null,
        before: snapshot(forum),
        after: {},
      });
      em.remove(forum);
      return toGlobalId('Forum', forum.id);
    });
  }
}
