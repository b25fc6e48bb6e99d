import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
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
}

export interface RequestInfo {
  /** The reader's languages (languagePreference of Accept-Language, or requestLanguages). */
  languages: readonly Language[];
  publicBaseUrl: string;
}

/** One context per GraphQL request; the server and the tests both build it here. */
export function createContext(orm: MikroORM, request: RequestInfo): Context {
  const em = orm.em.fork();
  return {
    em,
    loaders: createLoaders(em),
    languages: request.languages,
    publicBaseUrl: request.publicBaseUrl,
  };
}
