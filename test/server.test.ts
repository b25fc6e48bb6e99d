import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { localPoolSize } from '../src/config';
import { freePort } from '../src/db/embedded';

/**
 * The README's `npm start` on a machine without DATABASE_URL: the real entry point starts an
 * embedded PostgreSQL, migrates and seeds it, serves GraphQL over HTTP, and stops everything on
 * SIGTERM. A second start on the same data folder serves the same data without seeding again.
 */
const ROOT = path.join(__dirname, '..');

interface Started {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--swc', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', SEED: '', JEST_WORKER_ID: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'forum portal API ready') resolve();
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logs, ready, exited };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function query(port: number, body: object): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en-GB,en;q=0.9,ru;q=0.5' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('npm start without DATABASE_URL', () => {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-portal-start-'));
  let running: Started | undefined;

  beforeAll(() => {
    // mkdtemp makes the folder private to root; PostgreSQL may run as the postgres user.
    fs.chmodSync(dataRoot, 0o755);
  });

  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  afterAll(() => {
    fs.rmSync(dataRoot, { recursive: true, force: true });
  });

  const FORUM = {
    query: `query($slug: String!) { forum(slug: $slug) { title timeZone days { date }
      sessions(first: 1) { edges { node { title participants { role speaker { slug fullName } } } } } } }`,
    variables: { slug: 'camf-2025' },
  };

  it('serves the seeded forum on an embedded PostgreSQL and stops it on SIGTERM', async () => {
    const port = await freePort();
    running = startServer({ PORT: String(port), EMBEDDED_DATA_DIR: path.join(dataRoot, 'pg') });
    await running.ready;

    const body = await query(port, FORUM);
    expect(body).toEqual({
      data: {
        forum: {
          title: 'Second Central Asian Media Forum',
          timeZone: 'Asia/Almaty',
          days: [{ date: '2025-04-16' }, { date: '2025-04-17' }],
          sessions: {
            edges: [
              {
                node: {
                  title: expect.any(String),
                  participants: [{ role: 'SPEAKER', speaker: { slug: 'aida-balaeva', fullName: 'Aida Balaeva' } }],
                },
              },
            ],
          },
        },
      },
    });
    const embeddedPort = running.logs.find((l) => l.msg === 'embedded PostgreSQL started')!.port as number;
    expect(await accepts(embeddedPort)).toBe(true);
    expect(running.logs.some((l) => l.msg === 'seed data loaded')).toBe(true);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(await accepts(embeddedPort)).toBe(false);
  });

  it('starts again on the same data folder without seeding twice', async () => {
    const port = await freePort();
    running = startServer({ PORT: String(port), EMBEDDED_DATA_DIR: path.join(dataRoot, 'pg') });
    await running.ready;
    expect(running.logs.some((l) => l.msg === 'seed data loaded')).toBe(false);
    const body = await query(port, { query: '{ forums { totalCount } }' });
    expect(body).toEqual({ data: { forums: { totalCount: 2 } } });
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('answers the requests in flight when SIGTERM arrives, then exits 0', async () => {
    const port = await freePort();
    running = startServer({ PORT: String(port), EMBEDDED_DATA_DIR: path.join(dataRoot, 'pg') });
    await running.ready;
    const AGENDA = {
      query: `query($slug: String!) { forum(slug: $slug) { sessions(first: 50) { nodes { title startsAt
        participants { role speaker { slug fullName country { name } } } } } } }`,
      variables: { slug: 'camf-2025' },
    };
    // Holds the requests inside the server: they wait for this lock, so the server has read
    // every one of them before the signal (a request it has not read yet when the drain starts
    // is refused with the idle connections: that is not "in flight").
    const embeddedPort = running.logs.find((l) => l.msg === 'embedded PostgreSQL started')!.port as number;
    const locker = new Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${embeddedPort}/forum_portal` });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table session in access exclusive mode');
    const requests = Array.from({ length: 12 }, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(AGENDA),
      });
      const body = (await response.json()) as { data?: { forum?: { sessions?: { nodes?: unknown[] } } }; errors?: unknown };
      return { status: response.status, sessions: body.data?.forum?.sessions?.nodes?.length, errors: body.errors, done: Date.now() };
    });
    // Wait until the server holds them: the pool's connections (2 per core for the embedded
    // database) blocked on the lock, the other requests waiting for a connection, rather than a
    // fixed delay that a busy machine outruns.
    const watcher = new Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${embeddedPort}/forum_portal` });
    await watcher.connect();
    for (let tries = 0; tries < 200; tries += 1) {
      const { rows } = await watcher.query("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'");
      if (rows[0].n >= localPoolSize()) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await watcher.end();
    const signalled = Date.now();
    running.child.kill('SIGTERM');
    // The server is draining now; let the requests go on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(running.child.exitCode).toBeNull();
    await locker.query('rollback');
    await locker.end();

    const answers = await Promise.all(requests);
    expect(await running.exited).toBe(0);
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, sessions: expect.any(Number), errors: undefined });
    expect(answers.filter((a) => a.done > signalled + 300)).toHaveLength(answers.length);
  });
});
