import { MikroORM } from '@mikro-orm/postgresql';
import { StartupError, type Config } from '../config';
import { logger } from '../logger';
import { usePreparedStatements } from '../shared/sql-loading';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';
import { ormOptions } from './mikro-orm.config';
import { seed } from './seed';

export interface Database {
  orm: MikroORM;
  /** Closes the ORM, then stops the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or to an embedded PostgreSQL when none is given; applies pending
 * migrations (unless MIGRATE_ON_START=false: `npm run migrate` does it then); loads the seed data into a newly created embedded database or when SEED is set.
 */
export async function openDatabase(config: Config): Promise<Database> {
  usePreparedStatements(config.preparedStatements);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embeddedDataDir, { stopOnSignals: false });
  try {
    const orm = await MikroORM.init(ormOptions(config.databaseUrl ?? embedded!.url, config.statementTimeoutMs, config.databasePoolSize));
    try {
      await checkStatementTimeout(orm, config.statementTimeoutMs);
      if (config.migrateOnStart) {
        const applied = await migrate(orm, config);
        if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
      }
      if (embedded?.created || config.seed) {
        const counts = await seed(orm.em.fork());
        logger.info(counts, 'seed data loaded');
      }
    } catch (error) {
      await orm.close();
      throw error;
    }
    return {
      orm,
      async close() {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw refusedStatementTimeout(error) ?? error;
  }
}

/** PgBouncer's refusal of the statement_timeout startup parameter, as a start-up error that says what to change. */
function refusedStatementTimeout(error: unknown): StartupError | undefined {
  if (!(error instanceof Error && error.message.includes('unsupported startup parameter: statement_timeout'))) return undefined;
  return new StartupError(
    'the pooler at DATABASE_URL refuses the statement_timeout startup parameter: add "ignore_startup_parameters = statement_timeout" to its configuration and set the timeout with ALTER ROLE … SET statement_timeout (README, Behind PgBouncer)',
  );
}

/**
 * Warns when the pool's connections run with another statement_timeout than STATEMENT_TIMEOUT_MS.
 * It is sent as a startup parameter, which PgBouncer refuses unless it is in its
 * ignore_startup_parameters, and then drops: behind it, the role's or database's own setting
 * (ALTER ROLE … SET statement_timeout) applies, and without one nothing is ever cancelled.
 */
async function checkStatementTimeout(orm: MikroORM, expectedMs: number): Promise<void> {
  const [{ ms }] = await orm.em
    .getConnection()
    .execute<{ ms: number }[]>("select setting::int as ms from pg_settings where name = 'statement_timeout'");
  if (ms !== expectedMs) {
    logger.warn(
      { statementTimeoutMs: ms, expectedMs },
      `statement_timeout is ${ms} ms on the database connections, not STATEMENT_TIMEOUT_MS=${expectedMs}: behind PgBouncer, set it with ALTER ROLE … SET statement_timeout`,
    );
  }
}
