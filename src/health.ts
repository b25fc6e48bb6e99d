import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { currentRequest } from './request-log';
import { logger } from './logger';
import { otherMethods } from './shared/http';
import type { SharedRedis } from './redis';

/**
 * Probes for an orchestrator or a load balancer:
 * - `GET /healthz`: the process is alive and serving HTTP (restart it if not); touches nothing else.
 * - `GET /readyz`: the database answers and every migration has been applied, so requests can be
 *   sent here (take it out of rotation if not): 200 `{status: "ready"}`, else 503 with a reason.
 *   With REDIS_URL and Redis unreachable it is 200 `{status: "degraded"}`: every request is still
 *   answered, only the rate limits count per process, and taking every instance out of rotation
 *   for that would turn a lost Redis into an outage.
 * Neither is cached, and neither says more than that (no versions, no error text).
 */
export function healthRouter(orm: MikroORM, redis?: SharedRedis): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await orm.em.getConnection().execute('select 1');
    } catch (error) {
      (currentRequest()?.log ?? logger).warn({ err: error }, 'not ready: database unreachable');
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
      return;
    }
    try {
      const pending = await orm.getMigrator().getPendingMigrations();
      if (pending.length > 0) {
        res.status(503).json({ status: 'unavailable', reason: 'migrations pending', pendingMigrations: pending.length });
        return;
      }
    } catch (error) {
      (currentRequest()?.log ?? logger).warn({ err: error }, 'not ready: migrations could not be checked');
      res.status(503).json({ status: 'unavailable', reason: 'migrations could not be checked' });
      return;
    }
    if (redis && !redis.reachable) {
      res.json({ status: 'degraded', reason: 'redis unreachable: rate limits are counted per process' });
      return;
    }
    res.json({ status: 'ready' });
  });
  // POST, PUT, … : a JSON 405, not Express's HTML 404.
  router.all(['/healthz', '/readyz'], otherMethods('GET', 'HEAD'));
  return router;
}
