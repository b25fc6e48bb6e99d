import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/db/embedded';

const ROOT = path.join(__dirname, '../..');

/** A server started as its own process: `npm start`'s entry point, or the compiled one. */
export interface ServerProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything it printed so far (its JSON log lines). */
  output(): string;
  /** Resolves with its exit code once it has exited. */
  exited: Promise<number | null>;
}

/**
 * Compiles the server as `npm run build` does, into a folder of its own under node_modules/.cache
 * (inside the repository, so that Node finds node_modules from it): the tests run what
 * `npm run start:prod` runs, without touching a developer's dist/. Returns the folder.
 */
export async function buildServer(): Promise<string> {
  const cache = path.join(ROOT, 'node_modules', '.cache', 'forum-tests');
  fs.mkdirSync(cache, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(cache, 'build-'));
  await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    {
      cwd: ROOT,
    },
  );
  return outDir;
}

/**
 * Starts the server with `env` on top of this process's, on a free port; resolves once it logs
 * that it is ready, rejects if it exits first. `build`: a folder from buildServer (run with plain
 * node, as in production); without it, src/server.ts through ts-node, as `npm start` runs it.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, build?: string): Promise<ServerProcess> {
  const port = await freePort();
  const args = build
    ? [path.join(build, 'src/server.js')]
    : [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--swc', 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SEED: '', JEST_WORKER_ID: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('forum portal API ready')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}
