/*
 * `npm run bench`: the real server, compiled and in production mode, against a baseline that
 * answers the same two operations (agenda, coverage) with one hand-written SQL statement each
 * (bench/baseline.ts), on a synthetic dataset of realistic size (bench/dataset.ts), driven by
 * autocannon from a separate process (bench/load-client.ts). The search scenario has no
 * baseline: it measures the server alone, on the texts of SEARCH_TEXTS (bench/operations.ts).
 *
 * The machine this runs on is small (2 cores) and shared, so absolute req/s swing from run to
 * run. What is meant to be compared over time is the RATIO server ÷ baseline req/s within the
 * same round, rounds interleaved (A B A B) so that a slow stretch of the machine hits both
 * sides, plus figures that do not depend on timing: SQL statements per request and memory.
 * Nothing here asserts a speed: only wrong answers, failed requests or a failed setup make it
 * exit non-zero.
 *
 * Settings (environment):
 *   BENCH_DATABASE_URL   an admin URL: a database forum_bench_<random> is created there and
 *                        dropped at the end; without it an embedded PostgreSQL runs in a
 *                        temporary folder
 *   BENCH_SECONDS        measured seconds per run (default 10)
 *   BENCH_ROUNDS         rounds per scenario (default 2)
 *   BENCH_SCENARIOS      a comma-separated subset, e.g. agenda,overload (default: all)
 *   BENCH_CPU_PROF=dir   or `npm run bench -- --cpu-prof[=dir]`: run the server under
 *                        `node --cpu-prof` and write its profiles to dir (default bench-profiles/)
 * Writes bench-results.json in the repository root.
 */
import './log-level';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { localPoolSize } from '../src/config';
import { ormOptions } from '../src/db/mikro-orm.config';
import { fillDataset, madeUpWord, SIZES } from './dataset';
import { adminToken, startEditing, type EditFigures } from './editor';
import type { RunResult } from './load-client';
import {
  AGENDA_SESSIONS,
  baselineTemplate,
  COVERAGE_ARTICLES,
  EXPECTED_START,
  fillTemplate,
  graphqlTemplate,
  SEARCH_HITS,
  SEARCH_TEXTS,
  seededRandom,
  typo,
  type Operation,
  type RequestTemplate,
  type ServerOperation,
} from './operations';
import {
  cpuMs,
  peakRssKb,
  resetPeakRss,
  startBaseline,
  startLoadClient,
  startServer,
  type BaselineProcess,
  type LoadClient,
  type ServerProcess,
} from './processes';
import { closers, compileServer, cpuProfileDir, git, log, openDatabase, positiveInteger, REPO, round2, runBench, since } from './setup';

const SECONDS = positiveInteger('BENCH_SECONDS', 10);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 2);
/** Enough for V8 to optimize the hot paths and the pools to fill; shorter for quick checks. */
const WARMUP_SECONDS = Math.min(3, Math.max(1, Math.round(SECONDS / 3)));
const CONNECTIONS = 10;
/**
 * The overload scenario: the cold agenda (no response cache) from this many connections at once,
 * as when an event app's users all open the day's agenda together. Each refused connection asks
 * again at once (autocannon ignores Retry-After), so this is harsher than real clients.
 */
const OVERLOAD_CONNECTIONS = 1000;
const TIMEOUT_SECONDS = 10;
/** Sequential requests per scenario and side over which SQL statements are counted. */
const COUNTED_REQUESTS = 20;
const UNKNOWN_SLUG = 'no-such-forum';

interface Scenario {
  name: 'agenda' | 'coverage' | 'agendaCached' | 'coverageCached' | 'agendaCachedEdits' | 'search';
  operation: ServerOperation;
  cached: boolean;
  /** While it runs, a second client edits a session per second in the forums no request reads (bench/editor.ts). */
  edits?: boolean;
}

/* The server is started once without its response cache and once with it (the default). */
const ALL_SCENARIOS: Scenario[] = [
  { name: 'agenda', operation: 'agenda', cached: false },
  { name: 'coverage', operation: 'coverage', cached: false },
  { name: 'agendaCached', operation: 'agenda', cached: true },
  { name: 'agendaCachedEdits', operation: 'agenda', cached: true, edits: true },
  { name: 'coverageCached', operation: 'coverage', cached: true },
  // Without the response cache: a search box's texts rarely repeat.
  { name: 'search', operation: 'search', cached: false },
];

/**
 * BENCH_SCENARIOS: a comma-separated subset, e.g. `agenda,overload` (default: all). overload is
 * compared with agenda, which it brings along; agendaCachedEdits likewise with agendaCached.
 */
function chosenScenarios(): { scenarios: Scenario[]; overload: boolean } {
  const raw = process.env.BENCH_SCENARIOS?.trim();
  if (!raw) return { scenarios: ALL_SCENARIOS, overload: true };
  const names = new Set(raw.split(',').map((name) => name.trim()));
  const known = new Set<string>([...ALL_SCENARIOS.map((s) => s.name), 'overload']);
  const unknown = [...names].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  if (names.has('overload')) names.add('agenda');
  if (names.has('agendaCachedEdits')) names.add('agendaCached');
  return { scenarios: ALL_SCENARIOS.filter((s) => names.has(s.name)), overload: names.has('overload') };
}
const { scenarios: SCENARIOS, overload: RUN_OVERLOAD } = chosenScenarios();

/** Forums only the editor touches: the load reads the others. */
const EDITED_FORUMS = 10;

const RUNS = SCENARIOS.reduce((n, s) => n + ROUNDS * (s.operation === 'search' ? 1 : 2), 0) + (RUN_OVERLOAD ? 1 : 0);
/** Hard stop: set-up (database, data, compiling) plus every run with generous slack. */
const DEADLINE_MS = (240 + RUNS * (WARMUP_SECONDS + SECONDS + 15)) * 1000;

interface Response {
  status: number;
  text: string;
}

async function send(base: string, template: RequestTemplate, slug: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = fillTemplate(template, slug);
  const response = await fetch(base + request.path, {
    method: request.method,
    headers: { ...request.headers, ...headers },
    body: request.body,
    signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
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
  return `${at}: server ${JSON.stringify(a)?.slice(0, 200)} vs baseline ${JSON.stringify(b)?.slice(0, 200)}`;
}

type Edges<T> = { edges: { node: T }[] } | undefined;
interface AgendaData {
  forum: { sessions: Edges<{ participants: { speaker: { fullName: string } }[] }> } | null;
}
interface CoverageData {
  forum: { articles: Edges<{ speakers: unknown[]; countries: unknown[] }> } | null;
}

/** Equal but empty answers would prove nothing: each forum's page must be full. */
function substanceProblem(operation: Operation, data: unknown): string | undefined {
  if (operation === 'agenda') {
    const sessions = (data as AgendaData).forum?.sessions?.edges ?? [];
    if (sessions.length !== AGENDA_SESSIONS) return `${sessions.length} sessions instead of ${AGENDA_SESSIONS}`;
    const people = sessions.map((s) => s.node.participants.length);
    if (people.some((n) => n < 1 || n > 5) || Math.max(...people) < 2) return `participants per session ${people.join(',')}`;
    if (!sessions[0].node.participants[0].speaker.fullName.startsWith('Synthetic Speaker')) return 'speaker names missing';
    return undefined;
  }
  const articles = (data as CoverageData).forum?.articles?.edges ?? [];
  if (articles.length !== COVERAGE_ARTICLES) return `${articles.length} articles instead of ${COVERAGE_ARTICLES}`;
  if (articles.some((a) => a.node.speakers.length !== 2 || a.node.countries.length !== 2))
    return 'articles without their 2 speakers and 2 countries';
  return undefined;
}

/**
 * Both sides must give the same data for every forum and for an unknown slug, else the
 * comparison is meaningless. Returns the response sizes of the first forum.
 */
/** Either side's JSON answer, as far as the checks below read it. */
interface Answer {
  data?: { forum: unknown } | null;
  errors?: unknown;
}

async function verifySameData(
  server: ServerProcess,
  baseline: BaselineProcess,
  operation: Operation,
  slugs: string[],
): Promise<{ server: number; baseline: number }> {
  let sizes: { server: number; baseline: number } | undefined;
  for (const slug of [...slugs, UNKNOWN_SLUG]) {
    const [a, b] = await Promise.all([
      send(server.url, graphqlTemplate(operation), slug),
      send(baseline.url, baselineTemplate(operation), slug),
    ]);
    if (a.status !== 200 || b.status !== 200)
      throw new Error(`${operation} ${slug}: HTTP ${a.status} (server), ${b.status} (baseline): ${a.text.slice(0, 300)}`);
    const [fromServer, fromBaseline] = [JSON.parse(a.text) as Answer, JSON.parse(b.text) as Answer];
    if (fromServer.errors) throw new Error(`${operation} ${slug}: GraphQL errors ${JSON.stringify(fromServer.errors).slice(0, 500)}`);
    const difference = firstDifference(fromServer.data, fromBaseline.data);
    if (difference) throw new Error(`${operation} ${slug}: answers differ at ${difference}`);
    if (slug === UNKNOWN_SLUG) {
      if (fromServer.data?.forum !== null) throw new Error(`${operation}: an unknown forum is not null`);
    } else {
      const problem = substanceProblem(operation, fromServer.data);
      if (problem) throw new Error(`${operation} ${slug}: ${problem}`);
      if (!EXPECTED_START.test(a.text) || !EXPECTED_START.test(b.text))
        throw new Error(`${operation} ${slug}: body does not start as the load client expects`);
    }
    sizes ??= { server: Buffer.byteLength(a.text), baseline: Buffer.byteLength(b.text) };
  }
  return sizes!;
}

interface SearchAnswer {
  data?: { search: { totalCount: number; hits: { kind: string; node: { title?: string; fullName?: string } }[] } } | null;
  errors?: unknown;
}

/**
 * Every search text is answered without errors, and a few answers are what a reader expects: the
 * article named, also through a typo or a Kazakh ending; the article of a made-up word, also with
 * a letter wrong and in Latin letters; and nothing for a word no row has.
 * Returns the size of the first answer.
 */
async function verifySearch(server: ServerProcess): Promise<number> {
  const ask = async (text: string) => {
    const response = await send(server.url, graphqlTemplate('search'), JSON.stringify(text).slice(1, -1));
    const answer = JSON.parse(response.text) as SearchAnswer;
    if (response.status !== 200 || answer.errors || !answer.data || !EXPECTED_START.test(response.text))
      throw new Error(`search «${text}»: HTTP ${response.status} ${response.text.slice(0, 300)}`);
    return { search: answer.data.search, bytes: Buffer.byteLength(response.text) };
  };
  const expectations: [text: string, check: (data: SearchAnswer['data'] & object) => boolean][] = [
    ['Синтетическая статья 01234', ({ search }) => search.hits[0]?.node.title === 'Synthetic Article 01234'],
    ['Synthetc Article 00777', ({ search }) => search.hits[0]?.node.title === 'Synthetic Article 00777'],
    ['мақаласы 00321', ({ search }) => search.hits[0]?.node.title === 'Synthetic Article 00321'],
    ['Synthetic', ({ search }) => search.hits.length === SEARCH_HITS],
    ['Astana', ({ search }) => search.totalCount === 0],
    [madeUpWord(12345, 'cyrillic'), ({ search }) => search.hits.some((hit) => hit.node.title === 'Synthetic Article 12345')],
    [typo(madeUpWord(12345, 'cyrillic')), ({ search }) => search.hits.some((hit) => hit.node.title === 'Synthetic Article 12345')],
    [madeUpWord(12345, 'latin'), ({ search }) => search.hits.some((hit) => hit.node.title === 'Synthetic Article 12345')],
  ];
  for (const [text, check] of expectations) {
    const { search } = await ask(text);
    if (!check({ search })) throw new Error(`search «${text}»: unexpected answer ${JSON.stringify(search).slice(0, 300)}`);
  }
  let bytes: number | undefined;
  for (const text of new Set(SEARCH_TEXTS)) {
    const answer = await ask(JSON.parse(`"${text}"`) as string);
    bytes ??= answer.bytes;
  }
  return bytes!;
}

interface SqlCount {
  mean: number;
  min: number;
  max: number;
  /** What the server's response cache did with the counted requests (its log's `cache`). */
  cache?: Record<string, number>;
}

function summarize(counts: number[]): SqlCount {
  return { mean: counts.reduce((s, n) => s + n, 0) / counts.length, min: Math.min(...counts), max: Math.max(...counts) };
}

/**
 * Statements per request over sequential requests, from the server's own request log. With the
 * response cache on, the same requests go once before they are counted: entries from the same-data
 * check may have outlived CACHE_MAX_AGE by then, and what is measured is a request whose answer is
 * in the cache.
 */
async function countServerSql(server: ServerProcess, operation: ServerOperation, slugs: string[], cached: boolean): Promise<SqlCount> {
  const random = seededRandom(7);
  const sequence = Array.from({ length: COUNTED_REQUESTS }, () => slugs[Math.floor(random() * slugs.length)]);
  if (cached) for (const slug of sequence) await send(server.url, graphqlTemplate(operation), slug);
  const counts: number[] = [];
  const cache: Record<string, number> = {};
  for (const slug of sequence) {
    const requestId = `bench-sql-${operation}-${randomBytes(4).toString('hex')}`;
    const line = server.logLineOf(requestId);
    const response = await send(server.url, graphqlTemplate(operation), slug, { 'x-request-id': requestId });
    if (response.status !== 200 || !EXPECTED_START.test(response.text))
      throw new Error(`counting SQL: HTTP ${response.status} ${response.text.slice(0, 200)}`);
    const { sqlStatements, cache: outcome } = await line;
    counts.push(sqlStatements);
    if (outcome) cache[outcome] = (cache[outcome] ?? 0) + 1;
  }
  return { ...summarize(counts), ...(Object.keys(cache).length > 0 ? { cache } : {}) };
}

/** The same for the baseline, from the count kept inside its process. */
async function countBaselineSql(baseline: BaselineProcess, operation: Operation, slugs: string[]): Promise<SqlCount> {
  const random = seededRandom(7);
  const counts: number[] = [];
  for (let i = 0; i < COUNTED_REQUESTS; i += 1) {
    const before = await baseline.statements();
    const response = await send(baseline.url, baselineTemplate(operation), slugs[Math.floor(random() * slugs.length)]);
    if (response.status !== 200 || !EXPECTED_START.test(response.text))
      throw new Error(`counting SQL: HTTP ${response.status} ${response.text.slice(0, 200)}`);
    counts.push((await baseline.statements()) - before);
  }
  return summarize(counts);
}

interface Measured extends RunResult {
  /** What the server's response cache did with the measured run's requests. */
  cache?: Record<string, number>;
  /** The answered requests' time inside the server (its request log's durationMs). */
  inServer?: { p50Ms: number; p99Ms: number };
  peakRssKb: number;
  cpuMsPerRequest: number;
  /** Share of one core the process used over the measured run. */
  cpuPercent: number;
  /** The same for the load client: near 100 it, not the server, sets the pace. */
  clientCpuPercent: number;
}

/** A warm-up run, then the measured run with the process's peak memory and CPU time around it. */
async function measure(
  client: LoadClient,
  target: {
    pid: number;
    url: string;
    cacheOutcomes?: () => Record<string, number>;
    takeDurations?: () => number[];
    quiet?: (ms: number) => Promise<void>;
  },
  template: RequestTemplate,
  slugs: string[],
  seed: number,
  warmupFailures: string[],
  connections = CONNECTIONS,
): Promise<Measured> {
  const spec = { url: target.url, template, slugs, connections, timeoutSeconds: TIMEOUT_SECONDS };
  const warmup = await client.run({ ...spec, seed: seed + 1, seconds: WARMUP_SECONDS });
  if (warmup.errors > 0)
    warmupFailures.push(`${warmup.errors} failed in a warm-up of ${target.url}${template.path}; first: ${warmup.firstError}`);
  // The warm-up's client closes its connections with requests still unread at the server, which
  // it then works on for nothing (each ends as a 499 in its log): under overload, seconds of
  // them. The measured run starts once the server is done with them.
  await target.quiet?.(1_000);
  resetPeakRss(target.pid);
  const cpuBefore = cpuMs(target.pid);
  const clientCpuBefore = cpuMs(client.pid);
  const outcomesBefore = target.cacheOutcomes?.() ?? {};
  target.takeDurations?.();
  const result = await client.run({ ...spec, seed, seconds: SECONDS });
  const durations = target.takeDurations?.().sort((x, y) => x - y);
  const cpu = cpuMs(target.pid) - cpuBefore;
  const clientCpu = cpuMs(client.pid) - clientCpuBefore;
  const outcomes = Object.entries(target.cacheOutcomes?.() ?? {})
    .map(([key, n]) => [key, n - (outcomesBefore[key] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  return {
    ...result,
    ...(outcomes.length > 0 ? { cache: Object.fromEntries(outcomes) } : {}),
    ...(durations?.length ? { inServer: { p50Ms: percentile(durations, 50), p99Ms: percentile(durations, 99) } } : {}),
    peakRssKb: peakRssKb(target.pid),
    cpuMsPerRequest: cpu / Math.max(1, result.ok + result.errors + result.shed),
    cpuPercent: (cpu / (result.seconds * 1000)) * 100,
    clientCpuPercent: (clientCpu / (result.seconds * 1000)) * 100,
  };
}

interface SideFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  sqlPerRequest: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
}

type RunFigures = SideFigures & { cpuPercent: number; clientCpuPercent: number };

interface RoundFigures {
  round: number;
  server: RunFigures & { cache?: Record<string, number> };
  /** None for search. */
  baseline?: RunFigures;
  ratio?: number;
}

interface ScenarioFigures extends SideFigures {
  ratio?: number;
  /** agendaCachedEdits: the median over rounds of its server req/s ÷ agendaCached's in the same round. */
  vsAgendaCached?: number;
  edits?: EditFigures;
  baseline?: SideFigures;
  sql: { server: SqlCount; baseline?: SqlCount };
  rounds: RoundFigures[];
}

/** The overload run: what the accepted requests got, and what was refused to keep it so. */
interface OverloadFigures {
  connections: number;
  /** Accepted (answered with the data) per second. */
  reqPerSec: number;
  /** Of the accepted requests, as the client saw them: from sending the request to the answer. */
  p50Ms: number;
  p99Ms: number;
  /**
   * Of the accepted requests, inside the server: from reading the request to answering it. The
   * difference is time the request spent unread, mostly sent by a client that had been told to
   * wait (Retry-After) and asked again at once: a refused connection is read again after that.
   */
  inServer: { p50Ms: number; p99Ms: number };
  /** Refused by admission control (503), as a share of all answers. */
  shedShare: number;
  /** Failures: timeouts, connection errors, other non-2xx. */
  errors: number;
  peakRssMb: number;
  /** reqPerSec ÷ the agenda scenario's median at 10 connections, from the same server process. */
  vsAgenda: number;
  targets: { peakRssMb: number; p99Ms: number; vsAgenda: number };
  cpuPercent: number;
  clientCpuPercent: number;
}

const OVERLOAD_TARGETS = { peakRssMb: 300, p99Ms: 1000, vsAgenda: 0.9 };

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function side(run: Measured, sql: SqlCount): RunFigures {
  return {
    reqPerSec: round2(run.reqPerSec),
    p50Ms: round2(run.p50Ms),
    p99Ms: round2(run.p99Ms),
    errors: run.errors,
    sqlPerRequest: round2(sql.mean),
    peakRssMb: round2(run.peakRssKb / 1024),
    cpuMsPerRequest: round2(run.cpuMsPerRequest),
    cpuPercent: Math.round(run.cpuPercent),
    clientCpuPercent: Math.round(run.clientCpuPercent),
  };
}

/** Over rounds: medians of rates and latencies, the sum of errors, the highest memory peak. */
function overRounds(sides: SideFigures[]): SideFigures {
  return {
    reqPerSec: round2(median(sides.map((s) => s.reqPerSec))),
    p50Ms: round2(median(sides.map((s) => s.p50Ms))),
    p99Ms: round2(median(sides.map((s) => s.p99Ms))),
    errors: sides.reduce((n, s) => n + s.errors, 0),
    sqlPerRequest: sides[0].sqlPerRequest,
    peakRssMb: Math.max(...sides.map((s) => s.peakRssMb)),
    cpuMsPerRequest: round2(median(sides.map((s) => s.cpuMsPerRequest))),
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const sideCells = (s: SideFigures & { cpuPercent?: number }) => [
  fixed(s.reqPerSec, 0),
  fixed(s.p50Ms, 1),
  fixed(s.p99Ms, 1),
  String(s.errors),
  fixed(s.sqlPerRequest, 1),
  fixed(s.peakRssMb, 0),
  fixed(s.cpuMsPerRequest, 2),
];

async function main(): Promise<number> {
  const started = performance.now();
  const loadAverage = os.loadavg().map((x) => round2(x));
  // Taken before compiling: what was compiled is what is measured, whatever lands meanwhile.
  const gitCommit = git('rev-parse', 'HEAD');
  const gitDirty = (git('status', '--porcelain', '--', 'src') ?? '') !== '';
  const profileDir = cpuProfileDir();
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  log(
    `bench: ${SCENARIOS.length} scenarios x ${ROUNDS} rounds x (server, baseline where there is one), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per run`,
  );

  // Compiling takes as long as filling the database: both at once.
  const compiled = compileServer(['src/server.js', 'bench/baseline.js', 'bench/load-client.js']);
  compiled.catch(() => undefined); // awaited below; a failure must not be unhandled meanwhile
  const database = await openDatabase();
  // PostgreSQL runs on this machine, as the embedded one would: the pool its README advises.
  const poolSize = Number(process.env.BENCH_DATABASE_POOL_SIZE) || localPoolSize();
  const orm = await MikroORM.init(ormOptions(database.url, undefined, poolSize));
  const statementTimeoutMs = Number(
    (orm.config.get('driverOptions') as { connection?: { statement_timeout?: number } }).connection?.statement_timeout ?? 5000,
  );
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close();
  }
  const jwtSecret = randomBytes(32).toString('base64url');
  const seedStart = performance.now();
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const dataset = await fillDataset(db);
  const editorToken = await adminToken(db, jwtSecret).finally(() => db.end());
  const slugs = dataset.slugs.slice(0, -EDITED_FORUMS);
  const editedSlugs = dataset.slugs.slice(-EDITED_FORUMS);
  const seedTime = since(seedStart);
  const versionClient = new Client({ connectionString: database.url });
  await versionClient.connect();
  const postgresVersion = (await versionClient.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  await versionClient.end();
  const buildDir = await compiled;
  log(`bench: database ready (${database.description}); data filled in ${seedTime}; compiled; ${since(started)} so far`);

  const baseline = await startBaseline(path.join(buildDir, 'bench', 'baseline.js'), {
    PATH: process.env.PATH,
    DATABASE_URL: database.url,
    BASELINE_POOL_MAX: String(poolSize),
    BASELINE_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs),
  });
  closers.push({ name: 'baseline', close: () => baseline.stop() });
  const client = startLoadClient(path.join(buildDir, 'bench', 'load-client.js'));
  closers.push({ name: 'load client', close: () => client.stop() });

  const startGraphqlServer = async (cached: boolean): Promise<ServerProcess> => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(poolSize),
      PORT: '0',
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'info',
      // Entries outlive the run: with the default CACHE_MAX_AGE (60 s) every forum's entry
      // expired during whichever run spanned the minute, and agendaCachedEdits' ratio to
      // agendaCached measured that instead of what the edits invalidate.
      ...(cached ? { CACHE_MAX_AGE: '3600' } : { RESPONSE_CACHE_MB: '0' }),
    };
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = await startServer(path.join(buildDir, 'src', 'server.js'), nodeArgs, env);
    closers.push({ name: `server ${server.pid}`, close: () => server.stop() });
    return server;
  };

  const results: Partial<Record<Scenario['name'], ScenarioFigures>> = {};
  let overload: OverloadFigures | undefined;
  const responseBytes: Partial<Record<ServerOperation, { server: number; baseline?: number }>> = {};
  const warmupFailures: string[] = [];
  const firstErrors: string[] = [];
  let peakRssMethod = 'per run (clear_refs)';
  let seed = 1;

  for (const cached of [false, true].filter((c) => SCENARIOS.some((s) => s.cached === c))) {
    const server = await startGraphqlServer(cached);
    // Any later step fails at once if the server dies, instead of waiting for a timeout.
    const guard = <T>(work: Promise<T>) => Promise.race([work, server.exited]);
    if (!resetPeakRss(server.pid)) peakRssMethod = 'since process start (clear_refs not writable)';
    const scenarios = SCENARIOS.filter((s) => s.cached === cached);
    for (const { operation } of scenarios) {
      responseBytes[operation] =
        operation === 'search'
          ? { server: await guard(verifySearch(server)) }
          : await guard(verifySameData(server, baseline, operation, slugs));
    }
    const compared = [...new Set(scenarios.map((s) => s.operation).filter((o) => o !== 'search'))];
    log(
      `bench: server (${cached ? 'response cache on' : 'RESPONSE_CACHE_MB=0'}, pid ${server.pid})` +
        (compared.length ? ` answers like the baseline for ${slugs.length} forums and an unknown slug (${compared.join(', ')})` : '') +
        (scenarios.some((s) => s.operation === 'search') ? `${compared.length ? ';' : ''} answers every search text` : ''),
    );

    for (const scenario of scenarios) {
      const { operation } = scenario;
      const compared = operation === 'search' ? undefined : operation;
      const requests = compared ? slugs : SEARCH_TEXTS;
      const sql = {
        server: await guard(countServerSql(server, operation, requests, cached)),
        ...(compared ? { baseline: await countBaselineSql(baseline, compared, slugs) } : {}),
      };
      const editor = scenario.edits ? await guard(startEditing(server.url, editorToken, editedSlugs)) : undefined;
      const rounds: RoundFigures[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        // The same seed on both sides: both get the same sequence of forums in this round.
        seed += 10;
        const a = await guard(measure(client, server, graphqlTemplate(operation), requests, seed, warmupFailures));
        const b = compared && (await guard(measure(client, baseline, baselineTemplate(compared), slugs, seed, warmupFailures)));
        for (const r of b ? [a, b] : [a]) if (r.firstError) firstErrors.push(`${scenario.name} round ${round}: ${r.firstError}`);
        const figures: RoundFigures = {
          round,
          server: { ...side(a, sql.server), ...(a.cache ? { cache: a.cache } : {}) },
          ...(b && sql.baseline ? { baseline: side(b, sql.baseline), ratio: round2(a.reqPerSec / b.reqPerSec) } : {}),
        };
        rounds.push(figures);
        log(
          `bench: ${scenario.name} round ${round}: server ${figures.server.reqPerSec.toFixed(0)} req/s, p99 ${figures.server.p99Ms.toFixed(1)} ms` +
            (figures.baseline ? `, baseline ${figures.baseline.reqPerSec.toFixed(0)} req/s, ratio ${fixed(figures.ratio!, 2)}` : '') +
            ` (${since(started)})`,
        );
      }
      const edits = await editor?.stop();
      if (edits?.firstError) firstErrors.push(`${scenario.name} edits: ${edits.firstError}`);
      const withoutEdits = results.agendaCached?.rounds;
      results[scenario.name] = {
        ...overRounds(rounds.map((r) => r.server)),
        ...(compared ? { ratio: round2(median(rounds.map((r) => r.ratio!))), baseline: overRounds(rounds.map((r) => r.baseline!)) } : {}),
        ...(edits && withoutEdits
          ? { vsAgendaCached: round2(median(rounds.map((r, i) => r.server.reqPerSec / withoutEdits[i].server.reqPerSec))), edits }
          : {}),
        sql,
        rounds,
      };
    }
    if (!cached && RUN_OVERLOAD) {
      seed += 10;
      const run = await guard(measure(client, server, graphqlTemplate('agenda'), slugs, seed, warmupFailures, OVERLOAD_CONNECTIONS));
      if (run.firstError) firstErrors.push(`overload: ${run.firstError}`);
      overload = {
        connections: OVERLOAD_CONNECTIONS,
        reqPerSec: round2(run.reqPerSec),
        p50Ms: round2(run.p50Ms),
        p99Ms: round2(run.p99Ms),
        inServer: { p50Ms: round2(run.inServer?.p50Ms ?? NaN), p99Ms: round2(run.inServer?.p99Ms ?? NaN) },
        shedShare: round2(run.shed / Math.max(1, run.ok + run.shed + run.errors)),
        errors: run.errors,
        peakRssMb: round2(run.peakRssKb / 1024),
        vsAgenda: round2(run.reqPerSec / results.agenda!.reqPerSec),
        targets: OVERLOAD_TARGETS,
        cpuPercent: Math.round(run.cpuPercent),
        clientCpuPercent: Math.round(run.clientCpuPercent),
      };
      log(
        `bench: overload (${OVERLOAD_CONNECTIONS} connections, cold agenda): ${overload.reqPerSec.toFixed(0)} accepted req/s ` +
          `(${overload.vsAgenda.toFixed(2)} of 10 connections), p99 ${overload.p99Ms.toFixed(0)} ms, ${(overload.shedShare * 100).toFixed(0)}% shed (${since(started)})`,
      );
    }
    await server.stop();
  }

  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const meta = {
    startedAt: new Date(Date.now() - totalSeconds * 1000).toISOString(),
    gitCommit,
    // Uncommitted or untracked files in src/ are compiled and measured too.
    gitDirty,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverageAtStart: loadAverage,
    postgres: postgresVersion,
    database: database.description,
    dataset: { ...SIZES, participantsPerSession: '1 + session.id % 5', rows: dataset.rows },
    operations: {
      agenda: `forum → ${AGENDA_SESSIONS} sessions → participants → speaker → country, ministry`,
      coverage: `forum → ${COVERAGE_ARTICLES} latest articles → speakers, countries`,
      search: `search(first: ${SEARCH_HITS}) over ${new Set(SEARCH_TEXTS).size} texts of the relevance set's kinds → hits, snippets, nodes`,
    },
    responseBytes,
    connections: CONNECTIONS,
    databasePoolSize: poolSize,
    warmupSeconds: WARMUP_SECONDS,
    secondsPerRun: SECONDS,
    rounds: ROUNDS,
    sqlCountedOver: `${COUNTED_REQUESTS} sequential requests per scenario and side`,
    peakRss: peakRssMethod,
    cpuProfileDir: profileDir,
    totalSeconds,
  };
  fs.writeFileSync(path.join(REPO, 'bench-results.json'), `${JSON.stringify({ meta, ...results, overload }, null, 2)}\n`);

  const header = ['scenario', 'side', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'SQL/req', 'peak RSS MB', 'CPU ms/req'];
  const names = SCENARIOS.map((s) => s.name);
  log();
  log(
    `node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}), load average ${loadAverage.join(' ')} at start; PostgreSQL ${postgresVersion}`,
  );
  log(
    `data: ${SIZES.forums} forums x ${SIZES.sessionsPerForum} sessions (${dataset.rows.session_participant} participants), ${SIZES.speakers} speakers, ` +
      `${SIZES.countries} countries, ${SIZES.ministries} ministries, ${SIZES.articles} articles (${SIZES.articles / SIZES.forums} per forum)`,
  );
  log(
    `load: autocannon, ${CONNECTIONS} connections, random forum per request; database pool ${poolSize} on each side; ` +
      `${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured, ` +
      `${ROUNDS} interleaved rounds; response bytes server/baseline: agenda ${responseBytes.agenda?.server}/${responseBytes.agenda?.baseline}, ` +
      `coverage ${responseBytes.coverage?.server}/${responseBytes.coverage?.baseline}`,
  );
  log();
  log('per round (CPU % = share of one core used by that process over the measured run; client = the load client during it):');
  log(
    table(
      [
        'scenario',
        'round',
        'server req/s',
        'baseline req/s',
        'ratio',
        'server p99',
        'baseline p99',
        'server CPU %',
        'client CPU %',
        'baseline CPU %',
        'client CPU %',
        'server peak MB',
      ],
      names.flatMap((name) =>
        results[name]!.rounds.map((r) => [
          name,
          String(r.round),
          fixed(r.server.reqPerSec, 0),
          fixed(r.baseline?.reqPerSec ?? NaN, 0),
          fixed(r.ratio ?? NaN, 2),
          fixed(r.server.p99Ms, 1),
          fixed(r.baseline?.p99Ms ?? NaN, 1),
          String(r.server.cpuPercent),
          String(r.server.clientCpuPercent),
          r.baseline ? String(r.baseline.cpuPercent) : '-',
          r.baseline ? String(r.baseline.clientCpuPercent) : '-',
          fixed(r.server.peakRssMb, 0),
        ]),
      ),
    ),
  );
  log();
  log(`medians over ${ROUNDS} rounds (errors summed, peak RSS the highest; ratio = median of the rounds' server/baseline req/s):`);
  log(
    table(
      [...header, 'ratio'],
      names.flatMap((name) => {
        const r = results[name]!;
        return [
          [name, 'server', ...sideCells(r), fixed(r.ratio ?? NaN, 2)],
          ...(r.baseline ? [['', 'baseline', ...sideCells(r.baseline), '']] : []),
        ];
      }),
    ),
  );
  for (const name of names) {
    const counted = results[name]!.sql.server.cache;
    const underLoad = results[name]!.rounds.map((r) => r.server.cache).filter(Boolean);
    if (counted || underLoad.length > 0) {
      log(
        `${name}: response cache outcomes (server log): counted requests ${JSON.stringify(counted ?? {})}; measured runs ${underLoad.map((c) => JSON.stringify(c)).join(' ')}`,
      );
    }
  }
  if (overload) {
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    log(
      `overload, ${overload.connections} connections on the cold agenda: ${fixed(overload.reqPerSec, 0)} accepted req/s ` +
        `= ${fixed(overload.vsAgenda, 2)} of agenda at ${CONNECTIONS} (target >= ${OVERLOAD_TARGETS.vsAgenda}: ${met(overload.vsAgenda >= OVERLOAD_TARGETS.vsAgenda)}); ` +
        `accepted p50 ${fixed(overload.p50Ms, 0)} ms, p99 ${fixed(overload.p99Ms, 0)} ms at the client (target <= ${OVERLOAD_TARGETS.p99Ms}: ${met(overload.p99Ms <= OVERLOAD_TARGETS.p99Ms)}), ` +
        `p50 ${fixed(overload.inServer.p50Ms, 0)} ms, p99 ${fixed(overload.inServer.p99Ms, 0)} ms inside the server; ` +
        `peak RSS ${fixed(overload.peakRssMb, 0)} MB (target <= ${OVERLOAD_TARGETS.peakRssMb}: ${met(overload.peakRssMb <= OVERLOAD_TARGETS.peakRssMb)}); ` +
        `${fixed(overload.shedShare * 100, 0)}% of answers shed (503); ${overload.errors} failed; server CPU ${overload.cpuPercent}%, client CPU ${overload.clientCpuPercent}%`,
    );
  }
  if (profileDir) log(`CPU profiles of the server processes: ${profileDir}`);
  log(`wrote bench-results.json; total ${totalSeconds} s`);

  const edits = results.agendaCachedEdits;
  if (edits?.edits) {
    log(
      `agendaCachedEdits: ${edits.edits.sent} session edits (${edits.edits.failed} failed) in ${EDITED_FORUMS} forums the load does not read; ` +
        `req/s ÷ agendaCached's in the same round, median: ${edits.vsAgendaCached}`,
    );
  }
  const failed =
    names.reduce((n, name) => n + results[name]!.errors + (results[name]!.baseline?.errors ?? 0), 0) +
    (edits?.edits?.failed ?? 0) +
    (overload?.errors ?? 0);
  if (failed > 0 || warmupFailures.length > 0) {
    process.stderr.write(
      `bench: ${failed} requests failed in measured runs\n${[...warmupFailures, ...firstErrors].slice(0, 10).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

runBench(main, DEADLINE_MS);
