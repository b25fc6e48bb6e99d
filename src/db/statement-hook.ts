import { Client } from 'pg';

const listeners: (() => void)[] = [];
let installed = false;

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
    for (const notify of listeners) notify();
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
}
