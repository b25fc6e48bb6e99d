import type { EntityManager } from '@mikro-orm/postgresql';
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

/**
 * Every relation of the read API goes through one of these, created per request and dropped
 * with it (so nothing is cached across requests or users).
 */
export function createLoaders(em: EntityManager) {
  return {
    ...countryLoaders(em),
    ...ministryLoaders(em),
    ...speakerLoaders(em),
    ...forumLoaders(em),
    ...sessionLoaders(em),
    ...articleLoaders(em),
    quoteById: byIdLoader(em, Quote, `exists (select 1 from article a where a.id = t.article_id and ${publicArticle('a')})`),
    initiativeById: byIdLoader(em, Initiative),
    countriesByInitiativeId: listLoader(em, Country, linked(em, Initiative, 'countries', ['code'])),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
