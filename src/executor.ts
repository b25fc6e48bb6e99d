import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/*
 * A compiled query takes about 160 bytes of heap per character of its document (the agenda of
 * `npm run bench`, 220 characters: 40 KB; 1,500 characters: 250 KB) and 2 ms to compile, so both
 * the number of compiled queries and the size of a document worth compiling are bounded, to at
 * most about 35 MB: apps send a handful of small documents again and again, while a stream of
 * large, distinct ones would otherwise fill memory. Larger documents run on graphql-js.
 */
const MAX_COMPILED = 100;
const MAX_COMPILED_SOURCE_LENGTH = 2_000;

/**
 * Runs queries with graphql-jit instead of graphql-js, plugged into Apollo Server as its
 * `gateway`, the one hook Apollo 5 offers to replace execution. Apollo still parses, validates
 * (limits, introspection rules) and runs every plugin; only execution changes.
 *
 * graphql-jit compiles each operation into a function once, so the per-field work of graphql-js
 * (looking up the field, coercing arguments, checking types while completing values) is paid
 * once instead of on every one of the thousands of fields an agenda resolves.
 *
 * Mutations keep graphql-js: they are rare, and graphql-jit differs where they need graphql-js's
 * rules: it goes on with the next mutation field after one fails, and leaves out the defaults of
 * input-object fields (all of which are on mutation inputs). So do unusually large documents.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  // Keyed by Apollo's hash of the document text plus the operation picked from it.
  const compiled = new Map<string, CompiledQuery>();
  let announce: GatewaySchemaLoadOrUpdateCallback | undefined;

  function compiledQuery(queryHash: string, document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult {
    const key = `${queryHash}:${operationName ?? ''}`;
    let query = compiled.get(key);
    if (!query) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      // Apollo has validated the document, so this is rare: e.g. invalid variable defaults.
      if (!isCompiledQuery(result)) return result;
      query = result;
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, query);
    }
    return query;
  }

  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => {
        announce = undefined;
      };
    },
    async load() {
      // The schema never changes at run time; the supergraph SDL is a federation notion.
      announce?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return {
        async executor(request) {
          const variableValues = request.request.variables ?? {};
          // The operation name as sent: Apollo's `operationName` is that of the operation it resolved.
          const runWithGraphqlJs = () =>
            execute({
              schema,
              document: request.document,
              operationName: request.request.operationName,
              variableValues,
              contextValue: request.context,
            });
          // No operation: the document has several and none was named; graphql-js says so.
          if (request.operation?.operation !== 'query' || request.source.length > MAX_COMPILED_SOURCE_LENGTH) {
            return runWithGraphqlJs();
          }
          const query = compiledQuery(request.queryHash, request.document, request.operationName);
          if (!isCompiledQuery(query)) return query;
          const result = await query.query(undefined, request.context, variableValues);
          if (!('data' in result)) {
            // Variables failed coercion and nothing ran. graphql-js's errors for that carry the
            // AST node Apollo recognises them by (BAD_USER_INPUT, HTTP 400); graphql-jit's don't.
            const { errors } = getVariableValues(schema, request.operation.variableDefinitions ?? [], variableValues);
            if (errors) return { errors };
            // graphql-jit refused variables that graphql-js accepts: it does not fill in the
            // defaults of an input object's fields (`first: Int! = 50`) when a variable leaves
            // them out. graphql-js runs the operation instead.
            return runWithGraphqlJs();
          }
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
        },
      };
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * graphql-jit's errors inherit from GraphQLError but leave `extensions` undefined, which Apollo's
 * error formatting reads without a check (it then answers a bare "Internal server error" instead
 * of calling formatError). The same error, as graphql-js would have made it.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  // graphql-jit gives locations only, without the AST nodes graphql-js derives them from.
  (converted as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return converted;
}
