/*
 * Imported first by each benchmark, before anything that loads src/logger.ts: the modules they
 * uses to migrate and to run an embedded PostgreSQL log through pino to stdout at `info`,
 * which would interleave with the bench's own output. LOG_LEVEL set by the caller still wins.
 * (The server under test is a child process and gets LOG_LEVEL=info: its request log is how
 * statements per request are counted.)
 */
process.env.LOG_LEVEL ??= 'warn';

export {};
