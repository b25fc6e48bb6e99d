import {
  CONFIGS,
  MIN_SIMILARITY,
  SEARCH_VECTOR,
  searchQuerySql,
  transliterated,
  tsqueryLexeme,
  wordForms,
  type ParsedSearch,
} from './search';
import { unseen, type RunStatement } from './sql-loading';
import { parseTsquery, type Tsquery } from './tsquery';

/*
 * What a reader's text means, and how a row matches it: the matching that `search` and
 * `articles(filter: { query })` share. A row matches the text as written (websearch syntax, stems
 * in every language), or every word by stem, by a lexeme of the vocabulary like it (typos, other
 * cases of a name, the other script, Kazakh endings taken off), or the last word as a prefix; and
 * no excluded word in any of those ways.
 */

/** Words of a query matched one by one (stem, vocabulary, prefix); more are matched by stem only. */
const MAX_WORDS = 8;
/** Excluded words that count; more are ignored. */
const MAX_EXCLUDED = 4;
/**
 * Lexemes of the vocabulary taken for a word, the most similar to any of its forms first. Few, so
 * that the planner's guess of their rows stays low: it guesses each rare lexeme at about 100 of
 * the bench's 50,000 articles, and for two dozen of them (a made-up word's neighbours, 35 rows)
 * it chose the newest-first scan and read every article (188 ms instead of 5).
 */
const SIMILAR_LEXEMES = 6;
/**
 * And at most this many letters shorter: a typo or another case takes a letter or two off a word,
 * whereas a shorter word at its start («медиа» in «медиафорум», 0.42) is another word. Longer is
 * fine: Kazakh stacks endings («Алматы», «Алматыдағы»).
 */
const MAX_SHORTER = 2;

/** A word looked up in the vocabulary: not a number, and three letters or more. */
const looksUp = (word: string) => word.length >= 3 && !/^\p{N}+$/u.test(word);

/** What a reader's text means, as tsqueries (text); null where there is nothing of the kind. */
export interface Meaning {
  /** The text as written: websearch syntax, stems in every language. */
  exact: string | null;
  /** The same with its last word as a prefix, while it is being typed. */
  prefix: string | null;
  /** Every word (its group), by stem or a similar lexeme; the last also as a prefix. Null: matching by `exact` only. */
  fuzzy: string | null;
  /** No hit may match this. */
  excluded: string | null;
}

/**
 * Letters at the end of a known form that its other endings may differ in: «президентами» and
 * «президентом» share «президент». At least MIN_KNOWN_START letters are kept: thousands of words
 * can start with the same three («про»; the bench's made-up syllables), and the similarity of
 * each would be worked out (3 µs a word), whereas a short word's other endings are its stem's,
 * which the stemmers find anyway.
 */
const KNOWN_ENDING = 3;
const MIN_KNOWN_START = 4;

/** Letters a form left after taking endings off needs to be taken as a typo (see MEANING_SQL). */
const MIN_FUZZY_STEM = 5;

/** Letters a long word may have wrong, added or missing, where it has nothing similar. */
const MAX_EDITS = 2;
/** A word this long or longer may have MAX_EDITS letters wrong (a shorter one would find other words). */
const MIN_EDITED_LENGTH = 8;

/*
 * The first statement: the text's queries (made once here, so that the second statement holds
 * them as constants: a `websearch_to_tsquery` in it would be run for every kind, once when it is
 * planned and again for every candidate it ranks); then each word's stems in every language (an
 * empty one where it is a stop word) and the lexemes of the vocabulary like each of its forms
 * (the trigram index serves `%`, at MIN_SIMILARITY on the ORM's connections, TRIGRAM_THRESHOLD_SQL;
 * the bounds are checked on what it finds as well, so that they hold on any connection).
 *
 * A form the vocabulary knows is no typo: the lexemes like it are its other endings, which start
 * with all of it but the last KNOWN_ENDING letters. They are looked up among the words that start
 * so (search_word_prefix_index; migration ..._search_word_prefix), not through the trigram index,
 * which hands over every word with a few trigrams in common: 0.3 ms instead of 3 to 4 for a word
 * whose trigrams are in thousands of words, with the same lexemes found.
 *
 * A form left after taking Kazakh endings off (wordForms) that the vocabulary does not know is
 * taken as a typo only with MIN_FUZZY_STEM letters or more («астонадағы» → «астона» → «астана»):
 * a four-letter one has five trigrams, two of which in common are enough for the trigram index,
 * which handed over 2,948 words for «лари» (of «ларита»: 8.5 ms), nearly all of them noise.
 *
 * A form it does not know is looked up by its English stem too, where that differs: English texts
 * are indexed by stem, and a name written in Cyrillic, in Latin letters, can be like the stem only
 * without its ending («Ватанабэ»: «vatanabe» is 0.31 like «watanab», «vatanab» 0.45).
 *
 * A word with no such lexeme at all, and MIN_EDITED_LENGTH letters or more, takes instead the
 * lexemes at most MAX_EDITS letters away (levenshtein) that start with the same letter and are
 * about as long (search_word_first_letter_length_index; migration ..._search_word_edit_distance):
 * two letters wrong in a long word («медеафарум») leave it too few trigrams in common. Only then:
 * a word the vocabulary knows, or has words like, is matched as those.
 */
const MEANING_SQL =
  `with given as (select g.form, g.n, g.known from (select g.form, g.n, g.stripped,` +
  ` exists (select from search_word w where w.word = g.form) as known` +
  ` from unnest(${unseen('?', 'text[]')}, ${unseen('?', 'int[]')}, ${unseen('?', 'boolean[]')}) g(form, n, stripped)) g` +
  ` where g.known or not g.stripped or length(g.form) >= ${MIN_FUZZY_STEM}),` +
  ` forms as (select f.form, f.n, f.known, left(f.form, greatest(${MIN_KNOWN_START}, length(f.form) - ${KNOWN_ENDING})) as start` +
  ` from (select * from given union select s.stem, g.n, exists (select from search_word w where w.word = s.stem) from given g` +
  ` cross join lateral (select (ts_lexize('english_stem', g.form))[1] as stem) s where not g.known and s.stem <> g.form) f)` +
  ` select null::int as n, (${searchQuerySql('input.text', 'input.structured')})::text as exact,` +
  ` case when input.prefix is not null then (${searchQuerySql('input.before', 'input.structured')} && input.prefix::tsquery)::text end as prefix,` +
  ` null::text[] as stems, null::text[] as similar` +
  ` from (select ?::text as text, ?::text as before, ?::text as prefix, ?::boolean as structured) input` +
  ` union all` +
  ` select g.n::int, null, null, array[${CONFIGS.map((config) => `websearch_to_tsquery('${config}', g.word)::text`).join(', ')}],` +
  ` coalesce((select array_agg(best.word) from (select s.word from forms f` +
  ` cross join lateral (select w.word, similarity(w.word, f.form) as similarity from (` +
  // In byte order, every word that starts with `start` sorts between it and it followed by the
  // last code point there is.
  ` select w.word from search_word w where f.known and w.word collate "C" >= f.start and w.word collate "C" < f.start || chr(1114111)` +
  ` union all select w.word from search_word w where not f.known and w.word % f.form) w` +
  ` where similarity(w.word, f.form) >= ${MIN_SIMILARITY} and length(w.word) >= length(f.form) - ${MAX_SHORTER}` +
  ` order by 2 desc, 1 limit ${SIMILAR_LEXEMES}) s` +
  ` where f.n = g.n group by s.word order by max(s.similarity) desc, s.word limit ${SIMILAR_LEXEMES}) best),` +
  ` (select array_agg(best.word) from (select s.word from forms f` +
  ` cross join lateral (select w.word, levenshtein_less_equal(w.word, f.form, ${MAX_EDITS}) as edits from search_word w` +
  ` where left(w.word, 1) = left(f.form, 1) and length(w.word) between length(f.form) - ${MAX_EDITS} and length(f.form) + ${MAX_EDITS}` +
  ` and levenshtein_less_equal(w.word, f.form, ${MAX_EDITS}) <= ${MAX_EDITS} order by 2, 1 limit ${SIMILAR_LEXEMES}) s` +
  // levenshtein takes at most 255 letters; a lexeme has at most 60 (search_word_lexemes).
  ` where f.n = g.n and length(f.form) between ${MIN_EDITED_LENGTH} and 60 + ${MAX_EDITS}` +
  ` group by s.word order by min(s.edits), s.word limit ${SIMILAR_LEXEMES}) best), '{}')` +
  ` from unnest(${unseen('?', 'text[]')}) with ordinality g(word, n)`;

export async function meaning(run: RunStatement, parsed: ParsedSearch): Promise<Meaning> {
  const positive = parsed.structured ? [] : parsed.words.slice(0, MAX_WORDS);
  const excluded = parsed.excluded.slice(0, MAX_EXCLUDED);
  const words = [...positive, ...excluded];
  const forms = words.flatMap((word, i) => {
    if (!looksUp(word)) return [];
    const other = transliterated(word);
    // The word as written (or transliterated) first, then what is left of it without endings.
    return [word, ...(other !== undefined ? [other] : [])].flatMap((written) =>
      wordForms(written).map((form, j) => ({ form, n: i + 1, stripped: j > 0 })),
    );
  });
  const rows = await run(MEANING_SQL, [
    forms.map(({ form }) => form),
    forms.map(({ n }) => n),
    forms.map(({ stripped }) => stripped),
    parsed.positive,
    parsed.beforePrefix,
    parsed.prefix !== undefined ? tsqueryLexeme(parsed.prefix, true) : null,
    parsed.structured,
    words,
  ]);
  const text = rows.find((row) => row.n === null)!;
  const groups = new Map(
    rows
      .filter((row) => row.n !== null)
      .map((row) => {
        const stems = row.stems as string[];
        // A stop word in any language is no condition: the text as written matches without it there.
        if (stems.includes('')) return [row.n as number, null];
        // The configurations often agree, and a similar lexeme may be a stem: each alternative once.
        return [row.n as number, [...new Set([...stems, ...(row.similar as string[]).map((lexeme) => tsqueryLexeme(lexeme))])]];
      }),
  );
  const group = (i: number, prefix?: string) => {
    const alternatives = groups.get(i + 1);
    return alternatives ? `(${[...alternatives, ...(prefix !== undefined ? [tsqueryLexeme(prefix, true)] : [])].join(' | ')})` : null;
  };
  const typing = parsed.prefix !== undefined && positive.length === parsed.words.length;
  const required = positive.map((_, i) => group(i, typing && i === positive.length - 1 ? parsed.prefix : undefined));
  const exclusions = excluded.map((_, i) => group(positive.length + i)).filter((q) => q !== null);
  return {
    exact: (text.exact as string) || null,
    prefix: (text.prefix as string | null) || null,
    // Only stop words: matching by the text as written.
    fuzzy: required.some((q) => q !== null) ? required.filter((q) => q !== null).join(' & ') : null,
    excluded: exclusions.length ? exclusions.join(' | ') : null,
  };
}

/**
 * SQL that reads a query of the Meaning given, bound in the statement being written: the query is
 * its text (articles' filter), or the placeholder it is bound at (search's statement of a shape).
 */
export type BindQuery = (query: string) => string;

/** The queries a row matches when it matches any of them (and no excluded word). */
function positiveQueries({ exact, prefix, fuzzy }: Meaning): string[] {
  return fuzzy !== null ? [fuzzy] : [exact, prefix].filter((q) => q !== null);
}

/** positiveQueries, parsed: for how common their words are (lexeme-shares.ts) and where a snippet is cut. */
export function parsedPositiveQueries(meaning: Meaning): Tsquery[] {
  return positiveQueries(meaning)
    .map(parseTsquery)
    .filter((q) => q !== null);
}

/**
 * SQL: whether `vector` matches. What matches the text as written, or with its last word as a
 * prefix, matches word by word too (the words' groups hold their stems and the prefix), once a
 * stop word is no condition: one condition, which the GIN index serves in one scan.
 */
export function matchSql(meaning: Meaning, vector: string, bind: BindQuery): string {
  const positive = positiveQueries(meaning);
  const { excluded } = meaning;
  if (positive.length === 0) return 'false';
  const match = positive.map((q) => `${vector} @@ ${bind(q)}`).join(' or ');
  return excluded !== null ? `(${match}) and not ${vector} @@ ${bind(excluded)}` : `(${match})`;
}

/**
 * SQL: `vector` read out of TOAST into memory, for an expression that uses it several times (each
 * use of a stored vector reads it again: 22 µs an article of the bench dataset). setweight on no
 * lexemes gives an exact copy, made with one memcpy; `|| ''` took another 17 µs to merge.
 */
function vectorCopySql(vector: string): string {
  return `setweight(${vector}, 'A', '{}')`;
}

/**
 * How ts_rank scales a rank r: divided by log2(words + 1) of the row (1), so that a name matched
 * in a speaker's or a country's few words ranks above the articles that mention it among many,
 * as a shorter text with the same matches does in BM25; then r / (r + 1) (32), below 1.
 */
const RANK_NORMALIZATION = 1 | 32;

/**
 * SQL: the rank of a matching `vector`. The text as written from 2, with its last word as a prefix
 * from 1, the rest from 0, each plus ts_rank scaled below 1 (RANK_NORMALIZATION), so that the
 * tiers never mix. ts_rank, not ts_rank_cd: it ranks the relevance set as well, and costs a tenth
 * (0.5 µs a row, not 5).
 */
export function rankSql({ exact, prefix, fuzzy }: Meaning, vector: string, bind: BindQuery): string {
  const tiers = [
    ...(exact !== null ? [` when ${vector} @@ ${bind(exact)} then 2 + ts_rank(${vector}, ${bind(exact)}, ${RANK_NORMALIZATION})`] : []),
    ...(prefix !== null ? [` when ${vector} @@ ${bind(prefix)} then 1 + ts_rank(${vector}, ${bind(prefix)}, ${RANK_NORMALIZATION})`] : []),
  ];
  const similar = fuzzy !== null ? `ts_rank(${vector}, ${bind(fuzzy)}, ${RANK_NORMALIZATION})` : '0';
  return tiers.length ? `(case${tiers.join('')} else ${similar} end)` : similar;
}

/**
 * SQL: the newest `limit` rows (of `table`, aliased `t`) that `where` admits and `match` (a text
 * match of the vector it is given) finds, with `columns` and `v`, the row's search vector read
 * into memory (vectorCopySql) for the rank's several uses, in the `newest` order (one an index
 * gives in full). Read newest first until `limit` match when `common` (most rows match: see
 * search/lexeme-shares.ts); otherwise every match is found first, through the GIN index (the
 * `offset 0` keeps the limit from turning that into a newest-first scan, which reads every row for
 * a rare word), and the vectors of the newest are read.
 *
 * On the newest-first path each row's vector is read once, matched and kept for the rank: read
 * once to match and again to rank, «Synthetic»'s 200 articles on the bench dataset took 4.2 to
 * 4.8 ms instead of 3.2 to 3.6. Matching the copy also hides the match from the GIN index, so
 * that the newest-first scan is the plan whatever the planner knows of the words: a plan made
 * once for any words (`unseen`, sql-loading.ts) reads rows newest first as well, where it would
 * otherwise find a common word's 50,000 matches through the index and sort them (50 to 75 ms for
 * «Synthetic», against 4 to 6).
 */
export function newestMatchesSql(
  {
    table,
    match,
    where,
    newest,
    columns,
    limit,
  }: { table: string; match: (vector: string) => string; where: string; newest: string; columns: string; limit: string | number },
  common: boolean,
): string {
  if (common) {
    return (
      `select ${columns}, c.v from ${table} t cross join lateral (select ${vectorCopySql(`t.${SEARCH_VECTOR}`)} as v offset 0) c` +
      ` where ${where} and ${match('c.v')} order by ${newest} limit ${limit}`
    );
  }
  const newestMatches =
    `select ${columns}, t.${SEARCH_VECTOR} as stored_vector` +
    ` from (select t.* from ${table} t where ${where} and ${match(`t.${SEARCH_VECTOR}`)} offset 0) t order by ${newest} limit ${limit}`;
  return `select c.*, ${vectorCopySql('c.stored_vector')} as v from (${newestMatches}) c offset 0`;
}
