import 'reflect-metadata';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadConfig, StartupError } from './config';
import { isDatabaseUnavailable } from './db/unavailable';
import { openDatabase } from './db/database';
import { logger } from './logger';

/** `npm start`: configuration, database (embedded unless DATABASE_URL), migrations, then listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.jwtSecretGenerated) logger.warn('JWT_SECRET is not set: sign-ins last until this process stops');
  const database = await openDatabase(config);
  const { apollo, httpServer, metricsServer } = await createApp(database.orm, config);
  const port = await listen(httpServer, config.port, 'PORT');
  logger.info({ url: `http://localhost:${port}/graphql`, embedded: !config.databaseUrl }, 'forum portal API ready');
  if (metricsServer && config.metricsPort !== undefined) {
    const metricsPort = await listen(metricsServer, config.metricsPort, 'METRICS_PORT');
    logger.info({ url: `http://localhost:${metricsPort}/metrics` }, 'metrics ready');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await apollo.stop(); // drains in-flight requests and closes the HTTP server
      await database.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Resolves with the port listened on; a port in use is a StartupError naming the setting to change. */
function listen(server: http.Server, port: number, setting: 'PORT' | 'METRICS_PORT'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`port ${port} is in use: stop what listens there, or set ${setting} to a free port`)
          : error,
      ),
    );
    server.listen(port, () => resolve((server.address() as AddressInfo).port));
  });
}

/** The one line a failed start prints: the cause and the fix. */
function startupProblem(error: unknown): string | undefined {
  if (error instanceof StartupError) return error.message;
  if (isDatabaseUnavailable(error)) {
    const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
    const where = url ? `PostgreSQL at ${url.hostname}:${url.port || 5432} (DATABASE_URL)` : 'the embedded PostgreSQL';
    const detail = error instanceof Error ? error.message : String(error);
    return `cannot reach ${where}: ${detail}; check that it runs and that DATABASE_URL is right`;
  }
  return undefined;
}

main().catch((error: unknown) => {
  const problem = startupProblem(error);
  // Anything else is unexpected: its stack helps more than a sentence.
  if (problem) logger.error(`failed to start: ${problem}`);
  else logger.error({ err: error }, 'failed to start');
  process.exit(1);
});
