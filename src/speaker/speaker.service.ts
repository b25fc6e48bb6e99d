import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/user.entity';
import { organises, requireForum } from '../auth/viewer';
import { Country } from '../country/country.entity';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { toGlobalId } from '../shared/global-id';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import { write } from '../shared/write';
import { expectVersion, type ConstraintFields } from '../shared/write-errors';
import { forumIdsOfSpeakers } from './speaker-forums';
import { organisesAny } from './speaker-private.resolver';
import { Speaker } from './speaker.entity';
import type { CreateSpeakerInput, DeleteSpeakerInput, SpeakerFieldsInput, UpdateSpeakerInput } from './speaker.inputs';

/*
 * Organisers' changes to speakers; each in one transaction with its audit entry.
 *
 * Who may change a speaker. A speaker belongs to the forums it takes part in (through sessions)
 * and to the forum it was created for (see forumIdsOfSpeakers):
 * - update: admins, and organisers of ANY of those forums: each of them shows the speaker, and
 *   organisers share one speaker record rather than keeping copies.
 * - delete: admins, and organisers of ALL of those forums, because deleting a speaker removes them
 *   from every one of those agendas. A speaker in no forum at all is left to admins.
 */

const ORGANISERS = { roles: [Role.ORGANISER] };

const SPEAKER_CONSTRAINTS: ConstraintFields = {
  speaker_slug_unique: 'fields.slug',
  speaker_email_unique: 'fields.email',
  speaker_external_id_unique: 'fields.externalId',
  speaker_country_id_foreign: 'fields.countryCode',
  speaker_ministry_id_foreign: 'fields.ministrySlug',
};

/** What the audit log shows of a speaker. */
export type AuditedSpeaker = Pick<
  Speaker,
  | 'slug'
  | 'fullName'
  | 'position'
  | 'bio'
  | 'organisation'
  | 'photoUrl'
  | 'country'
  | 'ministry'
  | 'links'
  | 'externalId'
  | 'email'
  | 'phone'
  | 'internalNotes'
  | 'arrivalStatus'
>;

/**
 * The audited state of a speaker (country and ministry must be loaded): the same whichever way
 * the speaker was changed, by these mutations or by an import, so that the log reads alike.
 */
export function speakerState(s: AuditedSpeaker): Record<string, unknown> {
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

/** Copies the given fields onto `speaker`, after checking what needs data. */
async function assignFields(em: EntityManager, speaker: Speaker, f: SpeakerFieldsInput): Promise<void> {
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

export const createSpeaker = write(
  ORGANISERS,
  async ({ em, viewer, record }, input: CreateSpeakerInput): Promise<Speaker> => {
    const forum = await em.findOne(Forum, { slug: input.forumSlug });
    if (!forum) throw new NotFoundError(`No forum "${input.forumSlug}"`, { field: 'forumSlug' });
    requireForum(viewer, forum.id);
    const speaker = new Speaker();
    await assignFields(em, speaker, input.fields);
    em.persist(speaker);
    // The audit entry names the speaker by its id.
    await em.flush();
    await record({
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

export const updateSpeaker = write(
  ORGANISERS,
  async ({ em, viewer, record, ctx, afterCommit }, input: UpdateSpeakerInput): Promise<Speaker> => {
    const speaker = await loadSpeaker(em, input.id);
    const forumIds = (await forumIdsOfSpeakers(em, [speaker.id]))[0];
    if (!organisesAny(viewer, forumIds)) throw new ForbiddenError('You do not organise a forum this speaker takes part in');
    expectVersion(speaker, input.expectedVersion, 'The speaker');
    const before = speakerState(speaker);
    await assignFields(em, speaker, input.fields);
    // The version column makes this flush fail (OptimisticLockError -> CONFLICT) when a
    // concurrent update committed after our read.
    await em.flush();
    // Each forum of the speaker gets the entry, so that each forum's organisers see it in their log.
    await record({ entityType: 'Speaker', entityId: speaker.id, action: 'UPDATE', forumIds, before, after: speakerState(speaker) });
    afterCommit(() => ctx.loaders.speakerById.clear(speaker.id));
    return speaker;
  },
  SPEAKER_CONSTRAINTS,
);

export const deleteSpeaker = write(
  ORGANISERS,
  async ({ em, viewer, record, ctx, afterCommit }, input: DeleteSpeakerInput): Promise<string> => {
    const speaker = await loadSpeaker(em, input.id);
    const forumIds = (await forumIdsOfSpeakers(em, [speaker.id]))[0];
    const allowed = viewer.forumIds === 'all' || (forumIds.length > 0 && forumIds.every((f) => organises(viewer, f)));
    if (!allowed)
      throw new ForbiddenError('Deleting a speaker removes them from every forum they take part in: you must organise all of those forums');
    expectVersion(speaker, input.expectedVersion, 'The speaker');
    // The version in the condition refuses a deletion racing with a concurrent update.
    const deleted = await em.nativeDelete(Speaker, { id: speaker.id, version: input.expectedVersion });
    if (deleted === 0)
      throw new ConflictError('The speaker changed while being deleted; reload it and try again', { field: 'expectedVersion' });
    await record({ entityType: 'Speaker', entityId: speaker.id, action: 'DELETE', forumIds, before: speakerState(speaker), after: {} });
    afterCommit(() => {
      ctx.loaders.speakerById.clear(speaker.id);
      ctx.loaders.forumIdsBySpeakerId.clear(speaker.id);
    });
    return toGlobalId('Speaker', speaker.id);
  },
);
