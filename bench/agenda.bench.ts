/*
 * `npm run bench`: throughput of the nested agenda GraphQL query against a hand-written endpoint
 * that returns the same JSON from one SQL statement (bench/hand-written.ts).
 *
 * The machine this runs on is small (2 cores) and shared, so absolute req/s swing from run to
 * run. What is reported and meant to be compared over time is the RATIO GraphQL ÷ hand-written,
 * measured in interleaved rounds (A, B, A, B, A, B) so that slow periods of the machine hit both
 * sides, plus quantities that do not depend on timing: SQL statements per request and memory.
 * Nothing here asserts a speed; only wrong answers or failed requests make it exit non-zero.
 *
 * Database: BENCH_DATABASE_URL (an admin URL; a fresh database is created on that server and
 * dropped at the end), else an embedded PostgreSQL in a temporary folder, removed at the end.
 */
import './log-level';
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { ormOptions } from '../src/db/mikro-orm.config';
import * as make from '../test/factories';
import { DEFAULT_FIRST, startHandWritten } from './hand-written';
import type { ClientMessage, RequestSpec, RunRequest, RunResult } from './load-client';

// Data: enough forums that requests rotate over different rows, sessions as on a real agenda.
const FORUMS = 20;
const SESSIONS_PER_FORUM = 40;
const SPEAKERS = 200;
const COUNTRY_CODES = ['KZ', 'UZ', 'KG', 'TJ', 'TM', 'AZ', 'MN', 'TR', 'CN', 'RU'];

// Load: 8 loops keep both cores busy without queueing far beyond the 10-connection pools.
const CONCURRENCY = 8;
const WARMUP_MS = 1_000;
const MEASURE_MS = 5_000;
const ROUNDS = 3;
const REQUEST_TIMEOUT_MS = 5_000;
const COUNTED_REQUESTS = 20;
/** Hard stop for the whole run; a normal run takes well under a minute. */
const DEADLINE_MS = 120_000;

const AGENDA_QUERY = `query Agenda($slug: String!, $first: Int) {
  forum(slug: $slug) {
    title
    sessions(first: $first) {
      edges { node { title startsAt participants { role speaker { fullName position country { code name } ministry { shortName } } } } }
    }
  }
}`;
/**
 * Both servers' successful answers start like this (PostgreSQL's json text has spaces around
 * colons, Apollo's has none); anything else, e.g. `errors` or a null forum, is a failure.
 */
const EXPECTED_START = String.raw`^\{\s*"data"\s*:\s*\{\s*"forum"\s*:\s*\{`;

/*
 * Counts every statement sent to PostgreSQL by this process, as test/helpers/harness.ts does:
 * the ORM, the loaders and the hand-written pool all go through pg's Client.query.
 */
let statements = 0;
const originalQuery = Client.prototype.query;
Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
  statements += 1;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof Client.prototype.query;

/* Everything opened is registered here and closed in reverse order, once, however the run ends. */
const closers: { name: string; close: () => Promise<void> }[] = [];
let closing: Promise<void> | undefined;
function closeAll(): Promise<void> {
  closing ??= (async () => {
    for (const { name, close } of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        process.stderr.write(`bench: closing ${name} failed: ${String(error)}\n`);
      }
    }
  })();
  return closing;
}

function abort(reason: string, code: number): void {
  process.stderr.write(`bench: ${reason}\n`);
  const sleep = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  void Promise.race([closeAll(), sleep]).finally(() => process.exit(code));
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function openDatabase(): Promise<{ url: string; description: string }> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    const name = `forum_bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database "${name}"`);
    closers.push({ name: `database ${name}`, close: () => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`) });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), description: `${name} on BENCH_DATABASE_URL (dropped at the end)` };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-bench-'));
  // mkdtemp makes the folder private; as root, PostgreSQL runs as the postgres OS user.
  fs.chmodSync(dir, 0o755);
  closers.push({ name: `folder ${dir}`, close: async () => fs.rmSync(dir, { recursive: true, force: true }) });
  const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'));
  closers.push({ name: 'embedded PostgreSQL', close: () => embedded.stop() });
  return { url: embedded.url, description: `embedded, in ${dir} (removed at the end)` };
}

/** The benchmark data through the test builders; returns the forum slugs. */
async function seed(em: EntityManager): Promise<string[]> {
  const countries = COUNTRY_CODES.map((code) => make.country(em, code));
  const ministries = countries.map((c) => make.ministry(em, c, `${c.code.toLowerCase()}-mci`));
  // Every other speaker works for a ministry, so the response mixes ministries and nulls.
  const speakers = Array.from({ length: SPEAKERS }, (_, i) =>
    make.speaker(em, `speaker-${i + 1}`, countries[i % countries.length], i % 2 === 0 ? ministries[i % ministries.length] : undefined),
  );
  const slugs: string[] = [];
  for (let f = 0; f < FORUMS; f += 1) {
    const slug = `bench-forum-${String(f + 1).padStart(2, '0')}`;
    slugs.push(slug);
    // Each forum starts at a different speaker so that forums do not share the same rows.
    const offset = (f * 10) % SPEAKERS;
    make.forumWithAgenda(em, {
      slug,
      host: countries[f % countries.length],
      sessions: SESSIONS_PER_FORUM,
      speakers: [...speakers.slice(offset), ...speakers.slice(0, offset)],
      startDate: new Date(Date.UTC(2025, 0, 1 + f * 7)).toISOString().slice(0, 10),
    });
  }
  await em.flush();
  // Fresh tables have no statistics; without them both sides could get arbitrary plans.
  await em.getConnection().execute('analyze');
  return slugs;
}

function graphqlRequest(base: string, slug: string): RequestSpec {
  return {
    url: `${base}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ query: AGENDA_QUERY, variables: { slug, first: DEFAULT_FIRST } }),
  };
}

function handWrittenRequest(base: string, slug: string): RequestSpec {
  return { url: `${base}/agenda?slug=${encodeURIComponent(slug)}&first=${DEFAULT_FIRST}`, method: 'GET', headers: {} };
}

async function send(request: RequestSpec): Promise<{ status: number; text: string }> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

/** Where two JSON values first differ, for a readable failure message. */
function firstDifference(a: unknown, b: unknown, at = 'data'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return `${at}: GraphQL ${JSON.stringify(a)?.slice(0, 200)} vs hand-written ${JSON.stringify(b)?.slice(0, 200)}`;
}

/**
 * Both servers must give the same data for every forum and for an unknown slug, else the
 * comparison is meaningless. Returns the response sizes of the first forum.
 */
async function verifySameData(graphqlBase: string, handBase: string, slugs: string[]): Promise<{ graphqlBytes: number; handBytes: number }> {
  let sizes: { graphqlBytes: number; handBytes: number } | undefined;
  for (const slug of [...slugs, 'no-such-forum']) {
    const [a, b] = await Promise.all([send(graphqlRequest(graphqlBase, slug)), send(handWrittenRequest(handBase, slug))]);
    if (a.status !== 200 || b.status !== 200) throw new Error(`${slug}: HTTP ${a.status} (GraphQL), ${b.status} (hand-written): ${a.text.slice(0, 300)}`);
    const [ga, hb] = [JSON.parse(a.text), JSON.parse(b.text)];
    if (ga.errors) throw new Error(`${slug}: GraphQL errors ${JSON.stringify(ga.errors)}`);
    const difference = firstDifference(ga.data, hb.data);
    if (difference) throw new Error(`${slug}: responses differ at ${difference}`);
    if (slug !== 'no-such-forum') {
      // Equal but empty would prove nothing: the agenda must be the full page with its people.
      const edges = ga.data?.forum?.sessions?.edges ?? [];
      if (edges.length !== SESSIONS_PER_FORUM || edges.some((e: { node: { participants: unknown[] } }) => e.node.participants.length !== 2)) {
        throw new Error(`${slug}: expected ${SESSIONS_PER_FORUM} sessions with 2 participants each`);
      }
    }
    sizes ??= { graphqlBytes: Buffer.byteLength(a.text), handBytes: Buffer.byteLength(b.text) };
  }
  return sizes!;
}

/** Statements per request, over sequential requests (nothing else runs meanwhile). */
async function statementsPerRequest(requests: RequestSpec[]): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < COUNTED_REQUESTS; i += 1) {
    const before = statements;
    const { status, text } = await send(requests[i % requests.length]);
    if (status !== 200 || !new RegExp(EXPECTED_START).test(text)) throw new Error(`counting statements: HTTP ${status} ${text.slice(0, 200)}`);
    counts.push(statements - before);
  }
  return counts;
}

interface LoadClient {
  run(requests: RequestSpec[]): Promise<RunResult & { serverCpuMs: number }>;
}

/** Forks bench/load-client.ts through ts-node (swc, like this script) and keeps it for all rounds. */
function startLoadClient(): LoadClient {
  const child = fork(require.resolve('ts-node/dist/bin'), ['--swc', path.join(__dirname, 'load-client.ts')], {
    // ts-node puts itself into this process's execArgv, which fork would pass on: the child
    // would then run ts-node's bin as its script instead of the client.
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  closers.push({
    name: 'load client',
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect(); // the client exits on disconnect
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  });

  return {
    run(requests) {
      return new Promise((resolve, reject) => {
        // This process's CPU time over the client's measured window: what one request costs
        // the Node server (PostgreSQL's share is not in it).
        let cpuAtStart: NodeJS.CpuUsage | undefined;
        let serverCpu: NodeJS.CpuUsage | undefined;
        const timer = setTimeout(() => finish(new Error('load round did not finish in time')), WARMUP_MS + MEASURE_MS + REQUEST_TIMEOUT_MS + 10_000);
        const onExit = (code: number | null) => finish(new Error(`load client exited with ${code}`));
        const onMessage = (message: ClientMessage) => {
          if (message.type === 'window-start') cpuAtStart = process.cpuUsage();
          else if (message.type === 'window-end') serverCpu = process.cpuUsage(cpuAtStart);
          else if (message.type === 'result') finish(undefined, message);
        };
        const finish = (error?: Error, result?: RunResult) => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (error || !result) reject(error);
          else {
            const cpu = serverCpu ?? process.cpuUsage(cpuAtStart);
            resolve({ ...result, serverCpuMs: (cpu.user + cpu.system) / 1000 });
          }
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        const request: RunRequest = {
          type: 'run',
          requests,
          concurrency: CONCURRENCY,
          warmupMs: WARMUP_MS,
          measureMs: MEASURE_MS,
          timeoutMs: REQUEST_TIMEOUT_MS,
          expectStart: EXPECTED_START,
        };
        child.send(request);
      });
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const started = performance.now();
  const out = (text = '') => process.stdout.write(`${text}\n`);
  const loadAverage = os.loadavg()[0].toFixed(2);

  const database = await openDatabase();
  const orm = await MikroORM.init(ormOptions(database.url));
  closers.push({ name: 'ORM', close: () => orm.close() });
  await orm.getMigrator().up();
  const seedStart = performance.now();
  const slugs = await seed(orm.em.fork());
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const app = await createApp(orm, loadConfig({}));
  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(0, '127.0.0.1', resolve);
  });
  // Apollo's drain plugin closes the HTTP server as part of stop().
  closers.push({ name: 'GraphQL server', close: () => app.apollo.stop() });
  const graphqlBase = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;

  const hand = await startHandWritten(database.url);
  closers.push({ name: 'hand-written server', close: () => hand.close() });
  const { rows: versionRows } = await hand.pool.query<{ server_version: string }>('show server_version');

  const sizes = await verifySameData(graphqlBase, hand.url, slugs);
  const graphqlRequests = slugs.map((slug) => graphqlRequest(graphqlBase, slug));
  const handRequests = slugs.map((slug) => handWrittenRequest(hand.url, slug));
  const graphqlStatements = await statementsPerRequest(graphqlRequests);
  const handStatements = await statementsPerRequest(handRequests);

  // Before any load: separates what the code loaded at start (ts-node, schema, ORM metadata)
  // from what serving requests adds to the peak.
  const rssBeforeLoadKb = process.memoryUsage().rss / 1024;
  const client = startLoadClient();
  // RSS after each round shows whether memory settles or keeps climbing under load.
  type Row = { round: number; server: 'GraphQL' | 'hand-written'; result: RunResult & { serverCpuMs: number }; rssKb: number };
  const results: Row[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Interleaved so that a noisy stretch of the machine lands on both sides, not one.
    results.push({ round, server: 'GraphQL', result: await client.run(graphqlRequests), rssKb: process.memoryUsage().rss / 1024 });
    results.push({ round, server: 'hand-written', result: await client.run(handRequests), rssKb: process.memoryUsage().rss / 1024 });
  }
  const peakRssKb = process.resourceUsage().maxRSS;

  const reqPerSecond = (r: RunResult) => r.completed / (r.windowMs / 1000);
  const ratios = Array.from({ length: ROUNDS }, (_, i) => {
    const [a, b] = results.filter((r) => r.round === i + 1).map((r) => reqPerSecond(r.result));
    return a / b;
  });
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const spread = (xs: number[]) => `mean ${mean(xs).toFixed(2)}, min ${Math.min(...xs)}, max ${Math.max(...xs)}`;
  const failed = results.reduce((n, r) => n + r.result.failed, 0);

  out(`agenda benchmark: GraphQL (Apollo + type-graphql + MikroORM) vs hand-written single SQL`);
  out(`postgres ${versionRows[0].server_version}, ${database.description}`);
  out(`node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAverage} at start`);
  out(`data: ${FORUMS} forums x ${SESSIONS_PER_FORUM} sessions x 2 participants, ${SPEAKERS} speakers, ${COUNTRY_CODES.length} countries, ${COUNTRY_CODES.length} ministries (seeded in ${seedSeconds.toFixed(1)} s)`);
  out(`load: ${CONCURRENCY} closed-loop fetch clients in a child process, ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured per round, rotating over ${slugs.length} slugs`);
  out(`verified: GraphQL data deep-equals hand-written for ${slugs.length} forums and an unknown slug; response ${sizes.graphqlBytes} vs ${sizes.handBytes} bytes`);
  out();
  out(
    table(
      ['round', 'server', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'server CPU %', 'server CPU ms/req', 'client CPU %', 'RSS after'],
      results.map(({ round, server, result: r, rssKb }) => [
        String(round),
        server,
        reqPerSecond(r).toFixed(0),
        r.p50Ms.toFixed(1),
        r.p99Ms.toFixed(1),
        String(r.failed),
        ((r.serverCpuMs / r.windowMs) * 100).toFixed(0),
        (r.serverCpuMs / r.completed).toFixed(2),
        r.clientCpuPercent.toFixed(0),
        mb(rssKb),
      ]),
    ),
  );
  out();
  out(`ratio GraphQL / hand-written req/s by round: ${ratios.map((r) => r.toFixed(3)).join('  ')}   median ${median(ratios).toFixed(3)}`);
  out(`SQL statements per request (${COUNTED_REQUESTS} sequential): GraphQL ${spread(graphqlStatements)}; hand-written ${spread(handStatements)}`);
  out(
    `peak RSS: bench process (both servers) ${mb(peakRssKb)} (${mb(rssBeforeLoadKb)} before load), ` +
      `load client ${mb(Math.max(...results.map((r) => r.result.maxRssKb)))}`,
  );
  out(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (failed > 0) {
    const first = results.find((r) => r.result.firstError)?.result.firstError;
    process.stderr.write(`bench: ${failed} requests failed; first: ${first}\n`);
    return 1;
  }
  return 0;
}

const watchdog = setTimeout(() => abort(`still running after ${DEADLINE_MS / 1000} s, giving up`, 2), DEADLINE_MS);
watchdog.unref();
process.once('SIGINT', () => abort('interrupted', 130));

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    await closeAll();
    // Everything is closed, so the process should end now; if some handle still holds it, say
    // so and end anyway rather than hang.
    setTimeout(() => {
      process.stderr.write('bench: something kept the process alive after closing; exiting\n');
      process.exit(process.exitCode ?? 1);
    }, 5_000).unref();
  });
