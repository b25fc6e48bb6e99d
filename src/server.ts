import 'reflect-metadata';
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
  const { apollo, httpServer } = await createApp(database.orm, config);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`port ${config.port} is in use: stop what listens there, or set PORT to a free port`)
          : error,
      ),
    );
    httpServer.listen(config.port, resolve);
  });
  const { port } = httpServer.address() as { port: number };
  logger.info({ url: `http://localhost:${port}/graphql`, embedded: !config.databaseUrl }, 'forum portal API ready');

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
