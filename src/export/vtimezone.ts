/*
 * VTIMEZONE components (RFC 5545 §3.6.5) generated from the time-zone rules Node itself uses
 * (Intl, i.e. ICU's copy of the IANA database), for the years a calendar spans.
 *
 * Why not a library: the packages that ship VTIMEZONE text (`@touch4it/ical-timezones`,
 * `timezones-ical-library`) describe each zone by its *current* rules only, from 1970 on. That
 * is wrong for any event before a zone's last rule change: Asia/Almaty moved from UTC+6 to UTC+5
 * on 2024-03-01, so a 2022 forum in Astana would come out an hour off (and the first of those
 * packages still has UTC+6 for 2025). Generating from Intl gives every transition in the span,
 * from the same rules that `toZonedIso` and the JSON/XML exports use, so all formats agree.
 */

const DAY = 86_400_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in seconds east of Greenwich. */
export function utcOffsetSeconds(zone: string, instant: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  // "GMT+05:00", "GMT-03:30", "GMT" for UTC itself (seconds only for historical local mean time).
  const match = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

interface Observance {
  /** The instant the offset takes effect. */
  at: number;
  from: number;
  to: number;
}

/** The first instant in (lo, hi] whose offset differs from lo's; both whole seconds, in ms. */
function transitionBetween(zone: string, lo: number, hi: number): number {
  const before = utcOffsetSeconds(zone, lo);
  let low = lo / 1000;
  let high = hi / 1000;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (utcOffsetSeconds(zone, mid * 1000) === before) low = mid;
    else high = mid;
  }
  return high * 1000;
}

/**
 * The offset in force at `start`, then every change up to `end`. Scans a day at a time: zones
 * change at most once in a day (none has done otherwise since the 1940s).
 */
function observances(zone: string, start: number, end: number): Observance[] {
  const initial = utcOffsetSeconds(zone, start);
  const list: Observance[] = [{ at: start, from: utcOffsetSeconds(zone, start - 1000), to: initial }];
  let offset = initial;
  for (let t = start; t < end; t += DAY) {
    const next = Math.min(t + DAY, end);
    const nextOffset = utcOffsetSeconds(zone, next);
    if (nextOffset !== offset) {
      list.push({ at: transitionBetween(zone, t, next), from: offset, to: nextOffset });
      offset = nextOffset;
    }
  }
  return list;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `+0500`, `-0330`, `+054748` (RFC 5545 UTC-OFFSET). */
function formatOffset(seconds: number): string {
  const abs = Math.abs(seconds);
  const s = abs % 60;
  return `${seconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}${pad(Math.floor(abs / 60) % 60)}${s ? pad(s) : ''}`;
}

/** Local date-time `YYYYMMDDTHHMMSS` of an instant at a fixed offset. */
function formatLocal(instant: number, offsetSeconds: number): string {
  const d = new Date(instant + offsetSeconds * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

/**
 * A period is daylight saving time when its offset is above the ones on both sides of it and
 * the zone returns to the earlier offset within a year (Berlin's summers, Sydney's southern
 * summers); a lasting change of standard time (Almaty in 2024) is not.
 */
function isDaylight(list: Observance[], i: number): boolean {
  const current = list[i];
  const next = list[i + 1];
  if (i > 0) {
    return current.to > current.from && !!next && next.to === current.from && next.at - current.at < 366 * DAY;
  }
  // The first period has no known start: daylight if the zone drops from it and comes back.
  const after = list[i + 2];
  return !!next && !!after && next.to < current.to && after.to === current.to && after.at - next.at < 366 * DAY;
}

// Zone rules do not change while the process runs; a few thousand Intl calls per zone and span
// are worth keeping (keys are zone × year span: a small, bounded set in practice).
const generated = new Map<string, string>();

/**
 * The VTIMEZONE for `zone`, valid for every instant from `from` to `to` (it covers the whole
 * calendar years of both, so that it stays the same while an agenda changes within them).
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const key = `${zone} ${from.getUTCFullYear()} ${to.getUTCFullYear()}`;
  let text = generated.get(key);
  if (!text) {
    text = generate(zone, Date.UTC(from.getUTCFullYear(), 0, 1) - DAY, Date.UTC(to.getUTCFullYear() + 1, 0, 1) + DAY);
    generated.set(key, text);
  }
  return text;
}

function generate(zone: string, start: number, end: number): string {
  // One more year is scanned only to tell daylight saving periods near the end from lasting changes.
  const list = observances(zone, start, end + 366 * DAY);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  list.forEach((o, i) => {
    if (o.at > end) return;
    const type = isDaylight(list, i) ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${type}`,
      // DTSTART is the local time at which the change happens, read in the offset before it.
      `DTSTART:${formatLocal(o.at, o.from)}`,
      `TZOFFSETFROM:${formatOffset(o.from)}`,
      `TZOFFSETTO:${formatOffset(o.to)}`,
      `END:${type}`,
    );
  });
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
