import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import { ArrayMaxSize, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsSlug } from '../shared/input-rules';
import { LocalizedTextInput } from '../speaker/speaker.inputs';
import { ParticipantRole } from './session-participant.entity';
import { SessionKind } from './session.entity';

// The shape of a BCP 47 tag (`kk`, `ru`, `en`, `en-GB`, `zh-Hant`); Intl then checks it for real.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const LANGUAGE_MESSAGE = 'language must be a BCP 47 language tag such as kk, ru or en';

@InputType({ description: 'A new session in a forum agenda.' })
export class CreateSessionInput {
  @Field({ description: 'Slug of the forum: you must organise it.' })
  forumSlug!: string;

  @Field({ description: 'URL-safe identifier, unique across forums: lower-case letters, digits and hyphens.' })
  @IsSlug()
  slug!: string;

  @Field(() => LocalizedTextInput, { description: 'Title, in at least one language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What the session is about.' })
  @IsOptional()
  @ValidateNested()
  description?: LocalizedTextInput | null;

  @Field(() => SessionKind, { description: 'What kind of agenda item it is.' })
  kind!: SessionKind;

  @Field(() => GraphQLDateTime, { description: 'Start: an instant on one of the forum days, in the forum time zone.' })
  startsAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'End: after the start, on one of the forum days, in the forum time zone.' })
  endsAt!: Date;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Room or hall.' })
  @IsOptional()
  @ValidateNested()
  room?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Thematic track.' })
  @IsOptional()
  @ValidateNested()
  track?: LocalizedTextInput | null;

  @Field({ description: 'BCP 47 code of the language the session is held in, e.g. `kk`, `ru` or `en`.' })
  @Matches(LANGUAGE_TAG, { message: LANGUAGE_MESSAGE })
  language!: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Who the session is for, when restricted.' })
  @IsOptional()
  @ValidateNested()
  audience?: LocalizedTextInput | null;
}

@InputType({
  description:
    'Corrections to a session; absent fields stay as they are, null clears an optional one. The status does not change: ' +
    'to reschedule visibly (status MOVED) use `moveSession`.',
})
export class UpdateSessionInput {
  @Field(() => ID, { description: 'The session (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; the update is refused with CONFLICT when the session has changed since.' })
  @Min(1)
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: 'URL-safe identifier.' })
  @IsOptional()
  @IsSlug()
  slug?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Title, in at least one language (replaces every language).' })
  @IsOptional()
  @ValidateNested()
  title?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What the session is about.' })
  @IsOptional()
  @ValidateNested()
  description?: LocalizedTextInput | null;

  @Field(() => SessionKind, { nullable: true, description: 'What kind of agenda item it is.' })
  @IsOptional()
  kind?: SessionKind | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Start, on one of the forum days.' })
  @IsOptional()
  startsAt?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'End, after the start, on one of the forum days.' })
  @IsOptional()
  endsAt?: Date | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Room or hall.' })
  @IsOptional()
  @ValidateNested()
  room?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Thematic track.' })
  @IsOptional()
  @ValidateNested()
  track?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 code of the language the session is held in.' })
  @IsOptional()
  @Matches(LANGUAGE_TAG, { message: LANGUAGE_MESSAGE })
  language?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Who the session is for, when restricted.' })
  @IsOptional()
  @ValidateNested()
  audience?: LocalizedTextInput | null;
}

@InputType({ description: 'A new time (and room) for a session: it becomes MOVED, also when it was cancelled.' })
export class MoveSessionInput {
  @Field(() => ID, { description: 'The session (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; the move is refused with CONFLICT when the session has changed since.' })
  @Min(1)
  expectedVersion!: number;

  @Field(() => GraphQLDateTime, { description: 'New start, on one of the forum days.' })
  startsAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'New end, after the start, on one of the forum days.' })
  endsAt!: Date;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'New room; absent: the room stays, null: no room.' })
  @IsOptional()
  @ValidateNested()
  room?: LocalizedTextInput | null;
}

@InputType({ description: 'A session to cancel: it stays in the agenda, marked CANCELLED.' })
export class CancelSessionInput {
  @Field(() => ID, { description: 'The session (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; refused with CONFLICT when the session has changed since.' })
  @Min(1)
  expectedVersion!: number;
}

@InputType({ description: 'A session to delete, with its participants.' })
export class DeleteSessionInput {
  @Field(() => ID, { description: 'The session (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; refused with CONFLICT when the session has changed since.' })
  @Min(1)
  expectedVersion!: number;
}

@InputType({ description: 'A speaker to add to a session.' })
export class AddParticipantInput {
  @Field(() => ID, { description: 'The session (global id).' })
  sessionId!: string;

  @Field(() => ID, { description: 'The speaker (global id).' })
  speakerId!: string;

  @Field(() => ParticipantRole, { description: 'The part they play in the session.' })
  role!: ParticipantRole;

  @Field(() => Int, { nullable: true, description: 'Display position, from 1; later participants move down. Default: last.' })
  @IsOptional()
  @Min(1)
  @Max(1000)
  position?: number | null;
}

@InputType({ description: 'A new role for a participant.' })
export class ChangeParticipantRoleInput {
  @Field(() => ID, { description: 'The participant (global id of a SessionParticipant).' })
  id!: string;

  @Field(() => ParticipantRole, { description: 'The new role.' })
  role!: ParticipantRole;
}

@InputType({ description: "A new display order of a session's participants." })
export class ReorderParticipantsInput {
  @Field(() => ID, { description: 'The session (global id).' })
  sessionId!: string;

  @Field(() => [ID], { description: 'Every participant of the session (SessionParticipant ids), each once, in the new order.' })
  @ArrayMaxSize(500)
  participantIds!: string[];
}

@InputType({ description: 'A participant to remove from their session.' })
export class RemoveParticipantInput {
  @Field(() => ID, { description: 'The participant (global id of a SessionParticipant).' })
  id!: string;
}
