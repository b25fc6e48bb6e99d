import type { ApolloServerPlugin } from '@apollo/server';
import { ReferenceKind, type EntityClass, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { Extensions, getMetadataStorage } from 'type-graphql';
import type { Context } from './context';
import type { Language } from './i18n';

/*
 * Only the columns, and only the language, that an operation's answer needs leave PostgreSQL.
 *
 * Before an operation runs, its selection is read once (projectionPlugin): for each entity it
 * touches, the properties its fields read. Every row of that entity in the request is then
 * selected with those columns (selectList, jsonRow) and mapped into the same shape (read-rows.ts),
 * so a row met twice (a forum, then a session's forum) has what both places need. A property of
 * the shape that was not selected throws when read: a field that reads more than it declares
 * fails in the tests, never quietly answers null.
 *
 * What a field reads:
 * - a field named as an entity property: that property (a many-to-one: its key);
 * - `fooTranslations`: `foo` as stored (every language);
 * - a localized field (it has a `lang` argument), called without `lang`: `foo` reduced in SQL to
 *   the one language the reader gets, the first of the request's languages the text has (a true
 *   subset of the translations, so the usual picking finds the same text); with `lang`: as stored;
 * - a field returning other entities (a list, a page): nothing but the key, which every row has;
 * - a field declaring `@Reads(...)`: what it declares, of its own entity and of others (the
 *   forum's time zone that a session's local time needs);
 * - any other field: every column of its entity.
 * Every key (the primary key, many-to-one keys) is always selected: loaders group rows by them.
 * An entity the selection does not mention (read for a check, or by plain HTTP) gets every column.
 */

/** How a property is selected: as stored, or (a text in several languages) reduced to the reader's. */
export type ColumnMode = 'raw' | 'local';

/** What one entity's rows must hold: its properties, and how each is selected. */
export interface EntityProjection {
  readonly props: ReadonlyMap<string, ColumnMode>;
  /** Of those, the ones the operation's fields read, without the keys every row has; absent: all. */
  readonly read?: ReadonlySet<string>;
  /** Stable text naming the projection, for caches of shapes and statements. */
  readonly key: string;
}

/** Entity name → property names, as a field's `@Reads` declares them. */
export type ReadsDeclaration = Partial<Record<string, string[]>>;

/** Declares the entity properties a computed field reads (see the rules above). */
export function Reads(declaration: ReadsDeclaration): MethodDecorator & PropertyDecorator {
  return Extensions({ reads: declaration });
}

/** One operation's projections; `undefined` for an entity means every column. */
export class Projection {
  constructor(
    private readonly byEntity: ReadonlyMap<string, EntityProjection>,
    /** The request's languages, most preferred first: the order a local text is picked in. */
    readonly languages: readonly Language[],
  ) {}

  of(entityName: string): EntityProjection | undefined {
    return this.byEntity.get(entityName);
  }

  /** Whether a field of the operation reads this property of the entity (a many-to-one: shows the row). */
  reads(entityName: string, prop: string): boolean {
    return this.byEntity.get(entityName)?.read?.has(prop) ?? false;
  }

  /**
   * The statement text `build()` makes from this projection, kept for the operation's later
   * requests in the same languages: `key` names everything else the text depends on. A search's
   * text was 27% of what its request allocated, rebuilt on every request.
   */
  statement(key: string, build: () => string): string {
    // byEntity is the operation's, kept by projectionPlugin; this Projection is the request's.
    let kept = statementsOf.get(this.byEntity);
    if (!kept) statementsOf.set(this.byEntity, (kept = new Map<string, string>()));
    const fullKey = `${this.languages.join(',')} ${key}`;
    let sql = kept.get(fullKey);
    if (sql === undefined) {
      sql = build();
      // Keys are few (a search's: which queries it has, which kinds, how each is read); the bound
      // only guards against a caller whose keys are not.
      if (kept.size < MAX_STATEMENTS_KEPT) kept.set(fullKey, sql);
    }
    return sql;
  }
}

const statementsOf = new WeakMap<ReadonlyMap<string, EntityProjection>, Map<string, string>>();
const MAX_STATEMENTS_KEPT = 64;

type Needs = Map<string, Map<string, ColumnMode> | 'all'>;

/** The GraphQL object types backed by entities, by type name: their entity's metadata. */
function entityTypes(em: EntityManager): Map<string, EntityMetadata> {
  const metadata = em.getMetadata();
  const types = new Map<string, EntityMetadata>();
  for (const type of getMetadataStorage().objectTypes) {
    const meta = metadata.find(type.target.name);
    if (meta && !meta.abstract) types.set(type.name, meta);
  }
  return types;
}

function need(needs: Needs, meta: EntityMetadata, prop: string, mode: ColumnMode): void {
  if (!meta.properties[prop as keyof typeof meta.properties]) throw new Error(`${meta.className} has no property "${prop}"`);
  let props = needs.get(meta.className);
  if (props === 'all') return;
  if (!props) needs.set(meta.className, (props = new Map()));
  // Read as stored somewhere: as stored everywhere.
  if (props.get(prop) !== 'raw') props.set(prop, mode);
}

function needAll(needs: Needs, meta: EntityMetadata): void {
  needs.set(meta.className, 'all');
}

/**
 * What `field` reads: what it declares, on any type (a root field loading a forum), else on a type
 * backed by an entity (`meta`), by the rules above. `hasLang`: the selection passes `lang`.
 */
function fieldNeeds(
  needs: Needs,
  types: Map<string, EntityMetadata>,
  metadataByName: (name: string) => EntityMetadata | undefined,
  meta: EntityMetadata | undefined,
  field: GraphQLField<unknown, unknown>,
  hasLang: boolean,
): void {
  const declared = field.extensions?.reads as ReadsDeclaration | undefined;
  if (declared) {
    for (const [entityName, props] of Object.entries(declared)) {
      const target = metadataByName(entityName);
      if (!target) throw new Error(`@Reads on ${field.name} names no entity "${entityName}"`);
      for (const prop of props ?? []) need(needs, target, prop, 'raw');
    }
    return;
  }
  if (!meta) return;
  const prop = meta.properties[field.name as keyof typeof meta.properties];
  if (prop && prop.persist !== false && (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE)) {
    const localized = field.args.some((arg) => arg.name === 'lang');
    need(needs, meta, field.name, localized && !hasLang ? 'local' : 'raw');
    return;
  }
  if (field.name.endsWith('Translations')) {
    const base = field.name.slice(0, -'Translations'.length);
    if (meta.properties[base as keyof typeof meta.properties]) {
      need(needs, meta, base, 'raw');
      return;
    }
  }
  const returned = getNamedType(field.type).name;
  const entity = types.has(returned) || (returned.endsWith('Connection') && types.has(returned.slice(0, -'Connection'.length)));
  if (prop || entity) return; // a to-many relation: loaded by this row's key
  needAll(needs, meta);
}

/** The projections of `operation`: what each entity's rows must hold to answer it. */
export function computeNeeds(
  em: EntityManager,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Map<string, EntityProjection> {
  const types = entityTypes(em);
  const metadata = em.getMetadata();
  const metadataByName = (name: string) => metadata.find(name) ?? undefined;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const needs: Needs = new Map();
  // A fragment adds the same needs wherever it is spread on the same type: each is read once, so
  // that the walk stays as long as the document however often fragments spread one another.
  const visited = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => {
    const objectTypes: readonly GraphQLObjectType[] = isAbstractType(parent)
      ? schema.getPossibleTypes(parent)
      : isObjectType(parent)
        ? [parent]
        : [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        let child: GraphQLCompositeType | undefined;
        for (const objectType of objectTypes) {
          const field = objectType.getFields()[selection.name.value];
          if (!field) continue;
          fieldNeeds(
            needs,
            types,
            metadataByName,
            types.get(objectType.name),
            field,
            Boolean(selection.arguments?.some((a) => a.name.value === 'lang')),
          );
          child ??= getNamedType(field.type) as GraphQLCompositeType;
        }
        if (selection.selectionSet && child) walk(selection.selectionSet, child);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined)
          : parent;
        if (type) walk(selection.selectionSet, type);
      } else {
        const fragment = fragments.get(selection.name.value);
        const key = `${selection.name.value}@${parent.name}`;
        if (!fragment || visited.has(key)) continue;
        visited.add(key);
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        if (type) walk(fragment.selectionSet, type);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root);

  const result = new Map<string, EntityProjection>();
  for (const [className, props] of needs) {
    if (props === 'all') continue;
    const meta = metadata.get(className);
    const read = new Set(props.keys());
    // Keys always: the primary key and every many-to-one.
    for (const prop of meta.props) {
      if (prop.primary || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
        if (!props.has(prop.name)) props.set(prop.name, 'raw');
      }
    }
    const key = [...props]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, mode]) => `${name}:${mode}`)
      .join(',');
    result.set(className, { props, read, key });
  }
  return result;
}

const projections = new WeakMap<EntityManager, Projection>();

/** The projection of the operation the request behind `em` runs, if it is a GraphQL operation. */
export function projectionOf(em: EntityManager): Projection | undefined {
  return projections.get(em);
}

/** Makes every read through `em` (the request's) follow `projection`. */
export function useProjection(em: EntityManager, projection: Projection): void {
  projections.set(em, projection);
}

/** How many operations' projections are kept, by document and operation. */
const MAX_KEPT = 200;

/**
 * Reads the selection of each operation before it runs, so that the read path selects only
 * what it needs. Kept per document and operation name: apps send the same few documents.
 */
export function projectionPlugin(): ApolloServerPlugin<Context> {
  const kept = new Map<string, Map<string, EntityProjection>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, contextValue, queryHash, operationName }) {
          if (!operation) return;
          const key = `${queryHash}:${operationName ?? ''}`;
          let needs = kept.get(key);
          if (!needs) {
            needs = computeNeeds(contextValue.em, schema, document, operation);
            if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
            kept.set(key, needs);
          }
          useProjection(contextValue.em, new Projection(needs, contextValue.languages));
        },
      };
    },
  };
}

const quoteLiteral = (language: string) => `'${language.replaceAll("'", "''")}'`;

/**
 * SQL: `column` of `alias` (a JSONB text in several languages) reduced to the one language the
 * reader gets: the first of `languages` it has a non-empty text in; null when it has none.
 * Languages are our enum's codes, written as literals so that the statement stays one text per
 * language order (there are six).
 */
function localText(alias: string, column: string, languages: readonly Language[]): string {
  const value = `${alias}."${column}"`;
  const cases = languages.map(
    (l) =>
      `when coalesce(${value}->>${quoteLiteral(l)}, '') <> '' then jsonb_build_object(${quoteLiteral(l)}, ${value}->${quoteLiteral(l)})`,
  );
  return `case ${cases.join(' ')} end`;
}

function projected(
  em: EntityManager,
  entity: EntityClass<object>,
): { meta: EntityMetadata; projection: EntityProjection; languages: readonly Language[] } {
  const meta = em.getMetadata().get(entity.name);
  const projection = projectionOf(em);
  return { meta, projection: projection?.of(meta.className) ?? everyColumn(meta), languages: projection?.languages ?? [] };
}

const everyColumnOf = new WeakMap<EntityMetadata, EntityProjection>();

/**
 * What the row of an entity the operation does not mention holds: every column but the lazy ones
 * (a search vector, 10 kB for an article), as stored. The same as read-rows.ts's shape of it.
 */
export function everyColumn(meta: EntityMetadata): EntityProjection {
  let projection = everyColumnOf.get(meta);
  if (!projection) {
    const columns = meta.props.filter((prop) => isColumn(prop) && !prop.lazy);
    const props = new Map<string, ColumnMode>(columns.map((prop) => [prop.name, 'raw']));
    everyColumnOf.set(meta, (projection = { props, key: '*' }));
  }
  return projection;
}

/** Whether `prop` is a column of its entity's table. */
export function isColumn(prop: EntityProperty): boolean {
  return Boolean(
    prop.persist !== false &&
    prop.fieldNames?.length &&
    (prop.kind === ReferenceKind.SCALAR ||
      prop.kind === ReferenceKind.MANY_TO_ONE ||
      (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)),
  );
}

/** The expressions of a projected row, each with its column name. */
function expressions(
  meta: EntityMetadata,
  projection: EntityProjection,
  languages: readonly Language[],
  alias: string,
): [string, string][] {
  const list: [string, string][] = [];
  for (const [name, mode] of projection.props) {
    const prop = meta.properties[name as keyof typeof meta.properties];
    const column = prop.fieldNames[0];
    list.push([column, mode === 'local' ? localText(alias, column, languages) : `${alias}."${column}"`]);
  }
  return list;
}

/*
 * The SQL made from a projection, kept with it: the projection of an operation is kept across its
 * requests (projectionPlugin), so a repeated operation builds no SQL text.
 */
const sqlOfProjection = new WeakMap<EntityProjection, Map<string, string>>();

/** `build()`'s SQL for `entity` in the request's projection, made once per projection, form, alias and language order. */
function projectedSql(
  em: EntityManager,
  entity: EntityClass<object>,
  form: 'select' | 'json',
  alias: string,
  build: (list: [string, string][]) => string,
): string {
  const { meta, projection, languages } = projected(em, entity);
  let built = sqlOfProjection.get(projection);
  if (!built) sqlOfProjection.set(projection, (built = new Map<string, string>()));
  const key = `${form} ${alias} ${languages.join(',')}`;
  let sql = built.get(key);
  if (sql === undefined) built.set(key, (sql = build(expressions(meta, projection, languages, alias))));
  return sql;
}

/** SQL select list of `entity`'s columns aliased `alias`, as the request's projection has them. */
export function selectList(em: EntityManager, entity: EntityClass<object>, alias: string): string {
  return projectedSql(em, entity, 'select', alias, (list) => list.map(([column, sql]) => `${sql} as "${column}"`).join(', '));
}

/** SQL: one JSON object of `entity`'s row aliased `alias`, as the request's projection has it. */
export function jsonRow(em: EntityManager, entity: EntityClass<object>, alias: string): string {
  return projectedSql(
    em,
    entity,
    'json',
    alias,
    (list) => `json_build_object(${list.map(([column, sql]) => `'${column}', ${sql}`).join(', ')})`,
  );
}
