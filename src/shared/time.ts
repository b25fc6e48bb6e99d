import { BadUserInputError } from '../errors';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as local wall-clock time in an IANA zone, ISO 8601 with that moment's UTC offset:
 * `2025-04-16T10:00:00+05:00`. The offset comes from the zone rules (Kazakhstan changed its in
 * 2024), never from a fixed number.
 */
export function toZonedIso(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  // longOffset reads "GMT+05:00", or just "GMT" for UTC itself.
  const offset = part.timeZoneName === 'GMT' ? '+00:00' : part.timeZoneName.slice(3);
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${offset}`;
}

/** Checks an IANA time zone name supplied by a client. */
export function validTimeZone(zone: string, argument: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw new BadUserInputError(`"${zone}" is not an IANA time zone (e.g. Asia/Almaty)`, { argument });
  }
}
