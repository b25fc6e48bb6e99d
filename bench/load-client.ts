/*
 * The load generator, run by agenda.bench.ts as a child process (compiled): its CPU work (HTTP
 * framing, reading 25 KB bodies) must not run on the event loop of either server, nor of the
 * parent that samples them.
 *
 * Protocol over the fork IPC channel: the parent sends a RunRequest, the child answers with a
 * RunResult (or a RunFailure). The child exits when the parent disconnects.
 */
import autocannon from 'autocannon';
import { EXPECTED_START, fillTemplate, seededRandom, SLUG, type RequestTemplate } from './operations';

export interface RunRequest {
  type: 'run';
  /** Base URL of the server under load, e.g. http://127.0.0.1:41234 */
  url: string;
  template: RequestTemplate;
  /** Forums to pick from, one at random per request. */
  slugs: string[];
  /** Seeds the choice of forums, so that both sides of a round get the same sequence. */
  seed: number;
  connections: number;
  seconds: number;
  timeoutSeconds: number;
}

export interface RunResult {
  type: 'result';
  /** 2xx responses whose body looked like an answer. */
  ok: number;
  /** Non-2xx responses but 503s, connection errors and timeouts, and 2xx bodies that were not an answer. */
  errors: number;
  /** 503s from admission control (src/admission.ts): refused at once, to be tried again. */
  shed: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
}

export type ClientMessage = RunResult | { type: 'failure'; message: string };

/** Admission control's refusal (src/admission.ts), told apart from a 503 for an unavailable database. */
const SHED_BODY = /^\{"errors":\[\{"message":"The server is busy/;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function run(spec: RunRequest): Promise<RunResult> {
  const random = seededRandom(spec.seed);
  const pick = () => spec.slugs[Math.floor(random() * spec.slugs.length)];
  // Latencies are kept here rather than read from autocannon's histogram, which rounds to whole
  // milliseconds: too coarse for p50s of a few milliseconds.
  const latencies: number[] = [];
  let firstError: string | undefined;
  let shed = 0;
  /** autocannon emits 'response' and then, synchronously, checks that response's body. */
  let lastStatus = 0;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        timeout: spec.timeoutSeconds,
        requests: [
          {
            method: spec.template.method,
            path: spec.template.path,
            headers: spec.template.headers,
            body: spec.template.body,
            setupRequest: (request) => {
              const filled = fillTemplate(spec.template, pick());
              return { ...request, path: filled.path, body: filled.body };
            },
          },
        ],
        verifyBody: (body) => {
          // Refused by admission control: counted apart, not a failure.
          if (lastStatus === 503 && SHED_BODY.test(body)) shed += 1;
          else if (lastStatus === 503) firstError ??= `HTTP 503 ${body.slice(0, 300)}`;
          // Other answers are counted by their status: only a 2xx must be the data.
          if (lastStatus < 200 || lastStatus >= 300 || EXPECTED_START.test(body)) return true;
          firstError ??= `unexpected body: ${body.slice(0, 300)}`;
          return false;
        },
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        latencies.sort((a, b) => a - b);
        const errors = result.non2xx - shed + result.errors + result.mismatches;
        const ok = result['2xx'] - result.mismatches;
        resolve({
          type: 'result',
          ok,
          errors,
          shed,
          seconds: result.duration,
          reqPerSec: ok / result.duration,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          firstError,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastStatus = statusCode;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else if (statusCode !== 503) firstError ??= `HTTP ${statusCode}`;
    });
    instance.on('reqError', (error) => {
      firstError ??= `${error.name}: ${error.message}`;
    });
  });
}

if (require.main === module) {
  if (!process.send) {
    process.stderr.write('load-client.js is started by agenda.bench.ts (it needs an IPC channel)\n');
    process.exit(1);
  }
  process.on('message', (message: RunRequest) => {
    if (message.type !== 'run') return;
    if (!message.template.path.includes(SLUG) && !message.template.body?.includes(SLUG)) {
      process.send!({ type: 'failure', message: 'request template has no slug placeholder' } satisfies ClientMessage);
      return;
    }
    run(message).then(
      (result) => process.send!(result satisfies ClientMessage),
      (error: unknown) => process.send!({ type: 'failure', message: String(error) } satisfies ClientMessage),
    );
  });
  // The parent going away (normally or not) ends the client, so it never outlives the run.
  process.on('disconnect', () => process.exit(0));
}
