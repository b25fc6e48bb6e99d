import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { logger } from '../logger';
import { startEmbeddedPostgres } from './embedded';
import { ormOptions } from './mikro-orm.config';
import { seed } from './seed';

export interface Database {
  orm: MikroORM;
  /** Closes the ORM, then stops the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or to an embedded PostgreSQL when none is given; applies pending
 * migrations; loads the seed data into a newly created embedded database or when SEED is set.
 */
export async function openDatabase(config: Config): Promise<Database> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embeddedDataDir, { stopOnSignals: false });
  try {
    const orm = await MikroORM.init(ormOptions(config.databaseUrl ?? embedded!.url, config.statementTimeoutMs));
    try {
      const applied = await orm.getMigrator().up();
      if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
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
