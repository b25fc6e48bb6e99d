/*
 * What every bench (`npm run bench`, `npm run bench:live`) needs around its measurements: its
 * settings, a database of its own, the compiled server, closing everything it opened however the
 * run ends, a watchdog, and the main() wrapper that turns the outcome into the exit code.
 */
import './log-level';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { compile } from './processes';

export const REPO = path.resolve(__dirname, '..');

export function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** BENCH_CPU_PROF=dir, or `-- --cpu-prof[=dir]` on the command line (default bench-profiles/). */
export function cpuProfileDir(): string | undefined {
  const flag = process.argv.slice(2).find((a) => a === '--cpu-prof' || a.startsWith('--cpu-prof='));
  const dir = flag ? flag.slice('--cpu-prof='.length) || 'bench-profiles' : process.env.BENCH_CPU_PROF;
  return dir ? path.resolve(dir) : undefined;
}

/* Everything opened is registered here and closed in reverse order, once, however the run ends. */
export const closers: { name: string; close: () => Promise<void> }[] = [];
let closing: Promise<void> | undefined;
export function closeAll(): Promise<void> {
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

let aborted = false;
export function abort(reason: string, code: number): void {
  aborted = true;
  process.stderr.write(`bench: ${reason}\n`);
  const sleep = new Promise((resolve) => setTimeout(resolve, 40_000).unref());
  void Promise.race([closeAll(), sleep]).finally(() => process.exit(code));
}

export const log = (text = '') => process.stdout.write(`${text}\n`);
export const since = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;
export const round2 = (x: number) => Math.round(x * 100) / 100;

export async function adminQuery(url: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * BENCH_DATABASE_URL (an admin URL): a fresh database forum_bench_<random> there, dropped at the
 * end; without it an embedded PostgreSQL in a temporary folder, removed at the end. Empty: no
 * tables yet.
 */
export async function openDatabase(): Promise<{ url: string; description: string }> {
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
  // Its own signal handlers would stop PostgreSQL under the running servers; abort() does it last.
  const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'), { stopOnSignals: false });
  closers.push({ name: 'embedded PostgreSQL', close: () => embedded.stop() });
  return { url: embedded.url, description: `embedded, in ${dir} (removed at the end)` };
}

/**
 * Compiles src/ and bench/ and checks that each of `required` (paths relative to the repository,
 * e.g. src/server.js) was written. Returns the folder of the compiled tree.
 * The compiled tree lives inside the repository so that Node resolves node_modules from it.
 */
export async function compileServer(required: string[]): Promise<string> {
  const cache = path.join(REPO, 'node_modules', '.cache', 'forum-bench');
  fs.mkdirSync(cache, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(cache, 'build-'));
  closers.push({ name: `build ${outDir}`, close: async () => fs.rmSync(outDir, { recursive: true, force: true }) });
  // A set-up failure elsewhere closes everything while tsc may still be writing into outDir.
  const stopCompiling = new AbortController();
  closers.push({ name: 'tsc', close: async () => stopCompiling.abort() });
  const complaints = await compile(REPO, outDir, stopCompiling.signal);
  for (const file of required) {
    if (!fs.existsSync(path.join(outDir, file))) throw new Error(`compiling did not produce ${file}:\n${complaints ?? ''}`);
  }
  // tsc writes its output despite type errors; the checks of the answers below decide whether
  // what it wrote is usable, and the error is shown so that nobody mistakes such a run.
  if (complaints)
    process.stderr.write(`bench: warning: tsc reported errors (the output was written anyway):\n${complaints.slice(0, 3000)}\n`);
  return outDir;
}

/** Output of a git command in the repository, or undefined when it fails. */
export function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs a bench's main(), whose result is the exit code: a watchdog aborts it after `deadlineMs`,
 * SIGINT and SIGTERM abort it too, and everything in `closers` is closed however it ends.
 */
export function runBench(main: () => Promise<number>, deadlineMs: number): void {
  const watchdog = setTimeout(() => abort(`still running after ${deadlineMs / 1000} s, giving up`, 2), deadlineMs);
  watchdog.unref();
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));

  main()
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        // After an abort, main fails only because its processes were closed under it.
        if (!aborted) process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
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
}
