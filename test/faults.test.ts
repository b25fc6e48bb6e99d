import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { ormOptions } from '../src/db/mikro-orm.config';
import * as make from './factories';

const ROOT = path.join(__dirname, '..');
const ACQUIRE_TIMEOUT_MS = 1000;

interface ControlledPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  exit(): Promise<void>;
}

/** An embedded PostgreSQL in a child process (test/helpers/embedded-postgres-process.ts). */
async function startControlledPostgres(dataDir: string): Promise<ControlledPostgres> {
  const child: ChildProcess = fork(
    path.join(ROOT, 'node_modules/ts-node/dist/bin.js'),
    ['--swc', 'test/helpers/embedded-postgres-process.ts', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const reply = <T>(accept: (m: any) => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: any) => {
        if (m.error || m.failed) reject(new Error(`embedded PostgreSQL: ${m.error ?? m.failed}`));
        const value = accept(m);
        if (value === undefined) return;
        child.off('message', onMessage);
        resolve(value);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`embedded PostgreSQL process exited (${code})`)));
    });
  const command = (name: 'stop' | 'start' | 'exit') => {
    const done = reply((m) => (m.done === name ? true : undefined));
    child.send(name);
    return done.then(() => undefined);
  };
  const url = await reply((m) => m.url as string | undefined);
  return {
    url,
    stop: () => command('stop'),
    start: () => command('start'),
    exit: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('exit');
      await exited;
    },
  };
}

const OUTAGE_MS = 2000;

interface Outcome {
  kind: 'read' | 'view';
  status: number;
  code?: string;
  views?: number;
  ms: number;
  at: number;
}

/**
 * The database goes away under steady traffic and comes back: requests in between fail fast
 * with 503 SERVICE_UNAVAILABLE, the same server process then answers normally again, and every
 * acknowledged write is still there. Uses its own embedded PostgreSQL, which it stops.
 */
describe('database outage', () => {
  let dir: string;
  let pg: ControlledPostgres | undefined;
  let orm: MikroORM | undefined;
  let app: App | undefined;
  let url: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-portal-faults-'));
    // mkdtemp makes the folder private to root; PostgreSQL may run as the postgres user.
    fs.chmodSync(dir, 0o755);
    pg = await startControlledPostgres(path.join(dir, 'pg'));
    const options = ormOptions(pg.url, 2000);
    orm = await MikroORM.init({ ...options, pool: { ...options.pool, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS } });
    await orm.getMigrator().up();
    const em = orm.em.fork();
    make.article(em, 'steady', '2025-05-01T10:00:00Z');
    await em.flush();
    // Every request comes from one IP: the mutation budget would otherwise end the loop early.
    app = await createApp(orm, { ...loadConfig({}), mutationRateLimit: 0 });
    await new Promise<void>((resolve) => app!.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    await app?.apollo.stop();
    await orm?.close();
    await pg?.exit();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function request(kind: Outcome['kind']): Promise<Outcome> {
    const query = kind === 'view' ? 'mutation { recordArticleView(slug: "steady") }' : '{ article(slug: "steady") { slug viewCount } }';
    const started = Date.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: { recordArticleView?: number } | null; errors?: { extensions?: { code?: string } }[] };
    return {
      kind,
      status: response.status,
      code: body.errors?.[0]?.extensions?.code,
      views: body.data?.recordArticleView,
      ms: Date.now() - started,
      at: started,
    };
  }

  async function viewCount(): Promise<number> {
    const [row] = await orm!.em.getConnection().execute<{ view_count: number }[]>("select view_count from article where slug = 'steady'");
    return Number(row.view_count);
  }

  it('answers 503 while PostgreSQL is down, recovers by itself and loses no acknowledged write', async () => {
    const initial = await viewCount();
    const outcomes: Outcome[] = [];
    let running = true;
    // Four clients, each sending a read then a view, back to back.
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        outcomes.push(await request('read'));
        outcomes.push(await request('view'));
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 500));
    const down = Date.now();
    await pg!.stop();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await pg!.start();
    const up = Date.now();
    // Keep going until every client has been answered normally again, for a while.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    running = false;
    await Promise.all(clients);

    const during = outcomes.filter((o) => o.at >= down && o.at < up);
    const after = outcomes.filter((o) => o.at >= up + 500);
    // Useful when it fails: what was seen, per phase.
    const summary = (list: Outcome[]) =>
      list.reduce<Record<string, number>>(
        (acc, o) => ({ ...acc, [`${o.kind} ${o.status} ${o.code ?? ''}`]: (acc[`${o.kind} ${o.status} ${o.code ?? ''}`] ?? 0) + 1 }),
        {},
      );
    const report = {
      outageMs: up - down,
      before: summary(outcomes.filter((o) => o.at < down)),
      during: summary(during),
      after: summary(after),
    };

    expect(report.outageMs).toBeGreaterThanOrEqual(OUTAGE_MS);
    // Never a masked 500 or another status: either an answer or a coded 503.
    expect(
      outcomes.filter((o) => !(o.status === 200 && o.code === undefined) && !(o.status === 503 && o.code === 'SERVICE_UNAVAILABLE')),
    ).toEqual([]);
    expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    // Not a hang: a refused request is bounded by the pool's acquire timeout.
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(ACQUIRE_TIMEOUT_MS + 1500);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((o) => o.status !== 200)).toEqual([]);

    const acknowledged = outcomes.filter((o) => o.kind === 'view' && o.status === 200 && typeof o.views === 'number').length;
    expect(acknowledged).toBeGreaterThan(0);
    expect(await viewCount()).toBe(initial + acknowledged);
    console.log(JSON.stringify({ ...report, requests: outcomes.length, acknowledgedViews: acknowledged }));
  }, 30_000);
});
