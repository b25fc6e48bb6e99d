import { createHash } from 'node:crypto';

/*
 * Stable identifiers for schedule consumers. Apps (EventFahrplan, Giggity, calendar clients)
 * match a re-downloaded schedule to the one they stored by these ids, to keep favourites and
 * alarms and to show what changed: they must not change for the same session, speaker or room.
 *
 * They are derived from slugs, which the entities document as the stable identifiers for links
 * and exports, rather than from serial ids: the same serial id names different sessions in
 * another database (a re-seeded one, staging, another portal running this code), and a calendar
 * client subscribed to two portals would merge their events by UID.
 */

// The namespace of this portal's name-based UUIDs; changing it would change every guid.
const NAMESPACE = Buffer.from('4068c802e8104fadb469fdba9e8a1fd2', 'hex');

/** A name-based UUID, version 5 (RFC 9562 §5.5): SHA-1 of the namespace and the name. */
export function uuid5(name: string, namespace: Buffer = NAMESPACE): string {
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sessionGuid(sessionSlug: string): string {
  return uuid5(`session:${sessionSlug}`);
}

export function speakerGuid(speakerSlug: string): string {
  return uuid5(`speaker:${speakerSlug}`);
}

/** Rooms have no table: a room is its name within a forum. */
export function roomGuid(forumSlug: string, name: string): string {
  return uuid5(`room:${forumSlug}:${name}`);
}

/** The iCalendar UID of a session: its guid, so that the three formats can be matched up. */
export function sessionUid(sessionSlug: string): string {
  return `${sessionGuid(sessionSlug)}@forum-portal`;
}
