import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { Config } from '../config';
import { sessionConnection } from './session-connection';

/** The advisory lock every process takes around the migrator ("mig" in ASCII). */
const MIGRATION_LOCK = 0x6d6967;

/**
 * Applies the pending migrations and returns their names. Several instances starting at once
 * against one database take turns on a PostgreSQL advisory lock: the first applies them, the
 * others then find nothing pending, instead of racing to create the same tables. The lock is
 * held on a session connection of its own (sessionConnection), outside the ORM's pool, and ends
 * with it if the process dies.
 */
export async function migrate(orm: MikroORM, config: Pick<Config, 'databaseListenUrl'>): Promise<string[]> {
  const lock = new Client({
    ...sessionConnection(orm, config),
    application_name: 'forum-portal migrations',
  });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await lock.end();
  }
}
