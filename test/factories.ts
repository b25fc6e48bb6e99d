import type { EntityManager } from '@mikro-orm/postgresql';
import { Article } from '../src/article/article.entity';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { Country } from '../src/country/country.entity';
import { Forum } from '../src/forum/forum.entity';
import { Initiative, InitiativeStatus } from '../src/initiative/initiative.entity';
import { Ministry, MinistryKind } from '../src/ministry/ministry.entity';
import { Quote } from '../src/quote/quote.entity';
import { ParticipantRole, SessionParticipant } from '../src/session/session-participant.entity';
import { Session, SessionKind } from '../src/session/session.entity';
import type { Translations } from '../src/shared/i18n';
import { Speaker } from '../src/speaker/speaker.entity';

/** Test data builders: each test file makes the data it asserts on, never relying on the seeds. */

export function country(em: EntityManager, code: string, name: Translations = { en: `Country ${code}`, ru: `Страна ${code}` }): Country {
  return em.create(Country, { code, name });
}

export function ministry(em: EntityManager, of: Country, slug: string): Ministry {
  return em.create(Ministry, {
    slug,
    kind: MinistryKind.MINISTRY,
    country: of,
    name: { en: `Ministry ${slug}`, ru: `Министерство ${slug}` },
    shortName: { ru: slug.toUpperCase() },
  });
}

export function speaker(em: EntityManager, slug: string, of: Country, employer?: Ministry): Speaker {
  return em.create(Speaker, {
    slug,
    fullName: { en: `Speaker ${slug}`, ru: `Спикер ${slug}` },
    position: { en: 'Expert', ru: 'Эксперт' },
    country: of,
    ministry: employer ?? null,
  });
}

export interface AgendaOptions {
  slug: string;
  host: Country;
  sessions: number;
  /** Speakers to cycle through; each session gets two of them, a moderator and a speaker. */
  speakers: Speaker[];
  /** First day of the forum, local date; sessions are spread over two days in Asia/Almaty. */
  startDate?: string;
}

/** A two-day forum with `sessions` sessions, each with two participants. */
export function forumWithAgenda(em: EntityManager, options: AgendaOptions): { forum: Forum; sessions: Session[] } {
  const startDate = options.startDate ?? '2025-04-16';
  const forum = em.create(Forum, {
    slug: options.slug,
    title: { en: `Forum ${options.slug}`, ru: `Форум ${options.slug}` },
    edition: 1,
    city: { en: 'Astana', ru: 'Астана', kk: 'Астана' },
    hostCountry: options.host,
    timeZone: 'Asia/Almaty',
    startDate,
    endDate: new Date(Date.parse(`${startDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
  });
  const sessions: Session[] = [];
  for (let i = 0; i < options.sessions; i += 1) {
    // Half of the sessions on each day, a minute apart, from 09:00 local time (UTC+5).
    const day = i < options.sessions / 2 ? 0 : 1;
    const startsAt = new Date(Date.parse(`${startDate}T04:00:00Z`) + day * 86_400_000 + i * 60_000);
    const session = em.create(Session, {
      slug: `${options.slug}-s${i + 1}`,
      forum,
      title: { en: `Session ${i + 1}`, ru: `Сессия ${i + 1}` },
      kind: i === 0 ? SessionKind.OPENING : SessionKind.PANEL,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 45 * 60_000),
      language: 'ru',
    });
    sessions.push(session);
    const [first, second] = [options.speakers[i % options.speakers.length], options.speakers[(i + 1) % options.speakers.length]];
    em.create(SessionParticipant, { session, speaker: first, role: ParticipantRole.MODERATOR, position: 1 });
    if (second !== first) em.create(SessionParticipant, { session, speaker: second, role: ParticipantRole.SPEAKER, position: 2 });
  }
  return { forum, sessions };
}

export function article(
  em: EntityManager,
  slug: string,
  publishedAt: string,
  links: { forums?: Forum[]; sessions?: Session[]; speakers?: Speaker[]; countries?: Country[]; ministries?: Ministry[] } = {},
): Article {
  const created = em.create(Article, {
    slug,
    title: { ru: `Статья ${slug}`, en: `Article ${slug}` },
    lead: { ru: `Лид ${slug}` },
    sourceUrl: `https://news.example/${slug}`,
    outletName: 'News Example',
    language: 'ru',
    publishedAt: new Date(publishedAt),
    viewCount: 10,
  });
  created.forums.set(links.forums ?? []);
  created.sessions.set(links.sessions ?? []);
  created.speakers.set(links.speakers ?? []);
  created.countries.set(links.countries ?? []);
  created.ministries.set(links.ministries ?? []);
  return created;
}

export function quote(em: EntityManager, by: Speaker, in_: Article, at?: Session): Quote {
  return em.create(Quote, { text: { ru: `Цитата ${by.slug}`, en: `Quote ${by.slug}` }, speaker: by, article: in_, session: at ?? null });
}

export function initiative(em: EntityManager, slug: string, forum: Forum, countries: Country[]): Initiative {
  const created = em.create(Initiative, {
    slug,
    forum,
    title: { ru: `Инициатива ${slug}`, en: `Initiative ${slug}` },
    status: InitiativeStatus.PROPOSED,
  });
  created.countries.set(countries);
  return created;
}

/** A user who signs in with `password`; an organiser of `forums` when given. */
export async function user(em: EntityManager, email: string, password: string, role: Role, forums: Forum[] = []): Promise<User> {
  const created = em.create(User, { email, passwordHash: await hashPassword(password), role });
  created.forums.set(forums);
  return created;
}
