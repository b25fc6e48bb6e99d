import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { authenticate, type AuthSettings, type Viewer } from './auth/viewer';
import { createLoaders, type Loaders } from './loaders';
import type { Language } from './shared/i18n';

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
}

export interface RequestInfo {
  /** The reader's languages (languagePreference of Accept-Language, or requestLanguages). */
  languages: readonly Language[];
  publicBaseUrl: string;
  /** The Authorization header, if any. */
  authorization?: string;
  auth: AuthSettings;
  /** The client's IP address, when the request came over HTTP. */
  clientIp?: string;
}

/**
 * One context per GraphQL request; the server and the tests both build it here. Fails with
 * UNAUTHENTICATED (HTTP 401) when an Authorization header does not prove who is asking.
 */
export async function createContext(orm: MikroORM, request: RequestInfo): Promise<Context> {
  const em = orm.em.fork();
  return {
    em,
    loaders: createLoaders(em),
    languages: request.languages,
    publicBaseUrl: request.publicBaseUrl,
    viewer: await authenticate(em, request.authorization, request.auth),
    auth: request.auth,
    clientIp: request.clientIp ?? null,
  };
}
