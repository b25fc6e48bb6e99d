import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changedFields } from '../audit/audit';
import { Role } from '../auth/user.entity';
import { requireForum } from '../auth/viewer';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import type { Context } from '../shared/context';
import { toGlobalId } from '../shared/global-id';
import { localize } from '../shared/i18n';
import { idOf, requiredTranslations, translationsOf } from '../shared/input-rules';
import { toZonedIso } from '../shared/time';
import { write } from '../shared/write';
import { expectVersion, type ConstraintFields } from '../shared/write-errors';
import { Speaker } from '../speaker/speaker.entity';
import { SessionParticipant } from './session-participant.entity';
import { Session, SessionStatus } from './session.entity';
import type {
  AddParticipantInput,
  CancelSessionInput,
  ChangeParticipantRoleInput,
  CreateSessionInput,
  DeleteSessionInput,
  MoveSessionInput,
  ReorderParticipantsInput,
  RemoveParticipantInput,
  UpdateSessionInput,
} from './session.inputs';

/*
 * Every session and participant mutation starts by locking the session row (SELECT ... FOR
 * UPDATE) in its transaction, and a check for double-booked speakers then locks those speakers'
 * rows, always in this order (session, then speakers by id) so that two writers cannot deadlock
 * on each other. Concurrent writers of one session therefore run one after the other: the second
 * reads the first one's version and gets CONFLICT, and two overlapping bookings of one speaker
 * cannot both pass the check. The version column guards every session update as well.
 */

const ORGANISERS = { roles: [Role.ORGANISER] };

const SESSION_CONSTRAINTS: ConstraintFields = {
  session_slug_unique: 'slug',
  session_participant_session_id_speaker_id_role_unique: 'role',
  session_participant_speaker_id_foreign: 'speakerId',
};

/** The audited state of a session. */
function sessionState(s: Session): Record<string, unknown> {
  return {
    slug: s.slug,
    title: s.title,
    description: s.description ?? null,
    kind: s.kind,
    status: s.status,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    room: s.room ?? null,
    track: s.track ?? null,
    language: s.language,
    audience: s.audience ?? null,
  };
}

/** The audited state of a participant. */
function participantState(p: SessionParticipant): Record<string, unknown> {
  return { session: p.session.slug, speaker: p.speaker.slug, role: p.role, position: p.position };
}

/** What the audit entry of a change names: the entity and its forum. */
const auditedSession = (session: Session) => ({ entityType: 'Session', entityId: session.id, forumIds: session.forum.id });

const auditedParticipant = (participant: SessionParticipant) => ({
  entityType: 'SessionParticipant',
  entityId: participant.id,
  forumIds: participant.session.forum.id,
});

/** A BCP 47 tag in its canonical form (`EN-gb` -> `en-GB`); BAD_USER_INPUT when it is not one. */
function canonicalLanguage(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    throw new BadUserInputError(`"${tag}" is not a valid BCP 47 language tag`, { field: 'language' });
  }
}

/**
 * A session must end after it starts and fall within the forum's days: the local dates (in the
 * forum time zone) of its start and of its last moment lie between startDate and endDate. The
 * last moment, not the end, so that a session ending at midnight still belongs to its day.
 */
function checkTimes(forum: Forum, startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw new BadUserInputError('endsAt must be after startsAt', { field: 'endsAt' });
  const days = `${forum.startDate} to ${forum.endDate} in ${forum.timeZone}`;
  const startDay = toZonedIso(startsAt, forum.timeZone).slice(0, 10);
  if (startDay < forum.startDate || startDay > forum.endDate) {
    throw new BadUserInputError(`startsAt must be on a day of the forum (${days}); it is on ${startDay} there`, { field: 'startsAt' });
  }
  const endDay = toZonedIso(new Date(endsAt.getTime() - 1), forum.timeZone).slice(0, 10);
  if (endDay > forum.endDate) {
    throw new BadUserInputError(`endsAt must be on a day of the forum (${days}); it is on ${endDay} there`, { field: 'endsAt' });
  }
}

/** The session, locked for this transaction, with its forum: NOT_FOUND when it does not exist. */
async function lockSession(em: EntityManager, globalId: string, field: string): Promise<Session> {
  const session = await em.findOne(
    Session,
    { id: idOf(globalId, 'Session', field) },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!session) throw new NotFoundError('No such session', { field });
  await em.populate(session, ['forum']);
  return session;
}

/**
 * Refuses to book any of `speakerIds` into `session` when one of them takes part in another
 * session overlapping it in time (neither cancelled): CONFLICT naming that session. Locks the
 * speakers' rows first, so that concurrent bookings of the same speaker are checked one by one.
 */
async function ensureFree(ctx: Context, em: EntityManager, session: Session, speakerIds: number[], field: string): Promise<void> {
  if (session.status === SessionStatus.CANCELLED || speakerIds.length === 0) return;
  await em.find(Speaker, { id: { $in: speakerIds } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
  const clash = await em.findOne(
    SessionParticipant,
    {
      speaker: { $in: speakerIds },
      session: {
        id: { $ne: session.id },
        status: { $ne: SessionStatus.CANCELLED },
        startsAt: { $lt: session.endsAt },
        endsAt: { $gt: session.startsAt },
      },
    },
    { populate: ['session', 'speaker'], orderBy: { session: { startsAt: 'asc' }, id: 'asc' } },
  );
  if (!clash) return;
  const other = clash.session;
  const name = localize(clash.speaker.fullName, ctx.languages) ?? clash.speaker.slug;
  const title = localize(other.title, ctx.languages) ?? other.slug;
  throw new ConflictError(
    `${name} already takes part in "${title}" (${other.slug}), ${other.startsAt.toISOString()} to ${other.endsAt.toISOString()}, which overlaps this session`,
    { field, conflictingSessionId: toGlobalId('Session', other.id) },
  );
}

/** Reads back what the database triggers changed (the session's `revision`). */
async function reload(em: EntityManager, session: Session): Promise<Session> {
  return (await em.refresh(session)) ?? session;
}

/** Drops what this request's loaders cached about a session (and its speakers); for afterCommit. */
function forget(ctx: Context, sessionId: number, speakerIds: number[] = []): void {
  ctx.loaders.sessionById.clear(sessionId);
  ctx.loaders.participantsBySessionId.clear(sessionId);
  for (const id of speakerIds) {
    ctx.loaders.participationsBySpeakerId.clear(id);
    ctx.loaders.forumIdsBySpeakerId.clear(id);
  }
}

async function speakerIdsOf(em: EntityManager, session: Session): Promise<number[]> {
  const participants = await em.find(SessionParticipant, { session }, { fields: ['speaker'] });
  return [...new Set(participants.map((p) => p.speaker.id))];
}

/** The session's participants in display order. */
function participantsOf(em: EntityManager, session: Session): Promise<SessionParticipant[]> {
  return em.find(SessionParticipant, { session }, { populate: ['speaker'], orderBy: { position: 'asc', id: 'asc' } });
}

/** Positions 1..n in list order (only rows whose position changes are written). */
function renumber(participants: SessionParticipant[]): void {
  participants.forEach((p, index) => {
    p.position = index + 1;
  });
}

/** The participant, with its session locked (see above): NOT_FOUND when it does not exist. */
async function loadParticipant(em: EntityManager, globalId: string): Promise<SessionParticipant> {
  const id = idOf(globalId, 'SessionParticipant', 'id');
  const found = await em.findOne(SessionParticipant, { id }, { fields: ['session'] });
  if (!found) throw new NotFoundError('No such participant', { field: 'id' });
  await lockSession(em, toGlobalId('Session', found.session.id), 'id');
  // Read again under the session lock: it may have changed or gone while we waited.
  const participant = await em.findOne(SessionParticipant, { id }, { populate: ['speaker', 'session'], refresh: true });
  if (!participant) throw new NotFoundError('No such participant', { field: 'id' });
  return participant;
}

export const createSession = write(
  ORGANISERS,
  async ({ em, viewer, record }, input: CreateSessionInput): Promise<Session> => {
    const forum = await em.findOne(Forum, { slug: input.forumSlug });
    if (!forum) throw new NotFoundError(`No forum "${input.forumSlug}"`, { field: 'forumSlug' });
    requireForum(viewer, forum.id);
    checkTimes(forum, input.startsAt, input.endsAt);
    const session = em.create(Session, {
      slug: input.slug,
      forum,
      title: requiredTranslations(input.title, 'title'),
      description: translationsOf(input.description),
      kind: input.kind,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      room: translationsOf(input.room),
      track: translationsOf(input.track),
      language: canonicalLanguage(input.language),
      audience: translationsOf(input.audience),
    });
    await em.flush();
    await record({ ...auditedSession(session), action: 'CREATE', before: {}, after: sessionState(session) });
    return session;
  },
  SESSION_CONSTRAINTS,
);

export const updateSession = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: UpdateSessionInput): Promise<Session> => {
    const session = await lockSession(em, input.id, 'id');
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id));
    expectVersion(session, input.expectedVersion, 'The session');
    const before = sessionState(session);
    if (input.slug !== undefined) session.slug = input.slug;
    if (input.title !== undefined) session.title = requiredTranslations(input.title, 'title');
    if (input.description !== undefined) session.description = translationsOf(input.description);
    if (input.kind !== undefined) session.kind = input.kind;
    if (input.room !== undefined) session.room = translationsOf(input.room);
    if (input.track !== undefined) session.track = translationsOf(input.track);
    if (input.language !== undefined) session.language = canonicalLanguage(input.language);
    if (input.audience !== undefined) session.audience = translationsOf(input.audience);
    if (input.startsAt !== undefined || input.endsAt !== undefined) {
      const startsAt = input.startsAt ?? session.startsAt;
      const endsAt = input.endsAt ?? session.endsAt;
      checkTimes(session.forum, startsAt, endsAt);
      session.startsAt = startsAt;
      session.endsAt = endsAt;
    }
    const after = sessionState(session);
    const changes = changedFields(before, after);
    if (Object.keys(changes).length === 0) return session;
    if (changes.startsAt || changes.endsAt) await ensureFree(ctx, em, session, await speakerIdsOf(em, session), 'startsAt');
    await em.flush();
    await record({ ...auditedSession(session), action: 'UPDATE', before, after });
    return reload(em, session);
  },
  SESSION_CONSTRAINTS,
);

export const moveSession = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: MoveSessionInput): Promise<Session> => {
    const session = await lockSession(em, input.id, 'id');
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id));
    expectVersion(session, input.expectedVersion, 'The session');
    checkTimes(session.forum, input.startsAt, input.endsAt);
    const before = sessionState(session);
    session.startsAt = input.startsAt;
    session.endsAt = input.endsAt;
    if (input.room !== undefined) session.room = translationsOf(input.room);
    session.status = SessionStatus.MOVED;
    const after = sessionState(session);
    if (Object.keys(changedFields(before, after)).length === 0) return session;
    await ensureFree(ctx, em, session, await speakerIdsOf(em, session), 'startsAt');
    await em.flush();
    await record({ ...auditedSession(session), action: 'MOVE', before, after });
    return reload(em, session);
  },
);

export const cancelSession = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: CancelSessionInput): Promise<Session> => {
    const session = await lockSession(em, input.id, 'id');
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id));
    expectVersion(session, input.expectedVersion, 'The session');
    if (session.status === SessionStatus.CANCELLED) return session;
    const before = sessionState(session);
    session.status = SessionStatus.CANCELLED;
    await em.flush();
    await record({ ...auditedSession(session), action: 'CANCEL', before, after: sessionState(session) });
    return reload(em, session);
  },
);

export const deleteSession = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: DeleteSessionInput): Promise<string> => {
    const session = await lockSession(em, input.id, 'id');
    requireForum(viewer, session.forum.id);
    expectVersion(session, input.expectedVersion, 'The session');
    const speakerIds = await speakerIdsOf(em, session);
    const { id } = session;
    afterCommit(() => forget(ctx, id, speakerIds));
    const audited = auditedSession(session);
    const before = sessionState(session);
    // The participants go with it (ON DELETE CASCADE); the row lock keeps the version current.
    em.remove(session);
    await em.flush();
    await record({ ...audited, action: 'DELETE', before, after: {} });
    return toGlobalId('Session', id);
  },
);

export const addParticipant = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: AddParticipantInput): Promise<SessionParticipant> => {
    const speakerId = idOf(input.speakerId, 'Speaker', 'speakerId');
    const session = await lockSession(em, input.sessionId, 'sessionId');
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id, [speakerId]));
    const speaker = await em.findOne(Speaker, { id: speakerId });
    if (!speaker) throw new NotFoundError('No such speaker', { field: 'speakerId' });
    const participants = await participantsOf(em, session);
    if (participants.some((p) => p.speaker.id === speakerId && p.role === input.role)) {
      throw new ConflictError(`This speaker already takes part in the session as ${input.role}`, { field: 'role' });
    }
    await ensureFree(ctx, em, session, [speakerId], 'speakerId');
    const participant = em.create(SessionParticipant, { session, speaker, role: input.role, position: participants.length + 1 });
    participants.splice(Math.min(input.position ?? Infinity, participants.length + 1) - 1, 0, participant);
    renumber(participants);
    await em.flush();
    await record({ ...auditedParticipant(participant), action: 'CREATE', before: {}, after: participantState(participant) });
    await reload(em, session);
    return participant;
  },
  SESSION_CONSTRAINTS,
);

export const changeParticipantRole = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: ChangeParticipantRoleInput): Promise<SessionParticipant> => {
    const participant = await loadParticipant(em, input.id);
    requireForum(viewer, participant.session.forum.id);
    const { session, speaker } = participant;
    afterCommit(() => forget(ctx, session.id, [speaker.id]));
    if (participant.role === input.role) return participant;
    const before = participantState(participant);
    const taken = await em.count(SessionParticipant, { session, speaker, role: input.role });
    if (taken) throw new ConflictError(`This speaker already takes part in the session as ${input.role}`, { field: 'role' });
    participant.role = input.role;
    await em.flush();
    await record({ ...auditedParticipant(participant), action: 'UPDATE', before, after: participantState(participant) });
    await reload(em, session);
    return participant;
  },
  SESSION_CONSTRAINTS,
);

export const reorderParticipants = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: ReorderParticipantsInput): Promise<Session> => {
    const order = input.participantIds.map((id) => idOf(id, 'SessionParticipant', 'participantIds'));
    const session = await lockSession(em, input.sessionId, 'sessionId');
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id));
    const participants = await participantsOf(em, session);
    const byId = new Map(participants.map((p) => [p.id, p]));
    if (new Set(order).size !== order.length || order.length !== participants.length || !order.every((id) => byId.has(id))) {
      throw new BadUserInputError(`participantIds must list each of the session's ${participants.length} participants exactly once`, {
        field: 'participantIds',
      });
    }
    const reordered = order.map((id) => byId.get(id)!);
    if (reordered.every((p, index) => p === participants[index])) return session;
    const ids = (list: SessionParticipant[]) => list.map((p) => toGlobalId('SessionParticipant', p.id));
    const before = { participants: ids(participants) };
    renumber(reordered);
    await em.flush();
    await record({ ...auditedSession(session), action: 'REORDER_PARTICIPANTS', before, after: { participants: ids(reordered) } });
    return reload(em, session);
  },
);

export const removeParticipant = write(
  ORGANISERS,
  async ({ em, viewer, ctx, record, afterCommit }, input: RemoveParticipantInput): Promise<Session> => {
    const participant = await loadParticipant(em, input.id);
    const { session, speaker } = participant;
    requireForum(viewer, session.forum.id);
    afterCommit(() => forget(ctx, session.id, [speaker.id]));
    const audited = auditedParticipant(participant);
    const before = participantState(participant);
    const rest = (await participantsOf(em, session)).filter((p) => p.id !== participant.id);
    em.remove(participant);
    renumber(rest);
    await em.flush();
    await record({ ...audited, action: 'DELETE', before, after: {} });
    return reload(em, session);
  },
);
