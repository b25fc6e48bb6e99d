import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { Context, LiveUpdates, Watch } from '../shared/context';
import { PgListener } from '../shared/pg-listener';

/** Channels of the triggers (migration ..._live_updates_notify). */
const AGENDA_CHANGED = 'agenda_changed'; // payload: a forum id
const ARTICLE_PUBLISHED = 'article_published'; // payload: an article id
const ARTICLE_EMBARGO = 'article_embargo'; // a publication time still to come was set
/** How the listener's connection shows in pg_stat_activity. */
export const LIVE_APPLICATION_NAME = 'forum-portal live updates';
/** setTimeout's longest delay; a later embargo is looked up again when it fires. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** One subscription's mailbox: what is posted while nobody waits is kept for the next `next()`. */
class Mailbox<T> implements Watch<T> {
  private posted: T[] = [];
  private woken = false;
  private waiting: ((items: T[]) => void) | undefined;

  constructor(private readonly onClose: (mailbox: Mailbox<T>) => void) {}

  post(...items: T[]): void {
    this.posted.push(...items);
    this.woken = true;
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    waiting(this.take());
  }

  next(): Promise<T[]> {
    if (this.woken) return Promise.resolve(this.take());
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    this.onClose(this);
    this.post();
  }

  private take(): T[] {
    const items = this.posted;
    this.posted = [];
    this.woken = false;
    return items;
  }
}

/**
 * The live updates of one server process, and the clock of embargoes for webhooks too. PostgreSQL
 * notifies at commit which forums' agendas changed and which articles a write made public (any
 * process's write, an import, SQL by hand; nothing for a rollback), and this tells the
 * subscriptions watching them. An embargo turns an article public with no write: each process
 * times the next one itself and asks then which articles it released.
 *
 * After a lost connection every agenda subscription is woken, since notifications in between
 * are lost: reading since its version, it misses nothing. Articles published by a write during
 * the loss are not announced to subscriptions (webhooks get them: their outbox is a table).
 */
export class LiveUpdatesHub implements LiveUpdates {
  private readonly agendaWatches = new Map<number, Set<Mailbox<number>>>();
  private agendaNotifications = 0;
  private readonly publicationWatches = new Set<Mailbox<number>>();
  private readonly listener: PgListener;
  private embargoTimer: NodeJS.Timeout | undefined;
  /** Embargoes lifted up to this time (the database's clock) have been announced. */
  private embargoesCheckedUpTo: string | undefined;
  private embargoCheckRunning = false;
  private embargoCheckAgain = false;

  constructor(
    connection: ClientConfig,
    private readonly fresh: (ctx: Context) => void,
    private readonly log: Logger,
  ) {
    this.listener = new PgListener(connection, LIVE_APPLICATION_NAME, [AGENDA_CHANGED, ARTICLE_PUBLISHED, ARTICLE_EMBARGO], {
      notification: (channel, payload) => {
        if (channel === AGENDA_CHANGED) this.wakeAgenda(Number(payload));
        else if (channel === ARTICLE_PUBLISHED) this.announce([Number(payload)]);
        else void this.checkEmbargoes();
      },
      listening: (again) => {
        if (again) {
          this.log.info('live updates: listening for changes again');
          for (const forumId of this.agendaWatches.keys()) this.wakeAgenda(forumId);
        }
        void this.checkEmbargoes();
      },
      lost: (error, retryInMs) =>
        this.log.warn({ err: error, retryInMs }, 'live updates: no connection listening for changes; subscriptions wait for one'),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  async close(): Promise<void> {
    clearTimeout(this.embargoTimer);
    for (const watches of this.agendaWatches.values()) for (const watch of watches) watch.close();
    for (const watch of this.publicationWatches) watch.close();
    await this.listener.close();
  }

  watchAgenda(forumId: number): Watch<number> {
    let watches = this.agendaWatches.get(forumId);
    if (!watches) this.agendaWatches.set(forumId, (watches = new Set()));
    const watch = new Mailbox<number>((closed) => {
      watches.delete(closed);
      if (watches.size === 0 && this.agendaWatches.get(forumId) === watches) this.agendaWatches.delete(forumId);
    });
    watches.add(watch);
    return watch;
  }

  watchPublications(): Watch<number> {
    const watch = new Mailbox<number>((closed) => this.publicationWatches.delete(closed));
    this.publicationWatches.add(watch);
    return watch;
  }

  renew(ctx: Context): void {
    this.fresh(ctx);
  }

  private wakeAgenda(forumId: number): void {
    const notification = ++this.agendaNotifications;
    for (const watch of this.agendaWatches.get(forumId) ?? []) watch.post(notification);
  }

  private announce(articleIds: number[]): void {
    if (articleIds.length === 0) return;
    for (const watch of this.publicationWatches) watch.post(...articleIds);
  }

  /**
   * Announces the articles whose embargo lifted since the last check, and times the next check
   * for the next embargo. Only SCHEDULED articles wait for their time (the API refuses a
   * published article dated in the future), so one published by a write is not announced twice.
   * Checks asked for while one runs make it run once more.
   */
  private async checkEmbargoes(): Promise<void> {
    if (this.embargoCheckRunning) {
      this.embargoCheckAgain = true;
      return;
    }
    this.embargoCheckRunning = true;
    try {
      do {
        this.embargoCheckAgain = false;
        const [row] =
          (await this.listener.query<{ now: string; released: number[] | null; next_ms: string | null }>(
            `select now()::text as now,
                    (select array_agg(id order by published_at, id) from article
                      where status = 'SCHEDULED' and published_at > coalesce($1::timestamptz, now())
                        and published_at <= now()) as released,
                    (select extract(epoch from min(published_at) - now()) * 1000 from article
                      where status <> 'DRAFT' and published_at > now()) as next_ms`,
            [this.embargoesCheckedUpTo ?? null],
          )) ?? [];
        if (!row) return;
        this.embargoesCheckedUpTo = row.now;
        const released = row.released ?? [];
        this.announce(released);
        // Webhooks hear of them too (their outbox); the event id is the same whichever process
        // gets here first, so the others' inserts do nothing.
        if (released.length > 0)
          await this.listener.query('select enqueue_article_published(id, slug, published_at) from article where id = any($1::int[])', [
            released,
          ]);
        clearTimeout(this.embargoTimer);
        if (row.next_ms !== null) {
          this.embargoTimer = setTimeout(
            () => void this.checkEmbargoes(),
            Math.min(Math.ceil(Number(row.next_ms)), LONGEST_TIMER_MS),
          ).unref();
        }
      } while (this.embargoCheckAgain);
    } catch (error) {
      // A lost connection is logged by the listener; the next start checks again.
      if (this.listener.listening) this.log.warn({ err: error }, 'live updates: could not check the embargoes');
    } finally {
      this.embargoCheckRunning = false;
    }
  }
}
