import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminQuery, databaseUrl } from './helpers/harness';
import { freePort } from '../src/db/embedded';

/**
 * Several instances of the server started at the same moment on an empty database, as a
 * deployment rolls them out: they come up, and the migrations ran once.
 */
const ROOT = path.join(__dirname, '..');

describe('instances starting together', () => {
  const name = `forum_test_${randomBytes(6).toString('hex')}`;
  const children: ChildProcess[] = [];

  beforeAll(() => adminQuery(`create database "${name}"`));

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await adminQuery(`drop database if exists "${name}" with (force)`);
  });

  /** Starts `npm start`'s entry point on the database; resolves with its log lines once it is ready. */
  async function start(): Promise<string[]> {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--swc', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(name),
        PORT: String(await freePort()),
        SEED: '',
        JEST_WORKER_ID: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('forum portal API ready')) resolve(output.split('\n'));
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
    });
  }

  it('come up together on an empty database, with each migration applied once', async () => {
    const logs = await Promise.all([start(), start(), start()]);
    const migrated = logs.filter((lines) => lines.some((line) => line.includes('"msg":"migrations applied"')));
    expect(migrated).toHaveLength(1);

    const files = fs.readdirSync(path.join(ROOT, 'src/db/migrations')).filter((file) => file.endsWith('.ts'));
    const client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; times: string }>(
        'select name, count(*)::int as times from mikro_orm_migrations group by name order by name',
      );
      expect(rows).toEqual(
        files.map((file) => ({ name: file.replace(/\.ts$/, ''), times: 1 })).sort((a, b) => a.name.localeCompare(b.name)),
      );
    } finally {
      await client.end();
    }
  });
});
