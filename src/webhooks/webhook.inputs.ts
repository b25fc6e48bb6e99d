import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { HTTP_URL, IsSlug, NotNullWhenGiven } from '../shared/input-rules';
import { WebhookEventType } from './webhook.entity';

@InputType({ description: 'A new webhook.' })
export class CreateWebhookInput {
  @Field({ description: 'Where to POST the events: an absolute http(s) URL on a public address.' })
  @IsUrl(HTTP_URL, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @Field(() => [WebhookEventType], { description: 'The events to receive.' })
  @ArrayMinSize(1, { message: 'events needs at least one event' })
  @ArrayUnique({ message: 'events lists an event twice' })
  events!: WebhookEventType[];

  @Field(() => [String], {
    defaultValue: [],
    description:
      'The forums whose events to receive. Organisers name forums they organise; empty: every forum (admins, and editors for ARTICLE_PUBLISHED).',
  })
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'forumSlugs lists a forum twice' })
  @IsSlug({ each: true, message: 'forumSlugs must be slugs: lower-case letters, digits and single hyphens' })
  forumSlugs!: string[];
}

@InputType({ description: 'Changes to a webhook; absent fields stay as they are.' })
export class UpdateWebhookInput {
  @Field(() => ID, { description: 'The webhook (global id).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new URL.' })
  @NotNullWhenGiven()
  @IsUrl(HTTP_URL, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string;

  @Field(() => [WebhookEventType], { nullable: true, description: 'The events to receive from now on.' })
  @NotNullWhenGiven()
  @ArrayMinSize(1, { message: 'events needs at least one event' })
  @ArrayUnique({ message: 'events lists an event twice' })
  events?: WebhookEventType[];

  @Field(() => [String], { nullable: true, description: 'The forums whose events to receive from now on; empty: every forum.' })
  @NotNullWhenGiven()
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'forumSlugs lists a forum twice' })
  @IsSlug({ each: true, message: 'forumSlugs must be slugs: lower-case letters, digits and single hyphens' })
  forumSlugs?: string[];
}

@InputType({ description: 'Which webhook.' })
export class WebhookIdInput {
  @Field(() => ID, { description: 'The webhook (global id).' })
  id!: string;
}

@InputType({ description: "Which webhook's deliveries, and how many." })
export class WebhookDeliveriesInput {
  @Field(() => ID, { description: 'The webhook (global id).' })
  webhookId!: string;

  @Field(() => Int, { defaultValue: 50, description: 'How many, newest first (at most 200).' })
  @Min(1)
  @Max(200)
  first!: number;
}
