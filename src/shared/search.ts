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

/**
 * The distinct words of the given JSONB translation columns, in every language, in lower case
 * (`search_words`, a function of the trigram migration): what trigram similarity compares a
 * query's words with, for typos and for the forms the stemmers miss. Used verbatim in the trigram
 * GIN indexes (see the entities) and, through `alias`, in queries.
 */
export function searchWordsSql(columns: string[], alias?: string): string {
  return `search_words(${columns.map((column) => (alias ? `${alias}.${column}` : column)).join(', ')})`;
}

/** Words of a query matched one by one by similarity; the rest only by full text. */
export const MAX_FUZZY_WORDS = 6;

/** What the search makes of a reader's text. */
export interface ParsedSearch {
  /** The text without its exclusions: full-text matching with web search syntax. */
  positive: string;
  /** The words outside quotes, in lower case, each matched by stem, prefix or similarity. */
  words: string[];
  /** The last word, when the text ends with it: the reader may still be typing it. */
  prefix: string | undefined;
  /** `positive` without `prefix`. */
  beforePrefix: string;
  /** Words after a minus: no hit may contain them, in any language or form. */
  excluded: string[];
  /** Quotes or `or`: the words are not all required, so only full-text matching applies. */
  structured: boolean;
}

const WORD = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u;

/** Splits a reader's text into what each kind of matching needs. */
export function parseSearch(text: string): ParsedSearch {
  const positive: string[] = [];
  const words: string[] = [];
  const excluded: string[] = [];
  let structured = false;
  let lastIsWord = false;
  for (const match of text.matchAll(/"([^"]*)"?|(\S+)/g)) {
    lastIsWord = false;
    if (match[1] !== undefined) {
      structured = true;
      positive.push(match[0]);
      continue;
    }
    const token = match[2];
    if (token.startsWith('-') && token.length > 1) {
      excluded.push(
        ...token
          .slice(1)
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter(Boolean),
      );
      continue;
    }
    positive.push(token);
    if (token.toLowerCase() === 'or') {
      structured = true;
      continue;
    }
    const word = token.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (WORD.test(word)) {
      words.push(word);
      lastIsWord = true;
    }
  }
  const typing = lastIsWord && !/\s$/.test(text);
  return {
    positive: positive.join(' '),
    words,
    prefix: typing ? words[words.length - 1] : undefined,
    beforePrefix: typing ? positive.slice(0, -1).join(' ') : positive.join(' '),
    excluded,
    structured,
  };
}

/*
 * Kazakh is agglutinative: «Астанада» (in Astana), «Астанадағы» (the one in Astana),
 * «медиафорумы» (its media forum). No stemmer for it ships with PostgreSQL, so a query word also
 * counts in the forms left after taking off up to two of these endings (case, plural, possessive),
 * longest first; the similarity match then finds the base word. A stem keeps at least 4 letters.
 */
// prettier-ignore
const KAZAKH_ENDINGS = [
  'ндағы', 'ндегі', 'дағы', 'дегі', 'тағы', 'тегі',
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'дан', 'ден', 'тан', 'тен', 'нан', 'нен',
  'мен', 'бен', 'пен', 'лар', 'лер', 'дар', 'дер', 'тар', 'тер', 'нда', 'нде',
  'да', 'де', 'та', 'те', 'ға', 'ге', 'қа', 'ке', 'на', 'не', 'ны', 'ні', 'ды', 'ді', 'ты', 'ті', 'сы', 'сі',
  'ы', 'і',
];

/** The word and its forms without Kazakh endings, for similarity matching. */
export function wordForms(word: string): string[] {
  const forms = [word];
  let current = word;
  for (let round = 0; round < 2; round += 1) {
    const ending = KAZAKH_ENDINGS.find((e) => current.endsWith(e) && current.length - e.length >= 4);
    if (!ending || !/[а-яәғқңөұүһі]/.test(current)) break;
    current = current.slice(0, -ending.length);
    forms.push(current);
  }
  return forms;
}
