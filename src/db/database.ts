import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { logger } from '../logger';
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
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embeddedDataDir, { stopOnSignals: false });
  try {
    const orm = await MikroORM.init(ormOptions(config.databaseUrl ?? embedded!.url, config.statementTimeoutMs));
    try {
      if (config.migrateOnStart) {
        const applied = await migrate(orm);
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
    throw error;
  }
}
