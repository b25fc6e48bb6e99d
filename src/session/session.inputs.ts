import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { GraphQLDateTime, GraphQLLocalDate } from '../shared/date-range';
import { Language } from '../shared/i18n';
import { COUNTRY_CODE, IsSlug, NotNullWhenGiven } from '../shared/input-rules';
import { allOf, anyTranslationMatches, containsPattern } from '../shared/sql-filter';
import type { SqlFilter } from '../shared/sql-loading';
import { LocalizedTextInput } from '../speaker/speaker.inputs';
import { ParticipantRole } from './session-participant.entity';
import { SessionKind, SessionStatus } from './session.entity';

@InputType({ description: 'Narrows an agenda; all given conditions must hold.' })
export class SessionFilter {
  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'Only sessions starting on this local date in the forum time zone (YYYY-MM-DD).',
  })
  day?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions of this track, by its name in any language (case-insensitive).' })
  track?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions in this room, by its name in any language (case-insensitive).' })
  room?: string | null;

  @Field(() => SessionKind, { nullable: true, description: 'Only sessions of this kind.' })
  kind?: SessionKind | null;

  @Field(() => SessionStatus, { nullable: true, description: 'Only sessions with this status.' })
  status?: SessionStatus | null;

  @Field(() => String, { nullable: true, description: 'Only sessions this speaker takes part in (their slug).' })
  speakerSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with a participant from this country (ISO 3166-1 alpha-2 code).' })
  @Matches(COUNTRY_CODE, { message: 'countryCode must be a two-letter ISO 3166-1 code' })
  countryCode?: string | null;

  @Field(() => Language, { nullable: true, description: 'Only sessions held in this language.' })
  language?: Language | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only sessions whose title, in any language, contains this text (case-insensitive).',
  })
  search?: string | null;
}

const participantWith = (join: string, condition: string) =>
  `exists (select 1 from session_participant sp join speaker s on s.id = sp.speaker_id${join} where sp.session_id = t.id and ${condition})`;

/** The filter as SQL over `session t join forum f` (the agenda loaders' `from`). */
export function sessionFilterSql(filter: SessionFilter | null | undefined): SqlFilter | undefined {
  const sameName = (column: string) => `exists (select 1 from jsonb_each_text(${column}) n where lower(n.value) = lower(?))`;
  return allOf([
    filter?.day && { sql: '(t.starts_at at time zone f.time_zone)::date = ?::date', params: [filter.day] },
    filter?.track && { sql: sameName('t.track'), params: [filter.track] },
    filter?.room && { sql: sameName('t.room'), params: [filter.room] },
    filter?.kind && { sql: 't.kind = ?', params: [filter.kind] },
    filter?.status && { sql: 't.status = ?', params: [filter.status] },
    filter?.speakerSlug && { sql: participantWith('', 's.slug = ?'), params: [filter.speakerSlug] },
    filter?.countryCode && {
      sql: participantWith(' join country c on c.id = s.country_id', 'c.code = ?'),
      params: [filter.countryCode.toUpperCase()],
    },
    filter?.language && { sql: 't.language = ?', params: [filter.language] },
    filter?.search && { sql: anyTranslationMatches('t.title'), params: [containsPattern(filter.search)] },
  ]);
}

/* The inputs of the session and participant mutations (session.service.ts). */

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

/** The session a change is about, and the version the client read: every change to a session is refused on a stale version. */
@InputType()
abstract class SessionAtVersion {
  @Field(() => ID, { description: 'The session (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; refused with CONFLICT when the session has changed since.' })
  @Min(1)
  expectedVersion!: number;
}

@InputType({
  description:
    'Corrections to a session; absent fields stay as they are, null clears an optional one. The status does not change: ' +
    'to reschedule visibly (status MOVED) use `moveSession`.',
})
export class UpdateSessionInput extends SessionAtVersion {
  @Field(() => String, { nullable: true, description: 'URL-safe identifier.' })
  @NotNullWhenGiven()
  @IsSlug()
  slug?: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Title, in at least one language (replaces every language).' })
  @NotNullWhenGiven()
  @ValidateNested()
  title?: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What the session is about.' })
  @IsOptional()
  @ValidateNested()
  description?: LocalizedTextInput | null;

  @Field(() => SessionKind, { nullable: true, description: 'What kind of agenda item it is.' })
  @NotNullWhenGiven()
  kind?: SessionKind;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Start, on one of the forum days.' })
  @NotNullWhenGiven()
  startsAt?: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'End, after the start, on one of the forum days.' })
  @NotNullWhenGiven()
  endsAt?: Date;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Room or hall.' })
  @IsOptional()
  @ValidateNested()
  room?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Thematic track.' })
  @IsOptional()
  @ValidateNested()
  track?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 code of the language the session is held in.' })
  @NotNullWhenGiven()
  @Matches(LANGUAGE_TAG, { message: LANGUAGE_MESSAGE })
  language?: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Who the session is for, when restricted.' })
  @IsOptional()
  @ValidateNested()
  audience?: LocalizedTextInput | null;
}

@InputType({ description: 'A new time (and room) for a session: it becomes MOVED, also when it was cancelled.' })
export class MoveSessionInput extends SessionAtVersion {
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
export class CancelSessionInput extends SessionAtVersion {}

@InputType({ description: 'A session to delete, with its participants.' })
export class DeleteSessionInput extends SessionAtVersion {}

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
