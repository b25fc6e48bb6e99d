import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/*
 * type-graphql resolves every field through generic code on every call: it turns the parent into
 * an instance of the class, gathers each parameter from its metadata (sorting the parameter list
 * anew each time, converting and validating arguments) and runs the middleware chain, even where
 * there is none. An agenda resolves about 1,300 fields, so that generic code was the largest
 * source of garbage of a read: in an allocation profile of the agenda under load (2.5 MB
 * allocated per request), the parameter sort alone was 14% and type-graphql's wrappers another
 * 6%, and graphql-jit allocates a resolve-info object for every field that has a resolver.
 *
 * Where the generic code would do nothing, the field is resolved directly instead:
 * - a plain property (no method, no middleware, same name in schema and class): no resolver at
 *   all, so graphql-jit reads the property inline;
 * - a method of the type taking nothing (`id`, `titleTranslations`), or exactly `lang` and the
 *   context (the localized texts: `title`, `fullName`, `name`, ...): called with them; `lang` is
 *   an enum, which needs neither conversion nor validation;
 * - a method of a resolver class taking exactly the parent, or the parent and the context (the
 *   relations: `participants`, `speaker`, `country`, ...): called on one instance of the class,
 *   as type-graphql's default container would.
 * A field with middlewares or roles, or any other parameter, keeps type-graphql's resolver, and
 * so does a call whose parent is not an instance of the type's class (a plain object built by a
 * mutation): type-graphql converts those first. buildSchema is given no global middlewares.
 */

type Resolver = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;

/** The fields resolved directly, as `Type.field`, per schema: the change is made once. */
const directFields = new WeakMap<GraphQLSchema, string[]>();

/** Changes `schema`'s resolvers as described above; returns the fields it resolves directly. */
export function resolveFieldsDirectly(schema: GraphQLSchema): string[] {
  const done = directFields.get(schema);
  if (done) return done;
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  const direct = new Set<string>();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    for (const [schemaName, graphqlField] of Object.entries(type.getFields())) {
      const field = fieldMetadata(storage, objectType.target, schemaName);
      if (!field) continue;
      const name = `${type.name}.${schemaName}`;
      // type-graphql lists some object types more than once; each field is changed once.
      if (!graphqlField.resolve || direct.has(name) || field.middlewares?.length || field.roles?.length) continue;
      // Found as type-graphql's schema generator finds it.
      const fieldResolver = storage.fieldResolvers.find((it) => it.getObjectType?.() === field.target && it.methodName === field.name);
      if (fieldResolver && (fieldResolver.middlewares?.length || fieldResolver.roles?.length)) continue;
      // In the order of the method's parameters (decorators record them last to first).
      const params = [...(fieldResolver?.params ?? field.params ?? [])].sort((a, b) => a.index - b.index);
      const viaTypeGraphql = graphqlField.resolve as Resolver;
      const ownClass = field.target;
      const method = field.name;
      let resolve: Resolver | undefined;
      if (!fieldResolver && params.length === 0) {
        if (field.name !== field.schemaName) continue;
        resolve = undefined;
      } else if (fieldResolver?.kind === 'internal' && params.length === 0) {
        resolve = (root, args, ctx, info) =>
          root instanceof ownClass ? (root as Record<string, () => unknown>)[method]() : viaTypeGraphql(root, args, ctx, info);
      } else if (fieldResolver?.kind === 'internal' && isLangAndContext(params)) {
        resolve = (root, args, ctx, info) =>
          root instanceof ownClass
            ? (root as Record<string, (...a: unknown[]) => unknown>)[method](args.lang, ctx)
            : viaTypeGraphql(root, args, ctx, info);
      } else if (fieldResolver?.kind === 'external' && isRootAndContext(params) && fieldResolver.target.length === 0) {
        const resolverClass = fieldResolver.target as new () => Record<string, (...args: unknown[]) => unknown>;
        let instance = instances.get(resolverClass);
        if (!instance) instances.set(resolverClass, (instance = new resolverClass()));
        const target = instance;
        resolve = (root, args, ctx, info) => (root instanceof ownClass ? target[method](root, ctx) : viaTypeGraphql(root, args, ctx, info));
      } else {
        continue;
      }
      graphqlField.resolve = resolve;
      direct.add(name);
    }
  }
  const list = [...direct];
  directFields.set(schema, list);
  return list;
}

type Storage = ReturnType<typeof getMetadataStorage>;

/** The field's metadata: on the class, else on a class it extends (`id`, on the `Node` interface class). */
function fieldMetadata(storage: Storage, target: Function, schemaName: string) {
  for (let cls = target; cls && cls !== Function.prototype; cls = Object.getPrototypeOf(cls) as Function) {
    for (const classType of [...storage.objectTypes, ...storage.interfaceTypes]) {
      if (classType.target !== cls) continue;
      const field = classType.fields?.find((f) => f.schemaName === schemaName);
      if (field) return field;
    }
  }
  return undefined;
}

/** A method's parameters as type-graphql records them. */
type Params = NonNullable<Storage['fieldResolvers'][number]['params']>;

function isLangAndContext(params: Params): boolean {
  const [lang, context, ...rest] = params;
  return (
    lang?.kind === 'arg' && lang.name === 'lang' && context?.kind === 'context' && context.propertyName === undefined && rest.length === 0
  );
}

/** `(@Root() parent)` or `(@Root() parent, @Ctx() context)`, the parent unconverted and whole. */
function isRootAndContext(params: Params): boolean {
  const [root, context, ...rest] = params;
  const wholeRoot = root?.kind === 'root' && root.propertyName === undefined;
  const wholeContext = context === undefined || (context.kind === 'context' && context.propertyName === undefined);
  return wholeRoot && wholeContext && rest.length === 0;
}
