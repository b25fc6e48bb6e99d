import pino from 'pino';

/**
 * The process-wide logger. Its level comes from LOG_LEVEL; it is read here rather than through
 * Config because the logger must exist before the configuration is validated (to report it).
 */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: undefined,
});
