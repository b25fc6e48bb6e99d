import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { Context, LiveUpdates, Watch } from '../shared/context';
import { PgListener } from '../shared/pg-listener';

/** The channel of the agenda triggers (migration ..._agenda_changed_notify); the payload is a forum id. */
const AGENDA_CHANNEL = 'agenda_changed';
/** How the listener's connection shows in pg_stat_activity. */
export const LIVE_APPLICATION_NAME = 'forum-portal live updates';

/** One subscription's wake-ups: changes while nobody waits are kept as one pending wake-up. */
class Wakeups implements Watch {
  private pending = false;
  private waiting: (() => void) | undefined;

  constructor(private readonly onClose: (watch: Wakeups) => void) {}

  wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting();
    else this.pending = true;
  }

  next(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    this.onClose(this);
    this.wake();
  }
}

/**
 * The live updates of one server process. PostgreSQL notifies at commit which forums' agendas
 * changed (any process's write, an import, SQL by hand; nothing for a rollback), and this wakes
 * the subscriptions watching them; each then reads what changed since the version it last sent.
 * After a lost connection every subscription is woken, since notifications in between are lost:
 * reading since its version, it misses nothing.
 */
export class LiveUpdatesHub implements LiveUpdates {
  private readonly agendaWatches = new Map<number, Set<Wakeups>>();
  private readonly listener: PgListener;

  constructor(
    connection: ClientConfig,
    private readonly fresh: (ctx: Context) => void,
    private readonly log: Logger,
  ) {
    this.listener = new PgListener(connection, LIVE_APPLICATION_NAME, [AGENDA_CHANNEL], {
      notification: (_channel, payload) => this.wakeAgenda(Number(payload)),
      listening: (again) => {
        if (!again) return;
        this.log.info('live updates: listening for changes again');
        for (const forumId of this.agendaWatches.keys()) this.wakeAgenda(forumId);
      },
      lost: (error, retryInMs) =>
        this.log.warn({ err: error, retryInMs }, 'live updates: no connection listening for changes; subscriptions wait for one'),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  async close(): Promise<void> {
    for (const watches of this.agendaWatches.values()) for (const watch of watches) watch.close();
    await this.listener.close();
  }

  watchAgenda(forumId: number): Watch {
    let watches = this.agendaWatches.get(forumId);
    if (!watches) this.agendaWatches.set(forumId, (watches = new Set()));
    const watch = new Wakeups((closed) => {
      watches.delete(closed);
      if (watches.size === 0 && this.agendaWatches.get(forumId) === watches) this.agendaWatches.delete(forumId);
    });
    watches.add(watch);
    return watch;
  }

  renew(ctx: Context): void {
    this.fresh(ctx);
  }

  private wakeAgenda(forumId: number): void {
    for (const watch of this.agendaWatches.get(forumId) ?? []) watch.wake();
  }
}
