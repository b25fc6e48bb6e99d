import ical, { escape, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { SessionStatus } from '../session/session.entity';
import type { ExportForum, ExportSession } from './agenda-data';
import { paragraphs, type AgendaText } from './agenda-text';
import { sessionUid } from './ids';
import { vtimezone } from './vtimezone';

export interface CalendarInput {
  /** X-WR-CALNAME: what calendar apps show for the subscription. */
  name: string;
  description?: string | null;
  sessions: ExportSession[];
  forums: Map<number, ExportForum>;
  text: AgendaText;
  /** Name the forum in each event's description (a speaker's calendar spans several forums). */
  withForum?: boolean;
}

/**
 * An iCalendar (RFC 5545) agenda: one VEVENT per session, cancelled ones included with
 * STATUS:CANCELLED, times as local times of the forum's zone (TZID) with a VTIMEZONE for each
 * zone used. ical-generator does the escaping and the line folding (75 octets, UTF-8 aware).
 */
export function renderCalendar(input: CalendarInput): string {
  const { text } = input;
  // The span of years each zone's VTIMEZONE has to cover.
  const spans = new Map<string, { from: Date; to: Date }>();
  for (const session of input.sessions) {
    const zone = input.forums.get(session.forumId)!.timeZone;
    const span = spans.get(zone);
    spans.set(zone, {
      from: span && span.from < session.startsAt ? span.from : session.startsAt,
      to: span && span.to > session.endsAt ? span.to : session.endsAt,
    });
  }

  const calendar = ical({
    prodId: { company: 'forum-portal', product: 'agenda', language: text.language.toUpperCase() },
    // ical-generator 10.2 writes NAME, X-WR-CALNAME and X-WR-CALDESC as given, unescaped: a comma
    // or semicolon in a forum title would corrupt them. Its own escape() makes them TEXT values.
    name: escape(input.name, false),
    description: input.description ? escape(input.description, false) : null,
    // No calendar-wide zone: each event names its forum's zone, and ical-generator would write
    // DTSTAMP as a local time (without the required Z) if the calendar had one. No TTL either:
    // ical-generator writes it after the VTIMEZONEs, where RFC 5545 allows no calendar property.
    timezone: { name: null, generator: (zone) => (spans.has(zone) ? vtimezone(zone, spans.get(zone)!.from, spans.get(zone)!.to) : null) },
  });

  for (const session of input.sessions) {
    const forum = input.forums.get(session.forumId)!;
    const zone = forum.timeZone;
    calendar.createEvent({
      id: sessionUid(session.slug),
      // Grows with every change to the session (a database trigger keeps it), so clients
      // replace their copy of an event instead of keeping a stale one.
      sequence: session.revision,
      stamp: session.updatedAt,
      lastModified: session.updatedAt,
      // Luxon dates in the forum zone: ical-generator renders a plain Date with TZID in the
      // server's own zone.
      start: DateTime.fromJSDate(session.startsAt, { zone }),
      end: DateTime.fromJSDate(session.endsAt, { zone }),
      timezone: zone,
      summary: text.sessionTitle(session),
      description: paragraphs(
        text.statusNote(session),
        text.text(session.description),
        text.audienceLine(session),
        text.participantLines(session).join('\n'),
        input.withForum ? text.forumTitle(forum) : null,
      ),
      location: text.location(session, forum) || null,
      status: session.status === SessionStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  // RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves it off.
  return `${calendar.toString()}\r\n`;
}
