import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { ormOptions } from '../db/mikro-orm.config';

/**
 * `npm run migrate`: applies the pending migrations to DATABASE_URL and exits, for a deploy step
 * that migrates before the new instances start (with MIGRATE_ON_START=false). Safe to run while
 * instances start: they take turns on the same advisory lock.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError('npm run migrate needs DATABASE_URL (the embedded database migrates when npm start starts it)');
  const orm = await MikroORM.init(ormOptions(config.databaseUrl, config.statementTimeoutMs, config.databasePoolSize));
  try {
    const applied = await migrate(orm, config);
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'nothing to apply: the database is up to date\n');
    return 0;
  } finally {
    await orm.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
