import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import { Webhook, WebhookEventType } from './webhook.entity';

export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

registerEnumType(DeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its first or next attempt.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up after the last attempt.' },
  },
});

@ObjectType('WebhookAttempt', { description: 'One attempt to deliver an event.' })
export class WebhookAttempt {
  @Field(() => GraphQLDateTime, { description: 'When it was made.' })
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null when there was no answer.' })
  status!: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong; null for a success.' })
  error!: string | null;

  @Field(() => Int, { description: 'How long it took, in milliseconds.' })
  durationMs!: number;
}

/** One event for one webhook: the outbox row, written with the change, and its progress. */
@ObjectType('WebhookDelivery', { description: 'One event sent (or to be sent) to one webhook.' })
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['webhook', 'eventId'] })
@Index({ properties: ['nextAttemptAt'] })
export class WebhookDelivery {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'The delivery.' })
  idField(): string {
    return this.id;
  }

  @ManyToOne(() => Webhook, { deleteRule: 'cascade' })
  webhook!: Webhook;

  @Field({ description: 'The event, as the `webhook-id` header sends it; the same for every webhook that gets it.' })
  @Property({ type: 'string' })
  eventId!: string;

  @Field(() => WebhookEventType, { description: 'What happened.' })
  @Enum({ items: () => WebhookEventType })
  eventType!: WebhookEventType;

  /** The body: `{ type, timestamp, data }`. */
  @Property({ type: 'json' })
  payload!: { type: string; timestamp: string; data: Record<string, unknown> };

  @Field(() => DeliveryStatus, { description: 'Where it stands.' })
  @Enum({ items: () => DeliveryStatus, default: DeliveryStatus.PENDING })
  status: DeliveryStatus & Opt = DeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts: number & Opt = 0;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the next attempt is due; null once delivered or given up.' })
  @Property({ type: 'datetime', nullable: true, defaultRaw: 'now()' })
  nextAttemptAt?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last attempt was made.' })
  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status of the last attempt; null when there was no answer (timeout, refused).',
  })
  @Property({ type: 'integer', nullable: true })
  lastStatus?: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong on the last attempt, with at most 200 characters of the answer.' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** Every attempt, oldest first, as stored (`at` as ISO text). */
  @Property({ type: 'json', default: '[]' })
  log: { at: string; status: number | null; error: string | null; durationMs: number }[] & Opt = [];

  @Field(() => [WebhookAttempt], { name: 'attemptLog', description: 'Every attempt, oldest first.' })
  attemptLog(): WebhookAttempt[] {
    return this.log.map((a) => Object.assign(new WebhookAttempt(), { ...a, at: new Date(a.at) }));
  }

  @Field(() => GraphQLDateTime, { description: 'When the change happened.' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
