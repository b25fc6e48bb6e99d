import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import type { Logger } from 'pino';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from './config';
import { createContext } from './context';
import type { Context } from './shared/context';
import { formatError, ServiceUnavailableError } from './errors';
import { databaseUnavailablePlugin, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable';
import { sessionConnection } from './db/session-connection';
import { checkUrlText, sendError } from './shared/http';
import { languagePreference } from './shared/i18n';
import { exportRouter } from './export/export.routes';
import { httpCachePlugin } from './http-cache';
import { importRouter } from './import/speaker-import.routes';
import { pressRouter } from './press/press.routes';
import { healthRouter } from './health';
import { queryLimitsPlugin } from './limits';
import { textGatePlugin } from './text-gate';
import { currentRequest, requestLogging, requestLogPlugin } from './request-log';
import { rateLimitPlugin } from './rate-limit';
import { admissionControl } from './admission';
import { SharedRedis } from './redis';
import { keepRawBody, startResponseCache } from './response-cache';
import { Metrics, metricsRouter, metricsServer } from './metrics';
import { projectionPlugin } from './shared/projection';
import { logger } from './logger';
import { getSchema } from './schema';
import { jitGateway } from './executor';
import { serveSubscriptions, subscriptionsOverWebSocketOnly } from './websocket';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export interface App {
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Serves only /metrics, when METRICS_PORT is set: server.ts listens on it; apollo.stop() closes it. */
  metricsServer?: http.Server;
}

/**
 * Builds the HTTP server with the GraphQL endpoint at /graphql, started but not listening:
 * `server.ts` listens on the configured port, tests on a free one or not at all.
 */
export async function createApp(orm: MikroORM, config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const app = express();
  app.disable('x-powered-by');
  // The client's IP (rate limits) from X-Forwarded-For, as far as the configured proxies vouch.
  app.set('trust proxy', config.trustProxy);
  // First: every request gets an id (X-Request-Id), its SQL counted, and one log line.
  // Only when something can read them: prom-client's process metrics start an event-loop monitor
  // and a GC observer that it never stops.
  const metrics = config.metricsPort !== undefined || config.metricsToken ? new Metrics(orm) : undefined;
  app.use(requestLogging(options.logger, metrics?.observe));
  // Around everything: past the bound, a request is refused before anything reads its body.
  const httpServer = http.createServer(admissionControl(app, config.maxRequestsInFlight, options.logger ?? logger, metrics?.countOverload));
  const metricsHttpServer = metrics && config.metricsPort !== undefined ? metricsServer(metrics) : undefined;
  const schema = await getSchema();
  const subscriptions = await serveSubscriptions(httpServer, orm, config, schema, options.logger ?? logger);
  const webhooks = new WebhookDispatcher(sessionConnection(orm, config), config.webhooks, options.logger ?? logger);
  await webhooks.start();
  const redis = config.redisUrl ? new SharedRedis(config.redisUrl, options.logger ?? logger) : undefined;
  await redis?.start();
  const apollo = new ApolloServer<Context>({
    gateway: jitGateway(schema),
    formatError,
    includeStacktraceInErrorResponses: false,
    // "Did you mean ...?" hints would reveal parts of the schema to anyone probing it.
    hideSchemaDetailsFromClientErrors: true,
    // Bounds the work a single query document can cause before execution starts.
    parseOptions: { maxTokens: config.graphqlMaxTokens },
    // Batched operations (a JSON array body) stay off, Apollo's default: one request, one operation,
    // so each is measured by queryLimitsPlugin and rate limits.
    allowBatchedHttpRequests: false,
    introspection: config.graphqlIntrospection,
    // Apollo's CSRF prevention stays on: a GET query needs a JSON content type or an
    // `apollo-require-preflight` / `x-apollo-operation-name` header, which a CDN or a CMS
    // fetching server-side sends, and which makes a browser ask CORS first.
    // server.ts stops Apollo, then the ORM, in that order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Closes the WebSocket connections (1001, going away) and their LISTEN connection, lets a
      // webhook round in progress end (what it had not sent stays queued in the database), and
      // closes the connection to Redis and the metrics port.
      {
        async serverWillStart() {
          return {
            async drainServer() {
              redis?.close();
              await Promise.all([
                subscriptions.dispose(),
                webhooks.close(),
                metricsHttpServer?.listening && new Promise((resolve) => metricsHttpServer.close(resolve)),
              ]);
            },
          };
        },
      },
      // Cache policy is decided per operation by httpCachePlugin instead of per field.
      ApolloServerPluginCacheControlDisabled(),
      // Without a landing page, GET /graphql from a browser is just a GraphQL request (400).
      ...(config.graphqlLandingPage ? [] : [ApolloServerPluginLandingPageDisabled()]),
      requestLogPlugin(),
      subscriptionsOverWebSocketOnly(),
      // First of the checks that refuse an operation before it runs: no client text reaches SQL unchecked.
      textGatePlugin(),
      httpCachePlugin(config.cacheMaxAgeSeconds),
      queryLimitsPlugin(config.queryLimits),
      rateLimitPlugin(config, redis),
      databaseUnavailablePlugin(),
      projectionPlugin(),
    ],
  });
  await apollo.start();
  const responseCache = await startResponseCache(orm, config, { httpServer, logger: options.logger, clearings: metrics?.cacheClearings });

  // With the probes, outside the response cache, the rate limits and admission control: a scrape
  // must get through when those refuse, to show why.
  if (metrics && config.metricsToken) app.use(metricsRouter(metrics, config.metricsToken));
  app.use(healthRouter(orm, redis));
  app.use(checkUrlText);
  app.use(
    '/graphql',
    // Browser pages allowed to call the API (CORS_ORIGINS); the GET exports and feeds stay open.
    cors({ origin: config.corsOrigins === '*' ? '*' : config.corsOrigins, maxAge: 86_400 }),
    express.json({ limit: config.maxBodySize, verify: keepRawBody }),
    (_req, res, next) => {
      // Responses differ by language: shared caches must keep one copy per Accept-Language.
      res.vary('Accept-Language');
      // Replaced by httpCachePlugin for cacheable answers; covers those Apollo sends before
      // plugins run (e.g. 401 for a bad token).
      res.set('Cache-Control', 'no-store');
      next();
    },
    // Repeated public queries answered from memory, before Apollo: after the checks above (CORS,
    // body size), and after request logging, so hits still get their id and log line.
    responseCache,
    expressMiddleware(apollo, {
      context: ({ req }) =>
        createContext(orm, {
          languages: languagePreference(req.headers['accept-language']),
          publicBaseUrl: config.publicBaseUrl,
          authorization: req.headers.authorization,
          auth: config,
          webhooksMayBePrivate: config.webhooks.allowPrivate,
          clientIp: req.ip,
        }).catch((error: unknown) => {
          // Checking a token reads the database: when it is unavailable, 503 rather than 500.
          throw isDatabaseUnavailable(error) ? new ServiceUnavailableError() : error;
        }),
    }),
  );
  // After /graphql, which most requests are for: Express tries every route of a router in turn.
  app.use(exportRouter(orm, config));
  app.use(pressRouter(orm, config));
  app.use(importRouter(orm, config));
  // No route answered: a JSON error like every other answer here, not Express's HTML page (which
  // echoes the path). Paths that exist answer their other methods with 405 (otherMethods).
  app.use((_req: Request, res: Response) => sendError(res, 404, 'NOT_FOUND', 'Nothing is served at this path'));
  // Body-parser failures (malformed JSON, too large) and anything else thrown outside GraphQL
  // execution: a GraphQL-shaped JSON error instead of Express's HTML page with a stack trace.
  app.use((error: { status?: number; statusCode?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const request = currentRequest();
    // Exports, feeds, oEmbed and the import: an unavailable database is 503, as on /graphql.
    if (isDatabaseUnavailable(error)) {
      (request?.log ?? logger).warn({ err: error }, 'database unavailable');
      const unavailable = new ServiceUnavailableError();
      res
        .status(503)
        .set('Retry-After', String(RETRY_AFTER_SECONDS))
        .json({ errors: [{ message: unavailable.message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      return;
    }
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) (request?.log ?? logger).error({ err: error }, 'unexpected HTTP error');
    const known: Record<string, string> = {
      'entity.too.large': `Request body is larger than ${config.maxBodySize}`,
      'entity.parse.failed': 'Request body is not valid JSON',
      'charset.unsupported': 'Request body must be UTF-8',
      'encoding.unsupported': 'Unsupported content encoding',
    };
    const message = (error.type && known[error.type]) || (status < 500 ? 'Bad request' : 'Internal server error');
    res.status(status).json({
      errors: [{ message, extensions: status < 500 ? { code: 'BAD_REQUEST' } : { code: 'INTERNAL_SERVER_ERROR', requestId: request?.id } }],
    });
  });
  return { apollo, httpServer, metricsServer: metricsHttpServer };
}
