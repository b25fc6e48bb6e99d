/*
 * The closed-loop load generator, run as a child process by agenda.bench.ts. It lives in its
 * own process so that the client's CPU work (HTTP framing, reading bodies) does not run on the
 * server's event loop: in one process every client callback would delay the server and shrink
 * the faster server's advantage most.
 *
 * Protocol (over the fork IPC channel): the parent sends a RunRequest, the child answers with
 * 'window-start' and 'window-end' marks (so the parent can read its own CPU time over exactly
 * the measured window) and then a RunResult. The child exits when the parent disconnects.
 */
import { performance } from 'node:perf_hooks';

export interface RequestSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface RunRequest {
  type: 'run';
  /** Requests to rotate over (one per forum slug), shared by all loops. */
  requests: RequestSpec[];
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  timeoutMs: number;
  /** Regular expression source a successful body matches (rules out `errors` and a null forum). */
  expectStart: string;
}

export interface RunResult {
  type: 'result';
  /** Requests that succeeded and completed inside the measured window. */
  completed: number;
  /** Failed requests (status, body, timeout or network error) over the whole round. */
  failed: number;
  /** Completed requests over the whole round, warm-up included. */
  totalCompleted: number;
  windowMs: number;
  p50Ms: number;
  p99Ms: number;
  /** This process's CPU time over the window, as a share of one core. */
  clientCpuPercent: number;
  maxRssKb: number;
  firstError?: string;
}

export type ClientMessage = { type: 'window-start' } | { type: 'window-end' } | RunResult;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(spec: RunRequest): Promise<RunResult> {
  const start = performance.now();
  const windowStart = start + spec.warmupMs;
  const windowEnd = windowStart + spec.measureMs;
  const expected = new RegExp(spec.expectStart);
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let totalCompleted = 0;
  let firstError: string | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuInWindow: NodeJS.CpuUsage | undefined;

  // Timers rather than checks inside the loops: the marks must fire even if every loop is
  // stuck waiting on a slow response.
  const startMark = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    process.send!({ type: 'window-start' } satisfies ClientMessage);
  }, spec.warmupMs);
  const endMark = setTimeout(() => {
    cpuInWindow = process.cpuUsage(cpuAtStart);
    process.send!({ type: 'window-end' } satisfies ClientMessage);
  }, spec.warmupMs + spec.measureMs);

  const loop = async (): Promise<void> => {
    // Closed loop: each loop has one request in flight, so offered load adapts to the server
    // and the comparison is of throughput at equal concurrency.
    while (performance.now() < windowEnd) {
      const request = spec.requests[next++ % spec.requests.length];
      const t0 = performance.now();
      let error: string | undefined;
      try {
        const response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(spec.timeoutMs),
        });
        const text = await response.text();
        if (response.status !== 200 || !expected.test(text)) error = `HTTP ${response.status}: ${text.slice(0, 200)}`;
      } catch (caught) {
        error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
      }
      const t1 = performance.now();
      if (error) {
        failed += 1;
        firstError ??= error;
        continue;
      }
      totalCompleted += 1;
      if (t1 >= windowStart && t1 <= windowEnd) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  clearTimeout(startMark);
  clearTimeout(endMark);
  cpuInWindow ??= process.cpuUsage(cpuAtStart);

  latencies.sort((a, b) => a - b);
  return {
    type: 'result',
    completed: latencies.length,
    failed,
    totalCompleted,
    windowMs: spec.measureMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    clientCpuPercent: ((cpuInWindow.user + cpuInWindow.system) / 1000 / spec.measureMs) * 100,
    maxRssKb: process.resourceUsage().maxRSS,
    firstError,
  };
}

if (require.main === module) {
  if (!process.send) {
    process.stderr.write('load-client.ts is started by agenda.bench.ts (it needs an IPC channel)\n');
    process.exit(1);
  }
  process.on('message', (message: RunRequest) => {
    if (message.type !== 'run') return;
    run(message).then(
      (result) => process.send!(result),
      (error: unknown) => {
        process.stderr.write(`load client failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
  // The parent going away (normally or not) ends the client, so it can never outlive the run.
  process.on('disconnect', () => process.exit(0));
}
