import { DateTime } from 'luxon';
import { FALLBACK_ORDER, localize } from '../shared/i18n';
import { toZonedIso } from '../shared/time';
import { SessionStatus } from '../session/session.entity';
import type { ExportForum, ExportLink, ExportParticipant, ExportSession } from './agenda-data';
import { paragraphs, type AgendaText } from './agenda-text';
import { roomGuid, sessionGuid, speakerGuid } from './ids';

/*
 * The schedule as the c3voc/frab formats see it (conference → days → rooms → events), built once
 * and written as JSON here (schedule.json, c3voc's JSON schema) or as XML in frab.ts
 * (schedule.xml, c3voc's XSD).
 */

/**
 * Conference days change at 04:00 local time, as in frab and pretalx: a session at 01:30 after a
 * long evening belongs to the day before, where schedule apps list it.
 */
const DAY_CHANGE_HOUR = 4;

export interface SchedulePerson {
  id: number;
  guid: string;
  name: string;
  biography: string | null;
  avatar: string | null;
  links: ExportLink[];
}

export interface ScheduleEvent {
  id: number;
  guid: string;
  /** Valid for both formats' slug patterns: the session slug, made safe when it is not. */
  slug: string;
  /** Start, ISO 8601 with the offset of the forum zone at that moment. */
  date: string;
  end: string;
  /** Local `HH:MM`. */
  start: string;
  /** `HH:MM`. */
  duration: string;
  room: string;
  title: string;
  track: string | null;
  type: string;
  language: string;
  abstract: string;
  description: string;
  cancelled: boolean;
  url: string;
  persons: SchedulePerson[];
}

export interface ScheduleDay {
  index: number;
  date: string;
  start: string;
  end: string;
  rooms: { name: string; events: ScheduleEvent[] }[];
}

export interface ScheduleModel {
  version: string;
  acronym: string;
  title: string;
  description: string | null;
  start: string;
  end: string;
  timeZone: string;
  timeslotDuration: string;
  url: string | null;
  rooms: { name: string; guid: string }[];
  tracks: string[];
  days: ScheduleDay[];
}

// The JSON schema's pattern for acronyms (the XSD's, `[a-z0-9_-]{4,}`, is looser).
const ACRONYM = /^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$/;
const JSON_SLUG = /^[a-z0-9_-]+[a-z0-9]$/;
// The JSON schema's pattern for zone names, as written there: it accepts `Area/Location` zones
// (a prefix is enough) and UTC, not e.g. `Etc/GMT-5`; the field is optional, so such a zone is
// left out of the JSON rather than failing the schema (the XML has it anyway).
const TIME_ZONE_NAME = /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/;

/**
 * The conference acronym: the forum slug where the JSON schema accepts it; otherwise the slug
 * with `_` for what it does not accept (its pattern allows a hyphen only before a year and a
 * word, so `camf-2025` becomes `camf_2025`). The same value goes into both formats.
 */
export function acronymOf(slug: string): string {
  const lower = slug.toLowerCase();
  return ACRONYM.test(lower) ? lower : lower.replace(/[^a-z0-9_]/g, '_').padEnd(4, '_');
}

/** The session slug when both formats accept it, else a safe form of it made unique by the id. */
function eventSlug(session: ExportSession): string {
  if (JSON_SLUG.test(session.slug)) return session.slug;
  const safe = session.slug
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/[^a-z0-9]+$/, '');
  return safe ? `${safe}-${session.id}` : `session-${session.id}`;
}

/** `OPENING` → `opening`, `MASTER_CLASS` → `master-class`. */
function eventType(kind: string): string {
  return kind.toLowerCase().replace(/_/g, '-');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function hoursMinutes(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` plus `days` days. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant of a local wall-clock time in a zone, as ISO 8601 with that moment's offset. */
function localTimeIso(date: string, hour: number, minute: number, zone: string): string {
  const instant = DateTime.fromISO(date, { zone }).set({ hour, minute }).toJSDate();
  return toZonedIso(instant, zone);
}

function person(participant: ExportParticipant, text: AgendaText): SchedulePerson {
  return {
    id: participant.speakerId,
    guid: speakerGuid(participant.slug),
    name: text.speakerName(participant),
    biography: text.text(participant.bio),
    avatar: isHttpUrl(participant.photoUrl) ? participant.photoUrl : null,
    links: participant.links
      .filter((link) => isHttpUrl(link?.url))
      .map((link) => ({ url: link.url, title: typeof link.title === 'string' ? link.title : link.url })),
  };
}

/**
 * The forum's schedule in one language. `sessionUrl` gives each event's absolute URL (its public
 * page on the portal).
 */
export function buildSchedule(
  forum: ExportForum,
  sessions: ExportSession[],
  text: AgendaText,
  sessionUrl: (slug: string) => string,
): ScheduleModel {
  const zone = forum.timeZone;
  const rooms = new Map<string, string>();
  const tracks = new Set<string>();
  const byDay = new Map<string, Map<string, ScheduleEvent[]>>();
  let slot = 60;

  for (const session of sessions) {
    const date = toZonedIso(session.startsAt, zone);
    const hour = Number(date.slice(11, 13));
    const minuteOfHour = Number(date.slice(14, 16));
    const day = hour < DAY_CHANGE_HOUR ? addDays(date.slice(0, 10), -1) : date.slice(0, 10);
    const minutes = Math.max(0, Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000));
    slot = gcd(gcd(slot, minuteOfHour), minutes % 60);

    const room = text.roomName(session, forum);
    if (!rooms.has(room)) rooms.set(room, roomGuid(forum.slug, localize(session.room, FALLBACK_ORDER) ?? ''));
    const track = text.text(session.track);
    if (track) tracks.add(track);
    const cancelled = session.status === SessionStatus.CANCELLED;

    const seen = new Set<number>();
    const event: ScheduleEvent = {
      id: session.id,
      guid: sessionGuid(session.slug),
      slug: eventSlug(session),
      date,
      end: toZonedIso(session.endsAt, zone),
      start: date.slice(11, 16),
      duration: hoursMinutes(minutes),
      room,
      title: text.sessionTitle(session),
      track,
      type: eventType(session.kind),
      language: session.language,
      abstract: text.text(session.description) ?? '',
      description: paragraphs(text.statusNote(session), text.audienceLine(session)) ?? '',
      cancelled,
      url: sessionUrl(session.slug),
      // A person once per event, even with two roles in it.
      persons: session.participants.filter((p) => !seen.has(p.speakerId) && seen.add(p.speakerId)).map((p) => person(p, text)),
    };
    const dayRooms = byDay.get(day) ?? byDay.set(day, new Map()).get(day)!;
    const roomEvents = dayRooms.get(room) ?? dayRooms.set(room, []).get(room)!;
    roomEvents.push(event);
  }

  // The forum's own days, plus any day a session falls on outside them (bad data stays visible).
  const dates = new Set<string>();
  for (let date = forum.startDate; date <= forum.endDate; date = addDays(date, 1)) dates.add(date);
  for (const date of byDay.keys()) dates.add(date);
  const days = [...dates].sort().map((date, i): ScheduleDay => ({
    index: i + 1,
    date,
    start: localTimeIso(date, DAY_CHANGE_HOUR, 0, zone),
    end: localTimeIso(addDays(date, 1), DAY_CHANGE_HOUR - 1, 59, zone),
    // Rooms in the order of first use across the forum, so that columns stay put from day to day.
    rooms: [...rooms.keys()].filter((name) => byDay.get(date)?.has(name)).map((name) => ({ name, events: byDay.get(date)!.get(name)! })),
  }));

  return {
    version: String(forum.scheduleVersion),
    acronym: acronymOf(forum.slug),
    title: text.forumTitle(forum),
    description: text.text(forum.description),
    start: days[0]?.date ?? forum.startDate,
    end: days[days.length - 1]?.date ?? forum.endDate,
    timeZone: zone,
    timeslotDuration: hoursMinutes(slot || 60),
    url: isHttpUrl(forum.website) ? forum.website : null,
    rooms: [...rooms].map(([name, guid]) => ({ name, guid })),
    tracks: [...tracks],
    days,
  };
}

/** The c3voc schedule JSON (https://c3voc.de/schedule/schema.json). */
export function renderC3vocJson(model: ScheduleModel): string {
  const event = (e: ScheduleEvent) => ({
    guid: e.guid,
    id: e.id,
    date: e.date,
    start: e.start,
    end: e.end,
    duration: e.duration,
    room: e.room,
    slug: e.slug,
    url: e.url,
    title: e.title,
    subtitle: '',
    track: e.track,
    type: e.type,
    language: e.language,
    abstract: e.abstract,
    description: e.description,
    recording_license: '',
    // Nothing to record at a session that does not take place.
    do_not_record: e.cancelled,
    // `name` with the older `public_name`, and no integer `id`: the schema's Person is oneOf a
    // frab person (id + public_name) and a pretalx person (name); an id would make it both.
    persons: e.persons.map((p) => ({
      guid: p.guid,
      name: p.name,
      public_name: p.name,
      biography: p.biography,
      ...(p.avatar ? { avatar: p.avatar } : {}),
      links: p.links,
    })),
    links: [],
    attachments: [],
  });
  const document = {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: 'forum-portal' },
    schedule: {
      version: model.version,
      conference: {
        acronym: model.acronym,
        title: model.title,
        ...(model.description ? { description: model.description } : {}),
        start: model.start,
        end: model.end,
        daysCount: model.days.length,
        timeslot_duration: model.timeslotDuration,
        ...(TIME_ZONE_NAME.test(model.timeZone) ? { time_zone_name: model.timeZone } : {}),
        ...(model.url ? { url: model.url } : {}),
        tracks: model.tracks.map((name) => ({ name })),
        rooms: model.rooms,
        days: model.days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: Object.fromEntries(day.rooms.map((room) => [room.name, room.events.map(event)])),
        })),
      },
    },
  };
  return JSON.stringify(document, null, 2);
}
