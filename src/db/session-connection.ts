import type { MikroORM } from '@mikro-orm/postgresql';
import type { ClientConfig } from 'pg';
import type { Config } from '../config';

/**
 * The pg settings of a connection that needs a PostgreSQL session of its own, outside the ORM's
 * pool: LISTEN, and session-level advisory locks. A transaction-mode pooler (PgBouncer) hands the
 * server connection to another client after each transaction, and the LISTEN or the lock with it,
 * so DATABASE_LISTEN_URL may name PostgreSQL directly while DATABASE_URL names the pooler.
 * Without it, the ORM's own connection (DATABASE_URL or the embedded database).
 */
export function sessionConnection(orm: MikroORM, config: Pick<Config, 'databaseListenUrl'>): ClientConfig {
  const options = orm.em.getConnection().getConnectionOptions() as ClientConfig;
  // pg takes host, port, user, password and database from the URL over these, and keeps the ORM's
  // type parsers (dates as text), which the listeners' own queries rely on.
  return config.databaseListenUrl ? { ...options, connectionString: config.databaseListenUrl } : options;
}
