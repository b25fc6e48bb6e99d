import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

/** How long start-up waits for Redis before serving with per-process rate limits instead. */
const FIRST_CONNECT_MS = 2_000;

/**
 * The Redis that instances share (REDIS_URL): the rate limits' counts live there, so every
 * instance enforces one budget. Redis is a help, never a condition: the server starts and answers
 * without it, and says so (a log line at each change, and `/readyz` degraded).
 */
export class SharedRedis {
  readonly client: RedisClient;
  private warned = false;
  private lastFallbackLog = 0;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    this.client = createClient({
      url,
      // While disconnected, commands fail at once (and the limits count in this process)
      // instead of queueing behind a connection that may never come.
      disableOfflineQueue: true,
      socket: { connectTimeout: FIRST_CONNECT_MS, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
    });
    this.client.on('ready', () => {
      if (this.warned) this.log.info('redis reachable again: rate limits are shared between instances');
      this.warned = false;
    });
    // Every failed reconnect emits an error: one line when Redis goes, one when it is back.
    this.client.on('error', (error: unknown) => {
      if (this.warned) return;
      this.warned = true;
      this.log.warn({ err: error }, 'redis unreachable: rate limits are counted per process until it is back');
    });
  }

  /** Connects, waiting at most FIRST_CONNECT_MS; after that the client keeps trying on its own. */
  async start(): Promise<void> {
    const connected = this.client.connect().then(
      () => true,
      () => false,
    );
    await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, FIRST_CONNECT_MS).unref())]);
  }

  /** Whether commands can be sent now; false while it reconnects. */
  get reachable(): boolean {
    return this.client.isReady;
  }

  /**
   * A count went to this process's limiter although the connection looked ready (Redis too slow,
   * or an error): logged at most once a minute, as a hung Redis would otherwise go unnoticed.
   */
  fellBack(): void {
    if (this.warned || Date.now() - this.lastFallbackLog < 60_000) return;
    this.lastFallbackLog = Date.now();
    this.log.warn('redis did not answer in time: a rate limit was counted in this process');
  }

  /**
   * Closes at once: a graceful close would wait for the replies to commands in flight, forever if
   * Redis hangs, and all they would bring is a count for requests that have already been answered.
   */
  close(): void {
    if (this.client.isOpen) this.client.destroy();
  }
}
