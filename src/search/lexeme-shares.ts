import type { EntityManager } from '@mikro-orm/postgresql';
import { uncounted } from '../db/statement-hook';
import { logger } from '../logger';
import { onConnection } from '../shared/sql-loading';
import type { Tsquery } from '../shared/tsquery';

/*
 * How many rows of a table a search's words match, estimated from PostgreSQL's own statistics of
 * its search_vector column (pg_stats.most_common_elems: the most common lexemes, each with the
 * share of rows holding it; ANALYZE, and autovacuum's, keep them).
 *
 * The search needs this because the planner's choice between the GIN index and a newest-first
 * scan goes wrong both ways on articles of a real length:
 * - a lexeme the statistics do not list is guessed at 0.5% of the rows, so a word with a few
 *   similar spellings (seven alternatives) is guessed at 3.4%, and a newest-first scan, which
 *   expects 200 matches within the first 6,000 rows, reads all 50,000 articles instead (1 s on the
 *   bench dataset: each row's vector is read out of TOAST to be matched, which the planner does
 *   not count);
 * - for that same reason it reads a word in every row in a sequential scan when asked for every
 *   match (700 ms), where the newest-first scan stops after 200 (4 ms).
 * Here a lexeme the statistics do not list counts as no rows, and a query takes the newest-first
 * scan only where it is expected to be cheaper (newestFirst).
 */

/**
 * What reading a row in a newest-first scan costs against fetching a row the GIN index found:
 * the first reads the row's vector out of TOAST and matches it (14 µs an article on the bench
 * dataset, 2,400 characters in each language), the second only the row (0.74 µs: 37 ms for all
 * 50,000). For `limit` candidates out of `rows`, of which a share `s` match, the first reads about
 * limit / s rows and the second fetches s · rows: the first is cheaper from
 * s = sqrt(READ_TO_FETCH · limit / rows). For search's 200 candidates of 50,000 articles that is
 * 28%, and the two were measured to cost the same at 25% (16 ms and 18 ms), the index 5 ms against
 * 120 ms at 4%, and the newest-first scan 4 ms against 37 ms at 100%.
 */
const READ_TO_FETCH = 19;

/** How old the statistics may get before they are read again (in the background). */
const REFRESH_MS = 5 * 60_000;

const STATISTICS_SQL =
  'select s.tablename as "table", c.reltuples::float8 as rows, s.most_common_elems::text::text[] as lexemes,' +
  ' s.most_common_elem_freqs::float8[] as shares from pg_stats s' +
  ' join pg_namespace n on n.nspname = s.schemaname join pg_class c on c.relnamespace = n.oid and c.relname = s.tablename' +
  " where s.schemaname = current_schema() and s.attname = 'search_vector' and s.most_common_elems is not null";

/** A table's listed lexemes, sorted (prefixes are ranges), with their shares. */
interface TableStatistics {
  /** Its rows when it was last analyzed. */
  rows: number;
  lexemes: string[];
  shares: Map<string, number>;
}

function estimate(query: Tsquery, statistics: TableStatistics): number {
  switch (query.kind) {
    case 'lexeme':
      return query.prefix ? prefixShare(query.lexeme, statistics) : (statistics.shares.get(query.lexeme) ?? 0);
    case 'not':
      return 1 - estimate(query.operand, statistics);
    // Independent words: a guess on the low side for words that go together, which errs towards
    // the index, whose cost stays bounded by the matches.
    case 'and':
      return query.operands.reduce((share, operand) => share * estimate(operand, statistics), 1);
    case 'or':
      return 1 - query.operands.reduce((none, operand) => none * (1 - estimate(operand, statistics)), 1);
  }
}

/** The listed lexemes that start with `prefix`, together, as if no row held two of them. */
function prefixShare(prefix: string, { lexemes, shares }: TableStatistics): number {
  let low = 0;
  let high = lexemes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lexemes[middle] < prefix) low = middle + 1;
    else high = middle;
  }
  let share = 0;
  for (let i = low; i < lexemes.length && lexemes[i].startsWith(prefix) && share < 1; i += 1) share += shares.get(lexemes[i])!;
  return Math.min(share, 1);
}

/** The statistics of one database, read through the ORM's pool and refreshed every REFRESH_MS. */
export class LexemeShares {
  private tables = new Map<string, TableStatistics>();
  private readAt = -Infinity;
  private reading: Promise<void> | undefined;

  constructor(private readonly knex: ReturnType<EntityManager['getKnex']>) {}

  /** Resolves once the statistics have been read at least once; later refreshes run meanwhile. */
  async ready(): Promise<this> {
    if (performance.now() - this.readAt > REFRESH_MS) {
      // The next search tries again; meanwhile the estimates keep what they had (none at first:
      // every search then goes through the GIN index, slower for a common word but bounded).
      this.refresh().catch((error: unknown) => logger.warn({ err: error }, 'search: could not read the lexeme statistics'));
    }
    if (this.readAt === -Infinity) await this.reading?.catch(() => undefined);
    return this;
  }

  /** Reads the statistics again (after an ANALYZE that should count at once, in the tests). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /**
   * Whether the newest `limit` rows of `table` matching any of `queries` are found sooner by
   * reading the rows newest first than through the GIN index (READ_TO_FETCH).
   */
  newestFirst(table: string, queries: readonly Tsquery[], limit: number): boolean {
    const rows = this.tables.get(table)?.rows ?? 0;
    return rows > 0 && this.share(table, queries) >= Math.sqrt((READ_TO_FETCH * limit) / rows);
  }

  /** The estimated share of `table`'s rows that match any of `queries` (parsed by parseTsquery). */
  share(table: string, queries: readonly Tsquery[]): number {
    const statistics = this.tables.get(table);
    if (!statistics) return 0;
    return queries.length ? estimate({ kind: 'or', operands: [...queries] }, statistics) : 0;
  }

  private async read(): Promise<void> {
    // Not a statement of the request that happens to start it.
    const { rows } = await onConnection(this.knex, (connection) =>
      uncounted(connection, () => connection.query<{ table: string; rows: number; lexemes: string[]; shares: number[] }>(STATISTICS_SQL)),
    );
    this.tables = new Map(
      rows.map(({ table, rows: count, lexemes, shares }) => {
        const byLexeme = new Map(lexemes.map((lexeme, i) => [lexeme, shares[i]]));
        return [table, { rows: count, lexemes: [...byLexeme.keys()].sort(), shares: byLexeme }];
      }),
    );
    this.readAt = performance.now();
  }
}

/** One per database (a driver per ORM instance): the forks of a request share their ORM's. */
const byDriver = new WeakMap<object, LexemeShares>();

/** The lexeme statistics of `em`'s database, read at least once. */
export function lexemeShares(em: EntityManager): Promise<LexemeShares> {
  const driver = em.getDriver();
  let shares = byDriver.get(driver);
  if (!shares) byDriver.set(driver, (shares = new LexemeShares(em.getKnex())));
  return shares.ready();
}
