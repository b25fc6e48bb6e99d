import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { selectList } from '../shared/projection';
import { readList } from '../shared/read-tags';
import { Quote } from '../quote/quote.entity';
import { children, joinManyToOne, linkedFrom } from '../shared/relations';
import { listLoader, pageLoader, selectEntities } from '../shared/sql-loading';
import { Article } from './article.entity';

/**
 * SQL: the article aliased `alias` is public: not a draft, and published (or its embargo lifted)
 * by now. Every public read of articles goes through this, so an embargoed article appears by
 * itself at its time, with no job to flip it.
 */
export function publicArticle(alias: string): string {
  return `${alias}.status <> 'DRAFT' and ${alias}.published_at <= now()`;
}

export const NEWEST_FIRST = 't.published_at desc, t.id desc';

/** Pages of the public articles linked to each parent through Article's many-to-many `prop`. */
export function articlePageLoader(em: EntityManager, prop: 'forums' | 'sessions' | 'speakers' | 'countries' | 'ministries') {
  return pageLoader(
    em,
    Article,
    linkedFrom(
      em,
      Article,
      prop,
      [
        ['publishedAt', 'desc'],
        ['id', 'desc'],
      ],
      publicArticle('t'),
    ),
  );
}

/** All quotes of public articles under each parent, by Quote's many-to-one `prop` (a session's, a speaker's). */
export function publicQuotesLoader(em: EntityManager, prop: 'session' | 'speaker') {
  const quotes = children(em, Quote, prop, ['id'], publicArticle('a'));
  return listLoader(em, Quote, { ...quotes, from: `${quotes.from} ${joinManyToOne(em, Quote, 't', 'article', 'a')}` });
}

/*
 * How much two articles have in common: a shared session counts most, then a shared speaker,
 * forum and country.
 */
const RELATEDNESS = [
  ['article_session', 'session_id', 4],
  ['article_speaker', 'speaker_id', 3],
  ['article_forum', 'forum_id', 2],
  ['article_country', 'country_id', 1],
] as const;

/** "Read also" for many articles at once: one statement per batch. */
export function relatedArticlesLoader(em: EntityManager) {
  const shared = RELATEDNESS.map(
    ([pivot, column, weight]) =>
      `select a.article_id as source, b.article_id as other, ${weight} as weight from ${pivot} a` +
      ` join ${pivot} b on b.${column} = a.${column} and b.article_id <> a.article_id where a.article_id = any(?)`,
  ).join(' union all ');
  const sql =
    'select * from (select %COLUMNS%, s.source as "__parent",' +
    ' row_number() over (partition by s.source order by s.score desc, t.published_at desc, t.id desc) as "__position"' +
    ` from (select source, other, sum(weight) as score from (${shared}) x group by source, other) s` +
    ` join article t on t.id = s.other where ${publicArticle('t')}) r where "__position" <= ? order by "__parent", "__position"`;
  return new DataLoader<{ article: number; first: number }, Article[], string>(
    async (keys) => {
      const ids = [...new Set(keys.map((k) => k.article))];
      const most = Math.max(...keys.map((k) => k.first));
      // Relatedness comes from other articles' links: any article or link may change it.
      readList(em, Article);
      const rows = await selectEntities(em, Article, sql.replace('%COLUMNS%', selectList(em, Article, 't')), [
        ...RELATEDNESS.map(() => ids),
        most,
      ]);
      return keys.map((k) => rows.filter((m) => m.parent === k.article && m.position <= k.first).map((m) => m.entity));
    },
    { cacheKeyFn: (k) => `${k.article}:${k.first}` },
  );
}
