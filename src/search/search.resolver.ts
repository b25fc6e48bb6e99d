import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { Context } from '../shared/context';
import { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { publicArticle } from '../article/article.visibility';
import { BadUserInputError } from '../errors';
import { Session } from '../session/session.entity';
import { Language } from '../shared/i18n';
import { parseSearch, SEARCH_VECTOR } from '../shared/search';
import { matchSql, meaning, rankSql, type Meaning } from '../shared/search-matching';
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

/*
 * The second statement finds and ranks, in one go for every kind. It is planned for its values
 * (sent unnamed), and every query in it is a constant by then, so PostgreSQL sees how common the
 * words are: a rare word is looked up in the kind's GIN index, a word in nearly every row is
 * read newest first and stops after SEARCH_CANDIDATES matches. Of a kind with more matches, only
 * the newest SEARCH_CANDIDATES are ranked and counted (`totalCountExact` says so): that is what
 * keeps a one-word query over 50,000 articles as fast as a rare one.
 *
 * Matching and rank: shared/search-matching.ts. Only the best `first` get a snippet and their
 * row (as JSON, mapped into entities), so the cost of `ts_headline` does not grow with the number
 * of matches; the `left join`s keep one row, carrying the count, when nothing matches.
 */
function findStatement(
  meaning: Meaning,
  searchable: Searchable[],
  languages: readonly Language[],
  first: number,
): { sql: string; params: unknown[] } {
  // Numbered placeholders ($1, ...), not `?`: each query stands several times in the text, and
  // is bound once.
  const params: unknown[] = [];
  const bind = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const placeholders = new Map<string, string>();
  const bindQuery = (q: string) => placeholders.get(q) ?? placeholders.set(q, bind(q, 'tsquery')).get(q)!;
  const match = matchSql(meaning, `t.${SEARCH_VECTOR}`, bindQuery);
  const rank = rankSql(meaning, 'c.v', bindQuery);
  const kinds = searchable.map(
    (s) =>
      `select '${s.kind}'::text as kind, c.id, c.time, ${rank}::real as rank from (select t.id, t.${SEARCH_VECTOR} as v, ${s.time} as time` +
      ` from ${s.table} t where ${match} and (${s.visible}) order by ${s.newest} limit ${SEARCH_CANDIDATES}) c`,
  );
  const headline =
    [meaning.exact, meaning.prefix, meaning.fuzzy]
      .filter((q) => q !== null)
      .map(bindQuery)
      .join(' || ') || `''::tsquery`;
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
