import { Forum } from '../src/forum/forum.entity';
import { ParticipantRole, SessionParticipant } from '../src/session/session-participant.entity';
import { Session, SessionKind, SessionStatus } from '../src/session/session.entity';
import { Speaker } from '../src/speaker/speaker.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * What an event app does with an agenda: day by day in local time, filters, now/next, and an
 * incremental sync through the change feed.
 */
describe('agenda for event apps', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { ru: 'Казахстан', en: 'Kazakhstan', kk: 'Қазақстан' });
    const de = make.country(em, 'DE', { ru: 'Германия', en: 'Germany' });
    const speakers = [make.speaker(em, 'aida', kz), make.speaker(em, 'hans', de), make.speaker(em, 'dana', kz)];
    make.forumWithAgenda(em, { slug: 'small', host: kz, sessions: 5, speakers });
    make.forumWithAgenda(em, { slug: 'large', host: kz, sessions: 200, speakers });

    // A forum in Berlin over the switch to summer time (Sunday 30 March 2025, 02:00 → 03:00).
    const berlin = em.create(Forum, {
      slug: 'berlin',
      title: { ru: 'Берлинский форум', en: 'Berlin forum' },
      edition: 1,
      city: { en: 'Berlin', ru: 'Берлин' },
      hostCountry: de,
      timeZone: 'Europe/Berlin',
      startDate: '2025-03-29',
      endDate: '2025-03-30',
    });
    const session = (slug: string, startsAt: string, minutes: number, extra: Partial<Session> = {}) =>
      em.create(Session, {
        slug,
        forum: berlin,
        title: { ru: `Сессия ${slug}`, en: `Session ${slug}` },
        kind: SessionKind.PANEL,
        startsAt: new Date(startsAt),
        endsAt: new Date(Date.parse(startsAt) + minutes * 60_000),
        language: 'en',
        ...extra,
      });
    const opening = session('opening', '2025-03-29T09:00:00Z', 60, {
      kind: SessionKind.OPENING,
      room: { en: 'Great Hall', ru: 'Большой зал' },
      track: { en: 'Policy', ru: 'Политика' },
      language: 'ru',
    });
    session('late-night', '2025-03-29T23:30:00Z', 45, { room: { en: 'Cellar', ru: 'Подвал' } }); // 00:30 local on the 30th
    session('before-switch', '2025-03-30T00:30:00Z', 30, { room: { en: 'Great Hall', ru: 'Большой зал' } }); // 01:30 CET
    session('after-switch', '2025-03-30T01:30:00Z', 30, {
      room: { en: 'Great Hall', ru: 'Большой зал' },
      track: { en: 'Technology', ru: 'Технологии' },
    }); // 03:30 CEST
    session('cancelled', '2025-03-30T08:00:00Z', 60, { status: SessionStatus.CANCELLED, room: { en: 'Cellar', ru: 'Подвал' } });
    em.create(SessionParticipant, { session: opening, speaker: speakers[1], role: ParticipantRole.KEYNOTE, position: 1 });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const DAYS = `query($slug: String!) { forum(slug: $slug) { days { date sessions { title participants { role speaker { fullName country { code name } } } } } } }`;

  it('reads day by day in a fixed number of statements at 5 and at 200 sessions', async () => {
    const small = await h.countStatements(() => h.execute(DAYS, { slug: 'small' }));
    const large = await h.countStatements(() => h.execute(DAYS, { slug: 'large' }));
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    const count = (r: any) => r.data.forum.days.map((d: any) => d.sessions.length);
    expect(count(small.result)).toEqual([3, 2]);
    expect(count(large.result)).toEqual([100, 100]);
    // forum, all sessions, participants joined with their speakers, countries and ministries.
    expect(small.statements).toBe(3);
    expect(large.statements).toBe(3);
  });

  it('groups by local date and gives local times across a daylight-saving change', async () => {
    const { data, errors } = await h.execute(
      `{ forum(slug: "berlin") { days { date sessions { slug startsAt startsAtLocal endsAtLocal inAlmaty: startsAtLocal(timeZone: "Asia/Almaty") status } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.forum.days).toEqual([
      {
        date: '2025-03-29',
        sessions: [
          {
            slug: 'opening',
            startsAt: '2025-03-29T09:00:00.000Z',
            startsAtLocal: '2025-03-29T10:00:00+01:00',
            endsAtLocal: '2025-03-29T11:00:00+01:00',
            inAlmaty: '2025-03-29T14:00:00+05:00',
            status: 'SCHEDULED',
          },
        ],
      },
      {
        date: '2025-03-30',
        sessions: [
          {
            slug: 'late-night',
            startsAt: '2025-03-29T23:30:00.000Z',
            startsAtLocal: '2025-03-30T00:30:00+01:00',
            endsAtLocal: '2025-03-30T01:15:00+01:00',
            inAlmaty: '2025-03-30T04:30:00+05:00',
            status: 'SCHEDULED',
          },
          {
            slug: 'before-switch',
            startsAt: '2025-03-30T00:30:00.000Z',
            startsAtLocal: '2025-03-30T01:30:00+01:00',
            endsAtLocal: '2025-03-30T03:00:00+02:00',
            inAlmaty: '2025-03-30T05:30:00+05:00',
            status: 'SCHEDULED',
          },
          {
            slug: 'after-switch',
            startsAt: '2025-03-30T01:30:00.000Z',
            startsAtLocal: '2025-03-30T03:30:00+02:00',
            endsAtLocal: '2025-03-30T04:00:00+02:00',
            inAlmaty: '2025-03-30T06:30:00+05:00',
            status: 'SCHEDULED',
          },
          {
            slug: 'cancelled',
            startsAt: '2025-03-30T08:00:00.000Z',
            startsAtLocal: '2025-03-30T10:00:00+02:00',
            endsAtLocal: '2025-03-30T11:00:00+02:00',
            inAlmaty: '2025-03-30T13:00:00+05:00',
            status: 'CANCELLED',
          },
        ],
      },
    ]);
  });

  it('lists rooms and tracks in the reader language', async () => {
    const { data } = await h.execute(`{ forum(slug: "berlin") { rooms tracks ru: rooms(lang: RU) } }`, {}, 'en');
    expect(data).toEqual({ forum: { rooms: ['Cellar', 'Great Hall'], tracks: ['Policy', 'Technology'], ru: ['Большой зал', 'Подвал'] } });
  });

  describe('filters', () => {
    const FILTERED = `query($filter: SessionFilter) { forum(slug: "berlin") { sessions(filter: $filter) { totalCount nodes { slug } } } }`;
    const slugs = async (filter: Record<string, unknown>) => {
      const { data, errors } = await h.execute(FILTERED, { filter });
      expect(errors).toBeUndefined();
      return data!.forum.sessions.nodes.map((n: any) => n.slug);
    };

    it('by day, room, track, kind, status, speaker, country, language and title text', async () => {
      expect(await slugs({ day: '2025-03-30' })).toEqual(['late-night', 'before-switch', 'after-switch', 'cancelled']);
      expect(await slugs({ room: 'great hall' })).toEqual(['opening', 'before-switch', 'after-switch']);
      expect(await slugs({ room: 'Подвал' })).toEqual(['late-night', 'cancelled']);
      expect(await slugs({ track: 'TECHNOLOGY' })).toEqual(['after-switch']);
      expect(await slugs({ kind: 'OPENING' })).toEqual(['opening']);
      expect(await slugs({ status: 'CANCELLED' })).toEqual(['cancelled']);
      expect(await slugs({ speakerSlug: 'hans' })).toEqual(['opening']);
      expect(await slugs({ countryCode: 'de' })).toEqual(['opening']);
      expect(await slugs({ countryCode: 'KZ' })).toEqual([]);
      expect(await slugs({ language: 'RU' })).toEqual(['opening']);
      expect(await slugs({ search: 'switch' })).toEqual(['before-switch', 'after-switch']);
      expect(await slugs({ day: '2025-03-30', room: 'Great Hall', search: 'after' })).toEqual(['after-switch']);
    });

    it('refuses an invalid day, country code or time zone with BAD_USER_INPUT', async () => {
      const badDay = await h.execute(FILTERED, { filter: { day: '2025-02-30' } });
      expect(badDay.data).toBeUndefined();
      expect(badDay.errors).toHaveLength(1);
      expect(badDay.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(badDay.errors![0].message).toMatch(/^Variable "\$filter" got invalid value "2025-02-30" at "filter.day"/);

      const badCountry = await h.execute(FILTERED, { filter: { countryCode: 'KAZ' } });
      expect(badCountry.errors).toEqual([
        {
          message: 'Field "countryCode" of argument "filter" is longer than 2 characters',
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter', field: 'countryCode' },
        },
      ]);

      const badZone = await h.execute(
        `query($z: String) { forum(slug: "berlin") { sessions(first: 1) { nodes { startsAtLocal(timeZone: $z) } } } }`,
        { z: 'Mars/Olympus' },
      );
      expect(badZone.errors).toEqual([
        {
          message: '"Mars/Olympus" is not an IANA time zone (e.g. Asia/Almaty)',
          locations: [{ line: 1, column: 74 }],
          path: ['forum', 'sessions', 'nodes', 0, 'startsAtLocal'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'timeZone' },
        },
      ]);
    });
  });

  it('shows what is on now and next per room, leaving out cancelled sessions', async () => {
    const NOW = `query($at: DateTime) { nowAndNext(forumSlug: "berlin", at: $at) { at now { slug } next { slug } } }`;
    const { data, errors } = await h.execute(NOW, { at: '2025-03-29T23:45:00Z' });
    expect(errors).toBeUndefined();
    expect(data!.nowAndNext).toEqual({
      at: '2025-03-29T23:45:00.000Z',
      now: [{ slug: 'late-night' }],
      // Great Hall's next is before-switch; the Cellar has only the cancelled session left.
      next: [{ slug: 'before-switch' }],
    });
    const unknown = await h.execute(`{ nowAndNext(forumSlug: "nope") { at } }`);
    expect(unknown).toEqual({ data: { nowAndNext: null } });
  });

  it('says which language a fallback used', async () => {
    const { data } = await h.execute(
      `{ forum(slug: "berlin") { sessions(first: 1) { nodes { title titleTranslations { text language kk ru en } } } } }`,
      {},
      'kk',
    );
    expect(data!.forum.sessions.nodes[0]).toEqual({
      title: 'Сессия opening',
      titleTranslations: { text: 'Сессия opening', language: 'RU', kk: null, ru: 'Сессия opening', en: 'Session opening' },
    });
  });

  describe('change feed', () => {
    const CHANGES = `query($slug: String!, $since: Int!) { agendaChanges(forumSlug: $slug, sinceVersion: $since) {
      sinceVersion version changed { id slug title(lang: EN) status revision participants { speaker { slug } } } removed { id version } } }`;
    const changes = async (since: number) => {
      const { data, errors } = await h.execute(CHANGES, { slug: 'small', since });
      expect(errors).toBeUndefined();
      return data!.agendaChanges;
    };
    const sessionId = async (slug: string) => (await h.orm.em.fork().findOneOrFail(Session, { slug })).id;

    it('returns exactly what changed after each kind of edit', async () => {
      const start = await changes(0);
      expect(start.changed.map((s: any) => s.slug)).toEqual(['small-s1', 'small-s2', 'small-s3', 'small-s4', 'small-s5']);
      expect(start.removed).toEqual([]);
      expect(start.version).toBeGreaterThan(0);
      expect(await changes(start.version)).toEqual({ sinceVersion: start.version, version: start.version, changed: [], removed: [] });

      // A session's title changes.
      const em = h.orm.em.fork();
      const s2 = await em.findOneOrFail(Session, { slug: 'small-s2' });
      const revision = s2.revision;
      s2.title = { ...s2.title, en: 'Renamed' };
      await em.flush();
      const afterRename = await changes(start.version);
      expect(afterRename.changed).toEqual([expect.objectContaining({ slug: 'small-s2', title: 'Renamed', revision: revision + 1 })]);
      expect(afterRename.version).toBe(start.version + 1);

      // A participant joins another session.
      const dana = await em.findOneOrFail(Speaker, { slug: 'dana' });
      const s4 = await em.findOneOrFail(Session, { slug: 'small-s4' });
      em.create(SessionParticipant, { session: s4, speaker: dana, role: ParticipantRole.HOST, position: 3 });
      await em.flush();
      const afterJoin = await changes(afterRename.version);
      expect(afterJoin.changed.map((s: any) => s.slug)).toEqual(['small-s4']);

      // A speaker's name changes: every session they appear in changes (hans is in s1, s2, s4, s5).
      const hans = await em.findOneOrFail(Speaker, { slug: 'hans' });
      hans.fullName = { en: 'Hans Renamed' };
      await em.flush();
      const afterSpeaker = await changes(afterJoin.version);
      expect(afterSpeaker.changed.map((s: any) => s.slug)).toEqual(['small-s1', 'small-s2', 'small-s4', 'small-s5']);

      // A session is cancelled (stays, marked) and another removed (tombstone).
      const s3 = await em.findOneOrFail(Session, { slug: 'small-s3' });
      s3.status = SessionStatus.CANCELLED;
      const removedId = await sessionId('small-s5');
      em.remove(await em.findOneOrFail(Session, { slug: 'small-s5' }));
      await em.flush();
      const afterRemove = await changes(afterSpeaker.version);
      expect(afterRemove.changed).toEqual([expect.objectContaining({ slug: 'small-s3', status: 'CANCELLED' })]);
      expect(afterRemove.removed).toEqual([
        { id: Buffer.from(`Session:${removedId}`).toString('base64url'), version: afterRemove.version },
      ]);

      // A client that synced at the start gets the latest state of everything touched since.
      const catchUp = await changes(start.version);
      expect(catchUp.changed.map((s: any) => s.slug)).toEqual(['small-s1', 'small-s2', 'small-s3', 'small-s4']);
      expect(catchUp.removed.map((r: any) => r.id)).toEqual(afterRemove.removed.map((r: any) => r.id));
      const { data } = await h.execute(`{ forum(slug: "small") { scheduleVersion scheduleChangedAt } }`);
      expect(data!.forum.scheduleVersion).toBe(afterRemove.version);
      expect(Date.parse(data!.forum.scheduleChangedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('refuses a version from the future and answers null for an unknown forum', async () => {
      const { data } = await h.execute(`{ forum(slug: "small") { scheduleVersion } }`);
      const ahead = data!.forum.scheduleVersion + 1;
      const result = await h.execute(CHANGES, { slug: 'small', since: ahead });
      expect(result).toEqual({
        data: { agendaChanges: null },
        errors: [
          {
            message: `sinceVersion must be between 0 and the current schedule version ${ahead - 1}`,
            locations: [{ line: 1, column: 39 }],
            path: ['agendaChanges'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'sinceVersion' },
          },
        ],
      });
      expect(await h.execute(CHANGES, { slug: 'nope', since: 0 })).toEqual({ data: { agendaChanges: null } });
    });
  });
});
