import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsEmail, IsOptional, IsUrl, Matches, MinLength, ValidateNested } from 'class-validator';
import { HTTP_URL, IsSlug } from '../shared/input-rules';
import { ArrivalStatus } from './speaker.entity';

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
 * A speaker's fields as organisers write them, in mutations and in imports alike: every rule
 * lives here once. Absent fields are left as they are on update.
 */
@InputType({ description: "A speaker's fields; on update, absent fields stay as they are." })
export class SpeakerFieldsInput {
  @Field(() => String, { nullable: true, description: 'URL-safe identifier: lower-case letters, digits and hyphens.' })
  @IsOptional()
  @IsSlug()
  slug?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Full name.' })
  @IsOptional()
  @ValidateNested()
  fullName?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Job title.' })
  @IsOptional()
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
  @IsOptional()
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
  @IsOptional()
  arrivalStatus?: ArrivalStatus | null;
}
