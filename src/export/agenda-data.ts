import type { EntityManager } from '@mikro-orm/postgresql';
import type { Translations } from '../shared/i18n';
import type { ParticipantRole } from '../session/session-participant.entity';
import type { SessionKind, SessionStatus } from '../session/session.entity';

/*
 * What the schedule exports read, as plain rows rather than managed entities: an export reads a
 * whole agenda at once, and hydrating entities for it would cost more than rendering it (see
 * STACK.md). Each export runs a fixed number of statements, whatever the agenda's length:
 * one for the forum (or speaker) row, which is all a conditional request (304) needs, and one for
 * the sessions with their participants and speakers.
 *
 * Every statement returns one JSON object per row: PostgreSQL writes timestamps in it as ISO 8601
 * (MikroORM's pg settings would hand them over as PostgreSQL's own text format otherwise). The
 * SQL text is constant; values travel as bindings.
 */

export interface ExportForum {
  id: number;
  slug: string;
  title: Translations;
  city: Translations;
  venue: Translations | null;
  description: Translations | null;
  timeZone: string;
  /** Local dates, `YYYY-MM-DD`. */
  startDate: string;
  endDate: string;
  website: string | null;
  scheduleVersion: number;
  scheduleChangedAt: Date | null;
  updatedAt: Date;
}

export interface ExportLink {
  title: string;
  url: string;
}

export interface ExportParticipant {
  role: ParticipantRole;
  speakerId: number;
  slug: string;
  fullName: Translations;
  position: Translations;
  bio: Translations | null;
  photoUrl: string | null;
  links: ExportLink[];
}

export interface ExportSession {
  id: number;
  forumId: number;
  slug: string;
  title: Translations;
  description: Translations | null;
  kind: SessionKind;
  status: SessionStatus;
  revision: number;
  startsAt: Date;
  endsAt: Date;
  room: Translations | null;
  track: Translations | null;
  language: string;
  audience: Translations | null;
  updatedAt: Date;
  /** In display order. */
  participants: ExportParticipant[];
}

export interface ExportSpeaker {
  id: number;
  slug: string;
  fullName: Translations;
  updatedAt: Date;
  /** The forums the speaker has sessions at, by id. */
  forums: ExportForum[];
}

const FORUM_JSON = `json_build_object(
  'id', f.id, 'slug', f.slug, 'title', f.title, 'city', f.city, 'venue', f.venue, 'description', f.description,
  'timeZone', f.time_zone, 'startDate', f.start_date, 'endDate', f.end_date, 'website', f.website,
  'scheduleVersion', f.schedule_version, 'scheduleChangedAt', f.schedule_changed_at, 'updatedAt', f.updated_at)`;

// Participants in display order, each with the speaker fields the exports show; the unique index
// on (session_id, speaker_id, role) serves the lookup by session.
const SESSION_JSON = `json_build_object(
  'id', s.id, 'forumId', s.forum_id, 'slug', s.slug, 'title', s.title, 'description', s.description,
  'kind', s.kind, 'status', s.status, 'revision', s.revision, 'startsAt', s.starts_at, 'endsAt', s.ends_at,
  'room', s.room, 'track', s.track, 'language', s.language, 'audience', s.audience, 'updatedAt', s.updated_at,
  'participants', coalesce((
    select json_agg(json_build_object(
      'role', p.role, 'speakerId', k.id, 'slug', k.slug, 'fullName', k.full_name, 'position', k.position,
      'bio', k.bio, 'photoUrl', k.photo_url, 'links', k.links) order by p.position, p.id)
    from session_participant p join speaker k on k.id = p.speaker_id
    where p.session_id = s.id), '[]'::json))`;

const FORUM_BY_SLUG = `select ${FORUM_JSON} as "row" from forum f where f.slug = ?`;

const SESSIONS_OF_FORUM = `select ${SESSION_JSON} as "row" from "session" s where s.forum_id = ? order by s.starts_at, s.ends_at, s.id`;

const SPEAKER_BY_SLUG = `select json_build_object(
  'id', k.id, 'slug', k.slug, 'fullName', k.full_name, 'updatedAt', k.updated_at,
  'forums', coalesce((
    select json_agg(${FORUM_JSON} order by f.id) from forum f
    where f.id in (select s.forum_id from "session" s join session_participant p on p.session_id = s.id where p.speaker_id = k.id)
  ), '[]'::json)) as "row"
  from speaker k where k.slug = ?`;

const SESSIONS_OF_SPEAKER = `select ${SESSION_JSON} as "row" from "session" s
  where s.id in (select p.session_id from session_participant p where p.speaker_id = ?)
  order by s.starts_at, s.ends_at, s.id`;

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

function forumFromJson(row: Json<ExportForum>): ExportForum {
  return {
    ...row,
    scheduleChangedAt: row.scheduleChangedAt ? new Date(row.scheduleChangedAt) : null,
    updatedAt: new Date(row.updatedAt),
  };
}

function sessionFromJson(row: Json<ExportSession>): ExportSession {
  return {
    ...row,
    startsAt: new Date(row.startsAt),
    endsAt: new Date(row.endsAt),
    updatedAt: new Date(row.updatedAt),
    participants: row.participants.map((p) => ({ ...p, links: Array.isArray(p.links) ? p.links : [] })),
  };
}

async function rows<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result = await em.getConnection().execute<{ row: T }[]>(sql, params, 'all');
  return result.map((r) => r.row);
}

/** The forum with this slug, or null. One statement. */
export async function loadForum(em: EntityManager, slug: string): Promise<ExportForum | null> {
  const [row] = await rows<Json<ExportForum>>(em, FORUM_BY_SLUG, [slug]);
  return row ? forumFromJson(row) : null;
}

/** Every session of a forum, cancelled ones included, in time order. One statement. */
export async function loadForumSessions(em: EntityManager, forumId: number): Promise<ExportSession[]> {
  return (await rows<Json<ExportSession>>(em, SESSIONS_OF_FORUM, [forumId])).map(sessionFromJson);
}

/** The speaker with this slug and the forums they take part in, or null. One statement. */
export async function loadSpeaker(em: EntityManager, slug: string): Promise<ExportSpeaker | null> {
  const [row] = await rows<Json<Omit<ExportSpeaker, 'forums'>> & { forums: Json<ExportForum>[] }>(em, SPEAKER_BY_SLUG, [slug]);
  return row ? { ...row, updatedAt: new Date(row.updatedAt), forums: row.forums.map(forumFromJson) } : null;
}

/** Every session a speaker takes part in, at any forum, in time order. One statement. */
export async function loadSpeakerSessions(em: EntityManager, speakerId: number): Promise<ExportSession[]> {
  return (await rows<Json<ExportSession>>(em, SESSIONS_OF_SPEAKER, [speakerId])).map(sessionFromJson);
}
