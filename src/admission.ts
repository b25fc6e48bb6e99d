import type http from 'node:http';
import type { Logger } from 'pino';

/** What a refused client is told to wait: long enough for the requests in flight to finish. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;
/** At most one warning per this long while refusing, with the count since the last. */
const WARN_EVERY_MS = 10_000;
/** The probes answer whatever the load: an orchestrator must see the process alive and ready. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz', '/metrics']);

/** The whole refusal, made once: refusing must cost next to nothing, or refusals become the load. */
const REFUSAL_BODY = Buffer.from(
  JSON.stringify({ errors: [{ message: 'The server is busy; try again in a moment', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
);
const REFUSAL_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': String(REFUSAL_BODY.length),
  'Cache-Control': 'no-store',
  'Retry-After': String(OVERLOAD_RETRY_AFTER_SECONDS),
};

/**
 * Admission control, around the whole app: at most `maxInFlight` requests are worked on at once,
 * and the next ones are refused at once (503 SERVICE_UNAVAILABLE, Retry-After) before anything
 * reads their body. Without it a burst queues every request behind the database pool: each waits
 * seconds, holds its parsed body and its answer in memory, and then many time out together. With
 * it, the accepted requests keep the latency of a busy but not flooded server, and a refused
 * client (or the load balancer) tries again in a moment, or elsewhere.
 *
 * A refusal happens before Express, the request log and the metrics' request series, and the
 * connection it came on is not read again until Retry-After has passed: a client that asks again
 * at once (autocannon does, many scripts do) would otherwise make the refusals themselves the
 * load. Measured with 1,000 such connections on the cold agenda (`npm run bench`, overload),
 * accepted req/s as a share of the rate at 10 connections: 0.42 with each refusal going through
 * Express and the request log, 0.54 refused before Express, 0.66 to 1.31 (noisy runs) with the
 * connection held as well. Refusals are counted by `onRefused` and summed in a warning at most
 * every WARN_EVERY_MS.
 */
export function admissionControl(
  app: http.RequestListener,
  maxInFlight: number,
  log: Logger,
  onRefused?: () => void,
): http.RequestListener {
  let inFlight = 0;
  let refusedSinceWarning = 0;
  let lastWarning = 0;
  const finished = () => (inFlight -= 1);
  return (req, res) => {
    if (inFlight >= maxInFlight && !ALWAYS_ANSWERED.has(pathOf(req.url))) {
      onRefused?.();
      refusedSinceWarning += 1;
      if (Date.now() - lastWarning >= WARN_EVERY_MS) {
        log.warn({ refused: refusedSinceWarning, maxInFlight }, 'overloaded: refusing requests beyond MAX_REQUESTS_IN_FLIGHT');
        refusedSinceWarning = 0;
        lastWarning = Date.now();
      }
      res.writeHead(503, REFUSAL_HEADERS).end(REFUSAL_BODY);
      // What the client sends meanwhile waits in the kernel's buffers, and is read when it was
      // told to come back. After the answer is out, and a tick later: Node resumes the socket
      // when it discards the unread body of a finished request.
      const socket = req.socket;
      res.once('finish', () =>
        setImmediate(() => {
          socket.pause();
          setTimeout(() => socket.resume(), OVERLOAD_RETRY_AFTER_SECONDS * 1000).unref();
        }),
      );
      return;
    }
    inFlight += 1;
    // 'close' comes once per response, sent or abandoned by the client.
    res.once('close', finished);
    app(req, res);
  };
}

function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : url!.slice(0, query);
}
