import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { GraphQLLocalDate } from '../shared/date-range';
import { COUNTRY_CODE, HTTP_URL, HasText, IsSlug, NotNullWhenGiven } from '../shared/input-rules';
import { validTimeZone } from '../shared/time';
import { LocalizedTextInput } from '../speaker/speaker.inputs';

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
export class CreateForumInput {
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
export class UpdateForumInput {
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
export class ForumIdInput {
  @Field(() => ID, { description: 'The global id of the forum.' })
  id!: string;
}
