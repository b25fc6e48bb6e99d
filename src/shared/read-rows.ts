import { ReferenceKind, type EntityClass, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { everyColumn, isColumn, projectionOf } from './projection';
import { readTag } from './read-tags';

/*
 * Rows of the read path as instances of their entity class, without MikroORM's unit of work.
 *
 * `em.map` makes a managed entity of every row: it registers it in the identity map, keeps a
 * snapshot for change tracking and defines an accessor per property on each instance. On a read
 * that only turns rows into JSON that was most of the server's CPU (a CPU profile of the agenda
 * under load: MikroORM's hydration and the garbage it leaves were the largest items, ahead of
 * GraphQL execution). A read row is an object whose prototype chain reaches the entity class,
 * with the columns as plain properties: `instanceof`, the class name (the GraphQL type) and the
 * entity's methods (`localTitle`, ...) work as on an entity, nothing is tracked, and writes keep
 * using managed entities through the EntityManager.
 *
 * A many-to-one column becomes the row already read in this request when there is one (as the
 * identity map did), else a reference that has only `id`, which `related()` loads in a batch.
 */

const READ_ROW = Symbol('read row');
const UNLOADED = Symbol('unloaded reference');

interface Column {
  column: string;
  property: string;
  /** Turns the driver's value into the entity's, e.g. timestamp text into a Date. */
  convert?: (value: unknown) => unknown;
  /** For a many-to-one: the entity it points to. */
  target?: EntityClass<object>;
}

interface Shape {
  prototype: object;
  columns: Column[];
  /** `table:` for an entity keyed by `id`: its rows' read tags (read-tags.ts). */
  tagPrefix?: string;
}

const MAX_SHAPES_PER_ENTITY = 200;

/** Per entity, per projection key ('*': every column). */
const shapes = new Map<EntityClass<object>, Map<string, Shape>>();

/** The shape of `entity`'s rows in this request: the columns of its projection (projection.ts). */
function shapeOf(em: EntityManager, entity: EntityClass<object>): Shape {
  const meta = em.getMetadata().get(entity.name);
  const projection = projectionOf(em)?.of(meta.className) ?? everyColumn(meta);
  let byKey = shapes.get(entity);
  if (!byKey) shapes.set(entity, (byKey = new Map<string, Shape>()));
  let shape = byKey.get(projection.key);
  if (!shape) {
    shape = buildShape(em, meta, projection.props);
    // Apps send a few operations, so a few shapes; a stream of distinct selections gets shapes
    // made per request rather than kept.
    if (byKey.size < MAX_SHAPES_PER_ENTITY) byKey.set(projection.key, shape);
  }
  return shape;
}

function buildShape(em: EntityManager, meta: EntityMetadata, selected: ReadonlyMap<string, unknown>): Shape {
  const platform = em.getPlatform();
  // MikroORM puts a setter for every property on the entity prototype (it turns the first
  // assignment into a tracked accessor on the instance). Plain writable properties in between
  // shadow them, so assigning a column is an ordinary property write.
  const prototype = Object.create(meta.class.prototype as object) as object;
  Object.defineProperty(prototype, READ_ROW, { value: true });
  const columns: Column[] = [];
  for (const prop of meta.props) {
    const column = isColumn(prop);
    if (column && !selected.has(prop.name)) {
      // Not selected for this operation: reading it is a bug to surface, not a null to answer.
      Object.defineProperty(prototype, prop.name, {
        get() {
          throw new Error(
            `${meta.className}.${prop.name} was not selected for this operation: the field that reads it must declare it (@Reads, src/shared/projection.ts)`,
          );
        },
        set(value: unknown) {
          Object.defineProperty(this, prop.name, { value, writable: true, enumerable: false, configurable: true });
        },
        enumerable: false,
        configurable: true,
      });
      continue;
    }
    Object.defineProperty(prototype, prop.name, { value: undefined, writable: true, enumerable: false, configurable: true });
    if (!column) continue;
    if (prop.kind === ReferenceKind.SCALAR) {
      const customType = prop.customType;
      // The driver parses json and jsonb itself (MikroORM's JsonType would only pass the value on),
      // and gives timestamps as text, which V8's Date parser reads in PostgreSQL's format as in
      // ISO 8601 (to_jsonb's), at two thirds of the cost of the platform's parser.
      const json = ['json', 'jsonb'].includes(prop.columnTypes?.[0] ?? '') && platform.convertsJsonAutomatically();
      const convert =
        prop.runtimeType === 'Date'
          ? (value: unknown) => (typeof value === 'string' ? new Date(value) : value)
          : customType && !json
            ? (value: unknown): unknown => customType.convertToJSValue(value, platform)
            : undefined;
      columns.push({ column: prop.fieldNames[0], property: prop.name, convert });
    } else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      columns.push({ column: prop.fieldNames[0], property: prop.name, target: prop.targetMeta!.class as EntityClass<object> });
    }
  }
  const tagPrefix = meta.primaryKeys.length === 1 && meta.primaryKeys[0] === 'id' ? `${meta.tableName}:` : undefined;
  return { prototype, columns, tagPrefix };
}

/**
 * Rows read so far per request, by entity and id: the EntityManager fork is per request, so it
 * keys them.
 */
const readSoFar = new WeakMap<EntityManager, Map<EntityClass<object>, Map<unknown, object>>>();

function rowsOf(em: EntityManager, entity: EntityClass<object>): Map<unknown, object> {
  let byEntity = readSoFar.get(em);
  if (!byEntity) {
    byEntity = new Map();
    readSoFar.set(em, byEntity);
  }
  let rows = byEntity.get(entity);
  if (!rows) {
    rows = new Map();
    byEntity.set(entity, rows);
  }
  return rows;
}

/** The row of `entity` with this id that this request has read, if any. */
export function readRow<T extends object>(em: EntityManager, entity: EntityClass<T>, id: number): T | undefined {
  return rowsOf(em, entity).get(id) as T | undefined;
}

/** A row of `entity`'s table (column names as in the database; other keys are ignored) as a read-only instance. */
export function toReadRow<T extends object>(em: EntityManager, entity: EntityClass<T>, row: Record<string, unknown>): T {
  const rows = rowsOf(em, entity);
  const shape = shapeOf(em, entity);
  const instance = Object.create(shape.prototype) as Record<string, unknown>;
  for (const { column, property, convert, target } of shape.columns) {
    const value = row[column];
    if (value == null) instance[property] = value;
    else if (target) instance[property] = rowsOf(em, target).get(value) ?? reference(em, target, value as number);
    else instance[property] = convert ? convert(value) : value;
  }
  rows.set(instance.id, instance);
  if (shape.tagPrefix) readTag(shape.tagPrefix + String(instance.id));
  return instance as T;
}

function reference(em: EntityManager, entity: EntityClass<object>, id: number): object {
  const instance = Object.create(shapeOf(em, entity).prototype) as Record<string | symbol, unknown>;
  instance.id = id;
  instance[UNLOADED] = true;
  return instance;
}

/** Whether `value` came from `toReadRow` (as a row or as a reference). */
export function isReadRow(value: object): boolean {
  return READ_ROW in value;
}

/** Whether `value` is a reference that has only its id. */
export function isUnloadedReference(value: object): boolean {
  return UNLOADED in value;
}
