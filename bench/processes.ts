/*
 * The bench's child processes: the compiled GraphQL server, the baseline and the load client;
 * and what Linux tells about a process's memory and CPU time.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { BaselineMessage } from './baseline';
import type { ClientMessage, RunRequest, RunResult } from './load-client';

/** Ends a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The last lines a child wrote, for the error message when it fails. */
class Tail {
  private lines: string[] = [];
  constructor(private readonly size: number) {}
  push(line: string): void {
    this.lines.push(line.length > 2000 ? `${line.slice(0, 2000)}...` : line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

/** One line of the server's request log (src/request-log.ts). */
export interface RequestLogLine {
  requestId: string;
  status: number;
  sqlStatements: number;
  cache?: string;
}

export interface ServerProcess {
  pid: number;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Resolves with the request log line of the request sent with this X-Request-Id. */
  logLineOf(requestId: string, timeoutMs?: number): Promise<RequestLogLine>;
  /**
   * Requests logged so far by what the response cache did with them (the log's `cache`: hit,
   * miss, bypass); empty when the server logs no such field.
   */
  cacheOutcomes(): Record<string, number>;
  /**
   * durationMs of the requests answered 200 since the last call, from the request log: the time
   * each spent inside the server, from being read to being answered.
   */
  takeDurations(): number[];
  /** Resolves once the server has logged no request for `ms`: what it had been sent is done. */
  quiet(ms: number): Promise<void>;
  /** Rejects when the process exits before stop() is called. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] <serverJs>` with exactly `env` (nothing inherited: a developer's
 * SEED or CACHE_MAX_AGE must not change what is measured) and waits for its "ready" log line.
 * Its stdout is read all along, also under load, so that pino never blocks on a full pipe; only
 * lines of requests someone waits for are parsed.
 */
export async function startServer(
  serverJs: string,
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
  startTimeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, serverJs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new Tail(30);
  const waiting = new Map<string, (line: RequestLogLine) => void>();
  let onReady: ((url: string) => void) | undefined;
  const outcomes: Record<string, number> = {};
  let durations: number[] = [];
  let lastRequestAt = 0;
  let stopping = false;

  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const outcome = /"cache":"(\w+)"/.exec(line);
    if (outcome) outcomes[outcome[1]] = (outcomes[outcome[1]] ?? 0) + 1;
    if (line.includes('"msg":"request"')) lastRequestAt = Date.now();
    const duration = /"status":200,"durationMs":([\d.]+)/.exec(line);
    if (duration) durations.push(Number(duration[1]));
    if (waiting.size > 0) {
      const match = /"requestId":"([^"]+)"/.exec(line);
      const resolve = match && waiting.get(match[1]);
      if (resolve && line.includes('"sqlStatements"')) {
        waiting.delete(match[1]);
        resolve(JSON.parse(line) as RequestLogLine);
        return;
      }
    }
    if (onReady && line.includes('forum portal API ready')) {
      const { url } = JSON.parse(line) as { url: string };
      onReady(`http://127.0.0.1:${new URL(url).port}`);
      onReady = undefined;
    }
    // Request lines of the load phases are not kept: they would push out anything telling.
    if (!line.includes('"msg":"request"') || line.includes('"level":50')) tail.push(line);
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => tail.push(line));

  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopping) reject(new Error(`server exited (${signal ?? code}); its last lines:\n${tail}`));
    });
  });
  exited.catch(() => undefined); // observed by whoever races it; never an unhandled rejection

  const url = await Promise.race([
    new Promise<string>((resolve) => {
      onReady = resolve;
    }),
    exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`server not ready after ${startTimeoutMs} ms; its last lines:\n${tail}`)), startTimeoutMs).unref(),
    ),
  ]).catch(async (error: unknown) => {
    stopping = true;
    await terminate(child, 5_000);
    throw error;
  });

  return {
    pid: child.pid!,
    url,
    exited,
    cacheOutcomes: () => ({ ...outcomes }),
    async quiet(ms) {
      while (Date.now() - lastRequestAt < ms) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    takeDurations: () => {
      const taken = durations;
      durations = [];
      return taken;
    },
    logLineOf(requestId, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(requestId);
          reject(new Error(`no request log line for ${requestId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(requestId, (line) => {
          clearTimeout(timer);
          resolve(line);
        });
      });
    },
    // Generous: with --cpu-prof the profile is written on the way out.
    async stop() {
      stopping = true;
      await terminate(child, 30_000);
    },
  };
}

/** Forks a compiled bench script with an IPC channel; it exits when the channel closes. */
function forkScript(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // execArgv: [] so that ts-node's flags in this process's execArgv are not passed on.
  return fork(script, [], { env, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function disconnect(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Sends one message and waits for the first reply `accept` takes, or fails on exit or timeout. */
function request<T>(
  child: ChildProcess,
  message: unknown,
  accept: (reply: unknown) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => finish(new Error(`${what}: process exited with ${code}`));
    const onMessage = (reply: unknown) => {
      const value = accept(reply);
      if (value !== undefined) finish(undefined, value);
    };
    function finish(error?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message as object);
  });
}

export interface BaselineProcess {
  pid: number;
  url: string;
  /** Statements the baseline has sent to PostgreSQL so far. */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBaseline(baselineJs: string, env: NodeJS.ProcessEnv): Promise<BaselineProcess> {
  const child = forkScript(baselineJs, env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('baseline not ready after 30 s')), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline exited with ${code}`));
    });
    child.on('message', (message: BaselineMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
  }).catch(async (error: unknown) => {
    await disconnect(child);
    throw error;
  });
  return {
    pid: child.pid!,
    url,
    statements: () =>
      request(
        child,
        { type: 'stats' },
        (m) => ((m as BaselineMessage).type === 'stats' ? (m as { statements: number }).statements : undefined),
        5_000,
        'baseline stats',
      ),
    stop: () => disconnect(child),
  };
}

export interface LoadClient {
  pid: number;
  run(spec: Omit<RunRequest, 'type'>): Promise<RunResult>;
  stop(): Promise<void>;
}

export function startLoadClient(loadClientJs: string): LoadClient {
  const child = forkScript(loadClientJs, process.env);
  return {
    pid: child.pid!,
    async run(spec) {
      const reply = await request(
        child,
        { type: 'run', ...spec } satisfies RunRequest,
        (m) => m as ClientMessage,
        (spec.seconds + spec.timeoutSeconds + 30) * 1000,
        'load client',
      );
      if (reply.type === 'failure') throw new Error(`load client: ${reply.message}`);
      return reply;
    },
    stop: () => disconnect(child),
  };
}

/*
 * Linux only: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one,
 * so each measured run gets its own peak rather than the process's lifetime peak.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size in kB (VmHWM), or NaN where /proc is not available. */
export function peakRssKb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU time of a process so far, in ms (clock ticks are 10 ms on Linux). */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is
    // field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Compiles src/ and bench/ with the project's tsconfig into `outDir` (which must lie inside the
 * repository, so that Node finds node_modules from there). test/ and seeds/ are left out: the
 * server does not need them. Returns tsc's complaints, if any; the output is written anyway.
 */
export async function compile(repoDir: string, outDir: string, signal?: AbortSignal): Promise<string | undefined> {
  const tsconfig = path.join(outDir, 'tsconfig.bench.json');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(repoDir, 'tsconfig.json'),
      compilerOptions: { outDir, rootDir: repoDir, noEmit: false, incremental: false, sourceMap: true },
      include: [path.join(repoDir, 'src'), path.join(repoDir, 'bench')],
    }),
  );
  const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal,
  });
  tsc.on('error', () => undefined); // an abort; 'exit' follows and settles the promise below
  let output = '';
  tsc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  tsc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => tsc.once('exit', resolve));
  return code === 0 ? undefined : output.trim() || `tsc exited with ${code}`;
}
