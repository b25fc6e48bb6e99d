import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { BadUserInputError, QueryTooComplexError } from './errors';

/** graphql-query-complexity's refusal of a document over 10,000 nodes with its fragments expanded. */
const TOO_MANY_NODES = 'Query exceeds the maximum allowed number of nodes.';

/** How much one GraphQL operation may ask for; see `.env.example` for each setting. */
export interface QueryLimits {
  /** Deepest field nesting (fragments expanded; introspection fields are bounded by graphql-js itself). */
  maxDepth: number;
  /** Aliased fields in the operation, counted as often as their fragment is spread. */
  maxAliases: number;
  /** Directive uses in the operation (`@include`, `@skip`, ...), also counted per spread. */
  maxDirectives: number;
  /** Highest estimated cost: see `costEstimator`. */
  maxCost: number;
  /** How many items a list without `first` (e.g. `forum.days`) is assumed to hold. */
  assumedListSize: number;
}

/** The page size assumed when a paged field has no `first` value at all (its schema default is 20). */
const DEFAULT_PAGE_SIZE = 20;

interface Shape {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * Depth, aliases and directives of a selection set, with fragments expanded. Each fragment is
 * measured once and its counts multiplied by how often it is spread, so a chain of fragments that
 * each spread the next twice costs linear time here but counts as the exponential thing it is.
 */
function measure(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, Shape>): Shape {
  const shape: Shape = { depth: 0, aliases: 0, directives: 0 };
  for (const selection of selectionSet.selections) {
    shape.directives += selection.directives?.length ?? 0;
    let inner: Shape = { depth: 0, aliases: 0, directives: 0 };
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) shape.aliases += 1;
      // graphql-js's MaxIntrospectionDepthRule already bounds the introspection fields.
      const introspection = selection.name.value === '__schema' || selection.name.value === '__type';
      if (selection.selectionSet) inner = measure(selection.selectionSet, fragments, memo);
      shape.depth = Math.max(shape.depth, introspection ? 1 : 1 + inner.depth);
    } else {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet, fragments, memo);
      } else {
        const name = selection.name.value;
        const known = memo.get(name);
        const fragment = fragments.get(name);
        if (known) inner = known;
        else if (fragment) {
          // Validation has rejected fragment cycles before this runs.
          inner = measure(fragment.selectionSet, fragments, memo);
          inner.directives += fragment.directives?.length ?? 0;
          memo.set(name, inner);
        }
      }
      shape.depth = Math.max(shape.depth, inner.depth);
    }
    shape.aliases += inner.aliases;
    shape.directives += inner.directives;
  }
  return shape;
}

/** The types that wrap one page of a paged field (`SessionConnection`, `SearchResult`, ...). */
function pageTypes(schema: GraphQLSchema): Set<string> {
  const wrappers = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((arg) => arg.name === 'first') && !isListType(getNullableType(field.type))) {
        wrappers.add(getNamedType(field.type).name);
      }
    }
  }
  return wrappers;
}

/**
 * Cost of a field: 1, plus its children's cost times how many times they are resolved:
 * - a field with a `first` argument: `first` items (as sent, literally or in a variable);
 * - a list on a page wrapper (`edges`, `nodes`, `hits`): the page is already counted, so 1;
 * - any other list: `assumedListSize` items (lists bounded by the data, such as a forum's days);
 * - anything else: once.
 * Roughly the number of fields the server resolves, so it grows as nested pages multiply.
 */
export function costEstimator(schema: GraphQLSchema, assumedListSize: number): ComplexityEstimator {
  const wrappers = pageTypes(schema);
  return ({ field, type, args, childComplexity }) => {
    if (field.name === '__schema' || field.name === '__type') return 0;
    let items = 1;
    if ((field as GraphQLField<unknown, unknown>).args.some((arg) => arg.name === 'first')) {
      items = typeof args.first === 'number' ? Math.max(0, args.first) : DEFAULT_PAGE_SIZE;
    } else if (isListType(getNullableType(field.type)) && !wrappers.has(type.name)) {
      items = assumedListSize;
    }
    return 1 + items * childComplexity;
  };
}

/**
 * Costs worked out before, by operation (the same parsed document comes back for the same query
 * text: Apollo keeps it) and by the values of its variables that can change the cost. A String
 * or ID variable's text cannot (any text is a valid value of either, and only `first` is
 * counted), so the search box's texts share one entry: the check of the bench's search query
 * took 81 to 124 µs of CPU, 7 to 8 with its cost kept (about 5% of the server's CPU per search).
 * Entries per operation are bounded: a client sending ever new page sizes fills its own and then
 * only misses.
 */
const KNOWN_COSTS_PER_OPERATION = 64;

/** The variables' values as far as they can change the cost, as a key. */
function costKey(operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  return JSON.stringify(
    (operation.variableDefinitions ?? []).map(({ variable, type }) => {
      const value = variables[variable.name.value];
      if (value === undefined) return 0;
      let named = type;
      while (named.kind !== Kind.NAMED_TYPE) named = named.type;
      return typeof value === 'string' && (named.name.value === 'String' || named.name.value === 'ID') ? 1 : [value];
    }),
  );
}

/** The cost of `operation` with `variables`; BAD_USER_INPUT for arguments it cannot be worked out from. */
function workedOutCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  estimators: ComplexityEstimator[],
): number {
  try {
    return getComplexity({ schema, query: operationDocument(document, operation), variables, estimators });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== TOO_MANY_NODES) {
      // It coerces each field's arguments as execution would, so it meets their errors first:
      // an explicit null for a non-null argument with a default (`first: $n`, `$n: null`).
      throw new BadUserInputError(message, { http: { status: 400 } });
    }
    return Infinity;
  }
}

/** The operation that will run, with only the fragments, so the cost is that operation's. */
function operationDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  return {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
}

/**
 * The check of queryLimitsPlugin, for any transport (WebSocket subscriptions too): throws
 * QUERY_TOO_COMPLEX, or BAD_USER_INPUT for arguments the cost cannot be computed from.
 */
export function operationLimits(
  limits: QueryLimits,
): (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => void {
  let estimators: ComplexityEstimator[] | undefined;
  let estimatorsSchema: GraphQLSchema | undefined;
  let knownCosts = new WeakMap<OperationDefinitionNode, Map<string, number>>();
  return (schema, document, operation, variables) => {
    const fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const shape = measure(operation.selectionSet, fragments, new Map());
    shape.directives += operation.directives?.length ?? 0;
    if (shape.depth > limits.maxDepth) {
      throw new QueryTooComplexError(`Query is nested ${shape.depth} levels deep; the limit is ${limits.maxDepth}`, {
        limit: 'depth',
        max: limits.maxDepth,
        actual: shape.depth,
      });
    }
    if (shape.aliases > limits.maxAliases) {
      throw new QueryTooComplexError(`Query uses ${shape.aliases} aliases; the limit is ${limits.maxAliases}`, {
        limit: 'aliases',
        max: limits.maxAliases,
        actual: shape.aliases,
      });
    }
    if (shape.directives > limits.maxDirectives) {
      throw new QueryTooComplexError(`Query uses ${shape.directives} directives; the limit is ${limits.maxDirectives}`, {
        limit: 'directives',
        max: limits.maxDirectives,
        actual: shape.directives,
      });
    }

    // Variables that do not fit their types: execution reports them (BAD_USER_INPUT).
    const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (errors?.length) return;
    if (estimatorsSchema !== schema) {
      estimators = [fieldExtensionsEstimator(), costEstimator(schema, limits.assumedListSize)];
      estimatorsSchema = schema;
      knownCosts = new WeakMap();
    }
    const known = knownCosts.get(operation) ?? knownCosts.set(operation, new Map()).get(operation)!;
    const key = costKey(operation, variables);
    let cost = known.get(key);
    if (cost === undefined) {
      cost = workedOutCost(schema, document, operation, variables, estimators!);
      if (known.size < KNOWN_COSTS_PER_OPERATION) known.set(key, cost);
    }
    if (cost > limits.maxCost) {
      throw new QueryTooComplexError(
        `Query is too expensive: estimated cost ${Number.isFinite(cost) ? cost : 'too high to count'}, limit ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
        { limit: 'cost', max: limits.maxCost, actual: Number.isFinite(cost) ? cost : null },
      );
    }
  };
}

/**
 * Refuses an operation that asks for too much, after validation and before anything executes
 * (so no SQL runs), with QUERY_TOO_COMPLEX and HTTP 400. The cost is computed per request rather
 * than as a validation rule because it depends on the request's variables (`first: $n`), while
 * Apollo caches validation per document.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const check = operationLimits(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return; // Apollo answers OPERATION_RESOLUTION_FAILURE itself.
          check(schema, document, operation, request.variables ?? {});
        },
      };
    },
  };
}
