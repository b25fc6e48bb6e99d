import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  GraphQLID,
  GraphQLString,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { BadUserInputError } from './errors';
import { Language } from './shared/i18n';
import { describeTextRule, ownTextRule, textProblem, type TextRule } from './shared/text-rules';

/*
 * The GraphQL side of the text check (src/shared/text-rules.ts): every string in an operation's
 * arguments, literal or from a variable, at any depth of input objects and lists, is checked
 * against the rule of the argument or input field that holds it, once per request and before
 * anything executes. One bad value refuses the whole operation, as a validation error would:
 * nothing is read or written.
 */

const LANGUAGES = Object.values(Language);

/** For a string under no named rule (a custom scalar such as LocalDate): strict, since it can't be documented. */
const FALLBACK_RULE: TextRule = { maxLength: 200 };

/** A string that breaks its rule: where it is inside one argument's (or input object's) value, and why. */
export interface TextProblem {
  /** Dotted path inside the value (`fields.fullName.ru`, `links.0.url`); empty for the value itself. */
  path: string;
  /** The end of a sentence: "is longer than 200 characters". */
  problem: string;
}

/**
 * Every string in `value`, a value of input type `type`, that breaks the rule of the argument or
 * input field holding it (`rule` for the value itself). Values of the wrong shape are passed
 * over: GraphQL coercion (or the import's own checks) refuse those.
 */
export function* textProblemsIn(type: GraphQLInputType, value: unknown, rule?: TextRule, path: string[] = []): Generator<TextProblem> {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) yield* textProblemsIn(nullable.ofType, value, rule, path);
    else for (let i = 0; i < value.length; i += 1) yield* textProblemsIn(nullable.ofType, value[i], rule, [...path, String(i)]);
  } else if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    for (const field of Object.values(nullable.getFields())) {
      if (!Object.hasOwn(object, field.name)) continue;
      const own = ownTextRule(nullable.name, field.name) ?? rule;
      yield* textProblemsIn(field.type, object[field.name], own, [...path, field.name]);
    }
  } else if (typeof value === 'string') {
    const problem = textProblem(value, rule ?? FALLBACK_RULE);
    if (problem) yield { path: path.join('.'), problem };
  }
}

interface Problem {
  argument: string;
  /** Path inside the argument's value (`fields.fullName.ru`), when the value is nested. */
  field?: string;
  message: string;
}

/** The first text problem in the arguments of the operation's fields, fragments included. */
function firstProblem(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  variables: Record<string, unknown>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: Set<string>,
): Problem | null {
  for (const selection of selectionSet.selections) {
    let problem: Problem | null = null;
    if (selection.kind === Kind.FIELD) {
      const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!definition) continue; // __typename, or unions' members reached through fragments
      if (selection.arguments?.length) {
        let values: Record<string, unknown>;
        try {
          values = getArgumentValues(definition, selection, variables);
        } catch {
          continue; // not coercible: graphql-js refuses it with BAD_USER_INPUT when it executes
        }
        for (const node of selection.arguments) {
          const argument = definition.args.find((a) => a.name === node.name.value);
          if (!argument) continue;
          const rule = ownTextRule(parent.name, argument.name);
          // The first problem is enough to refuse the request.
          const first = textProblemsIn(argument.type, values[argument.name], rule).next();
          if (!first.done) {
            const { path, problem: why } = first.value;
            return path
              ? { argument: argument.name, field: path, message: `Field "${path}" of argument "${argument.name}" ${why}` }
              : { argument: argument.name, message: `Argument "${argument.name}" ${why}` };
          }
        }
      }
      if (selection.selectionSet) {
        problem = firstProblem(schema, selection.selectionSet, getNamedType(definition.type), variables, fragments, visited);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (type) problem = firstProblem(schema, selection.selectionSet, type, variables, fragments, visited);
    } else {
      // A fragment's arguments are the same wherever it is spread: check it once.
      const name = selection.name.value;
      const fragment = fragments.get(name);
      const type = fragment && schema.getType(fragment.typeCondition.name.value);
      if (fragment && type && !visited.has(name)) {
        visited.add(name);
        problem = firstProblem(schema, fragment.selectionSet, type, variables, fragments, visited);
      }
    }
    if (problem) return problem;
  }
  return null;
}

/** BAD_USER_INPUT (HTTP 400) naming the argument, and the input field when nested, or null. */
export function checkOperationText(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
): BadUserInputError | null {
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (errors?.length) return null; // execution reports variables that do not fit their types
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const problem = firstProblem(schema, operation.selectionSet, root, coerced ?? {}, fragments, new Set());
  if (!problem) return null;
  const { message, ...names } = problem;
  return new BadUserInputError(message, { ...names, http: { status: 400 } });
}

/** Refuses an operation with a string that breaks its rule, before anything executes. */
export function textGatePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return; // Apollo answers OPERATION_RESOLUTION_FAILURE itself.
          const refusal = checkOperationText(schema, document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** Whether an input object holds one text per language (LocalizedTextInput, ArticleTextInput). */
export function isPerLanguage(type: GraphQLNamedType): boolean {
  if (!isInputObjectType(type)) return false;
  const fields = Object.values(type.getFields());
  return (
    fields.length === LANGUAGES.length &&
    fields.every((f) => LANGUAGES.includes(f.name as Language) && getNamedType(f.type) === GraphQLString)
  );
}

/**
 * Appends each text argument's and input field's rule to its description, so the schema states
 * every maximum length exactly as the gate applies it.
 */
export function describeTextRules(schema: GraphQLSchema): void {
  const describe = (holder: { description?: string | null; type: GraphQLInputType }, typeName: string, name: string) => {
    const named = getNamedType(holder.type);
    const rule = ownTextRule(typeName, name);
    const perLanguage = isPerLanguage(named);
    if (!rule || !(named === GraphQLString || named === GraphQLID || perLanguage)) return;
    const sentence = describeTextRule(rule, perLanguage);
    holder.description = holder.description ? `${holder.description} ${sentence}` : sentence;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) for (const arg of field.args) describe(arg, type.name, arg.name);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) describe(field, type.name, field.name);
    }
  }
}
