/*
 * `npm run bench:live`: how long a committed change to a forum's agenda takes to reach the
 * agendaChanged subscribers of that forum, with many of them on one server process, and what they
 * cost the server in memory and CPU. Not a test: it asserts no speed, only that every subscriber
 * gets every change (a missing delivery, an error or a failed setup make it exit non-zero).
 *
 * The compiled server (production, seed data) runs as a child process. This process opens
 * LIVE_SUBSCRIBERS graphql-ws clients, one socket and one subscription each, to the seeded forum
 * with the most sessions, then changes one of its sessions per second by SQL on a connection of its
 * own, as an organiser's write would commit, and notes the time right after COMMIT returned. Each
 * client notes when the event carrying that change (matched by the forum's schedule_version after
 * the change) arrived: latency = arrival - commit, over every subscriber and change.
 *
 * All clients live in this one process: a latency includes the time this process's event loop
 * took to get to the message (its delay during the changes is reported too). Their handlers only
 * note performance.now() and keep the event.
 *
 * Settings (environment):
 *   BENCH_DATABASE_URL   as for `npm run bench`: a database forum_bench_<random> there, dropped at
 *                        the end; without it an embedded PostgreSQL in a temporary folder
 *   LIVE_SUBSCRIBERS     subscribers (default 1000)
 *   LIVE_SECONDS         changes, one per second (default 30)
 *   BENCH_CPU_PROF=dir   or `npm run bench:live -- --cpu-prof[=dir]`: run the server under
 *                        `node --cpu-prof` and write its profile to dir (default bench-profiles/)
 * Writes bench-live-results.json in the repository root.
 */
import './log-level';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient, type Client as LiveClient, type FormattedExecutionResult } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { toGlobalId } from '../src/shared/global-id';
import { cpuMs, peakRssKb, resetPeakRss, startServer } from './processes';
import { closers, compileServer, cpuProfileDir, git, log, openDatabase, positiveInteger, REPO, round2, runBench, since } from './setup';

const SUBSCRIBERS = positiveInteger('LIVE_SUBSCRIBERS', 1000);
const CHANGES = positiveInteger('LIVE_SECONDS', 30);
/** The server's WS_MAX_CONNECTIONS_PER_CLIENT allows at most this many (src/config.ts). */
const MAX_CONNECTIONS_PER_CLIENT = 100_000;
/** Handshakes in flight while the subscribers connect. */
const CONNECTING_AT_ONCE = 50;
/** How long all subscribers may take to have the readiness change. */
const READY_TIMEOUT_MS = 60_000;
/**
 * Seconds of quiet with every subscriber open before the server's idle RSS is read, and after the
 * changes before the database's transaction count is read: a PostgreSQL backend that goes idle
 * less than a second after its last report reports its counts 10 s later.
 */
const IDLE_SECONDS = 11;
/** How long after the last change its deliveries may still arrive. */
const DELIVERY_TIMEOUT_MS = 15_000;
/** Hard stop: set-up (database, compiling, seeding) plus connecting, the changes and slack. */
const DEADLINE_MS =
  (300 + Math.ceil(SUBSCRIBERS / 20) + CHANGES + 2 * IDLE_SECONDS + (READY_TIMEOUT_MS + DELIVERY_TIMEOUT_MS) / 1000) * 1000;

const AGENDA_CHANGED = `subscription($slug: String!, $since: Int) {
  agendaChanged(forumSlug: $slug, sinceVersion: $since) { version changed { id slug title } removed { id } }
}`;

interface AgendaChanged {
  agendaChanged: { version: number; changed: { id: string; slug: string; title: string }[]; removed: { id: string }[] };
}
type Event = FormattedExecutionResult<AgendaChanged, unknown>;

/** ws with an Accept-Language header, so that titles come in English, the language the changes write. */
class EnglishWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { headers: { 'accept-language': 'en' } });
  }
}

/** Resident set size now, in kB (VmRSS), or NaN where /proc is not available. */
function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Polls `done` every 50 ms until it holds or `timeoutMs` passed; whether it held. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > until) return false;
    await sleep(50);
  }
  return true;
}

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms1 = (x: number) => Math.round(x * 10) / 10;
const mb = (kb: number) => Math.round(kb / 1024);

/**
 * The subscribers: one graphql-ws client (one socket) and one agendaChanged subscription each. What
 * a message handler does is kept to noting the time and the event; everything else is done after.
 */
class Subscribers {
  readonly clients: LiveClient[] = [];
  /** Per subscriber: arrival times (performance.now()) and the events, in arrival order. */
  readonly arrivals: number[][] = [];
  readonly events: Event[][] = [];
  /** Per subscriber: the highest version received. */
  readonly latest: Int32Array;
  readonly problems: string[] = [];
  /** Per subscriber: settles when its socket has closed. */
  private readonly closed: Promise<void>[] = [];
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly count: number,
  ) {
    this.latest = new Int32Array(count);
  }

  private problem(text: string): void {
    if (!this.stopping) this.problems.push(text);
  }

  /** Opens every subscription, CONNECTING_AT_ONCE handshakes at a time; resolves when each connected or failed. */
  async open(forumSlug: string, sinceVersion: number): Promise<void> {
    this.latest.fill(sinceVersion);
    let next = 0;
    const worker = async () => {
      while (next < this.count) await this.openOne(next++, forumSlug, sinceVersion);
    };
    await Promise.all(Array.from({ length: Math.min(CONNECTING_AT_ONCE, this.count) }, worker));
  }

  private openOne(index: number, forumSlug: string, sinceVersion: number): Promise<void> {
    const arrivals: number[] = (this.arrivals[index] = []);
    const events: Event[] = (this.events[index] = []);
    let onClosed: () => void = () => undefined;
    this.closed[index] = new Promise((resolve) => (onClosed = resolve));
    return new Promise((resolve) => {
      const client = createClient({
        url: this.url,
        webSocketImpl: EnglishWebSocket,
        retryAttempts: 0,
        lazy: true,
        on: {
          connected: () => resolve(),
          closed: (event) => {
            const { code, reason } = event as { code?: number; reason?: string };
            this.problem(`subscriber ${index}: connection closed (${code} ${reason || ''})`);
            onClosed();
            resolve();
          },
        },
      });
      this.clients[index] = client;
      client.subscribe<AgendaChanged>(
        { query: AGENDA_CHANGED, variables: { slug: forumSlug, since: sinceVersion } },
        {
          next: (event) => {
            arrivals.push(performance.now());
            events.push(event);
            const version = event.data?.agendaChanged.version ?? 0;
            if (version > this.latest[index]) this.latest[index] = version;
          },
          error: (error) => this.problem(`subscriber ${index}: ${JSON.stringify(error).slice(0, 300)}`),
          complete: () => this.problem(`subscriber ${index}: the subscription completed`),
        },
      );
    });
  }

  /** How many subscribers have received version `version` or a later one. */
  reached(version: number): number {
    let n = 0;
    for (const v of this.latest) if (v >= version) n += 1;
    return n;
  }

  /** Closes every socket, waiting at most 5 s for them to be closed. */
  async close(): Promise<void> {
    this.stopping = true;
    for (const client of this.clients) void client.dispose();
    await Promise.race([Promise.all(this.closed), sleep(5_000)]);
  }
}

interface Change {
  sessionId: number;
  title: string;
  /** The forum's schedule_version after the change, read in its transaction. */
  version: number;
  /** performance.now() right after COMMIT returned. */
  committedAt: number;
}

/** Renames one session in a transaction of its own, and notes the version and the time of the commit. */
async function changeSession(db: Client, forumId: number, sessionId: number, title: string): Promise<Change> {
  await db.query('begin');
  try {
    const updated = await db.query(`update session set title = jsonb_set(title, '{en}', to_jsonb($1::text)) where id = $2`, [
      title,
      sessionId,
    ]);
    if (updated.rowCount !== 1) throw new Error(`session ${sessionId} not found`);
    const { rows } = await db.query<{ schedule_version: number }>('select schedule_version from forum where id = $1', [forumId]);
    await db.query('commit');
    return { sessionId, title, version: rows[0].schedule_version, committedAt: performance.now() };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverage = os.loadavg().map((x) => round2(x));
  const gitCommit = git('rev-parse', 'HEAD');
  const gitDirty = (git('status', '--porcelain', '--', 'src') ?? '') !== '';
  const profileDir = cpuProfileDir();
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  if (SUBSCRIBERS > MAX_CONNECTIONS_PER_CLIENT - 10)
    throw new Error(`LIVE_SUBSCRIBERS must be at most ${MAX_CONNECTIONS_PER_CLIENT - 10} (WS_MAX_CONNECTIONS_PER_CLIENT)`);
  log(`bench:live: ${SUBSCRIBERS} subscribers on one server process, ${CHANGES} changes one second apart`);

  const compiled = compileServer(['src/server.js']);
  compiled.catch(() => undefined); // awaited below; a failure must not be unhandled meanwhile
  const database = await openDatabase();
  const buildDir = await compiled;
  log(`bench:live: database ready (${database.description}); compiled; ${since(started)} so far`);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'info',
    // The server migrates the empty database and loads the seed data (src/db/database.ts).
    SEED: 'true',
    // Every subscriber connects from 127.0.0.1, and the cap is per client IP.
    WS_MAX_CONNECTIONS_PER_CLIENT: String(SUBSCRIBERS + 10),
  };
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await startServer(path.join(buildDir, 'src', 'server.js'), nodeArgs, env);
  closers.push({ name: `server ${server.pid}`, close: () => server.stop() });
  // Any later step fails at once if the server dies, instead of waiting for a timeout.
  const guard = <T>(work: Promise<T>) => Promise.race([work, server.exited]);

  const db = new Client({ connectionString: database.url, application_name: 'bench:live changes' });
  await db.connect();
  closers.push({ name: 'changes connection', close: () => db.end() });
  const postgresVersion = (await db.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  const forums = await db.query<{ id: number; slug: string }>(
    'select f.id, f.slug from forum f join session s on s.forum_id = f.id group by f.id order by count(*) desc, f.id limit 1',
  );
  if (forums.rows.length === 0) throw new Error('the seed data has no forum with sessions');
  const forum = { id: forums.rows[0].id, slug: forums.rows[0].slug };
  const sessionIds = (await db.query<{ id: number }>('select id from session where forum_id = $1 order by id', [forum.id])).rows.map(
    (r) => r.id,
  );
  const scheduleVersion = async () =>
    (await db.query<{ schedule_version: number }>('select schedule_version from forum where id = $1', [forum.id])).rows[0].schedule_version;
  const transactions = async () =>
    Number(
      (await db.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()'))
        .rows[0].n,
    );
  const runId = randomBytes(3).toString('hex');
  let changeNumber = 0;
  const change = () => {
    const sessionId = sessionIds[changeNumber % sessionIds.length];
    changeNumber += 1;
    return guard(changeSession(db, forum.id, sessionId, `bench:live ${runId} change ${changeNumber}`));
  };

  await sleep(2_000);
  const rssBefore = rssKb(server.pid);
  log(`bench:live: server ready (pid ${server.pid}), forum ${forum.slug} (${sessionIds.length} sessions); RSS ${mb(rssBefore)} MB`);

  // Subscribing: each subscription asks from the version read now, so whatever commits after this
  // read reaches it, whether it was watching already (woken by the notification) or not yet (its
  // first read, which comes after it started watching, finds the change). Hence readiness: one
  // change after every socket is connected, and a subscriber that has received it is certainly
  // watching. It is not counted in the latencies (its subscriptions were still being set up).
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/graphql`;
  const subscribers = new Subscribers(wsUrl, SUBSCRIBERS);
  closers.push({ name: `${SUBSCRIBERS} subscribers`, close: () => subscribers.close() });
  const sinceVersion = await scheduleVersion();
  const connectStart = performance.now();
  await guard(subscribers.open(forum.slug, sinceVersion));
  const connectSeconds = (performance.now() - connectStart) / 1000;
  if (subscribers.problems.length > 0) throw new Error(`subscribing failed:\n${subscribers.problems.slice(0, 10).join('\n')}`);
  const readiness = await change();
  const ready = await guard(
    waitFor(() => subscribers.reached(readiness.version) === SUBSCRIBERS || subscribers.problems.length > 0, READY_TIMEOUT_MS),
  );
  if (!ready || subscribers.problems.length > 0) {
    throw new Error(
      `${subscribers.reached(readiness.version)} of ${SUBSCRIBERS} subscribers got the readiness change within ${READY_TIMEOUT_MS / 1000} s\n` +
        subscribers.problems.slice(0, 10).join('\n'),
    );
  }
  const readySeconds = (performance.now() - connectStart) / 1000;
  await sleep(IDLE_SECONDS * 1000);
  const rssIdle = rssKb(server.pid);
  log(
    `bench:live: ${SUBSCRIBERS} subscribers connected in ${connectSeconds.toFixed(1)} s, all watching ${readySeconds.toFixed(1)} s after the first connect; ` +
      `server RSS ${mb(rssIdle)} MB after ${IDLE_SECONDS} s idle`,
  );

  // The changes, one per second.
  const peakRssMethod = resetPeakRss(server.pid) ? 'during the changes (clear_refs)' : 'since process start (clear_refs not writable)';
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = cpuMs(server.pid);
  const benchCpuBefore = process.cpuUsage();
  const transactionsBefore = await transactions();
  const phaseStart = performance.now();
  const changes: Change[] = [];
  for (let i = 0; i < CHANGES; i += 1) {
    await sleep(phaseStart + i * 1000 - performance.now());
    changes.push(await change());
  }
  const last = changes[changes.length - 1].version;
  await guard(waitFor(() => subscribers.reached(last) === SUBSCRIBERS, DELIVERY_TIMEOUT_MS));
  const phaseSeconds = (performance.now() - phaseStart) / 1000;
  const serverCpuMs = cpuMs(server.pid) - cpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const peakRss = peakRssKb(server.pid);
  loopDelay.disable();
  await sleep(IDLE_SECONDS * 1000);
  // The bench's own: one per change, and the read of transactionsBefore.
  const serverTransactions = (await transactions()) - transactionsBefore - CHANGES - 1;
  log(`bench:live: ${CHANGES} changes made; ${since(started)} so far`);

  // Matching: a subscriber's delivery of a change is the first event at or past its version (an
  // event may bring several changes when they come faster than it is read and sent).
  const latencies: number[] = [];
  const firstPerChange = changes.map(() => Number.POSITIVE_INFINITY);
  const lastPerChange = changes.map(() => Number.NEGATIVE_INFINITY);
  const missingPerChange = changes.map(() => 0);
  let coalesced = 0;
  const wrong: string[] = [];
  for (let s = 0; s < SUBSCRIBERS; s += 1) {
    const events = subscribers.events[s];
    const arrivals = subscribers.arrivals[s];
    let j = 0;
    changes.forEach((c, k) => {
      while (j < events.length && (events[j].data?.agendaChanged.version ?? 0) < c.version) j += 1;
      if (j === events.length) {
        missingPerChange[k] += 1;
        return;
      }
      const event = events[j].data!.agendaChanged;
      const session = event.changed.find((x) => x.id === toGlobalId('Session', c.sessionId));
      if (!session)
        wrong.push(`subscriber ${s}, version ${c.version}: session ${c.sessionId} not in ${JSON.stringify(event).slice(0, 300)}`);
      // An event that brings a later change too may bring a later title of the same session.
      else if (event.version === c.version && session.title !== c.title)
        wrong.push(`subscriber ${s}, version ${c.version}: title ${JSON.stringify(session.title)} instead of ${JSON.stringify(c.title)}`);
      if (event.version > c.version) coalesced += 1;
      const latency = arrivals[j] - c.committedAt;
      latencies.push(latency);
      if (latency < firstPerChange[k]) firstPerChange[k] = latency;
      if (latency > lastPerChange[k]) lastPerChange[k] = latency;
    });
    for (const event of events) if (event.errors) wrong.push(`subscriber ${s}: errors ${JSON.stringify(event.errors).slice(0, 300)}`);
  }
  const sorted = Float64Array.from(latencies).sort((a, b) => a - b);
  const ascending = (values: number[]) => Float64Array.from(values.filter(Number.isFinite)).sort((a, b) => a - b);
  const [firstSorted, lastSorted] = [ascending(firstPerChange), ascending(lastPerChange)];
  const expected = SUBSCRIBERS * CHANGES;
  const missing = expected - latencies.length;

  const results = {
    meta: {
      startedAt,
      gitCommit,
      // Uncommitted or untracked files in src/ are compiled and measured too.
      gitDirty,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverageAtStart: loadAverage,
      postgres: postgresVersion,
      database: database.description,
      forum: forum.slug,
      sessions: sessionIds.length,
      subscribers: SUBSCRIBERS,
      changes: CHANGES,
      connectingAtOnce: CONNECTING_AT_ONCE,
      latency: 'performance.now() in the bench process: event received minus COMMIT returned; includes the bench event loop',
      peakRss: peakRssMethod,
      cpuProfileDir: profileDir,
      totalSeconds: Math.round((performance.now() - started) / 1000),
    },
    deliveries: { expected, received: latencies.length, missing, coalesced, wrongContent: wrong.length },
    latencyMs: {
      p50: ms1(percentile(sorted, 50)),
      p90: ms1(percentile(sorted, 90)),
      p99: ms1(percentile(sorted, 99)),
      max: ms1(percentile(sorted, 100)),
      min: ms1(percentile(sorted, 0)),
    },
    /** Per change, the latency of its first and of its last delivery: the fan-out to every subscriber lies in between. */
    perChangeMs: {
      firstDeliveryMedian: ms1(percentile(firstSorted, 50)),
      lastDeliveryMedian: ms1(percentile(lastSorted, 50)),
      lastDeliveryMax: ms1(percentile(lastSorted, 100)),
    },
    serverRssMb: { beforeSubscribers: mb(rssBefore), subscribersIdle: mb(rssIdle), peakDuringChanges: mb(peakRss) },
    serverCpu: {
      changePhaseMs: serverCpuMs,
      phaseSeconds: round2(phaseSeconds),
      msPerChange: round2(serverCpuMs / CHANGES),
      percentOfOneCore: Math.round((serverCpuMs / (phaseSeconds * 1000)) * 100),
    },
    /**
     * Transactions the database committed or rolled back per change, the bench's own left out
     * (pg_stat_database): the server's reads are single statements, so about its statements.
     */
    databaseTransactionsPerChange: Math.round(serverTransactions / CHANGES),
    benchProcess: {
      cpuMs: Math.round((benchCpu.user + benchCpu.system) / 1000),
      eventLoopDelayP99Ms: ms1(loopDelay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: ms1(loopDelay.max / 1e6),
    },
    connect: { seconds: round2(connectSeconds), allWatchingSeconds: round2(readySeconds) },
    problems: [...subscribers.problems, ...wrong].slice(0, 20),
  };
  fs.writeFileSync(path.join(REPO, 'bench-live-results.json'), `${JSON.stringify(results, null, 2)}\n`);

  const { deliveries, latencyMs, serverRssMb, serverCpu, benchProcess } = results;
  log();
  log(
    `node ${results.meta.node}, ${results.meta.cpus} CPUs (${results.meta.cpuModel}), load average ${loadAverage.join(' ')} at start; PostgreSQL ${postgresVersion}`,
  );
  log(
    `${SUBSCRIBERS} graphql-ws subscribers (one socket each, in this process) to agendaChanged of ${forum.slug}; ` +
      `${CHANGES} session renames by SQL, one per second`,
  );
  log();
  log(
    `deliveries: ${deliveries.received} of ${deliveries.expected} (${missing} missing, ${coalesced} in an event that brought a later change too, ${wrong.length} wrong)`,
  );
  log(
    `latency commit → event received, ms: p50 ${latencyMs.p50}, p90 ${latencyMs.p90}, p99 ${latencyMs.p99}, max ${latencyMs.max} ` +
      `(per change, median of its first delivery ${results.perChangeMs.firstDeliveryMedian}, of its last ${results.perChangeMs.lastDeliveryMedian}; ` +
      `latest last ${results.perChangeMs.lastDeliveryMax})`,
  );
  log(
    `  (measured in this process, which holds all ${SUBSCRIBERS} sockets: its event loop's delay adds in; ` +
      `during the changes its delay p99 was ${benchProcess.eventLoopDelayP99Ms} ms, max ${benchProcess.eventLoopDelayMaxMs} ms, CPU ${benchProcess.cpuMs} ms)`,
  );
  log(
    `server RSS, MB: ${serverRssMb.beforeSubscribers} before subscribers, ${serverRssMb.subscribersIdle} with ${SUBSCRIBERS} idle, ` +
      `${serverRssMb.peakDuringChanges} peak during the changes`,
  );
  log(
    `server CPU during the changes: ${serverCpu.changePhaseMs} ms in ${serverCpu.phaseSeconds} s (${serverCpu.msPerChange} ms per change, ` +
      `${serverCpu.percentOfOneCore}% of one core); database transactions per change: ${results.databaseTransactionsPerChange}`,
  );
  if (profileDir) log(`CPU profile of the server: ${profileDir} (written when it stops)`);
  log(`wrote bench-live-results.json; total ${results.meta.totalSeconds} s`);

  const problems = [...subscribers.problems, ...wrong];
  if (missing > 0 || problems.length > 0) {
    const perChange = missingPerChange.map((n, k) => (n > 0 ? `version ${changes[k].version}: ${n} missing` : '')).filter(Boolean);
    process.stderr.write(
      `bench:live: ${missing} deliveries missing, ${problems.length} problems\n${[...perChange, ...problems].slice(0, 10).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

runBench(main, DEADLINE_MS);
