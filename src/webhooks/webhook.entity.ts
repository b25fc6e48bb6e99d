import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity';
import { Forum } from '../forum/forum.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { GraphQLDateTime } from '../shared/date-range';

/** What a webhook can be told of; each is one JSON POST `{ type, timestamp, data }`. */
export enum WebhookEventType {
  SESSION_CHANGED = 'SESSION_CHANGED',
  SCHEDULE_CHANGED = 'SCHEDULE_CHANGED',
  ARTICLE_PUBLISHED = 'ARTICLE_PUBLISHED',
  SPEAKER_CHANGED = 'SPEAKER_CHANGED',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'Events a webhook receives.',
  valuesConfig: {
    SESSION_CHANGED: { description: 'A session was created, changed (its participants or speakers included) or removed.' },
    SCHEDULE_CHANGED: { description: "A forum's agenda moved to a new schedule version (once per change, however many sessions)." },
    ARTICLE_PUBLISHED: { description: 'An article became public: published, or its embargo lifted.' },
    SPEAKER_CHANGED: { description: "A speaker's public or private fields changed." },
  },
});

/**
 * An endpoint that receives signed event deliveries (Standard Webhooks). Deliveries are written in
 * the transaction of the change that causes them (database triggers: the outbox), and sent by
 * the dispatcher of whichever server process claims them first.
 */
@ObjectType('Webhook', { implements: Node, description: 'An endpoint that receives signed JSON POSTs of events.' })
@Entity({ tableName: 'webhook' })
export class Webhook extends BaseEntity {
  @Field({ description: 'Where the events are POSTed: an absolute http(s) URL on a public address.' })
  @Property({ type: 'text' })
  url!: string;

  @Field(() => [WebhookEventType], { description: 'The events it receives.' })
  @Enum({ items: () => WebhookEventType, array: true })
  events!: WebhookEventType[];

  /** `whsec_` and base64 of the key the deliveries are signed with; shown once, at creation and rotation. */
  @Property({ type: 'string', hidden: true })
  secret!: string;

  /** Who made it: its rights (the forums they organise) bound what it receives. */
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  owner!: User;

  /** The forums whose events it receives; none: every forum (admins only). */
  @ManyToMany(() => Forum, undefined, { pivotTable: 'webhook_forum', joinColumn: 'webhook_id', inverseJoinColumn: 'forum_id' })
  forums = new Collection<Forum>(this);

  @Field(() => Int, { description: 'Deliveries in a row that failed; 0 after a success.' })
  @Property({ type: 'integer', default: 0 })
  consecutiveFailures: number & Opt = 0;

  @Field(() => Boolean, { description: 'Whether its deliveries keep failing (5 in a row); they are still retried, with growing delays.' })
  @Property({ type: 'boolean', default: false })
  failing: boolean & Opt = false;

  @Field(() => [Forum], { name: 'forums', description: 'The forums whose events it receives; empty: every forum.' })
  forumList(): Forum[] {
    return this.forums.getItems();
  }

  @Field(() => GraphQLDateTime, { name: 'createdAt', description: 'When it was created.' })
  createdAtField(): Date {
    return this.createdAt;
  }
}
