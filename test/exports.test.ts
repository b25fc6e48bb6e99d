import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import ICAL from 'ical.js';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { validateXML } from 'xmllint-wasm';
import { PUBLIC_BASE_URL, startHarness, type Harness } from './helpers/harness';
import * as make from './factories';
import { Forum } from '../src/forum/forum.entity';
import { Session, SessionKind, SessionStatus } from '../src/session/session.entity';
import { ParticipantRole, SessionParticipant } from '../src/session/session-participant.entity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Country } from '../src/country/country.entity';
import type { Speaker } from '../src/speaker/speaker.entity';
import type { Translations } from '../src/shared/i18n';
import { sessionGuid, sessionUid, speakerGuid, uuid5 } from '../src/export/ids';

/**
 * The schedule exports end to end: real HTTP against a real PostgreSQL, each format read back by
 * a real parser or validator (ical.js, Mozilla's iCalendar parser; ajv with c3voc's JSON schema;
 * libxml2's XSD validation (xmllint-wasm) with c3voc's XSD).
 *
 * The data (built in beforeAll; tests that change data have forums of their own):
 *
 *   speakers  aida ("Balaeva, Aida": a comma in the name), hans, idle (no sessions)
 *   almaty    Asia/Almaty (UTC+5), 2025-04-16..17, title with a comma, a semicolon and a Kazakh text
 *             opening    04-16 10:00–11:00 local, Hall A, aida (moderator) + hans (speaker)
 *             late       04-16 23:30–04-17 01:00 local: past midnight, Hall B, hans
 *             cancelled  04-17 11:00–12:00 local, no room (so: the venue), aida
 *             long       04-17 14:00–15:30 local, a title long enough to be folded, `&` and `<` in it
 *   berlin    Europe/Berlin over the DST change of 2025-03-30 (02:00 → 03:00), no Kazakh title
 *             night-1    03-30 01:30 local (UTC+1) = 00:30Z, aida
 *             night-2    03-30 03:30 local (UTC+2) = 01:30Z
 *   astana22  Asia/Almaty in 2022, when it was UTC+6: 12-20 10:00 local = 04:00Z, aida
 *   empty     no sessions
 *   small, large   3 and 60 sessions, for statement counts
 *   mutable-1, mutable-2   changed by the caching tests
 */

// Copies of c3voc's schedule schemas (shared/reference/c3voc), so that the suite needs nothing outside the repo.
const SCHEMAS = path.join(__dirname, 'fixtures', 'c3voc');

let h: Harness;
/** The EntityManager the data is built with, flushed at the end of beforeAll. */
let pending: EntityManager;
let kz: Country;
let aida: Speaker;
let hans: Speaker;
const sessions: Record<string, Session> = {};

interface Fetched {
  status: number;
  headers: Headers;
  text: string;
}

async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
  const response = await fetch(`${h.url}${url}`, { method, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function session(
  forum: Forum,
  slug: string,
  startsAt: string,
  endsAt: string,
  extra: { title?: Translations; room?: Translations | null; status?: SessionStatus; speakers?: [Speaker, ParticipantRole][] } = {},
): Session {
  const created = pending.create(Session, {
    slug,
    forum,
    title: extra.title ?? { en: `Session ${slug}`, ru: `Сессия ${slug}` },
    description: { en: `About ${slug}`, ru: `О сессии ${slug}` },
    kind: SessionKind.PANEL,
    status: extra.status ?? SessionStatus.SCHEDULED,
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    room: extra.room === undefined ? { en: 'Hall A', ru: 'Зал А' } : extra.room,
    track: { en: 'Media', ru: 'Медиа' },
    language: 'ru',
  });
  (extra.speakers ?? []).forEach(([speaker, role], i) =>
    pending.create(SessionParticipant, { session: created, speaker, role, position: i + 1 }),
  );
  sessions[slug] = created;
  return created;
}

function forum(slug: string, timeZone: string, startDate: string, endDate: string, title: Translations): Forum {
  return pending.create(Forum, {
    slug,
    title,
    edition: 1,
    city: { en: 'Astana', ru: 'Астана', kk: 'Астана' },
    venue: { en: 'Congress Centre', ru: 'Конгресс-центр' },
    hostCountry: kz,
    timeZone,
    startDate,
    endDate,
    description: { en: `The ${slug} forum`, ru: `Форум ${slug}` },
  });
}

beforeAll(async () => {
  h = await startHarness();
  pending = h.orm.em.fork();
  kz = make.country(pending, 'KZ');
  aida = make.speaker(pending, 'aida', kz);
  aida.fullName = { en: 'Balaeva, Aida', ru: 'Балаева Аида' };
  hans = make.speaker(pending, 'hans', kz);
  make.speaker(pending, 'idle', kz);

  const almaty = forum('almaty-2025', 'Asia/Almaty', '2025-04-16', '2025-04-17', {
    en: 'Media Forum, Astana; 2025',
    ru: 'Медиафорум, Астана; 2025',
    kk: 'Медиафорум, Астана; 2025 (қазақша)',
  });
  session(almaty, 'almaty-opening', '2025-04-16T05:00:00Z', '2025-04-16T06:00:00Z', {
    title: { en: 'Opening', ru: 'Открытие', kk: 'Ашылу' },
    speakers: [
      [aida, ParticipantRole.MODERATOR],
      [hans, ParticipantRole.SPEAKER],
    ],
  });
  session(almaty, 'almaty-late', '2025-04-16T18:30:00Z', '2025-04-16T20:00:00Z', {
    room: { en: 'Hall B', ru: 'Зал Б' },
    speakers: [[hans, ParticipantRole.SPEAKER]],
  });
  session(almaty, 'almaty-cancelled', '2025-04-17T06:00:00Z', '2025-04-17T07:00:00Z', {
    title: { en: 'Closed panel', ru: 'Закрытая панель' },
    room: null,
    status: SessionStatus.CANCELLED,
    speakers: [[aida, ParticipantRole.PANELIST]],
  });
  session(almaty, 'almaty-long', '2025-04-17T09:00:00Z', '2025-04-17T10:30:00Z', {
    title: {
      en: 'Media & <AI>: a very long title that no calendar line can hold in seventy-five octets',
      ru: 'Медиа и искусственный интеллект: очень длинное название, которое не уместится в одну строку календаря',
    },
  });

  const berlin = forum('berlin-2025', 'Europe/Berlin', '2025-03-29', '2025-03-30', {
    en: 'Berlin Media Night',
    ru: 'Берлинская медианочь',
  });
  session(berlin, 'berlin-night-1', '2025-03-30T00:30:00Z', '2025-03-30T01:30:00Z', { speakers: [[aida, ParticipantRole.HOST]] });
  session(berlin, 'berlin-night-2', '2025-03-30T01:30:00Z', '2025-03-30T02:00:00Z');

  const astana22 = forum('astana-2022', 'Asia/Almaty', '2022-12-20', '2022-12-20', { en: 'Astana 2022', ru: 'Астана 2022' });
  session(astana22, 'astana-2022-opening', '2022-12-20T04:00:00Z', '2022-12-20T05:00:00Z', { speakers: [[aida, ParticipantRole.KEYNOTE]] });

  forum('empty-2025', 'Asia/Almaty', '2025-06-01', '2025-06-02', { en: 'Empty', ru: 'Пусто' });

  const m1 = forum('mutable-1', 'Asia/Almaty', '2025-04-16', '2025-04-16', { en: 'Mutable one', ru: 'Изменяемый один' });
  session(m1, 'mutable-1-s', '2025-04-16T05:00:00Z', '2025-04-16T06:00:00Z', { speakers: [[hans, ParticipantRole.SPEAKER]] });
  const m2 = forum('mutable-2', 'Asia/Almaty', '2025-04-16', '2025-04-16', { en: 'Mutable two', ru: 'Изменяемый два' });
  session(m2, 'mutable-2-s', '2025-04-16T05:00:00Z', '2025-04-16T06:00:00Z');

  const many = Array.from({ length: 6 }, (_, i) => make.speaker(pending, `many-${i}`, kz));
  make.forumWithAgenda(pending, { slug: 'small', host: kz, sessions: 3, speakers: many });
  make.forumWithAgenda(pending, { slug: 'large', host: kz, sessions: 60, speakers: many });
  await pending.flush();
});

afterAll(async () => {
  await h?.close();
});

async function sql(text: string): Promise<any[]> {
  return h.orm.em.getConnection().execute(text);
}

async function revisionOf(slug: string): Promise<number> {
  const [row] = await sql(`select revision from "session" where slug = '${slug}'`);
  return row.revision;
}

// ---------------------------------------------------------------------------------------------
// iCalendar

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string;
  location: string | null;
  tzid: string | null;
  start: string;
  end: string;
  localStart: string;
}

/** X-WR-CALNAME: ical.js leaves an X- property's value as it is written; it is TEXT, escaped. */
function calendarName(calendar: ICAL.Component): string {
  return ICAL.design.icalendar.value.text.fromICAL!(String(calendar.getFirstPropertyValue('x-wr-calname')));
}

/** Parses with ical.js, resolving TZIDs through the calendar's own VTIMEZONEs only. */
function parseCalendar(text: string): { calendar: ICAL.Component; events: ParsedEvent[]; zones: ICAL.Component[] } {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone');
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: String(component.getFirstPropertyValue('status')),
      summary: event.summary,
      description: event.description,
      location: event.location ?? null,
      tzid: component.getFirstProperty('dtstart')!.getParameter('tzid') as string | null,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      localStart: event.startDate.toString(),
    };
  });
  return { calendar, events, zones };
}

describe('GET /forums/:slug/agenda.ics', () => {
  it('has one event per session, cancelled ones included, with stable UIDs, SEQUENCE and STATUS', async () => {
    const res = await get('/forums/almaty-2025/agenda.ics?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const { events } = parseCalendar(res.text);
    expect(events.map((e) => e.uid)).toEqual(
      ['almaty-opening', 'almaty-late', 'almaty-cancelled', 'almaty-long'].map((slug) => sessionUid(slug)),
    );
    expect(events.map((e) => e.sequence)).toEqual(
      await Promise.all(['almaty-opening', 'almaty-late', 'almaty-cancelled', 'almaty-long'].map(revisionOf)),
    );
    // Each participant added revised the session (a database trigger).
    expect(events[0].sequence).toBe(2);
    expect(events.map((e) => e.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED', 'CONFIRMED']);
    expect(events[2].summary).toBe('[Cancelled] Closed panel');
    expect(events[2].description).toContain('Cancelled: this session does not take place.');

    // The same UIDs on every request: they are derived from the session, not generated.
    const again = parseCalendar((await get('/forums/almaty-2025/agenda.ics?lang=en')).text);
    expect(again.events.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
  });

  it('gives local times in the forum zone, converted to UTC through its VTIMEZONE', async () => {
    const { events, zones } = parseCalendar((await get('/forums/almaty-2025/agenda.ics?lang=en')).text);
    expect(zones.map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Asia/Almaty']);
    // Asia/Almaty has no daylight saving time: one STANDARD observance at UTC+5.
    expect(zones[0].getAllSubcomponents('daylight')).toHaveLength(0);
    expect(zones[0].getAllSubcomponents('standard').map((s) => String(s.getFirstPropertyValue('tzoffsetto')))).toEqual(['+05:00']);

    expect(events[0]).toMatchObject({
      tzid: 'Asia/Almaty',
      localStart: '2025-04-16T10:00:00',
      start: '2025-04-16T05:00:00.000Z',
      end: '2025-04-16T06:00:00.000Z',
    });
    // Past midnight: 23:30 to 01:00 the next day, local time.
    expect(events[1]).toMatchObject({
      localStart: '2025-04-16T23:30:00',
      start: '2025-04-16T18:30:00.000Z',
      end: '2025-04-16T20:00:00.000Z',
    });
  });

  it('converts times on both sides of a DST change (Europe/Berlin, 2025-03-30)', async () => {
    const { events, zones } = parseCalendar((await get('/forums/berlin-2025/agenda.ics')).text);
    expect(zones.map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Europe/Berlin']);
    expect(zones[0].getAllSubcomponents('daylight').length).toBeGreaterThan(0);
    expect(zones[0].getAllSubcomponents('standard').length).toBeGreaterThan(0);
    expect(events.map((e) => [e.tzid, e.localStart, e.start])).toEqual([
      ['Europe/Berlin', '2025-03-30T01:30:00', '2025-03-30T00:30:00.000Z'],
      ['Europe/Berlin', '2025-03-30T03:30:00', '2025-03-30T01:30:00.000Z'],
    ]);
  });

  it('writes a localized summary, description with the speakers and their roles, and location', async () => {
    const { calendar, events } = parseCalendar((await get('/forums/almaty-2025/agenda.ics?lang=en')).text);
    expect(events[0].summary).toBe('Opening');
    expect(events[0].description).toBe('About almaty-opening\n\nModerator: Balaeva, Aida, Expert\nSpeaker: Speaker hans, Expert');
    expect(events[0].location).toBe('Hall A, Congress Centre, Astana');
    // No room: the venue and city only.
    expect(events[2].location).toBe('Congress Centre, Astana');
    expect(calendarName(calendar)).toBe('Media Forum, Astana; 2025');

    const ru = parseCalendar((await get('/forums/almaty-2025/agenda.ics?lang=ru')).text);
    expect(ru.events[0].summary).toBe('Открытие');
    expect(ru.events[0].description).toBe('О сессии almaty-opening\n\nМодератор: Балаева Аида, Эксперт\nСпикер: Спикер hans, Эксперт');
    expect(ru.events[2].summary).toBe('[Отменено] Закрытая панель');
  });

  it('escapes text and folds lines at 75 octets with CRLF', async () => {
    const { text } = await get('/forums/almaty-2025/agenda.ics?lang=ru');
    expect(text).toMatch(/\r\n$/);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // The calendar name's comma and semicolon are escaped (RFC 5545 TEXT).
    expect(lines).toContain('X-WR-CALNAME:Медиафорум\\, Астана\\; 2025');
    // Calendar properties come before the first component, as RFC 5545's grammar has it.
    let depth = 0;
    let pastComponent = false;
    const late: string[] = [];
    for (const line of lines) {
      if (line.startsWith('BEGIN:')) pastComponent ||= ++depth === 2;
      else if (line.startsWith('END:')) depth -= 1;
      else if (depth === 1 && pastComponent && !line.startsWith(' ')) late.push(line);
    }
    expect(late).toEqual([]);
    // The long title was folded and unfolds to the original.
    const { events } = parseCalendar(text);
    expect(events[3].summary).toBe('Медиа и искусственный интеллект: очень длинное название, которое не уместится в одну строку календаря');
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  it('is empty but valid for a forum without sessions', async () => {
    const res = await get('/forums/empty-2025/agenda.ics');
    expect(res.status).toBe(200);
    const { events, zones } = parseCalendar(res.text);
    expect(events).toEqual([]);
    expect(zones).toEqual([]);
  });
});

describe('GET /speakers/:slug/agenda.ics', () => {
  it('lists the speaker’s sessions across forums and zones, with each zone’s rules over the years', async () => {
    const res = await get('/speakers/aida/agenda.ics?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-language')).toBe('en');
    const { calendar, events, zones } = parseCalendar(res.text);
    expect(calendarName(calendar)).toBe('Balaeva, Aida');
    expect(zones.map((z) => String(z.getFirstPropertyValue('tzid'))).sort()).toEqual(['Asia/Almaty', 'Europe/Berlin']);
    expect(events.map((e) => [e.uid, e.tzid, e.localStart, e.start, e.status])).toEqual([
      // Astana was UTC+6 in 2022 and UTC+5 from March 2024: one VTIMEZONE covers both.
      [sessionUid('astana-2022-opening'), 'Asia/Almaty', '2022-12-20T10:00:00', '2022-12-20T04:00:00.000Z', 'CONFIRMED'],
      [sessionUid('berlin-night-1'), 'Europe/Berlin', '2025-03-30T01:30:00', '2025-03-30T00:30:00.000Z', 'CONFIRMED'],
      [sessionUid('almaty-opening'), 'Asia/Almaty', '2025-04-16T10:00:00', '2025-04-16T05:00:00.000Z', 'CONFIRMED'],
      [sessionUid('almaty-cancelled'), 'Asia/Almaty', '2025-04-17T11:00:00', '2025-04-17T06:00:00.000Z', 'CANCELLED'],
    ]);
    // The forum is named, since the calendar spans several.
    expect(events[1].description).toBe('About berlin-night-1\n\nHost: Balaeva, Aida, Expert\n\nBerlin Media Night');
    expect(events[1].location).toBe('Hall A, Congress Centre, Astana');
  });

  it('is empty for a speaker without sessions, and 404 for an unknown slug', async () => {
    const idle = await get('/speakers/idle/agenda.ics');
    expect(idle.status).toBe(200);
    expect(parseCalendar(idle.text).events).toEqual([]);

    const missing = await get('/speakers/nobody/agenda.ics');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(missing.text)).toEqual({ errors: [{ message: 'No speaker with slug "nobody"', extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('identifiers', () => {
  it('are name-based UUIDs (version 5), stable for a slug', () => {
    // RFC 9562, Appendix A.4: the DNS namespace and "www.example.com".
    expect(uuid5('www.example.com', Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex'))).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(sessionGuid('almaty-opening')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sessionGuid('almaty-opening')).toBe(sessionGuid('almaty-opening'));
    expect(sessionGuid('almaty-opening')).not.toBe(speakerGuid('almaty-opening'));
    expect(sessionUid('almaty-opening')).toBe(`${sessionGuid('almaty-opening')}@forum-portal`);
  });
});

// ---------------------------------------------------------------------------------------------
// c3voc JSON

function scheduleValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  // The schema uses a `color` format that ajv-formats does not know.
  ajv.addFormat('color', /^#[0-9a-fA-F]{6}$/);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'schedule.schema.json'), 'utf8')));
}

describe('GET /forums/:slug/schedule.json', () => {
  const validate = scheduleValidator();

  function valid(document: unknown): void {
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  }

  it('is valid against c3voc’s schema, with days, rooms and events in local time', async () => {
    const res = await get('/forums/almaty-2025/schedule.json?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = JSON.parse(res.text);
    valid(document);

    const conference = document.schedule.conference;
    expect(conference).toMatchObject({
      // The schema's acronym pattern has no room for `almaty-2025`.
      acronym: 'almaty_2025',
      title: 'Media Forum, Astana; 2025',
      start: '2025-04-16',
      end: '2025-04-17',
      daysCount: 2,
      time_zone_name: 'Asia/Almaty',
      timeslot_duration: '00:30',
    });
    expect(conference.rooms.map((r: any) => r.name)).toEqual(['Hall A', 'Hall B', 'Congress Centre']);
    expect(conference.days.map((d: any) => [d.index, d.date, d.day_start, d.day_end, Object.keys(d.rooms)])).toEqual([
      [1, '2025-04-16', '2025-04-16T04:00:00+05:00', '2025-04-17T03:59:00+05:00', ['Hall A', 'Hall B']],
      [2, '2025-04-17', '2025-04-17T04:00:00+05:00', '2025-04-18T03:59:00+05:00', ['Hall A', 'Congress Centre']],
    ]);

    const opening = conference.days[0].rooms['Hall A'][0];
    expect(opening).toMatchObject({
      guid: sessionGuid('almaty-opening'),
      id: sessions['almaty-opening'].id,
      date: '2025-04-16T10:00:00+05:00',
      start: '10:00',
      end: '2025-04-16T11:00:00+05:00',
      duration: '01:00',
      room: 'Hall A',
      slug: 'almaty-opening',
      title: 'Opening',
      track: 'Media',
      type: 'panel',
      language: 'ru',
      abstract: 'About almaty-opening',
      do_not_record: false,
    });
    expect(opening.url).toBe(`${PUBLIC_BASE_URL}/sessions/almaty-opening`);
    expect(opening.persons).toEqual([
      { guid: speakerGuid('aida'), name: 'Balaeva, Aida', public_name: 'Balaeva, Aida', biography: null, links: [] },
      { guid: speakerGuid('hans'), name: 'Speaker hans', public_name: 'Speaker hans', biography: null, links: [] },
    ]);

    // Past midnight: starts on the 16th, lasts 1 h 30 into the 17th.
    expect(conference.days[0].rooms['Hall B'][0]).toMatchObject({
      date: '2025-04-16T23:30:00+05:00',
      start: '23:30',
      duration: '01:30',
      end: '2025-04-17T01:00:00+05:00',
    });

    // Cancelled: kept, marked in the title and the description, and not to be recorded.
    expect(conference.days[1].rooms['Congress Centre'][0]).toMatchObject({
      slug: 'almaty-cancelled',
      title: '[Cancelled] Closed panel',
      description: 'Cancelled: this session does not take place.',
      do_not_record: true,
    });
  });

  it('puts a session before 04:00 local in the previous conference day, across the DST change', async () => {
    const document = JSON.parse((await get('/forums/berlin-2025/schedule.json')).text);
    valid(document);
    const [saturday, sunday] = document.schedule.conference.days;
    expect([saturday.date, saturday.day_start, saturday.day_end]).toEqual([
      '2025-03-29',
      '2025-03-29T04:00:00+01:00',
      '2025-03-30T03:59:00+02:00',
    ]);
    expect(saturday.rooms['Зал А'].map((e: any) => [e.date, e.start, e.duration])).toEqual([
      ['2025-03-30T01:30:00+01:00', '01:30', '01:00'],
      ['2025-03-30T03:30:00+02:00', '03:30', '00:30'],
    ]);
    expect([sunday.date, sunday.day_start, sunday.rooms]).toEqual(['2025-03-30', '2025-03-30T04:00:00+02:00', {}]);
  });

  it('is checked by a validator that does reject what the schema forbids', async () => {
    const document = JSON.parse((await get('/forums/almaty-2025/schedule.json')).text);
    const event = document.schedule.conference.days[0].rooms['Зал А'][0];
    // A person with an integer id is both a frab and a pretalx person: the schema's oneOf fails.
    event.persons[0].id = 1;
    delete event.url;
    expect(validate(document)).toBe(false);
    expect(validate.errors!.map((e) => e.message)).toEqual(
      expect.arrayContaining(["must have required property 'url'", 'must match exactly one schema in oneOf']),
    );
  });

  it('is valid for a forum without sessions', async () => {
    const document = JSON.parse((await get('/forums/empty-2025/schedule.json')).text);
    valid(document);
    expect(document.schedule.conference.days.map((d: any) => d.date)).toEqual(['2025-06-01', '2025-06-02']);
    expect(document.schedule.conference.rooms).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// frab XML

/** libxml2's XSD validation, compiled to WebAssembly: the same checker as `xmllint --schema`, from npm. */
async function validateAgainstXsd(xml: string, xsdFile: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'schedule.xml', contents: xml }], schema: [fs.readFileSync(xsdFile, 'utf8')] });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

/** An XPath 1.0 expression over the document, as a string (numbers and strings) or node texts joined by newlines. */
function xpathOf(xml: string): (expression: string) => string {
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  return (expression) => {
    const value = xpath.select(expression, document as unknown as Node);
    if (Array.isArray(value)) return value.map((n) => (n as Node).textContent ?? '').join('\n');
    return typeof value === 'object' ? ((value as Node).textContent ?? '') : String(value);
  };
}

describe('GET /forums/:slug/schedule.xml', () => {
  const schema = path.join(SCHEMAS, 'schedule.xml.xsd');

  it.each(['almaty-2025', 'berlin-2025', 'empty-2025', 'large'])('is valid against c3voc’s XSD (%s)', async (slug) => {
    const res = await get(`/forums/${slug}/schedule.xml?lang=ru`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await validateAgainstXsd(res.text, schema)).toEqual({ valid: true, errors: [] });
  });

  it('is checked by a validator that does reject an invalid schedule', async () => {
    expect((await validateAgainstXsd('<schedule/>', schema)).valid).toBe(false);
  });

  it('has every session, with escaped text and the same guids as the JSON', async () => {
    const { text } = await get('/forums/almaty-2025/schedule.xml?lang=en');
    const query = xpathOf(text);
    expect(query('count(//event)')).toBe('4');
    expect(query('string(/schedule/conference/acronym)')).toBe('almaty_2025');
    expect(query(`string(//event[@id="${sessions['almaty-long'].id}"]/title)`)).toBe(
      'Media & <AI>: a very long title that no calendar line can hold in seventy-five octets',
    );
    expect(query(`string(//event[@id="${sessions['almaty-opening'].id}"]/@guid)`)).toBe(sessionGuid('almaty-opening'));
    expect(query(`string(//event[@id="${sessions['almaty-cancelled'].id}"]/title)`)).toBe('[Cancelled] Closed panel');
    expect(query(`string(//event[@id="${sessions['almaty-cancelled'].id}"]/recording/optout)`)).toBe('true');
    expect(query('string(//day[@index="1"]/@start)')).toBe('2025-04-16T04:00:00+05:00');
    expect(query(`string(//event[@id="${sessions['almaty-late'].id}"]/duration)`)).toBe('01:30');
    expect(query(`//event[@id="${sessions['almaty-opening'].id}"]/persons/person/text()`)).toBe('Balaeva, Aida\nSpeaker hans');
  });
});

// ---------------------------------------------------------------------------------------------
// Languages, errors, CORS

describe('language selection', () => {
  it('takes ?lang first, then Accept-Language, then the fallback (Russian first)', async () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['?lang=en', { 'accept-language': 'ru' }, 'en', 'Media Forum, Astana; 2025'],
      ['?lang=KK', {}, 'kk', 'Медиафорум, Астана; 2025 (қазақша)'],
      ['', { 'accept-language': 'kk-KZ, en;q=0.5' }, 'kk', 'Медиафорум, Астана; 2025 (қазақша)'],
      ['', { 'accept-language': 'de, en;q=0.8' }, 'en', 'Media Forum, Astana; 2025'],
      ['', { 'accept-language': 'de' }, 'ru', 'Медиафорум, Астана; 2025'],
      ['', {}, 'ru', 'Медиафорум, Астана; 2025'],
    ];
    for (const [query, headers, language, title] of cases) {
      const res = await get(`/forums/almaty-2025/agenda.ics${query}`, headers);
      expect([query, headers, res.headers.get('content-language'), calendarName(parseCalendar(res.text).calendar)]).toEqual([
        query,
        headers,
        language,
        title,
      ]);
      expect(res.headers.get('vary')).toBe('Accept-Language');
    }
  });

  it('reports the language the forum title is in when the asked one is missing', async () => {
    // berlin-2025 has no Kazakh title: Russian stands in, and the fixed words stay Kazakh.
    const res = await get('/forums/berlin-2025/schedule.json?lang=kk');
    expect(res.headers.get('content-language')).toBe('ru');
    expect(JSON.parse(res.text).schedule.conference.title).toBe('Берлинская медианочь');
  });

  it('answers 400 for an unknown ?lang, before looking anything up', async () => {
    for (const url of [
      '/forums/almaty-2025/agenda.ics?lang=xx',
      '/forums/nowhere/schedule.json?lang=',
      '/speakers/aida/agenda.ics?lang=en&lang=ru',
    ]) {
      const res = await get(url);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({
        errors: [{ message: 'lang must be one of: kk, ru, en', extensions: { code: 'BAD_USER_INPUT' } }],
      });
    }
  });
});

describe('errors and CORS', () => {
  it.each(['agenda.ics', 'schedule.json', 'schedule.xml'])('answers 404 with a JSON error for an unknown forum (%s)', async (file) => {
    const res = await get(`/forums/nowhere/${file}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message: 'No forum with slug "nowhere"', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('is open to any origin, including preflights for conditional requests', async () => {
    const res = await get('/forums/almaty-2025/schedule.json', { origin: 'https://widget.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag');

    const preflight = await get(
      '/forums/almaty-2025/schedule.json',
      { origin: 'https://widget.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('if-none-match');
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get('/forums/almaty-2025/agenda.ics', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('etag')).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------
// Caching

describe('caching', () => {
  it('sends ETag, Last-Modified and Cache-Control, and 304 without a body for a current copy', async () => {
    for (const file of ['agenda.ics', 'schedule.json', 'schedule.xml']) {
      const first = await get(`/forums/almaty-2025/${file}`);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[a-z]+-v\d+-[A-Za-z0-9_-]+"$/);
      expect(first.headers.get('cache-control')).toBe('public, no-cache');
      const lastModified = first.headers.get('last-modified')!;
      expect(new Date(lastModified).toUTCString()).toBe(lastModified);

      const again = await get(`/forums/almaty-2025/${file}`, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, no-cache');

      // Weak comparison, lists, and `*`.
      expect((await get(`/forums/almaty-2025/${file}`, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
      expect((await get(`/forums/almaty-2025/${file}`, { 'if-none-match': '*' })).status).toBe(304);
      expect((await get(`/forums/almaty-2025/${file}`, { 'if-none-match': '"other"' })).status).toBe(200);
      // If-Modified-Since counts only without If-None-Match.
      expect((await get(`/forums/almaty-2025/${file}`, { 'if-modified-since': lastModified })).status).toBe(304);
      expect((await get(`/forums/almaty-2025/${file}`, { 'if-modified-since': lastModified, 'if-none-match': '"other"' })).status).toBe(
        200,
      );
    }
  });

  it('has a different ETag per format and per language', async () => {
    const tags = await Promise.all(
      ['agenda.ics', 'schedule.json', 'schedule.xml', 'agenda.ics?lang=en', 'agenda.ics?lang=kk'].map(async (file) =>
        (await get(`/forums/almaty-2025/${file}`)).headers.get('etag'),
      ),
    );
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('changes the ETag and SEQUENCE when a session title changes', async () => {
    const url = '/forums/mutable-1/agenda.ics?lang=en';
    const before = await get(url);
    const etag = before.headers.get('etag')!;
    const sequence = parseCalendar(before.text).events[0].sequence;

    // Through SQL, as any writer could: the database trigger bumps the version.
    await sql(`update "session" set title = '{"en": "Renamed", "ru": "Переименовано"}' where slug = 'mutable-1-s'`);

    const after = await get(url, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const [event] = parseCalendar(after.text).events;
    expect(event.summary).toBe('Renamed');
    expect(event.sequence).toBe(sequence + 1);
    expect((await get(url, { 'if-none-match': after.headers.get('etag')! })).status).toBe(304);
  });

  it('changes the ETag and Last-Modified when the forum itself is edited', async () => {
    const url = '/forums/mutable-2/schedule.json?lang=en';
    const before = await get(url);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // Last-Modified has whole seconds

    const em = h.orm.em.fork();
    const edited = await em.findOneOrFail(Forum, { slug: 'mutable-2' });
    edited.title = { en: 'Mutable two, renamed', ru: 'Изменяемый два' };
    await em.flush();

    const after = await get(url, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).schedule.conference.title).toBe('Mutable two, renamed');
    expect(new Date(after.headers.get('last-modified')!).getTime()).toBeGreaterThan(
      new Date(before.headers.get('last-modified')!).getTime(),
    );
    expect((await get(url, { 'if-modified-since': before.headers.get('last-modified')! })).status).toBe(200);
  });

  it('changes a speaker calendar’s ETag when one of their sessions changes, or they join another', async () => {
    const url = '/speakers/hans/agenda.ics';
    const first = await get(url);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('last-modified')).toBeNull();
    expect((await get(url, { 'if-none-match': etag })).status).toBe(304);

    await sql(`update "session" set ends_at = ends_at + interval '15 minutes' where slug = 'mutable-1-s'`);
    const second = await get(url, { 'if-none-match': etag });
    expect(second.status).toBe(200);
    const etag2 = second.headers.get('etag')!;
    expect(etag2).not.toBe(etag);

    await sql(
      `insert into session_participant (session_id, speaker_id, role, position) select s.id, ${hans.id}, 'SPEAKER', 1 from "session" s where s.slug = 'mutable-2-s'`,
    );
    const third = await get(url, { 'if-none-match': etag2 });
    expect(third.status).toBe(200);
    expect(parseCalendar(third.text).events.map((e) => e.uid)).toContain(sessionUid('mutable-2-s'));
  });
});

// ---------------------------------------------------------------------------------------------
// SQL statements

describe('statement count', () => {
  it.each(['agenda.ics', 'schedule.json', 'schedule.xml'])('%s: 2 statements for 3 sessions and for 60, 1 for a 304', async (file) => {
    const small = await h.countStatements(() => get(`/forums/small/${file}`));
    const large = await h.countStatements(() => get(`/forums/large/${file}`));
    expect(small.result.status).toBe(200);
    expect(large.result.status).toBe(200);
    expect([small.statements, large.statements]).toEqual([2, 2]);

    const etag = large.result.headers.get('etag')!;
    const cached = await h.countStatements(() => get(`/forums/large/${file}`, { 'if-none-match': etag }));
    expect(cached.result.status).toBe(304);
    expect(cached.statements).toBe(1);
  });

  it('speaker calendar: 2 statements however many sessions', async () => {
    const few = await h.countStatements(() => get('/speakers/aida/agenda.ics'));
    const many = await h.countStatements(() => get('/speakers/many-0/agenda.ics'));
    expect(parseCalendar(many.result.text).events.length).toBeGreaterThan(20);
    expect([few.statements, many.statements]).toEqual([2, 2]);
  });
});
