import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/*
 * type-graphql resolves a field defined by a method through generic code on every call: it turns
 * the parent into an instance of the class, gathers each parameter from its metadata (converting
 * and validating arguments) and runs the middleware chain. For the localized text fields (`title`,
 * `fullName`, `name`, ...: methods taking `@LangArg()` and `@Ctx()`) that is most of their cost,
 * and they are a third of the fields of an agenda: calling the same methods directly made the
 * agenda about 11% and coverage about 5% cheaper in CPU (sequential executeOperation loops on the
 * `npm run bench` dataset).
 *
 * Only methods whose parameters are exactly the `lang` argument and the context, with no
 * middlewares or roles, are called directly; their one argument is an enum, which needs neither
 * conversion nor validation. A parent that is not an instance (without the method) still goes
 * through type-graphql.
 *
 * Returns the fields it changed, as `Type.field`.
 */
export function resolveLocalizedFieldsDirectly(schema: GraphQLSchema): string[] {
  const replaced = new Set<string>();
  for (const objectType of getMetadataStorage().objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    for (const field of objectType.fields ?? []) {
      // In the order of the method's parameters (decorators record them last to first).
      const [lang, context, ...rest] = [...(field.params ?? [])].sort((a, b) => a.index - b.index);
      const localized =
        lang?.kind === 'arg' && lang.name === 'lang' && lang.index === 0 &&
        context?.kind === 'context' && context.propertyName === undefined && context.index === 1 &&
        rest.length === 0 && !field.middlewares?.length && !field.roles?.length;
      const graphqlField = type.getFields()[field.schemaName];
      const name = `${type.name}.${field.schemaName}`;
      // type-graphql lists some object types more than once; each field is changed once.
      if (!localized || !graphqlField?.resolve || replaced.has(name)) continue;
      const method = field.name;
      const viaTypeGraphql = graphqlField.resolve;
      const direct: GraphQLFieldResolver<Record<string, unknown>, unknown, { lang?: unknown }> = (root, args, ctx, info) => {
        const call = root[method];
        return typeof call === 'function' ? call.call(root, args.lang, ctx) : viaTypeGraphql(root, args, ctx, info);
      };
      graphqlField.resolve = direct as GraphQLFieldResolver<unknown, unknown>;
      replaced.add(name);
    }
  }
  return [...replaced];
}
