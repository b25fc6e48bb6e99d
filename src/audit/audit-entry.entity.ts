import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { GraphQLDateTime } from '../shared/date-range';
import { User } from '../auth/user.entity';
import { Forum } from '../forum/forum.entity';

/** One change made through the API: who, when, what, and each changed field before and after. */
@ObjectType({ description: 'One change made through the API: who, when, what, and each changed field before and after.' })
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['forum', 'id'] })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEntry {
  @Field(() => Int, { description: 'Sequence number; later changes have larger ones.' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => GraphQLDateTime, { description: 'When the change was made.' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: User | null;

  /** The actor's email at the time, kept when the user is deleted. */
  @Field({ description: 'Who made the change (their email at the time).' })
  @Property({ type: 'string' })
  actorEmail!: string;

  /** e.g. Speaker, Session, SessionParticipant, Article. */
  @Field({ description: 'The kind of object changed, e.g. Speaker or Session.' })
  @Property({ type: 'string' })
  entityType!: string;

  @Field(() => Int, { description: 'Database id of the object changed (its global id is the Node id of that type).' })
  @Property({ type: 'integer' })
  entityId!: number;

  /** e.g. CREATE, UPDATE, DELETE, CANCEL, MOVE, PUBLISH, IMPORT. */
  @Field({ description: 'What was done: CREATE, UPDATE, DELETE, CANCEL, MOVE, PUBLISH, ...' })
  @Property({ type: 'string' })
  action!: string;

  /** The forum the change belongs to, for organisers reading their forums' log; null for global data. */
  @ManyToOne(() => Forum, { nullable: true, deleteRule: 'set null' })
  forum?: Forum | null;

  /** `{ field: { before, after } }` for each changed field. */
  @Field(() => GraphQLJSONObject, { description: '`{ field: { before, after } }` for each changed field.' })
  @Property({ type: 'json' })
  changes!: Record<string, { before: unknown; after: unknown }>;
}
