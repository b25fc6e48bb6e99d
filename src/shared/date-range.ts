import { GraphQLError, GraphQLScalarType } from 'graphql';
import { GraphQLDateTime as AnyDateTime, GraphQLLocalDate as AnyLocalDate } from 'graphql-scalars';

/*
 * The DateTime and LocalDate scalars of the schema: graphql-scalars' own, limited to the years
 * PostgreSQL and the ORM can store. graphql-scalars takes any four-digit year, 0000 included,
 * but PostgreSQL has no year 0, and MikroORM writes instants as UTC ISO strings, so
 * `0000-01-01T00:00:00Z`, `0001-01-01T00:00:00+05:00` (year 0 in UTC) or
 * `9999-12-31T23:59:59-05:00` (`+010000-01-01T04:59:59Z`) failed in SQL as internal errors.
 * These refuse values outside the years 1 to 9999 (in UTC for instants) as they refuse malformed
 * ones: BAD_USER_INPUT for a variable, a validation error for a literal.
 *
 * Import these, never graphql-scalars' own: two scalars named DateTime in one schema fail its build.
 */

function bounded<T>(scalar: GraphQLScalarType<T>, inRange: (value: T) => boolean, range: string): GraphQLScalarType<T> {
  const config = scalar.toConfig();
  const check = (value: T): T => {
    if (!inRange(value)) throw new GraphQLError(`${config.name} must be ${range}`);
    return value;
  };
  return new GraphQLScalarType<T>({
    ...config,
    parseValue: (value) => check(config.parseValue!(value)),
    parseLiteral: (ast, variables) => check(config.parseLiteral!(ast, variables)),
  });
}

export const GraphQLDateTime = bounded<Date>(
  AnyDateTime as GraphQLScalarType<Date>,
  (d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999,
  'between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z',
);

export const GraphQLLocalDate = bounded<string>(
  AnyLocalDate as GraphQLScalarType<string>,
  (d) => !d.startsWith('0000'),
  'between 0001-01-01 and 9999-12-31',
);
