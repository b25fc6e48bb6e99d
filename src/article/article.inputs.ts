import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, MinLength, ValidateNested } from 'class-validator';
import { GraphQLDateTime } from '../shared/date-range';
import { IsSlug, HTTP_URL, COUNTRY_CODE, HasText, NotNullWhenGiven } from '../shared/input-rules';
import { LocalizedTextInput } from '../speaker/speaker.inputs';
import { LinkKind } from './article-link.entity';
import { ArticleStatus } from './article.entity';

/* The editors' input classes; the rules they share with other inputs are in shared/input-rules. */

/**
 * `LocalizedTextInput` under a name of its own: an article text may be longer than a name or a
 * caption, and the text gate's limits go by the field that takes it (text-gate.ts).
 */
@InputType({ description: 'Article text in each language; at least one language must be given.' })
export class ArticleTextInput extends LocalizedTextInput {}

const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const BCP47_MESSAGE = 'language must be a BCP 47 code such as ru, kk or en-GB';

@InputType({ description: 'A new article. It starts as a draft unless `status` says otherwise.' })
export class CreateArticleInput {
  @Field({ description: 'URL-safe identifier, unique among articles: lower-case letters, digits and single hyphens.' })
  @IsSlug()
  slug!: string;

  @Field(() => LocalizedTextInput, { description: 'The headline.' })
  @ValidateNested()
  @HasText()
  title!: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The lead paragraph.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  lead?: LocalizedTextInput | null;

  @Field(() => ArticleTextInput, { nullable: true, description: 'The text: a summary in our own words, not a copy of the source.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  body?: ArticleTextInput | null;

  @Field({ description: 'Absolute http(s) URL of the article at its source.' })
  @IsUrl(HTTP_URL, { message: 'sourceUrl must be an http(s) URL' })
  sourceUrl!: string;

  @Field({ description: 'Name of the outlet that published it (e.g. Kazpravda.kz); not empty.' })
  @MinLength(1)
  outletName!: string;

  @Field(() => String, { nullable: true, description: "Absolute http(s) URL of the outlet's home page." })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'outletUrl must be an http(s) URL' })
  outletUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Author, as credited; not empty.' })
  @IsOptional()
  @MinLength(1)
  authorName?: string | null;

  @Field(() => String, { nullable: true, description: 'Author title as credited; not empty.' })
  @IsOptional()
  @MinLength(1)
  authorTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'Credit line of the lead photo; not empty.' })
  @IsOptional()
  @MinLength(1)
  photoCredit?: string | null;

  @Field({ description: 'BCP 47 code of the language the article was published in (e.g. `ru`).' })
  @Matches(BCP47, { message: BCP47_MESSAGE })
  language!: string;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'When the outlet published it. Required and in the future for SCHEDULED (the embargo); not in the future for ' +
      'PUBLISHED (default: now). A draft without it gets its creation time, replaced by the time it is published.',
  })
  @IsOptional()
  publishedAt?: Date | null;

  @Field(() => ArticleStatus, { defaultValue: ArticleStatus.DRAFT, description: 'Where the article starts in its lifecycle.' })
  status!: ArticleStatus;
}

@InputType({ description: "Changes to an article's fields: absent fields stay as they are, null clears an optional one." })
export class UpdateArticleInput {
  @Field(() => ID, { description: 'The global id of the article.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New slug (see `CreateArticleInput.slug`).' })
  @NotNullWhenGiven()
  @IsSlug()
  slug?: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The headline, replacing all its languages.' })
  @NotNullWhenGiven()
  @ValidateNested()
  @HasText()
  title?: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The lead, replacing all its languages; null removes it.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  lead?: LocalizedTextInput | null;

  @Field(() => ArticleTextInput, { nullable: true, description: 'The text, replacing all its languages; null removes it.' })
  @IsOptional()
  @ValidateNested()
  @HasText()
  body?: ArticleTextInput | null;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of the article at its source.' })
  @NotNullWhenGiven()
  @IsUrl(HTTP_URL, { message: 'sourceUrl must be an http(s) URL' })
  sourceUrl?: string;

  @Field(() => String, { nullable: true, description: 'Name of the outlet; not empty.' })
  @NotNullWhenGiven()
  @MinLength(1)
  outletName?: string;

  @Field(() => String, { nullable: true, description: "Absolute http(s) URL of the outlet's home page; null removes it." })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'outletUrl must be an http(s) URL' })
  outletUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Author, as credited; null removes it.' })
  @IsOptional()
  @MinLength(1)
  authorName?: string | null;

  @Field(() => String, { nullable: true, description: 'Author title as credited; null removes it.' })
  @IsOptional()
  @MinLength(1)
  authorTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'Credit line of the lead photo; null removes it.' })
  @IsOptional()
  @MinLength(1)
  photoCredit?: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 code of the language the article was published in.' })
  @NotNullWhenGiven()
  @Matches(BCP47, { message: BCP47_MESSAGE })
  language?: string;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'When the outlet published it: not in the future for a published article, in the future for a scheduled one ' +
      '(use `scheduleArticle` to move an embargo). The status changes only through publish, schedule and unpublish.',
  })
  @NotNullWhenGiven()
  publishedAt?: Date;
}

@InputType({ description: 'Which article.' })
export class ArticleIdInput {
  @Field(() => ID, { description: 'The global id of the article.' })
  id!: string;
}

@InputType({ description: 'Publishes an article now, or at a past time the outlet published it.' })
export class PublishArticleInput {
  @Field(() => ID, { description: 'The global id of the article.' })
  id!: string;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      "When the outlet published it; not in the future. Default: the article's own time when that is a past time " +
      'given by an editor, otherwise now (an embargo is lifted at once).',
  })
  @IsOptional()
  publishedAt?: Date | null;
}

@InputType({ description: 'Puts an article under embargo until a moment, when it becomes public by itself.' })
export class ScheduleArticleInput {
  @Field(() => ID, { description: 'The global id of the article.' })
  id!: string;

  @Field(() => GraphQLDateTime, { description: 'When the embargo lifts; must be in the future.' })
  publishAt!: Date;
}

@InputType({ description: 'A link from an article to a forum, by slug.' })
export class ForumLinkInput {
  @Field({ description: 'The forum slug.' })
  slug!: string;

  @Field(() => LinkKind, { defaultValue: LinkKind.MENTIONS, description: 'About it (COVERS) or in passing (MENTIONS).' })
  kind!: LinkKind;
}

@InputType({ description: 'A link from an article to a session, by global id.' })
export class SessionLinkInput {
  @Field(() => ID, { description: 'The global id of the session.' })
  id!: string;

  @Field(() => LinkKind, { defaultValue: LinkKind.MENTIONS, description: 'About it (COVERS) or in passing (MENTIONS).' })
  kind!: LinkKind;
}

@InputType({ description: 'A link from an article to a speaker, by slug.' })
export class SpeakerLinkInput {
  @Field({ description: 'The speaker slug.' })
  slug!: string;

  @Field(() => LinkKind, { defaultValue: LinkKind.MENTIONS, description: 'About them (COVERS) or in passing (MENTIONS).' })
  kind!: LinkKind;
}

@InputType({ description: 'A link from an article to a country, by ISO code.' })
export class CountryLinkInput {
  @Field({ description: 'ISO 3166-1 alpha-2 code (either case).' })
  @Matches(COUNTRY_CODE, { message: 'code must be a two-letter ISO 3166-1 code' })
  code!: string;

  @Field(() => LinkKind, { defaultValue: LinkKind.MENTIONS, description: 'About it (COVERS) or in passing (MENTIONS).' })
  kind!: LinkKind;
}

@InputType({ description: 'A link from an article to a ministry or agency, by slug.' })
export class MinistryLinkInput {
  @Field({ description: 'The ministry slug.' })
  slug!: string;

  @Field(() => LinkKind, { defaultValue: LinkKind.MENTIONS, description: 'About it (COVERS) or in passing (MENTIONS).' })
  kind!: LinkKind;
}

const MAX_LINKS = 200;

@InputType({
  description:
    "Replaces an article's links: each list given replaces that kind of link entirely (an empty list removes them all); " +
    'lists left out stay as they are. Each target may appear once per list.',
})
export class SetArticleLinksInput {
  @Field(() => ID, { description: 'The global id of the article.' })
  id!: string;

  @Field(() => [ForumLinkInput], { nullable: true, description: 'Forums.' })
  @IsOptional()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  forums?: ForumLinkInput[] | null;

  @Field(() => [SessionLinkInput], { nullable: true, description: 'Sessions.' })
  @IsOptional()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  sessions?: SessionLinkInput[] | null;

  @Field(() => [SpeakerLinkInput], { nullable: true, description: 'Speakers.' })
  @IsOptional()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  speakers?: SpeakerLinkInput[] | null;

  @Field(() => [CountryLinkInput], { nullable: true, description: 'Countries.' })
  @IsOptional()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  countries?: CountryLinkInput[] | null;

  @Field(() => [MinistryLinkInput], { nullable: true, description: 'Ministries and agencies.' })
  @IsOptional()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  ministries?: MinistryLinkInput[] | null;
}
