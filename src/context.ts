import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { createLoaders, type Loaders } from './loaders';
import { languagePreference, type Language } from './shared/i18n';

/** What every resolver gets: its own EntityManager fork, per-request loaders, the reader's languages. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
  /** The reader's languages, most preferred first, ending with the fallback order. */
  languages: readonly Language[];
}

export interface RequestInfo {
  acceptLanguage?: string;
}

/** One context per GraphQL request; the server and the tests both build it here. */
export function createContext(orm: MikroORM, request: RequestInfo = {}): Context {
  const em = orm.em.fork();
  return { em, loaders: createLoaders(em), languages: languagePreference(request.acceptLanguage) };
}
