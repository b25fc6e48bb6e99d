import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { currentRequest } from './request-log';
import { sendError } from './shared/http';

/** What a refused client is told to wait: long enough for the requests in flight to finish. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;
/** At most one warning per this long while refusing, with the count since the last. */
const WARN_EVERY_MS = 10_000;
/** The probes answer whatever the load: an orchestrator must see the process alive and ready. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Admission control: at most `maxInFlight` requests are worked on at once, and the next ones are
 * refused at once (503 SERVICE_UNAVAILABLE, Retry-After) before their body is read. Without it a
 * burst queues every request behind the database pool: each waits seconds, holds its parsed body
 * and its answer in memory, and then many time out together. With it, the accepted requests keep
 * the latency of a busy but not flooded server, and a refused client (or the load balancer) tries
 * again in a moment, or elsewhere.
 *
 * Refusals are marked `shed` for the request log (at debug: a line each would flood the log when it
 * matters least) and the metrics, and summed in a warning every WARN_EVERY_MS while they last.
 */
export function admissionControl(maxInFlight: number, log: Logger): RequestHandler {
  let inFlight = 0;
  let refusedSinceWarning = 0;
  let lastWarning = 0;
  return (req, res, next) => {
    if (ALWAYS_ANSWERED.has(req.path)) {
      next();
      return;
    }
    if (inFlight >= maxInFlight) {
      refusedSinceWarning += 1;
      if (Date.now() - lastWarning >= WARN_EVERY_MS) {
        log.warn({ refused: refusedSinceWarning, maxInFlight }, 'overloaded: refusing requests beyond MAX_REQUESTS_IN_FLIGHT');
        refusedSinceWarning = 0;
        lastWarning = Date.now();
      }
      const state = currentRequest();
      if (state) state.shed = true;
      res.set('Retry-After', String(OVERLOAD_RETRY_AFTER_SECONDS));
      sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The server is busy; try again in a moment');
      return;
    }
    inFlight += 1;
    // 'close' comes once per response, sent or abandoned by the client.
    res.once('close', () => (inFlight -= 1));
    next();
  };
}
