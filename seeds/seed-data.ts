/**
 * The shape of the seed data. Seed files are TypeScript rather than JSON so that the compiler
 * checks every reference and so that a comment can say where a value came from (or that it is a
 * plausible placeholder because no source states it).
 *
 * Cross references use natural keys: countries by ISO 3166-1 alpha-2 code, ministries, speakers,
 * forums, sessions and articles by slug.
 */

/** Text in up to three languages; Russian is the original language of the seed sources. */
export interface SeedText {
  ru?: string;
  en?: string;
  kk?: string;
}

export type SeedSessionKind =
  | 'OPENING'
  | 'MINISTERIAL_MEETING'
  | 'PLENARY'
  | 'PANEL'
  | 'MASTER_CLASS'
  | 'WORKSHOP'
  | 'BREAK'
  | 'OTHER';

export type SeedRole = 'SPEAKER' | 'MODERATOR' | 'PANELIST' | 'KEYNOTE' | 'HOST';

export type SeedInitiativeStatus = 'PROPOSED' | 'UNDER_CONSIDERATION' | 'LAUNCHED';

export type SeedMinistryKind = 'MINISTRY' | 'STATE_AGENCY';

export interface SeedCountry {
  code: string;
  name: SeedText;
}

export interface SeedMinistry {
  slug: string;
  country: string;
  kind: SeedMinistryKind;
  name: SeedText;
  shortName?: SeedText;
  website?: string;
}

export interface SeedLink {
  title: string;
  url: string;
}

export interface SeedSpeaker {
  slug: string;
  fullName: SeedText;
  position: SeedText;
  bio?: SeedText;
  photoUrl?: string;
  country: string;
  ministry?: string;
  organisation?: SeedText;
  links?: SeedLink[];
}

export interface SeedParticipant {
  speaker: string;
  role: SeedRole;
}

export interface SeedSession {
  slug: string;
  title: SeedText;
  description?: SeedText;
  kind: SeedSessionKind;
  /** ISO 8601 with the forum's UTC offset, e.g. 2025-04-16T10:00:00+05:00. */
  startsAt: string;
  endsAt: string;
  room?: SeedText;
  track?: SeedText;
  /** BCP 47 code of the language the session is held in: 'ru', 'kk', 'en'. */
  language: string;
  audience?: SeedText;
  /** In display order. */
  participants?: SeedParticipant[];
}

export interface SeedInitiative {
  slug: string;
  title: SeedText;
  description?: SeedText;
  status: SeedInitiativeStatus;
  countries: string[];
}

export interface SeedForum {
  slug: string;
  title: SeedText;
  edition: number;
  city: SeedText;
  venue?: SeedText;
  hostCountry: string;
  /** IANA time zone name, never a fixed offset. */
  timeZone: string;
  /** Local dates, YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  participantCount?: number;
  description?: SeedText;
  website?: string;
  organisers: string[];
  countries: string[];
  sessions: SeedSession[];
  initiatives: SeedInitiative[];
}

export interface SeedArticle {
  slug: string;
  title: SeedText;
  lead?: SeedText;
  body?: SeedText;
  sourceUrl: string;
  outletName: string;
  outletUrl?: string;
  authorName?: string;
  authorTitle?: string;
  photoCredit?: string;
  /** Language the article was published in. */
  language: string;
  /** ISO 8601 with offset. */
  publishedAt: string;
  /** Total views; counted as views on the publication day (UTC) for "most read" windows. */
  viewCount: number;
  forums: string[];
  sessions: string[];
  speakers: string[];
  countries: string[];
  ministries: string[];
  /** Relations whose links are COVERS (the article is about them); all other links are MENTIONS. */
  covers?: ('forums' | 'sessions' | 'speakers' | 'countries' | 'ministries')[];
}

export interface SeedQuote {
  text: SeedText;
  speaker: string;
  article: string;
  session?: string;
}

export interface SeedData {
  countries: SeedCountry[];
  ministries: SeedMinistry[];
  speakers: SeedSpeaker[];
  forums: SeedForum[];
  articles: SeedArticle[];
  quotes: SeedQuote[];
}
