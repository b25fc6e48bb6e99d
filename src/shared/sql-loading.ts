import { wrap, type EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Client as PgClient } from 'pg';
import type { Page, PageResult } from './paging';
import { isReadRow, isUnloadedReference, readRow, toReadRow } from './read-rows';
import { selectList } from './projection';
import { countReadStatement, readList } from './read-tags';

/*
 * The read path loads relations with one hand-written statement per batch, mapped into read-only
 * instances of the entity classes (read-rows.ts), not managed entities. Hand-written because a
 * page of children for many parents at once (window functions) has no ORM query, and because
 * `= any(?)` with one array parameter keeps a single statement text per query shape, so
 * PostgreSQL can reuse its plans (an `IN (...)` list makes a new statement for every batch size).
 *
 * SQL fragments below are constants written in this code base, never user input; values always
 * travel as bound parameters (written `?` here, numbered `$1, $2, ...` when sent).
 */

/** How to reach the children of a parent: `from` joins the child table as `t`. */
export interface RelationSql {
  from: string;
  /** SQL expression giving the parent id of a row, e.g. `t.forum_id` or `p.article_id`. */
  parent: string;
  orderBy: string;
  /** A fixed condition every child must meet, e.g. that an article is public. */
  where?: string;
}

/** An extra condition on the children, with its bindings. */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

export interface Mapped<T> {
  entity: T;
  parent: number;
  position: number;
  total: number;
}

/**
 * Runs `work` on a connection of `knex`'s pool, released afterwards (a transaction's knex gives
 * its own connection and releases nothing).
 */
export async function onConnection<T>(knex: ReturnType<EntityManager['getKnex']>, work: (connection: PgClient) => Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<PgClient>; releaseConnection(c: PgClient): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/*
 * Statements of the read path are prepared once per connection, by name: PostgreSQL then skips
 * parsing them on later runs, and planning them where it finds a plan for any values (generic) as
 * good as the ones it made for each run's values (custom); it decides after five runs, and kept
 * custom plans for three of the agenda's and the coverage's six statements (see `unseen`
 * below). Texts are constants of this code base with values as parameters, so there are few; the
 * bound only guards against a future text that is not.
 *
 * A transaction-mode pooler older than PgBouncer 1.21 (or without max_prepared_statements) runs
 * each statement on whichever server connection is free, where the name is unknown or already
 * taken: PREPARED_STATEMENTS=false sends them unnamed instead, parsed and planned every time.
 */
const MAX_PREPARED = 500;
const prepared = new Map<string, { text: string; name: string }>();
let named = true;

/** PREPARED_STATEMENTS, for the whole process: set where the database is opened (database.ts). */
export function usePreparedStatements(on: boolean): void {
  named = on;
}

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

function statementOf(sql: string): { text: string; name?: string } {
  const known = prepared.get(sql);
  if (known) return known;
  const text = numbered(sql);
  if (prepared.size >= MAX_PREPARED) return { text };
  const statement = { text, name: `read_${prepared.size + 1}` };
  prepared.set(sql, statement);
  return statement;
}

/** Runs one statement and gives its rows: query() on a pooled connection, or onOneConnection's. */
export type RunStatement = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Sends a statement, prepared by name unless prepared statements are off. */
async function send(connection: PgClient, sql: string, params: unknown[]) {
  const { text, name } = statementOf(sql);
  // The caller tags what it reads (read-tags.ts): rows through toReadRow, other lists by readList.
  countReadStatement();
  return (await connection.query<Record<string, unknown>>({ name: named ? name : undefined, text, values: params })).rows;
}

/**
 * Runs one statement with real bound parameters on a pooled connection. MikroORM's own
 * `execute` inlines values into the SQL text (and expands arrays into lists), which would give
 * every batch a different statement.
 */
export async function query(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  // Inside a write's transaction, on its connection (a transaction's client gives that one and
  // releases nothing): it sees the transaction's own writes, and takes no second connection.
  const knex = (em.getTransactionContext() as ReturnType<EntityManager['getKnex']> | undefined) ?? em.getKnex();
  return onConnection(knex, (connection) => send(connection, sql, params));
}

/*
 * PostgreSQL plans a prepared statement for each run's values (a custom plan) until, from the
 * sixth run on, a plan for any values (generic) is estimated to cost no more than those plus their
 * planning. For the search's statements it never chose the generic plan (0 of 300 runs in
 * pg_prepared_statements): planned for the words, the estimates were lower. Yet on the bench
 * dataset the find statement's generic plan ran in 0.6 to 0.9 ms against 1.2 to 2.5 for the
 * custom ones, each of which took 1.3 to 1.5 ms more to plan. For other statements its choice is
 * right: the coverage page of articles runs 2 ms on custom plans and 24 on the generic one, which
 * it rightly never picks.
 *
 * A value read through `unseen` is one the planner cannot estimate from, in a custom plan either:
 * a scalar subquery, run once per execution (an InitPlan) and read by the plan as a parameter. A
 * statement whose values that change estimates (a tsquery's matches, a list's length, a limit)
 * are all unseen is estimated the same for any values, so PostgreSQL keeps its generic plan from
 * the sixth run on, by its own rule (searches: 2.1 ms a run planned each time, 0.6 on the generic
 * plan). Such a statement must have one plan good for any values: the search's keeps a common
 * word's newest-first scan out of the planner's choice (newestMatchesSql). Before `unseen`, they
 * ran in a transaction that set `plan_cache_mode` to force_generic_plan: two more statements
 * (`begin`, `commit`) for each search, each a round trip that wakes a backend.
 */

/** SQL: the value of `placeholder` (`?` or `$n`) as a `type`, unseen by the planner's estimates. */
export function unseen(placeholder: string, type: string): string {
  return `(select ${placeholder}::${type})`;
}

/**
 * Runs `work`'s statements one after another on one pooled connection, held until it ends, so
 * that they do not queue for the pool again between them: under load, the search's statements
 * that went back to the pool were most of its slowest 2%. Inside a write's transaction they run
 * there.
 */
export async function onOneConnection<T>(em: EntityManager, work: (run: RunStatement) => Promise<T>): Promise<T> {
  if (em.getTransactionContext()) return work((sql, params) => query(em, sql, params));
  return onConnection(em.getKnex(), (connection) => work((sql, params) => send(connection, sql, params)));
}

/**
 * Entities from one statement selecting the entity's columns (`selectList`, or `t.*`) plus
 * `__parent` (and `__position`, `__total`).
 */
export async function selectEntities<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  sql: string,
  params: unknown[],
): Promise<Mapped<T>[]> {
  const rows = await query(em, sql, params);
  // toReadRow reads the entity's own columns only, so the meta columns can stay in the row.
  return rows.map((row) => ({
    entity: toReadRow(em, entity, row),
    parent: Number(row.__parent),
    position: Number(row.__position),
    total: Number(row.__total),
  }));
}

function tableOf(em: EntityManager, entity: EntityClass<object>): string {
  return em.getMetadata().get(entity.name).tableName;
}

/** Entities from one hand-written statement whose select list is the entity's columns (`selectList`, or `t.*`). */
export async function findBySql<T extends object>(em: EntityManager, entity: EntityClass<T>, sql: string, params: unknown[]): Promise<T[]> {
  return (await selectEntities(em, entity, sql, params)).map((m) => m.entity);
}

/** The values in `items` grouped under each of `keys`, in key order (a DataLoader batch result). */
export function groupByKey<K, V>(keys: readonly K[], items: V[], keyOf: (item: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return keys.map((k) => groups.get(k)!);
}

/**
 * The entity a many-to-one points to: the row itself when this request had already read it (see
 * read-rows.ts; for a managed entity, the identity map links it), otherwise through the loader.
 * Saves a statement per level when a query walks back up to a parent it came from.
 *
 * A row at hand is returned as it is, not in a promise: the agenda resolves about 360 such fields
 * (each participant's speaker, country and ministry, joined in by the participants' statement),
 * and a promise for each, with graphql-jit's handling of an asynchronous result, was a tenth of
 * the agenda's allocations.
 */
export function related<T extends { id: number }>(ref: T, loader: DataLoader<number, T | null>): T | Promise<T> {
  if (isReadRow(ref) ? !isUnloadedReference(ref) : wrap(ref).isInitialized()) return ref;
  return loader.load(ref.id).then((found) => {
    if (!found) throw new Error(`${ref.constructor.name} ${ref.id} is referenced but missing`);
    return found;
  });
}

/** SQL: the rows of `entity` whose ids are in the one array parameter, each with its id as `__parent`. */
export function byIdSql(em: EntityManager, entity: EntityClass<object>, where = 'true'): string {
  return `select ${selectList(em, entity, 't')}, t.id as "__parent" from "${tableOf(em, entity)}" t where t.id = any(?) and (${where})`;
}

/** Loads entities by primary key; a missing id gives null. */
export function byIdLoader<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where = 'true',
): DataLoader<number, T | null> {
  return new DataLoader(async (ids) => {
    const sql = byIdSql(em, entity, where);
    // A row this request has read already answers without SQL, unless this loader filters rows.
    const found = new Map<number, T>();
    if (where === 'true') {
      for (const id of ids) {
        const row = readRow(em, entity, id);
        if (row) found.set(id, row);
      }
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) for (const m of await selectEntities(em, entity, sql, [missing])) found.set(m.parent, m.entity);
    // A row not found (or filtered out) may appear with any change to the table.
    if (found.size < ids.length) readList(em, entity);
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Loads entities by a unique text column (a slug or a code); a missing key gives null. */
export function byUniqueLoader<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  column: string,
  where = 'true',
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    // The key comes as a column of its own: the projection may not include it.
    const sql = `select ${selectList(em, entity, 't')}, t."${column}" as "__key" from "${tableOf(em, entity)}" t where t."${column}" = any(?) and (${where})`;
    const rows = await query(em, sql, [keys]);
    const found = new Map(rows.map((row) => [String(row.__key), toReadRow(em, entity, row)]));
    if (found.size < keys.length) readList(em, entity);
    return keys.map((key) => found.get(key) ?? null);
  });
}

/** Loads all children of each parent, in the relation's order; for lists that stay short. */
export function listLoader<T extends object>(em: EntityManager, entity: EntityClass<T>, rel: RelationSql): DataLoader<number, T[]> {
  return new DataLoader(async (parents) => {
    const sql =
      `select ${selectList(em, entity, 't')}, ${rel.parent} as "__parent" from ${rel.from}` +
      ` where ${rel.parent} = any(?) and (${rel.where ?? 'true'}) order by ${rel.orderBy}`;
    return groupByKey(parents, await selectEntities(em, entity, sql, [parents]), (m) => m.parent).map((group) =>
      group.map((m) => m.entity),
    );
  });
}

/**
 * Fetches one page of children for each parent in a single statement, with every parent's total
 * count. `parents` null means the relation has no parent (a root list): `rel.parent` is then a
 * constant such as `0`.
 */
export async function fetchPages<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  rel: RelationSql,
  parents: readonly number[] | null,
  page: Page,
  filter?: SqlFilter,
): Promise<Map<number, PageResult<T>>> {
  const conditions = [parents ? `${rel.parent} = any(?)` : 'true', `(${rel.where ?? 'true'})`, filter ? `(${filter.sql})` : 'true'];
  // The last row of each list is always returned too, so that a page past the end still knows
  // the list's total count.
  const sql =
    `select * from (select ${selectList(em, entity, 't')}, ${rel.parent} as "__parent",` +
    ` row_number() over (partition by ${rel.parent} order by ${rel.orderBy}) as "__position",` +
    ` count(*) over (partition by ${rel.parent}) as "__total"` +
    ` from ${rel.from} where ${conditions.join(' and ')}) page` +
    ` where ("__position" > ? and "__position" <= ?) or "__position" = "__total"` +
    ` order by "__parent", "__position"`;
  const params = [...(parents ? [parents] : []), ...(filter?.params ?? []), page.offset, page.offset + page.limit];
  const results = new Map<number, PageResult<T>>();
  for (const m of await selectEntities(em, entity, sql, params)) {
    const result = results.get(m.parent) ?? { items: [], offset: page.offset, totalCount: m.total };
    if (m.position > page.offset && m.position <= page.offset + page.limit) result.items.push(m.entity);
    results.set(m.parent, result);
  }
  return results;
}

export interface PageKey {
  parent: number;
  page: Page;
  filter?: SqlFilter;
}

/**
 * Batches `fetchPages` across parents: keys asking for the same page and filter (the usual case
 * in one query) share one statement.
 */
export function pageLoader<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  rel: RelationSql,
): DataLoader<PageKey, PageResult<T>, string> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, PageKey[]>();
      for (const key of keys) {
        const shape = JSON.stringify([key.page, key.filter ?? null]);
        groups.set(shape, [...(groups.get(shape) ?? []), key]);
      }
      const results = new Map<string, PageResult<T>>();
      for (const [shape, group] of groups) {
        const { page, filter } = group[0];
        const pages = await fetchPages(em, entity, rel, [...new Set(group.map((k) => k.parent))], page, filter);
        for (const key of group) {
          results.set(`${key.parent}|${shape}`, pages.get(key.parent) ?? { items: [], offset: page.offset, totalCount: 0 });
        }
      }
      return keys.map((key) => results.get(`${key.parent}|${JSON.stringify([key.page, key.filter ?? null])}`)!);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parent, key.page, key.filter ?? null]) },
  );
}

/** One page of a root list (no parent), e.g. `Query.speakers`. */
export async function fetchRootPage<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  list: { from: string; orderBy: string; where?: string },
  page: Page,
  filter?: SqlFilter,
): Promise<PageResult<T>> {
  readList(em, entity);
  const pages = await fetchPages(em, entity, { ...list, parent: '0' }, null, page, filter);
  return pages.get(0) ?? { items: [], offset: page.offset, totalCount: 0 };
}
