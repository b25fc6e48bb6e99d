import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../auth/user.entity';
import type { Language } from './i18n';

/** Who is making a request, resolved once from its Authorization header. */
export interface Viewer {
  user: User;
  /** Forums the viewer may organise; 'all' for admins. Narrowed by an API token's forums. */
  forumIds: ReadonlySet<number> | 'all';
  /** The API token used, when it was one (null for a sign-in access token). */
  tokenId: number | null;
}

export interface AuthSettings {
  /** HMAC secret for access tokens (HS256). */
  jwtSecret: Uint8Array;
  accessTokenTtlSeconds: number;
}

/**
 * The request's loaders, by name. Empty here on purpose: `src/loaders.ts` adds every loader to it
 * (declaration merging), so that this module, which every resolver and service imports, imports
 * no domain's loaders and the imports run one way: wiring -> domains -> shared.
 */
export interface Loaders {}

/** What every resolver gets: its own EntityManager fork, per-request loaders, the reader's languages. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
  /** The reader's languages, most preferred first, ending with the fallback order. */
  languages: readonly Language[];
  /** PUBLIC_BASE_URL, for the `url` fields. */
  publicBaseUrl: string;
  /** Who is asking; null for an anonymous (public) request. */
  viewer: Viewer | null;
  /** For signing in. */
  auth: AuthSettings;
  /** The client's IP address (for rate limits); null when not over HTTP. */
  clientIp: string | null;
  /** Whether webhooks may point at private addresses (WEBHOOK_ALLOW_PRIVATE). */
  webhooksMayBePrivate: boolean;
  /** For subscriptions, which are served over WebSocket only (src/live/); absent over HTTP. */
  live?: LiveUpdates;
}

/**
 * What one subscription is told: `next()` resolves with what was posted since the last call (an
 * empty list when it was only woken), at once when something is waiting.
 */
export interface Watch<T = never> {
  next(): Promise<T[]>;
  /** Stops the watch and resolves a pending `next()`. */
  close(): void;
}

/** What subscriptions need from the live updates of their server process. */
export interface LiveUpdates {
  /**
   * Wake-ups for changes to the agenda of the forum, from now on (and after any reconnect), each
   * with the number of the notification, the same for every subscription it woke.
   */
  watchAgenda(forumId: number): Watch<number>;
  /** The ids of articles that become public from now on: published, or their embargo lifted. */
  watchPublications(): Watch<number>;
  /**
   * Gives `ctx` a new EntityManager and loaders: each event of a subscription runs like a new
   * request, and must not answer from what an earlier event loaded.
   */
  renew(ctx: Context): void;
}
