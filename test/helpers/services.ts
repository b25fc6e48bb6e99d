import { spawnSync } from 'node:child_process';

/**
 * Tests of what a deployment adds to PostgreSQL (Redis, PgBouncer) run when this machine has it.
 * A developer without it sees them skipped, with the reason; CI (CI=true) provides each, so there a
 * missing one fails the run instead of hiding its tests.
 */
export function describeUnless(missing: string | undefined): jest.Describe {
  if (missing === undefined) return describe;
  if (process.env.CI) throw new Error(`${missing}. CI must provide it (.ci/run).`);
  console.warn(`${missing}: its tests are skipped`);
  return describe.skip;
}

/** The Redis the tests use: TEST_REDIS_URL, else this machine's on the standard port. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Why `url`'s server cannot be used, or undefined when it accepts a TCP connection. */
export function unreachable(url: string, what: string): string | undefined {
  const { hostname, port } = new URL(url);
  // Jest collects tests synchronously: a child process makes the one connection attempt.
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('net').connect(${Number(port)}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
    ],
    { timeout: 5_000 },
  );
  return probe.status === 0 ? undefined : `${what} at ${hostname}:${port} does not answer (start it, or point the tests at one)`;
}
