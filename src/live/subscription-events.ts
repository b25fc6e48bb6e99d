import { BadUserInputError } from '../errors';
import type { Context, LiveUpdates, Watch } from '../shared/context';

/** The live updates of the subscription's process; subscriptions are served over WebSocket only. */
export function liveUpdatesOf(ctx: Context): LiveUpdates {
  if (!ctx.live) throw new BadUserInputError('Subscriptions are served over WebSocket (the graphql-ws protocol) on /graphql');
  return ctx.live;
}

/**
 * The events of one subscription: `read` finds the next one (waiting on `watch` as it needs), or
 * undefined when there will be none. Written out rather than an async generator, so that
 * `return()` (the client completes, or goes away) closes the watch and ends a wait at once;
 * `read` learns of it through `ended()` after each wait.
 */
export function subscriptionEvents<T>(
  watch: Watch<unknown>,
  read: (ended: () => boolean) => Promise<T | undefined>,
): AsyncIterableIterator<T> {
  let done = false;
  const end = (): IteratorReturnResult<undefined> => {
    done = true;
    watch.close();
    return { value: undefined, done: true };
  };
  const events: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => events,
    async next(): Promise<IteratorResult<T>> {
      if (done) return end();
      const value = await read(() => done);
      return value === undefined || done ? end() : { value, done: false };
    },
    async return() {
      return end();
    },
  };
  return events;
}
