import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import proxyAddr from 'proxy-addr';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from './config';
import { createContext } from './context';
import { sessionConnection } from './db/session-connection';
import { BadUserInputError, formatError, RateLimitedError, UnauthenticatedError } from './errors';
import { operationLimits } from './limits';
import { LiveUpdatesHub } from './live/live-updates';
import { createLoaders } from './loaders';
import type { Context } from './shared/context';
import { languagePreference } from './shared/i18n';
import { checkOperationText } from './text-gate';

/** Close codes beyond graphql-ws's own (4400 bad request, 4403 forbidden, ...). */
export const CLOSE_UNAUTHENTICATED = 4401;

/** Largest message a client may send: a subscription document with its variables. */
const MAX_MESSAGE_BYTES = 100 * 1024;

const refuse = (socket: Duplex, status: number, reason: string) => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** As formatError masks errors for HTTP; `http` (status, headers) means nothing on a socket. */
/** GraphQL's own parse and validation errors, with the code Apollo gives them over HTTP. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

const masked = (error: GraphQLError) => {
  const { extensions, ...formatted } = formatError(error.toJSON(), error);
  if (!extensions) return formatted;
  const { http: _http, ...rest } = extensions;
  return { ...formatted, extensions: rest };
};

/**
 * Serves subscriptions over WebSocket on /graphql with the graphql-ws protocol, on the HTTP
 * server that Apollo serves queries and mutations on, and with the same schema and checks:
 * - browsers' Origin must be one of CORS_ORIGINS, and each client IP may hold
 *   WS_MAX_CONNECTIONS_PER_CLIENT connections (HTTP 403 and 429 at the handshake otherwise);
 * - `connection_init` may carry `{ "authorization": "Bearer …" }`, checked as the HTTP header is
 *   (a bad one closes the socket with 4401 and the reason);
 * - every document passes validation, the query limits and the text rules before it runs, and a
 *   connection holds at most WS_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions;
 * - only subscriptions: queries and mutations go over HTTP, where caching and rate limits are.
 * Each subscription gets its own Context, renewed for every event (LiveUpdates.renew).
 */
export async function serveSubscriptions(
  httpServer: http.Server,
  orm: MikroORM,
  config: Config,
  schema: GraphQLSchema,
  log: Logger,
): Promise<{ dispose(): Promise<void> }> {
  const live = new LiveUpdatesHub(
    sessionConnection(orm, config),
    (ctx) => {
      ctx.em = orm.em.fork();
      ctx.loaders = createLoaders(ctx.em);
    },
    log,
  );
  await live.start();

  const limits = operationLimits(config.queryLimits);
  // Who the client is, as Express's `trust proxy` says for HTTP requests (TRUST_PROXY).
  const trusted = config.trustProxy;
  const trust =
    trusted === false
      ? () => false
      : typeof trusted === 'number'
        ? (_address: string, hop: number) => hop < trusted
        : proxyAddr.compile(trusted);
  const clientIp = (req: http.IncomingMessage) => proxyAddr(req, trust);
  const connectionsByIp = new Map<string, number>();
  /** Per connection: who it is (from connection_init) and its subscriptions by id. */
  const connections = new WeakMap<WebSocket, { request: http.IncomingMessage; context?: Context; subscriptions: Set<string> }>();

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/graphql') return refuse(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && config.corsOrigins !== '*' && !config.corsOrigins.includes(origin)) {
      return refuse(socket, 403, 'Forbidden');
    }
    const ip = clientIp(req);
    const open = connectionsByIp.get(ip) ?? 0;
    if (open >= config.wsMaxConnectionsPerClient) return refuse(socket, 429, 'Too Many Requests');
    connectionsByIp.set(ip, open + 1);
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections.set(ws, { request: req, subscriptions: new Set() });
      ws.once('close', () => {
        const left = (connectionsByIp.get(ip) ?? 1) - 1;
        if (left > 0) connectionsByIp.set(ip, left);
        else connectionsByIp.delete(ip);
      });
      wss.emit('connection', ws, req);
    });
  };
  httpServer.on('upgrade', onUpgrade);

  const server = useServer(
    {
      schema,
      onConnect: async ({ connectionParams, extra }) => {
        const connection = connections.get(extra.socket)!;
        const authorization = connectionParams?.authorization;
        try {
          connection.context = await createContext(orm, {
            languages: languagePreference(connection.request.headers['accept-language']),
            publicBaseUrl: config.publicBaseUrl,
            authorization: typeof authorization === 'string' ? authorization : undefined,
            auth: config,
            webhooksMayBePrivate: config.webhooks.allowPrivate,
            clientIp: clientIp(connection.request),
          });
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error;
          extra.socket.close(CLOSE_UNAUTHENTICATED, error.message);
          return false;
        }
        return true;
      },
      onSubscribe: ({ extra }, id, payload) => {
        const connection = connections.get(extra.socket)!;
        if (connection.subscriptions.size >= config.wsMaxSubscriptionsPerConnection) {
          return [
            new RateLimitedError(1, `A connection may hold ${config.wsMaxSubscriptionsPerConnection} subscriptions; complete one first`),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.graphqlMaxTokens });
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new BadUserInputError('Name the one operation to run (operationName)')];
        if (operation.operation !== 'subscription') {
          return [new BadUserInputError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP')];
        }
        const variables = payload.variables ?? {};
        try {
          limits(schema, document, operation, variables);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const refusal = checkOperationText(schema, document, operation, variables);
        if (refusal) return [refusal];
        connection.subscriptions.add(id);
        const base = connection.context!;
        const em = orm.em.fork();
        const contextValue: Context = { ...base, em, loaders: createLoaders(em), live };
        return { schema, document, variableValues: variables, operationName: payload.operationName, contextValue };
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(masked) } : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map(masked),
      onComplete: ({ extra }, id) => {
        connections.get(extra.socket)?.subscriptions.delete(id);
      },
    },
    wss,
  );

  return {
    async dispose() {
      httpServer.off('upgrade', onUpgrade);
      await server.dispose();
      await live.close();
    },
  };
}

/** Apollo over HTTP: a subscription is refused before it runs (BAD_USER_INPUT, HTTP 400), pointing to WebSocket. */
export function subscriptionsOverWebSocketOnly(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new BadUserInputError('Subscriptions are served over WebSocket (the graphql-ws protocol) on /graphql', {
              http: { status: 400 },
            });
          }
        },
      };
    },
  };
}
