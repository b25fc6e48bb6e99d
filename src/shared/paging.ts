import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { BadUserInputError } from '../errors';

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: `How many items to return, at most ${MAX_PAGE_SIZE}.` })
  @Min(0)
  @Max(MAX_PAGE_SIZE, { message: `first must not be greater than ${MAX_PAGE_SIZE}` })
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (an `endCursor` or edge `cursor`).' })
  after?: string | null;
}

/** A window of a list: skip `offset` items, take `limit`. */
export interface Page {
  offset: number;
  limit: number;
}

/*
 * Cursors are positions in the list (1-based), opaque to clients. Positions keep one paging
 * mechanism for root lists and for nested lists loaded in one statement for many parents.
 */
export function encodeCursor(position: number): string {
  return Buffer.from(`pos:${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^pos:([1-9][0-9]{0,8})$/.exec(decoded);
  if (!match) throw new BadUserInputError(`"${cursor}" is not a valid cursor`, { argument: 'after' });
  return Number(match[1]);
}

export function pageOf(args: PageArgs): Page {
  // Validation already ran for arguments coming from GraphQL; this guards internal callers.
  if (!Number.isInteger(args.first) || args.first < 0 || args.first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  return { offset: args.after ? decodeCursor(args.after) : 0, limit: args.first };
}

/** One page of a list, as loaders return it; `toConnection` turns it into the GraphQL shape. */
export interface PageResult<T> {
  items: T[];
  offset: number;
  totalCount: number;
  /** `totalCount` stopped counting: the list is capped (articles(filter: { query }), at 500). */
  capped?: boolean;
}

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items come before this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
  /** Shown only by the connection types of lists that may be capped (ConnectionType's `capped`). */
  totalCountExact: boolean;
}

export function toConnection<T>({ items, offset, totalCount, capped = false }: PageResult<T>): Connection<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(offset + i + 1), node }));
  return {
    edges,
    nodes: items,
    totalCount,
    totalCountExact: !capped,
    pageInfo: {
      hasNextPage: offset + items.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` object types for a node type. `capped`: some list
 * of the type may stop counting; the connection then shows `totalCountExact`, described thus.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string, capped?: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `A ${name} in a list, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item; pass it as `after` to continue after it.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of a list of ${name} items.` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'The items of this page with their cursors.' })
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: 'The items of this page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: capped
        ? 'How many items the whole list has, as far as it counts (`totalCountExact`).'
        : 'How many items the whole list has.',
    })
    totalCount!: number;

    totalCountExact!: boolean;
  }
  // A field of this type only (type-graphql reads the fields when it builds the schema).
  if (capped !== undefined) Field(() => Boolean, { description: capped })(ConnectionClass.prototype, 'totalCountExact');
  return ConnectionClass;
}
