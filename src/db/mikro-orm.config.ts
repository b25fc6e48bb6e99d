import path from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { logger } from '../logger';
import type { Client } from 'pg';
import { TRIGRAM_THRESHOLD_SQL } from '../shared/search';
import { entities } from './entities';
import { uncounted } from './statement-hook';

/**
 * One ORM configuration for the server, the tests and the `mikro-orm` CLI. Only the connection
 * differs between them.
 */
export function ormOptions(clientUrl: string, statementTimeoutMs = 5000, poolSize = 10): Options {
  return defineConfig({
    clientUrl,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    // The schema changes only through migrations, never by the ORM at start-up.
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
    // The ORM's own messages (e.g. the migrator's) go to our logger instead of the console.
    logger: (message: string) => logger.debug({ orm: message }),
    // A request waits at most a few seconds for a connection, and a statement runs at most
    // statementTimeoutMs, instead of knex's 60 s defaults that pile up requests under load.
    pool: {
      min: 0,
      max: poolSize,
      acquireTimeoutMillis: 5000,
      // Not a statement of any request, so left out of the statement counts.
      afterCreate: (connection: Client, done: (error: Error | null, connection: Client) => void) => {
        uncounted(connection, () => connection.query(TRIGRAM_THRESHOLD_SQL)).then(
          () => done(null, connection),
          (error: Error) => done(error, connection),
        );
      },
    },
    // A startup parameter, not `SET`: behind a transaction-mode pooler a session's SET stays on
    // whichever server connection ran it, and `SET LOCAL` lasts one transaction, which reads do not
    // open. PgBouncer refuses the parameter unless it is in ignore_startup_parameters, and then the
    // role's own setting applies (README, "Behind PgBouncer"; database.ts warns when they differ).
    driverOptions: { connection: { statement_timeout: statementTimeoutMs } },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(__dirname, 'migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    // The search vocabulary is a table that triggers fill (shared/search.ts): no entity maps it,
    // and a generated migration must not drop it.
    schemaGenerator: { skipTables: ['search_word'] },
    // Jest runs TypeScript through swc, which MikroORM does not detect as a TS run: without this
    // it would look for compiled migrations and find none.
    preferTs: __filename.endsWith('.ts'),
  });
}

/** Used by the `mikro-orm` CLI (e.g. `npm run migration:create`). */
export default ormOptions(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/forum_portal_dev');
