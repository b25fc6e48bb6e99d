import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from './global-id';

@InterfaceType('Node', {
  description: 'An object with a global id, which `Query.node` fetches again.',
  // Loaders return entity instances, whose class name is their GraphQL type name.
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  /** The database key, which the global id wraps. */
  abstract id: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id; pass it to `Query.node`.' })
  globalId(): string {
    return toGlobalId(this.constructor.name, this.id);
  }
}

/**
 * Columns every table has: a serial key and the times the row was written. GraphQL sees only the
 * global id, through the Node interface.
 */
@Entity({ abstract: true })
export abstract class BaseEntity extends Node {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
