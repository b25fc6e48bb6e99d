import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded';

/**
 * Runs once, in jest's parent process: gives the test files a PostgreSQL server. With
 * TEST_DATABASE_URL that server is used (CI on this machine points it at the local one);
 * otherwise an embedded PostgreSQL is started in a temporary folder. Each test file then creates
 * its own database on that server (test/helpers/harness.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-portal-test-'));
  // mkdtemp makes the folder private to root; PostgreSQL may run as the postgres user.
  fs.chmodSync(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'));
  process.env.TEST_DATABASE_URL = embedded.url;
  (globalThis as Record<string, unknown>).__embeddedTestDatabase = {
    stop: async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
