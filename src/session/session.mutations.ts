import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { SessionParticipant } from './session-participant.entity';
import { Session } from './session.entity';
import {
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
import * as sessions from './session.service';

/** Organisers' changes to the agenda of a forum (session.service.ts). */
@Resolver()
export class SessionMutationResolver {
  @Mutation(() => Session, { description: 'Adds a session to the agenda of a forum you organise (admins: any forum).' })
  createSession(
    @Arg('input', () => CreateSessionInput, { description: 'The new session.' }) input: CreateSessionInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.createSession(ctx, input);
  }

  @Mutation(() => Session, {
    description:
      'Corrects a session (status unchanged; to reschedule visibly use `moveSession`). Refused with CONFLICT when `expectedVersion` ' +
      'is not the current version, or when new times would double-book a participant.',
  })
  updateSession(
    @Arg('input', () => UpdateSessionInput, { description: 'The changes.' }) input: UpdateSessionInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.updateSession(ctx, input);
  }

  @Mutation(() => Session, {
    description:
      'Reschedules a session: new time (and room), status MOVED (also for a cancelled session, which takes place again). ' +
      'Refused with CONFLICT when `expectedVersion` is not the current version, or when the new time would double-book a participant.',
  })
  moveSession(
    @Arg('input', () => MoveSessionInput, { description: 'The new time and room.' }) input: MoveSessionInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.moveSession(ctx, input);
  }

  @Mutation(() => Session, {
    description:
      'Cancels a session: it stays in the agenda with status CANCELLED (so apps can show it), and no longer counts for double bookings. ' +
      'Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  cancelSession(
    @Arg('input', () => CancelSessionInput, { description: 'The session to cancel.' }) input: CancelSessionInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.cancelSession(ctx, input);
  }

  @Mutation(() => ID, {
    description:
      'Deletes a session and its participants; returns the id it had. Apps syncing with `agendaChanges` see it as removed. ' +
      'Prefer `cancelSession` for a published session. Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  deleteSession(
    @Arg('input', () => DeleteSessionInput, { description: 'The session to delete.' }) input: DeleteSessionInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return sessions.deleteSession(ctx, input);
  }
}

/** Organisers' changes to who takes part in a session (session.service.ts). */
@Resolver()
export class ParticipantMutationResolver {
  @Mutation(() => SessionParticipant, {
    description:
      'Adds a speaker to a session of a forum you organise. Refused with CONFLICT when the speaker already has this role in the session, ' +
      'or takes part in another session overlapping this one (neither cancelled).',
  })
  addParticipant(
    @Arg('input', () => AddParticipantInput, { description: 'Who, where and as what.' }) input: AddParticipantInput,
    @Ctx() ctx: Context,
  ): Promise<SessionParticipant> {
    return sessions.addParticipant(ctx, input);
  }

  @Mutation(() => SessionParticipant, {
    description: "Changes a participant's role. Refused with CONFLICT when the speaker already has that role in the session.",
  })
  changeParticipantRole(
    @Arg('input', () => ChangeParticipantRoleInput, { description: 'The participant and the new role.' }) input: ChangeParticipantRoleInput,
    @Ctx() ctx: Context,
  ): Promise<SessionParticipant> {
    return sessions.changeParticipantRole(ctx, input);
  }

  @Mutation(() => Session, { description: "Puts a session's participants in a new display order; returns the session." })
  reorderParticipants(
    @Arg('input', () => ReorderParticipantsInput, { description: 'The session and the new order.' }) input: ReorderParticipantsInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.reorderParticipants(ctx, input);
  }

  @Mutation(() => Session, { description: 'Removes a participant from their session (the others close up); returns the session.' })
  removeParticipant(
    @Arg('input', () => RemoveParticipantInput, { description: 'The participant to remove.' }) input: RemoveParticipantInput,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return sessions.removeParticipant(ctx, input);
  }
}
