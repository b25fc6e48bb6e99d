import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { logger } from './logger';

/** `npm start`: configuration, database (embedded unless DATABASE_URL), migrations, then listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.jwtSecretGenerated) logger.warn('JWT_SECRET is not set: sign-ins last until this process stops');
  const database = await openDatabase(config);
  const { apollo, httpServer } = await createApp(database.orm, config);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.error(error.message);
  else logger.error({ err: error }, 'failed to start');
  process.exit(1);
});
