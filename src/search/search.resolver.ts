import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../shared/context';
import { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { publicArticle } from '../article/article.visibility';
import { BadUserInputError } from '../errors';
import { Session } from '../session/session.entity';
import { Language } from '../shared/i18n';
import {
  CONFIGS,
  parseSearch,
  SEARCH_VECTOR,
  searchQuerySql,
  transliterated,
  tsqueryLexeme,
  wordForms,
  type ParsedSearch,
} from '../shared/search';
import { toReadRow } from '../shared/read-rows';
import { readList } from '../shared/read-tags';
import { query } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { SearchArgs, SearchHit, SearchKind, SearchResults, SEARCH_CANDIDATES, type Searched } from './search.types';

/** The text-search configuration that splits and stems each language for `ts_headline`. */
const HEADLINE_CONFIG: Record<Language, string> = {
  [Language.RU]: 'russian',
  [Language.EN]: 'english',
  [Language.KK]: 'simple',
};

interface Searchable {
  kind: SearchKind;
  entity: EntityClass<Searched>;
  table: string;
  /** JSONB translation columns a snippet is cut from, in reading order. */
  text: string[];
  /** Which rows may be found at all. */
  visible: string;
  /** Breaks ties in rank: newer first. */
  time: string;
  /**
   * Of more than SEARCH_CANDIDATES matches, which are ranked: the first in this order, which an
   * index gives (no `nulls last`, which the btrees' backward scans do not give): articles the
   * latest published, the other kinds the latest added.
   */
  newest: string;
}

const SEARCHABLE: Searchable[] = [
  {
    kind: SearchKind.ARTICLE,
    entity: Article,
    table: 'article',
    text: ['title', 'lead', 'body'],
    visible: publicArticle('t'),
    time: 't.published_at',
    newest: 't.published_at desc, t.id desc',
  },
  {
    kind: SearchKind.SPEAKER,
    entity: Speaker,
    table: 'speaker',
    text: ['full_name', 'position', 'organisation'],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.SESSION,
    entity: Session,
    table: 'session',
    text: ['title', 'description'],
    visible: 'true',
    time: 't.starts_at',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.FORUM,
    entity: Forum,
    table: 'forum',
    text: ['title', 'city', 'venue', 'description'],
    visible: 'true',
    time: 't.start_date::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.COUNTRY,
    entity: Country,
    table: 'country',
    text: ['name'],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.MINISTRY,
    entity: Ministry,
    table: 'ministry',
    text: ['name', 'short_name'],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
];

const ENTITY_OF = new Map(SEARCHABLE.map((s) => [s.kind, s.entity]));

/** SQL: `text` with `&`, `<` and `>` escaped, so that only the `<mark>` tags we add are markup. */
function escapeHtml(text: string): string {
  return `replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
}

/**
 * SQL: the highlighted snippet of row `t`: its text in the first of the reader's languages in
 * which the text matches, else in the first in which it has any text; split and stemmed by that
 * language's configuration. Preferring a language that matches keeps the highlight: a reader of
 * Russian who searched for an English word sees the English text with the word marked, rather
 * than Russian text without a mark.
 */
function snippetSql(s: Searchable): string {
  const text = `concat_ws(' — ', ${s.text.map((column) => `nullif(t.${column} ->> p.language, '')`).join(', ')})`;
  return (
    `(select ts_headline(l.config::regconfig, ${escapeHtml('l.text')}, q.query, 'StartSel=<mark>, StopSel=</mark>')` +
    ` from (select p.config, p.n, ${text} as text` +
    ` from unnest(q.languages, q.configs) with ordinality p(language, config, n)) l` +
    ` where l.text <> '' order by to_tsvector(l.config::regconfig, l.text) @@ q.query desc, l.n limit 1)`
  );
}

/** Words of a query matched one by one (stem, vocabulary, prefix); more are matched by stem only. */
const MAX_WORDS = 8;
/** Excluded words that count; more are ignored. */
const MAX_EXCLUDED = 4;
/** Lexemes of the vocabulary taken for each form of a word, the most similar first. */
const SIMILAR_LEXEMES = 8;
/**
 * How similar (pg_trgm, 0 to 1) a lexeme must be to a form of a query word. 0.4 takes a one-letter
 * typo in a word of five letters or more («Astna» / «astana» 0.44) and the stems the stemmers make
 * of a name's other cases («астана» / «астан» 0.63), not words that merely share a start
 * («аст» / «астана» 0.38).
 */
const MIN_SIMILARITY = 0.4;
/**
 * And at most this many letters shorter: a typo or another case takes a letter or two off a word,
 * whereas a shorter word at its start («медиа» in «медиафорум», 0.42) is another word. Longer is
 * fine: Kazakh stacks endings («Алматы», «Алматыдағы»).
 */
const MAX_SHORTER = 2;

/** A word looked up in the vocabulary: not a number, and three letters or more. */
const looksUp = (word: string) => word.length >= 3 && !/^\p{N}+$/u.test(word);

/** What a reader's text means, as tsqueries (text); null where there is nothing of the kind. */
interface Meaning {
  /** The text as written: websearch syntax, stems in every language. */
  exact: string | null;
  /** The same with its last word as a prefix, while it is being typed. */
  prefix: string | null;
  /** Every word (its group), by stem or a similar lexeme; the last also as a prefix. Null: matching by `exact` only. */
  fuzzy: string | null;
  /** No hit may match this. */
  excluded: string | null;
}

/*
 * The first statement: the text's queries (made once here, so that the second statement holds
 * them as constants: a `websearch_to_tsquery` in it would be run for every kind, once when it is
 * planned and again for every candidate it ranks); then each word's stems in every language (an
 * empty one where it is a stop word) and the lexemes of the vocabulary like each of its forms
 * (the trigram index serves `%`, pg_trgm's default threshold of 0.3; the closer bounds are
 * checked on what it finds).
 */
const MEANING_SQL =
  `select null::int as n, (${searchQuerySql('input.text')})::text as exact,` +
  ` case when input.prefix is not null then (${searchQuerySql('input.before')} && input.prefix::tsquery)::text end as prefix,` +
  ` null::text[] as stems, null::text[] as similar` +
  ` from (select ?::text as text, ?::text as before, ?::text as prefix) input` +
  ` union all` +
  ` select g.n::int, null, null, array[${CONFIGS.map((config) => `websearch_to_tsquery('${config}', g.word)::text`).join(', ')}],` +
  ` coalesce((select array_agg(distinct s.word) from unnest(?::text[], ?::int[]) f(form, n)` +
  ` cross join lateral (select w.word from search_word w where w.word % f.form and similarity(w.word, f.form) >= ${MIN_SIMILARITY}` +
  ` and length(w.word) >= length(f.form) - ${MAX_SHORTER}` +
  ` order by similarity(w.word, f.form) desc, w.word limit ${SIMILAR_LEXEMES}) s where f.n = g.n), '{}')` +
  ` from unnest(?::text[]) with ordinality g(word, n)`;

async function meaning(em: EntityManager, parsed: ParsedSearch): Promise<Meaning> {
  const positive = parsed.structured ? [] : parsed.words.slice(0, MAX_WORDS);
  const excluded = parsed.excluded.slice(0, MAX_EXCLUDED);
  const words = [...positive, ...excluded];
  const forms = words.flatMap((word, i) => {
    if (!looksUp(word)) return [];
    const other = transliterated(word);
    return [...wordForms(word), ...(other !== undefined ? wordForms(other) : [])].map((form) => [form, i + 1] as const);
  });
  const rows = await query(em, MEANING_SQL, [
    parsed.positive,
    parsed.beforePrefix,
    parsed.prefix !== undefined ? tsqueryLexeme(parsed.prefix, true) : null,
    forms.map(([form]) => form),
    forms.map(([, n]) => n),
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

/*
 * The second statement finds and ranks, in one go for every kind. It is planned for its values
 * (sent unnamed), and every query in it is a constant by then, so PostgreSQL sees how common the
 * words are: a rare word is looked up in the kind's GIN index, a word in nearly every row is
 * read newest first and stops after SEARCH_CANDIDATES matches. Of a kind with more matches, only
 * the newest SEARCH_CANDIDATES are ranked and counted (`totalCountExact` says so): that is what
 * keeps a one-word query over 50,000 articles as fast as a rare one.
 *
 * A row matches the reader's text as written (websearch syntax, stems in every language), or
 * every word by stem, by a lexeme of the vocabulary like it, or the last word as a prefix; and no
 * excluded word in any of those ways. Rank: stem matches of the text from 2, prefix matches from
 * 1, the rest from 0, each plus ts_rank scaled below 1 (normalisation 32: r / (r + 1)), so that
 * the tiers never mix. ts_rank, not ts_rank_cd: it ranks the relevance set as well, and costs a
 * tenth (0.5 µs a candidate, not 5). Only the best `first` get a snippet and their row (as JSON,
 * mapped into entities), so the cost of `ts_headline` does not grow with the number of matches;
 * the `left join`s keep one row, carrying the count, when nothing matches.
 */
function findStatement(
  { exact: exactText, prefix: prefixText, fuzzy, excluded }: Meaning,
  searchable: Searchable[],
  languages: readonly Language[],
  first: number,
): { sql: string; params: unknown[] } {
  // Numbered placeholders ($1, ...), not `?`: each query stands several times in the text.
  const params: unknown[] = [];
  const bind = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const [exact, prefix, fuzzyQuery, excludedQuery] = [exactText, prefixText, fuzzy, excluded].map((q) =>
    q !== null ? bind(q, 'tsquery') : null,
  );
  const v = `t.${SEARCH_VECTOR}`;
  // What matches the text as written, or with its last word as a prefix, matches word by word
  // too (the words' groups hold their stems and the prefix): one condition, one index scan.
  const matchesAny = (fuzzyQuery !== null ? [fuzzyQuery] : [exact, prefix]).filter((q) => q !== null).map((q) => `${v} @@ ${q}`);
  const tiers = [
    ...(exact ? [` when c.v @@ ${exact} then 2 + ts_rank(c.v, ${exact}, 32)`] : []),
    ...(prefix ? [` when c.v @@ ${prefix} then 1 + ts_rank(c.v, ${prefix}, 32)`] : []),
  ];
  const similar = fuzzyQuery ? `ts_rank(c.v, ${fuzzyQuery}, 32)` : '0';
  const rank = tiers.length ? `case${tiers.join('')} else ${similar} end` : similar;
  const kinds = searchable.map(
    (s) =>
      `select '${s.kind}'::text as kind, c.id, c.time, (${rank})::real as rank from (select t.id, ${v} as v, ${s.time} as time` +
      ` from ${s.table} t where (${matchesAny.join(' or ') || 'false'})${excludedQuery ? ` and not ${v} @@ ${excludedQuery}` : ''}` +
      ` and (${s.visible}) order by ${s.newest} limit ${SEARCH_CANDIDATES}) c`,
  );
  const headline = [exact, prefix, fuzzyQuery].filter((q) => q !== null).join(' || ') || `''::tsquery`;
  const sql =
    `with q as (select ${headline} as query, ${bind(languages, 'text[]')} as languages,` +
    ` ${bind(
      languages.map((language) => HEADLINE_CONFIG[language]),
      'text[]',
    )} as configs),` +
    ` matches as (${kinds.join(' union all ') || `select null::text as kind, null::int as id, null::timestamptz as time, null::real as rank where false`}),` +
    ` counted as (select kind, count(*) as n from matches group by kind),` +
    ` best as (select * from matches order by rank desc, time desc nulls last, kind, id desc limit ${bind(first, 'int')})` +
    ` select total.count as "totalCount", total.capped, best.kind, best.rank, hit.row, hit.snippet` +
    ` from q cross join (select coalesce(sum(n), 0) as count, coalesce(bool_or(n >= ${SEARCH_CANDIDATES}), false) as capped from counted) total` +
    ` left join best on true` +
    ` left join lateral (${
      searchable
        .map(
          (s) =>
            `select to_jsonb(t) - '${SEARCH_VECTOR}' as row, ${snippetSql(s)} as snippet from ${s.table} t where best.kind = '${s.kind}' and t.id = best.id`,
        )
        .join(' union all ') || 'select null::jsonb as row, null::text as snippet where false'
    }) hit on true` +
    ` order by best.rank desc, best.time desc nulls last, best.kind, best.id desc`;
  return { sql, params };
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchResults, {
    description:
      'Full-text search across published articles, speakers, sessions, forums, countries and ministries, in every language at once, ' +
      'best hits first, ' +
      'each with a highlighted snippet.',
  })
  async search(@Args() { query: text, first, kinds }: SearchArgs, @Ctx() { em, languages }: Context): Promise<SearchResults> {
    if (!text.trim()) throw new BadUserInputError('query must not be empty', { argument: 'query' });
    for (const { entity } of SEARCHABLE) readList(em, entity);
    const requested = new Set(kinds ?? Object.values(SearchKind));
    const statement = findStatement(
      await meaning(em, parseSearch(text)),
      SEARCHABLE.filter((s) => requested.has(s.kind)),
      languages,
      first,
    );
    const rows = await query(em, statement.sql, statement.params, { planForValues: true });
    const hits = rows
      .filter((row) => row.kind !== null)
      .map((row): SearchHit => {
        const kind = row.kind as SearchKind;
        return {
          kind,
          rank: Number(row.rank),
          snippet: row.snippet as string | null,
          node: toReadRow<Searched>(em, ENTITY_OF.get(kind)!, row.row as Record<string, unknown>),
        };
      });
    return { totalCount: Number(rows[0]?.totalCount ?? 0), totalCountExact: rows[0]?.capped !== true, hits };
  }
}
