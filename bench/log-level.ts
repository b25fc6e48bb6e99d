/*
 * Imported first by agenda.bench.ts, before anything that loads src/logger.ts: the app logs
 * through pino to stdout at `info` (e.g. "embedded PostgreSQL started"), which would interleave
 * with the results table. LOG_LEVEL set by the caller still wins.
 */
process.env.LOG_LEVEL ??= 'warn';

export {};
