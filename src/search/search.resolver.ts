import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import type { Context } from '../shared/context';
import { Article, ARTICLE_SEARCH_VECTOR } from '../article/article.entity';
import { Country, COUNTRY_SEARCH_VECTOR } from '../country/country.entity';
import { Forum, FORUM_SEARCH_VECTOR } from '../forum/forum.entity';
import { Ministry, MINISTRY_SEARCH_VECTOR } from '../ministry/ministry.entity';
import { publicArticle } from '../article/article.visibility';
import { BadUserInputError } from '../errors';
import { Session, SESSION_SEARCH_VECTOR } from '../session/session.entity';
import { Language } from '../shared/i18n';
import { onAlias, searchQuerySql } from '../shared/search';
import { toReadRow } from '../shared/read-rows';
import { readList } from '../shared/read-tags';
import { query } from '../shared/sql-loading';
import { Speaker, SPEAKER_SEARCH_VECTOR } from '../speaker/speaker.entity';
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
    text: ['title', 'lead', 'body'],
    visible: publicArticle('t'),
    time: 't.published_at',
  },
  {
    kind: SearchKind.SPEAKER,
    entity: Speaker,
    table: 'speaker',
    vector: SPEAKER_SEARCH_VECTOR,
    text: ['full_name', 'position', 'organisation'],
    visible: 'true',
    time: 'null::timestamptz',
  },
  {
    kind: SearchKind.SESSION,
    entity: Session,
    table: 'session',
    vector: SESSION_SEARCH_VECTOR,
    text: ['title', 'description'],
    visible: 'true',
    time: 't.starts_at',
  },
  {
    kind: SearchKind.FORUM,
    entity: Forum,
    table: 'forum',
    vector: FORUM_SEARCH_VECTOR,
    text: ['title', 'city', 'venue', 'description'],
    visible: 'true',
    time: 't.start_date::timestamptz',
  },
  {
    kind: SearchKind.COUNTRY,
    entity: Country,
    table: 'country',
    vector: COUNTRY_SEARCH_VECTOR,
    text: ['name'],
    visible: 'true',
    time: 'null::timestamptz',
  },
  {
    kind: SearchKind.MINISTRY,
    entity: Ministry,
    table: 'ministry',
    vector: MINISTRY_SEARCH_VECTOR,
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

/*
 * One statement for the whole search, whatever the kinds and the amount of data. The user's text
 * becomes a tsquery once (`q`). Each kind's matches are found through its GIN index: the scans
 * read the query as `(select query from q)`, a one-time sub-plan that counts as a constant (a join
 * with `q` would be a join clause, and PostgreSQL then scans articles by the btree on
 * `published_at` instead). Only the best `first` matches get a snippet and their row (as JSON,
 * mapped into entities), so the cost of `ts_headline` does not grow with the number of matches.
 * The `left join`s keep one row, carrying the total count, when nothing matches.
 *
 * Bindings: the text, the reader's languages, their headline configurations, the kinds, `first`.
 */
const SEARCH_SQL =
  `with q as (select ${searchQuerySql('input.text')} as query, input.languages, input.configs, input.kinds` +
  ` from (select ?::text as text, ?::text[] as languages, ?::text[] as configs, ?::text[] as kinds) input),` +
  ` matches as (${SEARCHABLE.map(
    (s) =>
      `select '${s.kind}'::text as kind, t.id, ts_rank_cd(${onAlias(s.vector, 't')}, (select query from q)) as rank, ${s.time} as time` +
      ` from ${s.table} t where ${onAlias(s.vector, 't')} @@ (select query from q)` +
      ` and '${s.kind}' = any((select kinds from q)::text[]) and (${s.visible})`,
  ).join(' union all ')}),` +
  ` best as (select * from matches order by rank desc, time desc nulls last, kind, id desc limit ?)` +
  ` select total.count as "totalCount", best.kind, best.rank, hit.row, hit.snippet` +
  ` from q cross join (select count(*) from matches) total` +
  ` left join best on true` +
  ` left join lateral (${SEARCHABLE.map(
    (s) => `select to_jsonb(t) as row, ${snippetSql(s)} as snippet from ${s.table} t where best.kind = '${s.kind}' and t.id = best.id`,
  ).join(' union all ')}) hit on true` +
  ` order by best.rank desc, best.time desc nulls last, best.kind, best.id desc`;

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
    const rows = await query(em, SEARCH_SQL, [
      text,
      languages,
      languages.map((language) => HEADLINE_CONFIG[language]),
      kinds ?? Object.values(SearchKind),
      first,
    ]);
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
