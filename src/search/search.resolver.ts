import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityClass, EntityMetadata } from '@mikro-orm/core';
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
import { parseSearch } from '../shared/search';
import { positiveLexemes } from '../shared/tsquery';
import { matchSql, meaning, newestMatchesSql, parsedPositiveQueries, rankSql, type Meaning } from '../shared/search-matching';
import { jsonRow, projectionOf } from '../shared/projection';
import { readRow, toReadRow } from '../shared/read-rows';
import { readList } from '../shared/read-tags';
import { byIdSql, onOneConnection, unseen, type RunStatement } from '../shared/sql-loading';
import { Speaker } from '../speaker/speaker.entity';
import { lexemeShares, type LexemeShares } from './lexeme-shares';
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
  /** Those of them long enough to be kept out of line (TOAST): bodies and descriptions. */
  long: string[];
  /** Its many-to-one relations, read with the hits where the operation shows them (readRelated). */
  related: string[];
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
    long: ['body'],
    related: [],
    visible: publicArticle('t'),
    time: 't.published_at',
    newest: 't.published_at desc, t.id desc',
  },
  {
    kind: SearchKind.SPEAKER,
    entity: Speaker,
    table: 'speaker',
    text: ['full_name', 'position', 'organisation'],
    long: [],
    related: ['country', 'ministry'],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.SESSION,
    entity: Session,
    table: 'session',
    text: ['title', 'description'],
    long: ['description'],
    related: ['forum'],
    visible: 'true',
    time: 't.starts_at',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.FORUM,
    entity: Forum,
    table: 'forum',
    text: ['title', 'city', 'venue', 'description'],
    long: ['description'],
    related: ['hostCountry'],
    visible: 'true',
    time: 't.start_date::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.COUNTRY,
    entity: Country,
    table: 'country',
    text: ['name'],
    long: [],
    related: [],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
  {
    kind: SearchKind.MINISTRY,
    entity: Ministry,
    table: 'ministry',
    text: ['name', 'short_name'],
    long: [],
    related: ['country'],
    visible: 'true',
    time: 'null::timestamptz',
    newest: 't.id desc',
  },
];

const SEARCHABLE_OF = new Map(SEARCHABLE.map((s) => [s.kind, s]));

/**
 * Reads the rows the hits' many-to-ones point to where the operation shows them (a speaker's
 * country), on the search's connection before it goes back to the pool: read later by the
 * loaders, they waited for a pooled connection a second time, and under load the searches that
 * found people were most of the slowest 2% (101 of 136 on the bench dataset). Joined into the
 * find statement instead, they made its plan larger and PostgreSQL's CPU per search 0.5 ms more.
 */
async function readRelated(em: EntityManager, run: RunStatement, rows: Record<string, unknown>[]): Promise<void> {
  const projection = projectionOf(em);
  if (!projection) return;
  const wanted = new Map<EntityMetadata, Set<number>>();
  for (const row of rows) {
    if (row.kind === null) continue;
    const { entity, related } = SEARCHABLE_OF.get(row.kind as SearchKind)!;
    const meta = em.getMetadata().get(entity.name);
    for (const prop of related) {
      if (!projection.reads(meta.className, prop)) continue;
      const property = meta.properties[prop as keyof typeof meta.properties];
      const target = property.targetMeta!;
      const id = (row.row as Record<string, unknown>)[property.fieldNames[0]];
      if (typeof id !== 'number' || readRow(em, target.class, id)) continue;
      if (!wanted.has(target)) wanted.set(target, new Set());
      wanted.get(target)!.add(id);
    }
  }
  await Promise.all(
    [...wanted].map(async ([target, ids]) => {
      // The loaders' statement: prepared once per connection for both.
      const found = await run(byIdSql(em, target.class), [[...ids]]);
      for (const row of found) toReadRow(em, target.class, row);
    }),
  );
}

/** SQL: `text` with `&`, `<` and `>` escaped, so that only the `<mark>` tags we add are markup. */
function escapeHtml(text: string): string {
  return `replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
}

/** SQL: row `t`'s text in each of the first `languages` of `q.languages`: its columns, joined. */
function textsSql(s: Searchable, languages: number): string {
  const value = (column: string) => (s.long.includes(column) ? `copied.${column}` : `t.${column}`);
  const text = (i: number) =>
    `concat_ws(' — ', ${s.text.map((column) => `nullif(${value(column)} ->> q.languages[${i + 1}], '')`).join(', ')})`;
  const texts = `array[${Array.from({ length: languages }, (_, i) => text(i)).join(', ')}]`;
  if (s.long.length === 0) return texts;
  // A long column is read out of TOAST once, not once per language (`|| '{}'` copies it into
  // memory, `offset 0` keeps the copy from being made again for each use): an article's texts in
  // three languages took 145 µs to read, 21 this way.
  return `(select ${texts} from (select ${s.long.map((column) => `t.${column} || '{}'::jsonb as ${column}`).join(', ')} offset 0) copied)`;
}

/**
 * Characters of a text around its first match that its snippet is cut from: ts_headline parses
 * all of what it is given, 0.6 ms for the 6,700 characters of the seed's report, and ten hits'
 * bodies were most of a search's time. A snippet shows up to 35 words (ts_headline's MaxWords).
 */
const SNIPPET_BEFORE = 200;
const SNIPPET_LENGTH = 600;
/** Lexemes shorter than this are no clue to where a text matches: «в» is in almost every word. */
const SNIPPET_CLUE_LENGTH = 3;

/**
 * SQL: the highlighted snippet of a hit from `texts` (its text in each of the reader's languages,
 * textsSql): the text of the first language in which it matches, else of the first in which it
 * has any, split and stemmed by that language's configuration. Preferring a language that
 * matches keeps the highlight: a reader of Russian who searched for an English word sees the
 * English text with the word marked, rather than Russian text without a mark.
 *
 * Where a text matches is found by looking for the query's lexemes in it (`q.clues`): a stem is
 * the start of the words it stands for («астан» of «Астане»), and so are the vocabulary's similar
 * lexemes, in nearly every case. Only the SNIPPET_LENGTH characters around the first of them are
 * highlighted, cut at whole words; a text in which none is found counts as not matching. They are
 * looked for in one pass, as a case-insensitive regular expression (regexp_instr): `strpos` on
 * the lowered text, once for each lexeme, took twice as long (2,000 bench articles, six lexemes:
 * 111 ms against 60; the find statement of «larita», seven articles: 1.9 ms against 1.75), and
 * the position it gave was in the lowered text, whose length may differ.
 */
function snippetSql(texts: string, languages: number): string {
  const headline = (config: string) => {
    const start = `greatest(l.at - ${SNIPPET_BEFORE}, 1)`;
    // The window, less the word cut at either end.
    const window =
      `regexp_replace(regexp_replace(substr(l.text, ${start}, ${SNIPPET_LENGTH}), case when ${start} > 1 then '^\\S*\\s+' else '^' end, ''),` +
      ` case when ${start} + ${SNIPPET_LENGTH} <= length(l.text) then '\\s+\\S*$' else '$' end, '')`;
    return `ts_headline(${config}::regconfig, ${escapeHtml(window)}, q.query, 'StartSel=<mark>, StopSel=</mark>')`;
  };
  // Where each language's text matches only when the ones before do not: most hits match in the
  // first. (`offset 0` keeps it from being worked out again for each use.)
  const matching = Array.from(
    { length: languages },
    (_, i) =>
      `(select ${headline(`q.configs[${i + 1}]`)} from (select l.text, nullif(regexp_instr(l.text, q.clues, 1, 1, 0, 'i'), 0) as at` +
      ` from (select ${texts}[${i + 1}] as text offset 0) l offset 0) l where l.at is not null)`,
  );
  const first =
    `(select ${headline('q.configs[l.n]')} from (select p.text, p.n, null::int as at from unnest(${texts}) with ordinality p(text, n)) l` +
    ` where l.text <> '' order by l.n limit 1)`;
  return `coalesce(${[...matching, first].join(', ')})`;
}

/*
 * The second statement finds and ranks, in one go for every kind. Of a kind with more than
 * SEARCH_CANDIDATES matches, only the newest SEARCH_CANDIDATES are ranked and counted
 * (`totalCountExact` says so): that is what keeps a one-word query over 50,000 articles as fast
 * as a rare one. How a kind's candidates are found depends on how common the words are
 * (lexeme-shares.ts, newestMatchesSql): for a query matching enough of the rows (28% of the
 * bench's articles), the rows are read newest first until SEARCH_CANDIDATES match; for any other,
 * every match is found through the GIN index, then the newest are kept. Either way the statement
 * runs on its generic plan, made once per connection from its sixth run on (its matches and limit
 * are `unseen`): planning it each time took 1.3 to 1.5 ms, more than running it, and 2.5 to 7 ms
 * for a word in every kind.
 *
 * Matching and rank: shared/search-matching.ts. Only the best `first` get a snippet and their
 * row (as JSON, mapped into entities), so the cost of `ts_headline` does not grow with the number
 * of matches; the `left join`s keep one row, carrying the count, when nothing matches.
 *
 * Its text depends only on the shape of the search (FindShape), never on the words, which are
 * bound (findParams): it is built once per shape and operation (Projection.statement).
 */

/** What the find statement's text depends on, besides the operation's projection and languages. */
interface FindShape {
  /** Which queries the search has: their placeholders (QUERY_PLACEHOLDERS), or null. */
  queries: Meaning;
  /** The kinds searched, each with whether its candidates are read newest first. */
  kinds: { searchable: Searchable; common: boolean }[];
  languages: number;
}

/** Where each query of a Meaning is bound, whether or not the search has it (findParams). */
const QUERY_PLACEHOLDERS: Record<keyof Meaning, string> = { exact: '$1', prefix: '$2', fuzzy: '$3', excluded: '$4' };

/** The find statement's parameters, in the order of its placeholders. */
function findParams(meaning: Meaning, clues: string | null, languages: readonly Language[], first: number): unknown[] {
  const configs = languages.map((language) => HEADLINE_CONFIG[language]);
  return [meaning.exact, meaning.prefix, meaning.fuzzy, meaning.excluded, clues, languages, configs, first];
}

function findSql(em: EntityManager, { queries, kinds, languages }: FindShape): string {
  const bindQuery = (placeholder: string) => `${placeholder}::tsquery`;
  // Which rows match, and how many are kept, are what the planner estimates from: unseen (see
  // there), so that PostgreSQL keeps one plan for any words.
  const match = (vector: string) => matchSql(queries, vector, (placeholder) => unseen(placeholder, 'tsquery'));
  const rank = rankSql(queries, 'c.v', bindQuery);
  const candidates = kinds.map(({ searchable: s, common }) => {
    const newest = newestMatchesSql(
      {
        table: s.table,
        match,
        where: s.visible,
        newest: s.newest,
        columns: `t.id, ${s.time} as time`,
        limit: SEARCH_CANDIDATES,
      },
      common,
    );
    return `select '${s.kind}'::text as kind, c.id, c.time, ${rank}::real as rank from (${newest}) c`;
  });
  const headline =
    [queries.exact, queries.prefix, queries.fuzzy]
      .filter((q) => q !== null)
      .map(bindQuery)
      .join(' || ') || `''::tsquery`;
  // Every parameter is named in `q`, which gives each its type whether or not the rest uses it.
  const typed = Object.values(QUERY_PLACEHOLDERS).map((placeholder) => `${bindQuery(placeholder)} as "${placeholder}"`);
  return (
    `with q as (select ${headline} as query, $5::text as clues, $6::text[] as languages, $7::text[] as configs, ${typed.join(', ')}),` +
    ` matches as (${candidates.join(' union all ') || `select null::text as kind, null::int as id, null::timestamptz as time, null::real as rank where false`}),` +
    ` counted as (select kind, count(*) as n from matches group by kind),` +
    ` best as (select * from matches order by rank desc, time desc nulls last, kind, id desc limit ${unseen('$8', 'int')})` +
    ` select total.count as "totalCount", total.capped, best.kind, best.rank, hit.row, ${snippetSql('hit.texts', languages)} as snippet` +
    ` from q cross join (select coalesce(sum(n), 0) as count, coalesce(bool_or(n >= ${SEARCH_CANDIDATES}), false) as capped from counted) total` +
    ` left join best on true` +
    ` left join lateral (${
      kinds
        .map(
          ({ searchable: s }) =>
            `select ${jsonRow(em, s.entity, 't')} as row, ${textsSql(s, languages)} as texts from ${s.table} t where best.kind = '${s.kind}' and t.id = best.id`,
        )
        .join(' union all ') || 'select null::json as row, null::text[] as texts where false'
    }) hit on true` +
    ` order by best.rank desc, best.time desc nulls last, best.kind, best.id desc`
  );
}

/** The find statement of a search: its text, kept per shape where the operation has a projection, and its parameters. */
function findStatement(
  em: EntityManager,
  meaning: Meaning,
  shares: LexemeShares,
  searchable: Searchable[],
  languages: readonly Language[],
  first: number,
): { sql: string; params: unknown[] } {
  // Parsed once: for how common the words are in each kind, and for where a snippet is cut.
  const positive = parsedPositiveQueries(meaning);
  const shape: FindShape = {
    queries: {
      exact: meaning.exact !== null ? QUERY_PLACEHOLDERS.exact : null,
      prefix: meaning.prefix !== null ? QUERY_PLACEHOLDERS.prefix : null,
      fuzzy: meaning.fuzzy !== null ? QUERY_PLACEHOLDERS.fuzzy : null,
      excluded: meaning.excluded !== null ? QUERY_PLACEHOLDERS.excluded : null,
    },
    kinds: searchable.map((s) => ({ searchable: s, common: shares.newestFirst(s.table, positive, SEARCH_CANDIDATES) })),
    languages: languages.length,
  };
  const key =
    `${Object.values(shape.queries)
      .map((q) => (q === null ? '-' : '+'))
      .join('')} ${shape.languages}` + shape.kinds.map(({ searchable: s, common }) => ` ${s.kind}${common ? '*' : ''}`).join('');
  const projection = projectionOf(em);
  const sql = projection ? projection.statement(`search ${key}`, () => findSql(em, shape)) : findSql(em, shape);
  const clues = [...new Set(positive.flatMap(positiveLexemes).filter((lexeme) => lexeme.length >= SNIPPET_CLUE_LENGTH))];
  // Any of them, as written: in a regular expression, a backslash makes any other character literal.
  const cluePattern = clues.length ? clues.map((clue) => clue.replace(/[^\p{L}\p{N}]/gu, '\\$&')).join('|') : null;
  return { sql, params: findParams(meaning, cluePattern, languages, first) };
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
    // Before taking the connection the statements hold: the first search of a process waits for
    // the statistics, read on another.
    const shares = await lexemeShares(em);
    const rows = await onOneConnection(em, async (run) => {
      const meant = await meaning(run, parseSearch(text));
      const statement = findStatement(
        em,
        meant,
        shares,
        SEARCHABLE.filter((s) => requested.has(s.kind)),
        languages,
        first,
      );
      const found = await run(statement.sql, statement.params);
      await readRelated(em, run, found);
      return found;
    });
    const hits = rows
      .filter((row) => row.kind !== null)
      .map((row): SearchHit => {
        const kind = row.kind as SearchKind;
        return {
          kind,
          rank: Number(row.rank),
          snippet: row.snippet as string | null,
          node: toReadRow<Searched>(em, SEARCHABLE_OF.get(kind)!.entity, row.row as Record<string, unknown>),
        };
      });
    return { totalCount: Number(rows[0]?.totalCount ?? 0), totalCountExact: rows[0]?.capped !== true, hits };
  }
}
