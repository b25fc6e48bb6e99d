import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from './global-id';

@InterfaceType('Node', {
  description: 'An object with a global id, which `Query.node` fetches again.',
  // No resolveType: type-graphql's default picks the implementing class by `instanceof`, and
  // answers synchronously; a custom one is wrapped in an async function, which graphql-jit
  // (src/executor.ts) does not await.
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
