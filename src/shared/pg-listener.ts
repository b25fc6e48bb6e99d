import { Client, type ClientConfig } from 'pg';
import { notCounted } from '../db/statement-hook';

const FIRST_RECONNECT_DELAY_MS = 250;
const LAST_RECONNECT_DELAY_MS = 30_000;

/** What a listener reports to its owner. */
export interface ListenerEvents {
  /** A notification on one of the channels, delivered at its transaction's commit. */
  notification(channel: string, payload: string): void;
  /** Listening; `again` after a loss, when anything notified meanwhile may have been missed. */
  listening(again: boolean): void;
  /** The connection is gone; it reconnects by itself, with growing delays. */
  lost(error: unknown, retryInMs: number): void;
}

/**
 * One PostgreSQL connection that LISTENs on some channels and reconnects when it is lost. Its
 * owner learns of every loss and every new start, because notifications sent in between are
 * gone for good: whatever depends on them must be rebuilt then.
 */
export class PgListener {
  private client: Client | undefined;
  private active = false;
  private stopped = false;
  private reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: ClientConfig,
    /** How the connection shows in pg_stat_activity. */
    private readonly applicationName: string,
    private readonly channels: readonly string[],
    private readonly events: ListenerEvents,
  ) {}

  /** Whether notifications are being received now. */
  get listening(): boolean {
    return this.active;
  }

  /** Connects; resolves after the first attempt (later ones retry in the background). */
  async start(): Promise<void> {
    await this.listen();
  }

  /** Stops listening; nothing keeps the process alive afterwards. */
  async close(): Promise<void> {
    this.stopped = true;
    this.active = false;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * Runs a statement on the listening connection. Its answer comes after every notification
   * committed before it was sent, so `query('select 1')` waits until the listener has caught up.
   * Undefined when not listening.
   */
  async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[] | undefined> {
    const client = this.client;
    if (!client || !this.active) return undefined;
    return (await client.query<Row>(sql, params)).rows;
  }

  private async listen(): Promise<void> {
    const client = new Client({ ...this.connection, application_name: this.applicationName });
    notCounted(client);
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.active = false;
      this.events.lost(error, this.reconnectDelayMs);
      this.reconnectTimer = setTimeout(() => void this.listen(), this.reconnectDelayMs).unref();
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, LAST_RECONNECT_DELAY_MS);
    };
    // pg reports every end it did not ask for (a terminated backend, a dropped socket) as an
    // 'error', or by rejecting connect(): 'end' itself only follows one of those, or our end().
    client.on('error', onLost);
    client.on('notification', (message) => this.events.notification(message.channel, message.payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    const again = this.reconnectDelayMs > FIRST_RECONNECT_DELAY_MS;
    this.client = client;
    this.reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
    this.active = true;
    this.events.listening(again);
  }
}
