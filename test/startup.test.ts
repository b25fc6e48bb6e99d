import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { adminQuery, databaseUrl } from './helpers/harness';

/**
 * A start that fails says why and what to do, in one line, as a new user would meet it: a second
 * `npm start` in the same checkout, a port in use, a database that does not answer, a bad setting.
 */
const ROOT = path.join(__dirname, '..');

/** Runs the entry point until it exits; its exit code and the messages it logged. */
function run(env: Record<string, string>): Promise<{ code: number | null; messages: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--swc', 'src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', SEED: '', JEST_WORKER_ID: '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const messages = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      resolve({ code, messages });
    });
  });
}

describe('a start that fails', () => {
  const database = `forum_test_${randomBytes(6).toString('hex')}`;
  beforeAll(() => adminQuery(`create database "${database}"`));
  afterAll(() => adminQuery(`drop database if exists "${database}" with (force)`));

  it('names the cause and the fix in one line', async () => {
    const occupied = net.createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    const port = (occupied.address() as net.AddressInfo).port;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-startup-'));
    // What PostgreSQL leaves in its data folder while it runs: the first line is its process id.
    fs.writeFileSync(path.join(folder, 'postmaster.pid'), `${process.pid}\n${folder}\n`);
    try {
      const [portInUse, unreachable, folderInUse, badSetting] = await Promise.all([
        run({ DATABASE_URL: databaseUrl(database), PORT: String(port) }),
        run({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/forum' }),
        run({ EMBEDDED_DATA_DIR: folder }),
        run({ PORT: 'eighty' }),
      ]);
      const failure = (result: { code: number | null; messages: string[] }) => {
        expect(result.code).toBe(1);
        const failures = result.messages.filter((m) => m.startsWith('failed to start'));
        expect(failures).toHaveLength(1);
        return failures[0];
      };
      expect(failure(portInUse)).toBe(`failed to start: port ${port} is in use: stop what listens there, or set PORT to a free port`);
      expect(failure(unreachable)).toMatch(
        /^failed to start: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\): .+; check that it runs and that DATABASE_URL is right$/,
      );
      expect(failure(folderInUse)).toBe(
        `failed to start: the embedded database folder ${folder} is in use by PostgreSQL process ${process.pid} (is another npm start running?): stop it, or set EMBEDDED_DATA_DIR to another folder`,
      );
      expect(failure(badSetting)).toBe('failed to start: PORT must be an integer between 0 and 65535, got "eighty"');
    } finally {
      occupied.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the database pool', () => {
  const database = `forum_test_${randomBytes(6).toString('hex')}`;
  beforeAll(() => adminQuery(`create database "${database}"`));
  afterAll(() => adminQuery(`drop database if exists "${database}" with (force)`));

  it('is 10 for a server elsewhere, 2 per core (2 to 10) for the embedded one, or DATABASE_POOL_SIZE', () => {
    expect(loadConfig({ DATABASE_URL: databaseUrl(database) }).databasePoolSize).toBe(10);
    expect(loadConfig({}).databasePoolSize).toBe(Math.min(10, Math.max(2, 2 * os.availableParallelism())));
    expect(loadConfig({ DATABASE_POOL_SIZE: '3' }).databasePoolSize).toBe(3);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow('DATABASE_POOL_SIZE must be an integer between 1 and 1000, got "0"');
  });

  it('runs at most DATABASE_POOL_SIZE statements at once; the others wait their turn', async () => {
    const db = await openDatabase(loadConfig({ DATABASE_URL: databaseUrl(database), DATABASE_POOL_SIZE: '3', MIGRATE_ON_START: 'false' }));
    const watcher = new Client({ connectionString: databaseUrl(database) });
    await watcher.connect();
    try {
      const sleeping = Array.from({ length: 8 }, () => db.orm.em.getConnection().execute('select pg_sleep(0.3)'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const { rows } = await watcher.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and query = 'select pg_sleep(0.3)' and state = 'active'",
      );
      expect(rows[0].n).toBe(3);
      await Promise.all(sleeping);
    } finally {
      await watcher.end();
      await db.close();
    }
  });
});
