import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { Context } from '../shared/context';
import { Article, ARTICLE_SEARCH_VECTOR, ARTICLE_SEARCH_WORDS_COLUMNS } from '../article/article.entity';
import { Country, COUNTRY_SEARCH_VECTOR, COUNTRY_SEARCH_WORDS_COLUMNS } from '../country/country.entity';
import { Forum, FORUM_SEARCH_VECTOR, FORUM_SEARCH_WORDS_COLUMNS } from '../forum/forum.entity';
import { Ministry, MINISTRY_SEARCH_VECTOR, MINISTRY_SEARCH_WORDS_COLUMNS } from '../ministry/ministry.entity';
import { publicArticle } from '../article/article.visibility';
import { BadUserInputError } from '../errors';
import { Session, SESSION_SEARCH_VECTOR, SESSION_SEARCH_WORDS_COLUMNS } from '../session/session.entity';
import { Language } from '../shared/i18n';
import { MAX_FUZZY_WORDS, onAlias, parseSearch, searchWordsSql, wordForms, type ParsedSearch } from '../shared/search';
import { toReadRow } from '../shared/read-rows';
import { readList } from '../shared/read-tags';
import { query } from '../shared/sql-loading';
import { Speaker, SPEAKER_SEARCH_VECTOR, SPEAKER_SEARCH_WORDS_COLUMNS } from '../speaker/speaker.entity';
import { SearchArgs, SearchHit, SearchKind, SearchResults, type Searched } from './search.types';

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
  /** The vector of the table's GIN index, verbatim, so that the index serves the match. */
  vector: string;
  /** The columns of its words for similarity (its trigram index). */
  words: string[];
  /** JSONB translation columns a snippet is cut from, in reading order. */
  text: string[];
  /** Which rows may be found at all. */
  visible: string;
  /** Breaks ties in rank: newer first. */
  time: string;
}

const SEARCHABLE: Searchable[] = [
  {
    kind: SearchKind.ARTICLE,
    entity: Article,
    table: 'article',
    vector: ARTICLE_SEARCH_VECTOR,
    words: ARTICLE_SEARCH_WORDS_COLUMNS,
    text: ['title', 'lead', 'body'],
    visible: publicArticle('t'),
    time: 't.published_at',
  },
  {
    kind: SearchKind.SPEAKER,
    entity: Speaker,
    table: 'speaker',
    vector: SPEAKER_SEARCH_VECTOR,
    words: SPEAKER_SEARCH_WORDS_COLUMNS,
    text: ['full_name', 'position', 'organisation'],
    visible: 'true',
    time: 'null::timestamptz',
  },
  {
    kind: SearchKind.SESSION,
    entity: Session,
    table: 'session',
    vector: SESSION_SEARCH_VECTOR,
    words: SESSION_SEARCH_WORDS_COLUMNS,
    text: ['title', 'description'],
    visible: 'true',
    time: 't.starts_at',
  },
  {
    kind: SearchKind.FORUM,
    entity: Forum,
    table: 'forum',
    vector: FORUM_SEARCH_VECTOR,
    words: FORUM_SEARCH_WORDS_COLUMNS,
    text: ['title', 'city', 'venue', 'description'],
    visible: 'true',
    time: 't.start_date::timestamptz',
  },
  {
    kind: SearchKind.COUNTRY,
    entity: Country,
    table: 'country',
    vector: COUNTRY_SEARCH_VECTOR,
    words: COUNTRY_SEARCH_WORDS_COLUMNS,
    text: ['name'],
    visible: 'true',
    time: 'null::timestamptz',
  },
  {
    kind: SearchKind.MINISTRY,
    entity: Ministry,
    table: 'ministry',
    vector: MINISTRY_SEARCH_VECTOR,
    words: MINISTRY_SEARCH_WORDS_COLUMNS,
    text: ['name', 'short_name'],
    visible: 'true',
    time: 'null::timestamptz',
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

/** Forms of a word matched by similarity (wordForms), padded so that statements keep few shapes. */
const FORMS = 3;
/** Excluded words that count; more are ignored. */
const MAX_EXCLUDED = 4;

const formsOf = (word: string): string[] => {
  const forms = wordForms(word).slice(0, FORMS);
  while (forms.length < FORMS) forms.push(forms[forms.length - 1]);
  return forms;
};

/** What the statement for a parsed text depends on: one prepared statement per shape. */
interface Shape {
  exact: boolean;
  prefix: boolean;
  /** Words matched one by one, by stem or similarity (0 when the text has quotes or `or`). */
  fuzzy: number;
  excluded: number;
}

const any = (config: (c: string) => string) => `(${['russian', 'english', 'simple'].map(config).join(' || ')})`;

/*
 * One statement for the whole search, whatever the kinds and the amount of data. A row is a hit
 * when it matches, in any language, (1) the text with web search syntax by stem, (2) the same with
 * its last word as a prefix (typing), or (3) every word by stem or by trigram similarity of the
 * word or its forms without Kazakh endings (typos, proper nouns the stemmers split: «Астана»,
 * «Астане»); and no excluded word by stem or similarity. Rank: stem matches above prefix matches
 * above similar ones, by cover density within the first two, by similarity within the third.
 *
 * The tsqueries are made once (`q`), and each match reads them as `(select … from q)`, a one-time
 * sub-plan that counts as a constant, so that the GIN indexes serve it. Only the best `first`
 * matches get a snippet and their row (as JSON, mapped into entities), so the cost of
 * `ts_headline` does not grow with the number of matches. The `left join`s keep one row, carrying
 * the total count, when nothing matches.
 */
function searchSql(shape: Shape): string {
  const params = (n: number) => Array.from({ length: n }, () => '?::text');
  const fuzzyTerms = Array.from({ length: shape.fuzzy }, (_, i) => `, ${any((c) => `websearch_to_tsquery('${c}', input.w${i})`)} as t${i}`);
  const q =
    `select ${any((c) => `websearch_to_tsquery('${c}', input.text)`)} as exact,` +
    ` ${shape.prefix ? any((c) => `(websearch_to_tsquery('${c}', input.before) && to_tsquery('${c}', input.prefix || ':*'))`) : 'null::tsquery'} as prefix,` +
    ` ${shape.excluded ? any((c) => `websearch_to_tsquery('${c}', input.excluded)`) : 'null::tsquery'} as excluded` +
    fuzzyTerms.join('') +
    // What snippets mark: the stemmed words, and those the reader is typing.
    `, ${any((c) => `websearch_to_tsquery('${c}', input.text)`)}${shape.prefix ? ` || ${any((c) => `to_tsquery('${c}', input.prefix || ':*')`)}` : ''} as query` +
    `, input.languages, input.configs, input.kinds` +
    ` from (select ?::text as text, ?::text as before, ?::text as prefix, ?::text as excluded,` +
    ` ?::text[] as languages, ?::text[] as configs, ?::text[] as kinds` +
    Array.from({ length: shape.fuzzy }, (_, i) => `, ?::text as w${i}`).join('') +
    `) input`;
  const similar = (words: string) =>
    `${params(FORMS)
      .map((p) => `${p} <% ${words}`)
      .join(' or ')}`;
  const kinds = SEARCHABLE.map((s) => {
    const vector = onAlias(s.vector, 't');
    const words = searchWordsSql(s.words, 't');
    const exact = `${vector} @@ (select exact from q)`;
    const prefix = `${vector} @@ (select prefix from q)`;
    const fuzzy = Array.from({ length: shape.fuzzy }, (_, i) => `(${vector} @@ (select t${i} from q) or ${similar(words)})`);
    const matches = [...(shape.exact ? [exact] : []), ...(shape.prefix ? [prefix] : []), ...(fuzzy.length ? [fuzzy.join(' and ')] : [])];
    const excluded = shape.excluded
      ? ` and not (${vector} @@ (select excluded from q)${Array.from({ length: shape.excluded }, () => ` or ${similar(words)}`).join('')})`
      : '';
    const similarity = fuzzy.length
      ? `(${Array.from(
          { length: shape.fuzzy },
          () =>
            `greatest(${params(FORMS)
              .map((p) => `word_similarity(${p}, ${words})`)
              .join(', ')})`,
        ).join(' + ')}) / ${shape.fuzzy}`
      : '0';
    const rank =
      `(case when ${exact} then 2 + ts_rank_cd(${vector}, (select exact from q))` +
      (shape.prefix ? ` when ${prefix} then 1 + ts_rank_cd(${vector}, (select prefix from q))` : '') +
      ` else ${similarity} end)::real`;
    return (
      `select '${s.kind}'::text as kind, t.id, ${rank} as rank, ${s.time} as time from ${s.table} t` +
      ` where (${matches.join(' or ') || 'false'})${excluded} and '${s.kind}' = any((select kinds from q)::text[]) and (${s.visible})`
    );
  });
  return (
    `with q as (${q}), matches as (${kinds.join(' union all ')}),` +
    ` best as (select * from matches order by rank desc, time desc nulls last, kind, id desc limit ?)` +
    ` select total.count as "totalCount", best.kind, best.rank, hit.row, hit.snippet` +
    ` from q cross join (select count(*) from matches) total` +
    ` left join best on true` +
    ` left join lateral (${SEARCHABLE.map(
      (s) => `select to_jsonb(t) as row, ${snippetSql(s)} as snippet from ${s.table} t where best.kind = '${s.kind}' and t.id = best.id`,
    ).join(' union all ')}) hit on true` +
    ` order by best.rank desc, best.time desc nulls last, best.kind, best.id desc`
  );
}

/** The statement for a text and its bindings, in the order of its `?`s. */
function searchStatement(
  parsed: ParsedSearch,
  languages: readonly Language[],
  kinds: SearchKind[],
  first: number,
): { sql: string; params: unknown[] } {
  const fuzzyWords = parsed.structured ? [] : parsed.words.slice(0, MAX_FUZZY_WORDS);
  const excluded = parsed.excluded.slice(0, MAX_EXCLUDED);
  const shape: Shape = {
    exact: parsed.positive.trim() !== '',
    prefix: parsed.prefix !== undefined,
    fuzzy: fuzzyWords.length,
    excluded: excluded.length,
  };
  const perKind = [
    // Per kind, in the order its text reads them: the forms of each fuzzy word for the rank, the
    // same for the match, and the forms of each excluded word.
    ...fuzzyWords.flatMap(formsOf),
    ...fuzzyWords.flatMap(formsOf),
    ...excluded.flatMap(formsOf),
  ];
  return {
    sql: searchSql(shape),
    params: [
      parsed.positive,
      parsed.beforePrefix,
      parsed.prefix ?? null,
      excluded.join(' or '),
      languages,
      languages.map((language) => HEADLINE_CONFIG[language]),
      kinds,
      ...fuzzyWords,
      ...SEARCHABLE.flatMap(() => perKind),
      first,
    ],
  };
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
    const statement = searchStatement(parseSearch(text), languages, kinds ?? Object.values(SearchKind), first);
    const rows = await query(em, statement.sql, statement.params);
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
    return { totalCount: Number(rows[0]?.totalCount ?? 0), hits };
  }
}
