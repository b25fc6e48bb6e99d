import type { EntityManager } from '@mikro-orm/postgresql';
import type { Loaders } from './shared/context';
import { articleLoaders } from './article/article.loaders';
import { publicArticle } from './article/article.visibility';
import { countryLoaders } from './country/country.loaders';
import { forumLoaders } from './forum/forum.loaders';
import { Initiative } from './initiative/initiative.entity';
import { Quote } from './quote/quote.entity';
import { ministryLoaders } from './ministry/ministry.loaders';
import { sessionLoaders } from './session/session.loaders';
import { Country } from './country/country.entity';
import { linked } from './shared/relations';
import { byIdLoader, listLoader } from './shared/sql-loading';
import { speakerLoaders } from './speaker/speaker.loaders';

/** How to make each loader of a request, by name. */
const LOADERS = {
  ...countryLoaders,
  ...ministryLoaders,
  ...speakerLoaders,
  ...forumLoaders,
  ...sessionLoaders,
  ...articleLoaders,
  quoteById: (em: EntityManager) =>
    byIdLoader(em, Quote, `exists (select 1 from article a where a.id = t.article_id and ${publicArticle('a')})`),
  initiativeById: (em: EntityManager) => byIdLoader(em, Initiative),
  countriesByInitiativeId: (em: EntityManager) => listLoader(em, Country, linked(em, Initiative, 'countries', ['code'])),
};

type LoaderTypes = { readonly [Name in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[Name]> };

declare module './shared/context' {
  /** Every loader above, typed; see shared/context.ts for why they are added here. */
  interface Loaders extends LoaderTypes {}
}

/** The name of every loader. */
export const LOADER_NAMES = Object.keys(LOADERS) as (keyof Loaders)[];

const EM = Symbol('entity manager');

/*
 * A loader is made when a request first uses it: an agenda uses 3 of the 44, and making all of
 * them (each builds its SQL from the metadata) was 3% of the agenda's allocations and 1% of its
 * CPU. The getters live on one prototype; the first use puts the loader on the request's object.
 */
class RequestLoaders {
  readonly [EM]: EntityManager;

  constructor(em: EntityManager) {
    this[EM] = em;
  }
}
for (const [name, make] of Object.entries(LOADERS)) {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      const loader = make(this[EM]);
      Object.defineProperty(this, name, { value: loader, enumerable: true });
      return loader;
    },
  });
}

/**
 * Every relation of the read API goes through one of these, created per request and dropped
 * with it (so nothing is cached across requests or users).
 */
export function createLoaders(em: EntityManager): Loaders {
  return new RequestLoaders(em) as unknown as Loaders;
}
