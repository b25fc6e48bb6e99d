import { Arg, Int, Resolver, Root, Subscription } from 'type-graphql';
import { NotFoundError } from '../errors';
import { liveUpdatesOf, subscriptionEvents } from '../live/subscription-events';
import type { Context, LiveUpdates } from '../shared/context';
import { agendaChangesSince, checkSinceVersion } from './agenda-changes';
import { AgendaChanges } from './agenda.types';

/** What a wake-up reads: the changes since a version, none yet, or the end (the forum was deleted). */
type Read = AgendaChanges | 'unchanged' | 'gone';

/**
 * Reads shared by the subscriptions of one process that wake on the same notification of a
 * forum at the same version: they would each read the same rows (1,000 subscribers made 3,000
 * statements per change). Per forum, only the latest notification's reads are kept.
 */
type ReadsOfForum = Map<number, { notification: number; reads: Map<number, Promise<Read>> }>;
const sharedReads = new WeakMap<LiveUpdates, ReadsOfForum>();

function readOnce(live: LiveUpdates, forumId: number, notification: number, version: number, read: () => Promise<Read>): Promise<Read> {
  let byForum = sharedReads.get(live);
  if (!byForum) sharedReads.set(live, (byForum = new Map() as ReadsOfForum));
  let latest = byForum.get(forumId);
  if (!latest || latest.notification !== notification)
    byForum.set(forumId, (latest = { notification, reads: new Map<number, Promise<Read>>() }));
  let pending = latest.reads.get(version);
  if (!pending) latest.reads.set(version, (pending = read()));
  return pending;
}

async function readChanges(ctx: Context, forumId: number, version: number): Promise<Read> {
  const current = await ctx.loaders.forumById.load(forumId);
  if (!current) return 'gone';
  if (current.scheduleVersion <= version) return 'unchanged';
  return agendaChangesSince(ctx.em, current, version);
}

/**
 * The events of one agendaChanged subscription. Each wake-up (a committed change to the forum's
 * agenda, or a reconnect of the listener) reads what changed since the version last sent, with a
 * fresh EntityManager and loaders, and sends it when the version moved on. The first read comes
 * at once: with `sinceVersion` it sends what the client missed, without it only what changed
 * while the subscription was being set up.
 */
async function agendaEvents(
  ctx: Context,
  forumSlug: string,
  sinceVersion: number | undefined,
): Promise<AsyncIterableIterator<AgendaChanges>> {
  const live = liveUpdatesOf(ctx);
  const forum = await ctx.loaders.forumBySlug.load(forumSlug);
  if (!forum) throw new NotFoundError(`No forum "${forumSlug}"`, { argument: 'forumSlug' });
  if (sinceVersion !== undefined) checkSinceVersion(forum, sinceVersion);
  const watch = live.watchAgenda(forum.id);
  let version = sinceVersion ?? forum.scheduleVersion;
  let first = true;
  return subscriptionEvents(watch, async (ended) => {
    while (!ended()) {
      // The notification that woke it, shared with the other subscriptions it woke; none for the first read.
      const notification = first ? undefined : (await watch.next()).at(-1);
      first = false;
      if (ended()) break;
      live.renew(ctx);
      const since = version;
      const read =
        notification === undefined
          ? await readChanges(ctx, forum.id, since)
          : await readOnce(live, forum.id, notification, since, () => readChanges(ctx, forum.id, since));
      if (read === 'gone') return undefined; // the forum was deleted: nothing more will come
      if (read === 'unchanged') continue;
      version = read.version;
      return read;
    }
    return undefined;
  });
}

@Resolver()
export class AgendaSubscriptions {
  @Subscription(() => AgendaChanges, {
    description:
      'Changes to a forum agenda as they are committed, over WebSocket (graphql-ws): each event is what `agendaChanges` would ' +
      'answer since the previous event. With `sinceVersion` (the last `version` the app has), the first event brings what it ' +
      'missed, so an app that reconnects with it loses nothing. NOT_FOUND for an unknown forum.',
    subscribe: ({ args, context }) =>
      agendaEvents(
        context as Context,
        (args as { forumSlug: string }).forumSlug,
        (args as { sinceVersion?: number | null }).sinceVersion ?? undefined,
      ),
  })
  agendaChanged(
    @Root() changes: AgendaChanges,
    @Arg('forumSlug', { description: 'The forum slug.' }) _forumSlug: string,
    @Arg('sinceVersion', () => Int, { nullable: true, description: 'The `version` the app last synced to; absent: from now on.' })
    _sinceVersion?: number | null,
  ): AgendaChanges {
    return changes;
  }
}
