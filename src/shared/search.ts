/*
 * Full-text search over the JSONB translations. Each language is indexed with its own
 * PostgreSQL text-search configuration: Russian and English stem words («медиафорума» finds
 * «медиафорум»); PostgreSQL has no Kazakh stemmer, so Kazakh uses `simple` (exact word forms).
 * The vector expressions below are used verbatim both in the GIN expression indexes (see the
 * entities) and in queries, so that PostgreSQL uses the index.
 */

const CONFIGS = [
  ['ru', 'russian'],
  ['en', 'english'],
  ['kk', 'simple'],
] as const;

/** A weighted tsvector over the given JSONB translation columns of `t`-less table columns. */
export function searchVectorSql(columns: [column: string, weight: 'A' | 'B' | 'C' | 'D'][]): string {
  return columns
    .flatMap(([column, weight]) =>
      CONFIGS.map(([language, config]) => `setweight(to_tsvector('${config}', coalesce(${column} ->> '${language}', '')), '${weight}')`),
    )
    .join(' || ');
}

/**
 * The query for a user's text: websearch syntax (quotes, `or`, `-word`), which never raises a
 * syntax error, in each language configuration, any of which may match.
 */
export function searchQuerySql(parameter = '?'): string {
  return `(${CONFIGS.map(([, config]) => `websearch_to_tsquery('${config}', ${parameter})`).join(' || ')})`;
}

/** The vector expression with the columns of the table aliased `alias`. */
export function onAlias(vector: string, alias: string): string {
  return vector.replace(/coalesce\((\w+) ->>/g, `coalesce(${alias}.$1 ->>`);
}
