import type { MikroORM } from '@mikro-orm/postgresql';
import { authenticate } from './auth/viewer';
import type { AuthSettings } from './shared/context';
import { createLoaders } from './loaders';
import type { Context } from './shared/context';
import type { Language } from './shared/i18n';

export interface RequestInfo {
  /** The reader's languages (languagePreference of Accept-Language, or requestLanguages). */
  languages: readonly Language[];
  publicBaseUrl: string;
  /** The Authorization header, if any. */
  authorization?: string;
  auth: AuthSettings;
  /** The client's IP address, when the request came over HTTP. */
  clientIp?: string;
  /** WEBHOOK_ALLOW_PRIVATE, for the writes of webhooks; false when not given. */
  webhooksMayBePrivate?: boolean;
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
    webhooksMayBePrivate: request.webhooksMayBePrivate ?? false,
  };
}
