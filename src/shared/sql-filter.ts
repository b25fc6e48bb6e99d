import type { SqlFilter } from './sql-loading';

/** Joins the given conditions with `and`; undefined when there are none. */
export function allOf(conditions: (SqlFilter | false | undefined | null | '')[]): SqlFilter | undefined {
  const present = conditions.filter((c): c is SqlFilter => Boolean(c));
  if (present.length === 0) return undefined;
  return { sql: present.map((c) => `(${c.sql})`).join(' and '), params: present.flatMap((c) => c.params) };
}

/** A `%text%` pattern for ILIKE, with the user's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQL: does any translation in the JSONB column `column` match the ILIKE pattern bound to the
 * one `?`. Matching the values, not the column's JSON text, keeps language keys ("ru") and JSON
 * punctuation out of the search.
 */
export function anyTranslationMatches(column: string): string {
  return `exists (select 1 from jsonb_each_text(${column}) tr where tr.value ilike ?)`;
}
