/*
 * Full-text search over the JSONB translations. Every searchable table has a `search_vector`
 * column that a trigger makes from its texts (migration 20261205150000): each language
 * parsed with its own text-search configuration, Russian and English stemmed («медиафорума»
 * finds «медиафорум»), Kazakh word by word (`simple`: PostgreSQL has no Kazakh stemmer), with
 * weights by field. A GIN index on it serves the matches.
 *
 * On top of the stems, the search looks up words it cannot match as typed in `search_word`, the
 * vocabulary of every vector's lexemes, by trigram similarity (search-matching.ts).
 */

import { Property } from '@mikro-orm/core';

/** The text-search configurations of the vectors, and of every query. */
export const CONFIGS = ['russian', 'english', 'simple'] as const;

/**
 * How similar (pg_trgm, 0 to 1) a lexeme of the vocabulary must be to a form of a query word. 0.4
 * takes a one-letter typo in a word of five letters or more («Astna» / «astana» 0.44) and the
 * stems the stemmers make of a name's other cases («астана» / «астан» 0.63), not words that
 * merely share a start («аст» / «астана» 0.38).
 */
export const MIN_SIMILARITY = 0.4;

/**
 * SQL run on each new database connection: the trigram index's `%` at the search's own threshold
 * instead of pg_trgm's 0.3, so that it hands over only words similar enough (a fifth as many
 * where words are alike; 3.5 ms instead of 9.5 for a word with many neighbours). The search
 * checks the threshold itself too, so a connection without it (a pooler's) is only slower.
 */
export const TRIGRAM_THRESHOLD_SQL = `set pg_trgm.similarity_threshold = ${MIN_SIMILARITY}`;

/** The column every searchable table keeps its vector in. */
export const SEARCH_VECTOR = 'search_vector';

/**
 * Maps a table's search vector, so that the schema generator knows the column and leaves it. A
 * trigger of the table writes it (migration 20261205150000); the ORM never selects it unless
 * asked (lazy) and never sets it, and GraphQL never shows it.
 */
export const SearchVectorColumn = () =>
  Property({ fieldName: SEARCH_VECTOR, columnType: 'tsvector', nullable: true, lazy: true, hidden: true });

/**
 * SQL: the query for a reader's text: websearch syntax (quotes, `or`, `-word`), which never
 * raises a syntax error, in each language configuration, any of which may match. Where
 * `kazakhEndings` (SQL, a boolean) holds, the simple configuration's Cyrillic words of four letters
 * or more are prefixes: Kazakh adds its case, plural and possessive endings to a word, and no
 * stemmer takes them off. For words in quotes or alternatives (`structured`), which are matched
 * only as the query says, that is the only way «"ашық деректер"» finds «ашық деректерден» (from
 * open data); words matched one by one find those forms in the vocabulary instead (wordForms),
 * in a lower tier than the words as typed.
 */
export function searchQuerySql(parameter: string, kazakhEndings: string): string {
  const query = (config: (typeof CONFIGS)[number]) => {
    const parsed = `websearch_to_tsquery('${config}', ${parameter})`;
    if (config !== 'simple') return parsed;
    const prefixes = `regexp_replace(${parsed}::text, '''([а-яёәғқңөұүһі]{4,})''', '''\\1'':*', 'g')::tsquery`;
    return `case when ${kazakhEndings} then ${prefixes} else ${parsed} end`;
  };
  return `(${CONFIGS.map(query).join(' || ')})`;
}

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

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** Splits a reader's text into what each kind of matching needs. */
export function parseSearch(text: string): ParsedSearch {
  const positive: string[] = [];
  const found: string[] = [];
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
      excluded.push(...words(token.slice(1)));
      continue;
    }
    positive.push(token);
    if (token.toLowerCase() === 'or') {
      structured = true;
      continue;
    }
    const word = token.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (WORD.test(word)) {
      found.push(word);
      lastIsWord = true;
    }
  }
  const typing = lastIsWord && !/\s$/.test(text);
  return {
    positive: positive.join(' '),
    words: found,
    prefix: typing ? found[found.length - 1] : undefined,
    beforePrefix: typing ? positive.slice(0, -1).join(' ') : positive.join(' '),
    excluded,
    structured,
  };
}

/*
 * Kazakh is agglutinative: «Астанада» (in Astana), «Астанадағы» (the one in Astana),
 * «медиафорумы» (its media forum). No stemmer for it ships with PostgreSQL, so a query word also
 * counts in the forms left after taking off up to two of these endings (case, plural, possessive),
 * longest first; the vocabulary lookup then finds the base word. A stem keeps at least 4 letters.
 */
// prettier-ignore
const KAZAKH_ENDINGS = [
  'ндағы', 'ндегі', 'дағы', 'дегі', 'тағы', 'тегі',
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'дан', 'ден', 'тан', 'тен', 'нан', 'нен',
  'мен', 'бен', 'пен', 'лар', 'лер', 'дар', 'дер', 'тар', 'тер', 'нда', 'нде',
  'да', 'де', 'та', 'те', 'ға', 'ге', 'қа', 'ке', 'на', 'не', 'ны', 'ні', 'ды', 'ді', 'ты', 'ті', 'сы', 'сі',
  'ы', 'і',
];

/** The word and its forms without Kazakh endings. */
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

/*
 * Names are written in both scripts: «Shymkent» and «Шымкент», «Qazaqstan» and «Қазақстан». A
 * word is also looked up in the other script, transliterated roughly: the vocabulary lookup is by
 * similarity, so a close spelling finds the word (Kazakh and Russian Cyrillic, common Latin
 * spellings of both: the 2021 Kazakh alphabet's q, and sh, zh, kh, ch, ts, ya, yu).
 */
// prettier-ignore
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u',
  ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', і: 'i', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
// prettier-ignore
const LATIN_TO_CYRILLIC: [latin: string, cyrillic: string][] = [
  ['shch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ts', 'ц'], ['ch', 'ч'], ['sh', 'ш'], ['yu', 'ю'], ['ya', 'я'], ['yo', 'ё'],
  ['ye', 'е'], ['a', 'а'], ['b', 'б'], ['c', 'к'], ['d', 'д'], ['e', 'е'], ['f', 'ф'], ['g', 'г'], ['h', 'х'], ['i', 'и'],
  ['j', 'дж'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['q', 'қ'], ['r', 'р'], ['s', 'с'],
  ['t', 'т'], ['u', 'у'], ['v', 'в'], ['w', 'у'], ['x', 'кс'], ['y', 'ы'], ['z', 'з'],
];
const LATIN_PATTERN = new RegExp(LATIN_TO_CYRILLIC.map(([latin]) => latin).join('|'), 'g');
const LATIN_OF = new Map(LATIN_TO_CYRILLIC);

/** The word in the other script, when it is all in one (lower case); else undefined. */
export function transliterated(word: string): string | undefined {
  if (/^[a-z]+$/.test(word)) return word.replace(LATIN_PATTERN, (latin) => LATIN_OF.get(latin)!);
  if (/^[а-яёәғқңөұүһі]+$/.test(word)) return [...word].map((letter) => CYRILLIC_TO_LATIN[letter]).join('');
  return undefined;
}

/** A lexeme as a tsquery operand, quoted so that it is taken as it is, not parsed or stemmed again. */
export function tsqueryLexeme(lexeme: string, prefix = false): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}
