import { Client } from 'pg';

const listeners: (() => void)[] = [];
let installed = false;
const background = new WeakSet<Client>();

/**
 * Leaves the statements of `client` out of every count: a connection of the process's own
 * background work (LISTEN connections, the webhook dispatcher), whose statements come at times of
 * their own and belong to no request.
 */
export function notCounted(client: Client): void {
  background.add(client);
}

/** Runs `work` without counting the statements it sends on `client`: a new connection's own set-up. */
export async function uncounted<T>(client: Client, work: () => Promise<T>): Promise<T> {
  const already = background.has(client);
  background.add(client);
  try {
    return await work();
  } finally {
    if (!already) background.delete(client);
  }
}

/**
 * Calls `listener` for every statement this process sends to PostgreSQL. The ORM, the loaders and
 * plain pg clients all go through the pg driver's `Client.prototype.query`, which is wrapped once
 * here; the statements run as before. Instrumentation only: the request log's SQL count, and the
 * counts of the tests and the benchmark.
 */
export function onEveryStatement(listener: () => void): void {
  listeners.push(listener);
  if (installed) return;
  installed = true;
  const query = Client.prototype.query;
  Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
    if (!background.has(this)) for (const notify of listeners) notify();
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
}
