import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass, FilterQuery, RequiredEntityData } from '@mikro-orm/core';
import { ArticleCountry, ArticleForum, ArticleMinistry, ArticleSession, ArticleSpeaker, LinkKind } from '../article/article-link.entity';
import { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Initiative, InitiativeStatus } from '../initiative/initiative.entity';
import { Ministry, MinistryKind } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { ParticipantRole, SessionParticipant } from '../session/session-participant.entity';
import { Session, SessionKind } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import { camfSeed } from '../../seeds/camf.data';
import type { SeedData } from '../../seeds/seed-data';

const LINK_PIVOTS = {
  forums: ArticleForum,
  sessions: ArticleSession,
  speakers: ArticleSpeaker,
  countries: ArticleCountry,
  ministries: ArticleMinistry,
};

/**
 * Inserts or updates one row found by its natural key, so that seeding twice changes nothing.
 */
async function upsert<T extends object>(em: EntityManager, entity: EntityClass<T>, key: FilterQuery<T>, data: Partial<T>): Promise<T> {
  // findOne rewrites the filter it is given in place; the key is still needed for create.
  const existing = (await em.findOne(entity, { ...key } as FilterQuery<T>)) as T | null;
  if (existing) {
    // Assign only what differs: the ORM would count a JSONB value whose keys PostgreSQL
    // reordered as changed, and rewrite every row (and its updated_at) on each run.
    const changed = Object.entries(data).filter(([k, v]) => !isDeepStrictEqual((existing as Record<string, unknown>)[k], v));
    return changed.length ? (em.assign(existing, Object.fromEntries(changed) as never) as T) : existing;
  }
  return em.create(entity, { ...(key as object), ...data } as unknown as RequiredEntityData<T>);
}

function lookup<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (!value) throw new Error(`seed data refers to unknown ${what} "${key}"`);
  return value;
}

/**
 * Loads seed data in one transaction: countries, ministries and speakers by slug or code, forums
 * with their sessions, participants and initiatives, then articles and quotes. Idempotent.
 */
export async function seed(em: EntityManager, data: SeedData = camfSeed): Promise<Record<string, number>> {
  return em.transactional(async (tx) => {
    const countries = new Map<string, Country>();
    for (const c of data.countries) countries.set(c.code, await upsert(tx, Country, { code: c.code }, { name: c.name }));

    const ministries = new Map<string, Ministry>();
    for (const m of data.ministries) {
      ministries.set(
        m.slug,
        await upsert(
          tx,
          Ministry,
          { slug: m.slug },
          {
            kind: MinistryKind[m.kind],
            country: lookup(countries, m.country, 'country'),
            name: m.name,
            shortName: m.shortName ?? null,
            website: m.website ?? null,
          },
        ),
      );
    }

    const speakers = new Map<string, Speaker>();
    for (const s of data.speakers) {
      speakers.set(
        s.slug,
        await upsert(
          tx,
          Speaker,
          { slug: s.slug },
          {
            fullName: s.fullName,
            position: s.position,
            bio: s.bio ?? null,
            photoUrl: s.photoUrl ?? null,
            country: lookup(countries, s.country, 'country'),
            ministry: s.ministry ? lookup(ministries, s.ministry, 'ministry') : null,
            organisation: s.organisation ?? null,
            links: s.links ?? [],
          },
        ),
      );
    }

    const forums = new Map<string, Forum>();
    const sessions = new Map<string, Session>();
    let participants = 0;
    let initiatives = 0;
    for (const f of data.forums) {
      const forum = await upsert(
        tx,
        Forum,
        { slug: f.slug },
        {
          title: f.title,
          edition: f.edition,
          city: f.city,
          venue: f.venue ?? null,
          hostCountry: lookup(countries, f.hostCountry, 'country'),
          timeZone: f.timeZone,
          startDate: f.startDate,
          endDate: f.endDate,
          participantCount: f.participantCount ?? null,
          description: f.description ?? null,
          website: f.website ?? null,
        },
      );
      await tx.populate(forum, ['organisers', 'countries']);
      forum.organisers.set(f.organisers.map((slug) => lookup(ministries, slug, 'ministry')));
      forum.countries.set(f.countries.map((code) => lookup(countries, code, 'country')));
      forums.set(f.slug, forum);

      for (const s of f.sessions) {
        const session = await upsert(
          tx,
          Session,
          { slug: s.slug },
          {
            forum,
            title: s.title,
            description: s.description ?? null,
            kind: SessionKind[s.kind],
            startsAt: new Date(s.startsAt),
            endsAt: new Date(s.endsAt),
            room: s.room ?? null,
            track: s.track ?? null,
            language: s.language,
            audience: s.audience ?? null,
          },
        );
        sessions.set(s.slug, session);
        for (const [index, p] of (s.participants ?? []).entries()) {
          const speaker = lookup(speakers, p.speaker, 'speaker');
          await upsert(tx, SessionParticipant, { session, speaker, role: ParticipantRole[p.role] }, { position: index + 1 });
          participants += 1;
        }
      }
      for (const i of f.initiatives) {
        const initiative = await upsert(
          tx,
          Initiative,
          { slug: i.slug },
          {
            forum,
            title: i.title,
            description: i.description ?? null,
            status: InitiativeStatus[i.status],
          },
        );
        await tx.populate(initiative, ['countries']);
        initiative.countries.set(i.countries.map((code) => lookup(countries, code, 'country')));
        initiatives += 1;
      }
    }

    const articles = new Map<string, Article>();
    for (const a of data.articles) {
      const article = await upsert(
        tx,
        Article,
        { slug: a.slug },
        {
          title: a.title,
          lead: a.lead ?? null,
          body: a.body ?? null,
          sourceUrl: a.sourceUrl,
          outletName: a.outletName,
          outletUrl: a.outletUrl ?? null,
          authorName: a.authorName ?? null,
          authorTitle: a.authorTitle ?? null,
          photoCredit: a.photoCredit ?? null,
          language: a.language,
          publishedAt: new Date(a.publishedAt),
          viewCount: a.viewCount,
        },
      );
      await tx.populate(article, ['forums', 'sessions', 'speakers', 'countries', 'ministries']);
      article.forums.set(a.forums.map((slug) => lookup(forums, slug, 'forum')));
      article.sessions.set(a.sessions.map((slug) => lookup(sessions, slug, 'session')));
      article.speakers.set(a.speakers.map((slug) => lookup(speakers, slug, 'speaker')));
      article.countries.set(a.countries.map((code) => lookup(countries, code, 'country')));
      article.ministries.set(a.ministries.map((slug) => lookup(ministries, slug, 'ministry')));
      articles.set(a.slug, article);
      await tx.flush();
      for (const [relation, pivot] of Object.entries(LINK_PIVOTS)) {
        const kind = a.covers?.includes(relation as keyof typeof LINK_PIVOTS) ? LinkKind.COVERS : LinkKind.MENTIONS;
        await tx.nativeUpdate(pivot, { article, kind: { $ne: kind } }, { kind });
      }
      await tx
        .getConnection()
        .execute(
          'insert into article_view_day (article_id, day, views) values (?, ?, ?) on conflict (article_id, day) do update set views = excluded.views',
          [article.id, a.publishedAt.slice(0, 10), a.viewCount],
          'run',
          tx.getTransactionContext(),
        );
    }

    for (const q of data.quotes) {
      const speaker = lookup(speakers, q.speaker, 'speaker');
      const article = lookup(articles, q.article, 'article');
      // A quote has no natural key of its own: the same words of the same person in the same article.
      const existing = (await tx.find(Quote, { speaker, article })).find((quote) => quote.text.ru === q.text.ru);
      const fields = { text: q.text, session: q.session ? lookup(sessions, q.session, 'session') : null };
      if (existing) tx.assign(existing, fields);
      else tx.create(Quote, { speaker, article, ...fields });
    }

    return {
      countries: countries.size,
      ministries: ministries.size,
      speakers: speakers.size,
      forums: forums.size,
      sessions: sessions.size,
      participants,
      initiatives,
      articles: articles.size,
      quotes: data.quotes.length,
    };
  });
}
