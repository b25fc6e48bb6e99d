import type { EntityClass, EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RelationSql } from './sql-loading';

/*
 * The read path's joins, written from the entities' metadata (tables, columns, pivot tables), so
 * that a renamed property or column changes the SQL with it, and a relation that does not exist
 * fails when the loaders are made rather than as SQL at run time. Rows are aliased `t`, a pivot
 * table `p`.
 */

/** Properties to order by, each ascending or `[property, 'desc']`. */
export type Order = readonly (string | readonly [string, 'desc'])[];

function metaOf(em: EntityManager, entity: EntityClass<object>): EntityMetadata {
  return em.getMetadata().get(entity.name);
}

/** The column of `prop` (a scalar or a many-to-one). */
export function columnOf(meta: EntityMetadata, prop: string): string {
  const property = meta.properties[prop as keyof typeof meta.properties];
  if (!property?.fieldNames?.length) throw new Error(`${meta.className}.${prop} has no column`);
  return property.fieldNames[0];
}

/** SQL: ORDER BY terms over `alias` for `order`. */
export function orderSql(meta: EntityMetadata, alias: string, order: Order): string {
  return order
    .map((term) => (typeof term === 'string' ? `${alias}."${columnOf(meta, term)}"` : `${alias}."${columnOf(meta, term[0])}" desc`))
    .join(', ');
}

function manyToMany(meta: EntityMetadata, prop: string) {
  const property = meta.properties[prop as keyof typeof meta.properties];
  if (!property?.pivotTable || !property.joinColumns?.length || !property.inverseJoinColumns?.length) {
    throw new Error(`${meta.className}.${prop} is not a many-to-many with a pivot table`);
  }
  return { pivot: property.pivotTable, own: property.joinColumns[0], far: property.inverseJoinColumns[0], target: property.targetMeta! };
}

/** Rows of `entity` whose many-to-one `prop` is the parent: a forum's sessions are `children(Session, 'forum')`. */
export function children(em: EntityManager, entity: EntityClass<object>, prop: string, order: Order, where?: string): RelationSql {
  const meta = metaOf(em, entity);
  return { from: `"${meta.tableName}" t`, parent: `t."${columnOf(meta, prop)}"`, orderBy: orderSql(meta, 't', order), where };
}

/** The far side of `owner`'s many-to-many `prop`, per owner: an article's forums are `linked(Article, 'forums')`. */
export function linked(em: EntityManager, owner: EntityClass<object>, prop: string, order: Order, where?: string): RelationSql {
  const { pivot, own, far, target } = manyToMany(metaOf(em, owner), prop);
  return {
    from: `"${target.tableName}" t join "${pivot}" p on p."${far}" = t."${columnOf(target, target.primaryKeys[0])}"`,
    parent: `p."${own}"`,
    orderBy: orderSql(target, 't', order),
    where,
  };
}

/** The owners of many-to-many `prop`, per row on its far side: a forum's articles are `linkedFrom(Article, 'forums')`. */
export function linkedFrom(em: EntityManager, owner: EntityClass<object>, prop: string, order: Order, where?: string): RelationSql {
  const meta = metaOf(em, owner);
  const { pivot, own, far } = manyToMany(meta, prop);
  return {
    from: `"${meta.tableName}" t join "${pivot}" p on p."${own}" = t."${columnOf(meta, meta.primaryKeys[0])}"`,
    parent: `p."${far}"`,
    orderBy: orderSql(meta, 't', order),
    where,
  };
}

/** SQL: `join <table of prop's target> <alias> on <alias>.<key> = <from>.<column of prop>`, for many-to-one `prop` of `entity` aliased `from`. */
export function joinManyToOne(
  em: EntityManager,
  entity: EntityClass<object>,
  from: string,
  prop: string,
  alias: string,
  kind: 'join' | 'left join' = 'join',
): string {
  const meta = metaOf(em, entity);
  const property = meta.properties[prop as keyof typeof meta.properties];
  const target = property?.targetMeta;
  if (!target) throw new Error(`${meta.className}.${prop} is not a many-to-one`);
  return `${kind} "${target.tableName}" ${alias} on ${alias}."${columnOf(target, target.primaryKeys[0])}" = ${from}."${columnOf(meta, prop)}"`;
}
