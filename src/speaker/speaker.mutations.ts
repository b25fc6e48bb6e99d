import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { Min, ValidateNested } from 'class-validator';
import type { Context } from '../shared/context';
import { changedFields, recordChange } from '../audit/audit';
import { Role } from '../auth/user.entity';
import { organises, requireForum, requireRole } from '../auth/viewer';
import { Country } from '../country/country.entity';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { toGlobalId } from '../shared/global-id';
import { expectVersion, inTransaction, type ConstraintFields } from '../shared/write-errors';
import { forumIdsOfSpeakers } from './speaker-forums';
import { organisesAny } from './speaker-private.resolver';
import { Speaker } from './speaker.entity';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import { SpeakerFieldsInput } from './speaker.inputs';

/* ---- Speakers ---- */

@InputType({ description: 'A new speaker, created for one forum.' })
class CreateSpeakerInput {
  @Field({ description: 'Slug of the forum the speaker is created for: you must organise it.' })
  forumSlug!: string;

  @Field(() => SpeakerFieldsInput, { description: 'The speaker; slug, fullName, position and countryCode are required.' })
  @ValidateNested()
  fields!: SpeakerFieldsInput;
}

@InputType({ description: 'Changes to a speaker.' })
class UpdateSpeakerInput {
  @Field(() => ID, { description: 'The speaker (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; the update is refused with CONFLICT when the speaker has changed since.' })
  @Min(1)
  expectedVersion!: number;

  @Field(() => SpeakerFieldsInput, { description: 'The fields to change; absent fields stay as they are, null clears an optional one.' })
  @ValidateNested()
  fields!: SpeakerFieldsInput;
}

@InputType({ description: 'A speaker to delete, with the sessions they take part in.' })
class DeleteSpeakerInput {
  @Field(() => ID, { description: 'The speaker (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; the deletion is refused with CONFLICT when the speaker has changed since.' })
  @Min(1)
  expectedVersion!: number;
}

/** The audited state of a speaker (country and ministry must be loaded). */
function speakerState(s: Speaker): Record<string, unknown> {
  return {
    slug: s.slug,
    fullName: s.fullName,
    position: s.position,
    bio: s.bio ?? null,
    organisation: s.organisation ?? null,
    photoUrl: s.photoUrl ?? null,
    countryCode: s.country.code,
    ministrySlug: s.ministry?.slug ?? null,
    links: s.links.map((l) => ({ title: l.title, url: l.url })),
    externalId: s.externalId ?? null,
    email: s.email ?? null,
    phone: s.phone ?? null,
    internalNotes: s.internalNotes ?? null,
    arrivalStatus: s.arrivalStatus,
  };
}

const SPEAKER_CONSTRAINTS: ConstraintFields = {
  speaker_slug_unique: 'fields.slug',
  speaker_email_unique: 'fields.email',
  speaker_external_id_unique: 'fields.externalId',
  speaker_country_id_foreign: 'fields.countryCode',
  speaker_ministry_id_foreign: 'fields.ministrySlug',
};

/** Fields a speaker cannot be without: required on create, not clearable on update. */
const REQUIRED = ['slug', 'fullName', 'position', 'countryCode', 'arrivalStatus'] as const;

/** Copies the given fields onto `speaker`, after checking what the input classes cannot. */
async function assignFields(em: EntityManager, speaker: Speaker, f: SpeakerFieldsInput, creating: boolean): Promise<void> {
  for (const name of REQUIRED) {
    if (f[name] === null || (creating && f[name] === undefined && name !== 'arrivalStatus')) {
      throw new BadUserInputError(creating ? `fields.${name} is required` : `fields.${name} cannot be removed`, {
        field: `fields.${name}`,
      });
    }
  }
  if (f.slug != null) speaker.slug = f.slug;
  if (f.fullName != null) speaker.fullName = requiredTranslations(f.fullName, 'fields.fullName');
  if (f.position != null) speaker.position = requiredTranslations(f.position, 'fields.position');
  if (f.bio !== undefined) speaker.bio = translationsOf(f.bio);
  if (f.organisation !== undefined) speaker.organisation = translationsOf(f.organisation);
  if (f.photoUrl !== undefined) speaker.photoUrl = f.photoUrl;
  if (f.countryCode != null) {
    const country = await em.findOne(Country, { code: f.countryCode.toUpperCase() });
    if (!country) throw new BadUserInputError(`Unknown country code "${f.countryCode}"`, { field: 'fields.countryCode' });
    speaker.country = country;
  }
  if (f.ministrySlug !== undefined) {
    const ministry = f.ministrySlug === null ? null : await em.findOne(Ministry, { slug: f.ministrySlug });
    if (ministry === null && f.ministrySlug !== null) {
      throw new BadUserInputError(`Unknown ministry "${f.ministrySlug}"`, { field: 'fields.ministrySlug' });
    }
    speaker.ministry = ministry;
  }
  if (f.links !== undefined) speaker.links = (f.links ?? []).map((l) => ({ title: l.title, url: l.url }));
  if (f.externalId !== undefined) speaker.externalId = f.externalId;
  // Lower case, so that uniqueness ignores case (see Speaker.email).
  if (f.email !== undefined) speaker.email = f.email === null ? null : f.email.trim().toLowerCase();
  if (f.phone !== undefined) speaker.phone = f.phone;
  if (f.internalNotes !== undefined) speaker.internalNotes = f.internalNotes;
  if (f.arrivalStatus != null) speaker.arrivalStatus = f.arrivalStatus;
}

async function loadSpeaker(em: EntityManager, globalId: string): Promise<Speaker> {
  const speaker = await em.findOne(Speaker, { id: idOf(globalId, 'Speaker', 'id') }, { populate: ['country', 'ministry'], refresh: true });
  if (!speaker) throw new NotFoundError('No such speaker', { field: 'id' });
  return speaker;
}

/**
 * Who may change a speaker. A speaker belongs to the forums it takes part in (through sessions)
 * and to the forum it was created for (see forumIdsOfSpeakers):
 * - update: admins, and organisers of ANY of those forums: each of them shows the speaker, and
 *   organisers share one speaker record rather than keeping copies.
 * - delete: admins, and organisers of ALL of those forums, because deleting a speaker removes them
 *   from every one of those agendas. A speaker in no forum at all is left to admins.
 */
@Resolver()
export class SpeakerMutationResolver {
  @Mutation(() => Speaker, { description: 'Creates a speaker for a forum you organise (admins: any forum).' })
  async createSpeaker(
    @Arg('input', () => CreateSpeakerInput, { description: 'The new speaker.' }) input: CreateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER);
    return inTransaction(
      ctx.em,
      async (em) => {
        const forum = await em.findOne(Forum, { slug: input.forumSlug });
        if (!forum) throw new NotFoundError(`No forum "${input.forumSlug}"`, { field: 'forumSlug' });
        requireForum(viewer, forum.id);
        const speaker = new Speaker();
        await assignFields(em, speaker, input.fields, true);
        em.persist(speaker);
        await em.flush();
        await recordChange(em, viewer, {
          entityType: 'Speaker',
          entityId: speaker.id,
          action: 'CREATE',
          forumIds: forum.id,
          before: {},
          after: speakerState(speaker),
        });
        return speaker;
      },
      SPEAKER_CONSTRAINTS,
    );
  }

  @Mutation(() => Speaker, {
    description:
      'Changes a speaker. Allowed to admins and to organisers of any forum the speaker takes part in or was created for. ' +
      'Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  async updateSpeaker(
    @Arg('input', () => UpdateSpeakerInput, { description: 'The changes.' }) input: UpdateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER);
    const updated = await inTransaction(
      ctx.em,
      async (em) => {
        const speaker = await loadSpeaker(em, input.id);
        const forumIds = (await forumIdsOfSpeakers(em, [speaker.id]))[0];
        if (!organisesAny(viewer, forumIds)) throw new ForbiddenError('You do not organise a forum this speaker takes part in');
        expectVersion(speaker, input.expectedVersion, 'The speaker');
        const before = speakerState(speaker);
        await assignFields(em, speaker, input.fields, false);
        const after = speakerState(speaker);
        // Nothing to change: no write, no new version, no audit entry.
        if (Object.keys(changedFields(before, after)).length === 0) return speaker;
        // The version column makes this flush fail (OptimisticLockError -> CONFLICT) when a
        // concurrent update committed after our read.
        await em.flush();
        // Each forum of the speaker gets the entry, so that each forum's organisers see it in their log.
        await recordChange(em, viewer, { entityType: 'Speaker', entityId: speaker.id, action: 'UPDATE', forumIds, before, after });
        return speaker;
      },
      SPEAKER_CONSTRAINTS,
    );
    ctx.loaders.speakerById.clear(updated.id);
    return updated;
  }

  @Mutation(() => ID, {
    description:
      'Deletes a speaker and their participation in every session; returns the id they had. Allowed to admins and to organisers of ' +
      'every forum the speaker takes part in or was created for. Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  async deleteSpeaker(
    @Arg('input', () => DeleteSpeakerInput, { description: 'The speaker to delete.' }) input: DeleteSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER);
    const id = await inTransaction(ctx.em, async (em) => {
      const speaker = await loadSpeaker(em, input.id);
      const forumIds = (await forumIdsOfSpeakers(em, [speaker.id]))[0];
      const allowed = viewer.forumIds === 'all' || (forumIds.length > 0 && forumIds.every((f) => organises(viewer, f)));
      if (!allowed)
        throw new ForbiddenError(
          'Deleting a speaker removes them from every forum they take part in: you must organise all of those forums',
        );
      expectVersion(speaker, input.expectedVersion, 'The speaker');
      // The version in the condition refuses a deletion racing with a concurrent update.
      const deleted = await em.nativeDelete(Speaker, { id: speaker.id, version: input.expectedVersion });
      if (deleted === 0)
        throw new ConflictError('The speaker changed while being deleted; reload it and try again', { field: 'expectedVersion' });
      await recordChange(em, viewer, {
        entityType: 'Speaker',
        entityId: speaker.id,
        action: 'DELETE',
        forumIds,
        before: speakerState(speaker),
        after: {},
      });
      return speaker.id;
    });
    ctx.loaders.speakerById.clear(id);
    ctx.loaders.forumIdsBySpeakerId.clear(id);
    return toGlobalId('Speaker', id);
  }
}
