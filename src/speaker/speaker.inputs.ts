import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsDefined, IsEmail, IsOptional, IsUrl, Matches, Min, MinLength, ValidateNested } from 'class-validator';
import { HTTP_URL, IsSlug, NotNullWhenGiven } from '../shared/input-rules';
import { ArrivalStatus } from './speaker.entity';

/**
 * The validation groups of SpeakerFieldsInput, which serves three writes that differ on the
 * fields a speaker always has (see AlwaysSet): creating a speaker, changing one, and an import row,
 * which does either. Rules without a group hold for all three.
 */
export enum SpeakerWrite {
  CREATE = 'create',
  UPDATE = 'update',
  IMPORT = 'import',
}

/** Validator options for `write`: its group's rules and, kept by `always`, every rule without a group. */
export const rulesOf = (write: SpeakerWrite) => ({ groups: [write], always: true });

/**
 * A field every speaker has a value for. A new speaker needs it, or, `defaulted`, takes the
 * default when it is left out; an update may leave it out but not set it to null. An import row,
 * which may create or update, has rules of its own (speaker-import.rows.ts).
 */
function AlwaysSet(onCreate: 'required' | 'defaulted' = 'required'): PropertyDecorator {
  return (target, key) => {
    if (onCreate === 'required') IsDefined({ groups: [SpeakerWrite.CREATE], message: `${String(key)} is required` })(target, key);
    NotNullWhenGiven({ groups: onCreate === 'required' ? [SpeakerWrite.UPDATE] : [SpeakerWrite.CREATE, SpeakerWrite.UPDATE] })(target, key);
    IsOptional({ groups: [SpeakerWrite.IMPORT] })(target, key);
  };
}

@InputType({ description: 'Text in each language; at least one language must be given.' })
export class LocalizedTextInput {
  @Field(() => String, { nullable: true, description: 'Kazakh.' })
  @IsOptional()
  @MinLength(1)
  kk?: string | null;

  @Field(() => String, { nullable: true, description: 'Russian.' })
  @IsOptional()
  @MinLength(1)
  ru?: string | null;

  @Field(() => String, { nullable: true, description: 'English.' })
  @IsOptional()
  @MinLength(1)
  en?: string | null;
}

@InputType({ description: 'A web link.' })
export class LinkInput {
  @Field({ description: 'What the link is, e.g. "Website".' })
  @MinLength(1)
  title!: string;

  @Field({ description: 'Absolute http(s) URL.' })
  @IsUrl(HTTP_URL, { message: 'url must be an http(s) URL' })
  url!: string;
}

/**
 * A speaker's fields as organisers write them, in mutations and in imports alike: every rule on
 * a value lives here once, validated by the group of the write (SpeakerWrite). Absent fields are
 * left as they are on update.
 */
@InputType({ description: "A speaker's fields; on update, absent fields stay as they are." })
export class SpeakerFieldsInput {
  @Field(() => String, { nullable: true, description: 'URL-safe identifier: lower-case letters, digits and hyphens.' })
  @AlwaysSet()
  @IsSlug()
  slug?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Full name.' })
  @AlwaysSet()
  @ValidateNested()
  fullName?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Job title.' })
  @AlwaysSet()
  @ValidateNested()
  position?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Short biography.' })
  @IsOptional()
  @ValidateNested()
  bio?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Employer when not a ministry.' })
  @IsOptional()
  @ValidateNested()
  organisation?: LocalizedTextInput | null;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of a portrait.' })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'photoUrl must be an http(s) URL' })
  photoUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country the speaker represents.' })
  @AlwaysSet()
  @Matches(/^[A-Za-z]{2}$/, { message: 'countryCode must be a two-letter ISO 3166-1 code' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the ministry the speaker works for.' })
  @IsOptional()
  ministrySlug?: string | null;

  @Field(() => [LinkInput], { nullable: true, description: 'Web links.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  links?: LinkInput[] | null;

  @Field(() => String, { nullable: true, description: "Identifier in the organisers' own system; matches imports." })
  @IsOptional()
  @MinLength(1)
  externalId?: string | null;

  @Field(() => String, { nullable: true, description: 'Private: contact email.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Private: phone, international format (+7 701 ...).' })
  @IsOptional()
  @Matches(/^\+[0-9 ()-]{6,24}$/, { message: 'phone must be in international format, e.g. +7 701 123 45 67' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Private: notes for the organising team.' })
  @IsOptional()
  internalNotes?: string | null;

  @Field(() => ArrivalStatus, { nullable: true, description: 'Private: travel and arrival status.' })
  @AlwaysSet('defaulted')
  arrivalStatus?: ArrivalStatus | null;
}

@InputType({ description: 'A new speaker, created for one forum.' })
export class CreateSpeakerInput {
  @Field({ description: 'Slug of the forum the speaker is created for: you must organise it.' })
  forumSlug!: string;

  @Field(() => SpeakerFieldsInput, { description: 'The speaker; slug, fullName, position and countryCode are required.' })
  @ValidateNested()
  fields!: SpeakerFieldsInput;
}

@InputType({ description: 'Changes to a speaker.' })
export class UpdateSpeakerInput {
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
export class DeleteSpeakerInput {
  @Field(() => ID, { description: 'The speaker (global id).' })
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; the deletion is refused with CONFLICT when the speaker has changed since.' })
  @Min(1)
  expectedVersion!: number;
}
