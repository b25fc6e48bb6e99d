import { ArrivalStatus, Speaker } from '../src/speaker/speaker.entity';
import { Role, User } from '../src/auth/user.entity';
import { seed } from '../src/db/seed';
import { startHarness, type Harness } from './helpers/harness';

/**
 * An API token narrowed to some forums acts only there, even when its user organises more: in
 * the user's other forums it may change nothing, read no private speaker field and leave no audit
 * entry. Runs on the seed data, whose two forums (camf-2022, camf-2025) share no speaker.
 */
describe('API tokens narrowed to forums', () => {
  let h: Harness;
  /** Sign-in (JWT) of an organiser of both forums: the control for every refusal below. */
  let organiser: string;
  let organiserEmail: string;
  /** That organiser's API token, narrowed to camf-2025. */
  let narrowed: string;
  /** The same organiser's token with no forums named: all of the user's own. */
  let unnarrowed: string;

  const PRIVATE_FIELDS = 'email phone internalNotes arrivalStatus';
  const SPEAKER = `query($slug: String!) { speaker(slug: $slug) { id version ${PRIVATE_FIELDS} } }`;
  const SESSIONS = `query($slug: String!) { forum(slug: $slug) { sessions(first: 50) { nodes { id slug version title participants { id role speaker { slug } } } } } }`;
  const AGENDA = `query($slug: String!) { forum(slug: $slug) { sessions(first: 50) { nodes { participants { speaker { slug ${PRIVATE_FIELDS} } } } } } }`;
  const AUDIT = `query($filter: AuditFilter) { auditLog(filter: $filter, first: 100) { totalCount nodes { action entityType actorEmail forum { slug } } } }`;
  const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id secret } }`;
  const UPDATE_SPEAKER = `mutation($input: UpdateSpeakerInput!) { updateSpeaker(input: $input) { version phone } }`;
  const DELETE_SPEAKER = `mutation($input: DeleteSpeakerInput!) { deleteSpeaker(input: $input) }`;
  const CREATE_SPEAKER = `mutation($input: CreateSpeakerInput!) { createSpeaker(input: $input) { slug } }`;
  const UPDATE_SESSION = `mutation($input: UpdateSessionInput!) { updateSession(input: $input) { version title } }`;
  const CREATE_SESSION = `mutation($input: CreateSessionInput!) { createSession(input: $input) { slug } }`;
  const CANCEL_SESSION = `mutation($input: CancelSessionInput!) { cancelSession(input: $input) { status } }`;
  const DELETE_SESSION = `mutation($input: DeleteSessionInput!) { deleteSession(input: $input) }`;
  const ADD_PARTICIPANT = `mutation($input: AddParticipantInput!) { addParticipant(input: $input) { role speaker { slug } } }`;
  const CHANGE_ROLE = `mutation($input: ChangeParticipantRoleInput!) { changeParticipantRole(input: $input) { role } }`;
  const REMOVE_PARTICIPANT = `mutation($input: RemoveParticipantInput!) { removeParticipant(input: $input) { id } }`;

  /** Over HTTP, as an integration would send it. */
  async function as(authorization: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await h.post({ query, variables }, { authorization, 'accept-language': 'en' });
    return response.body as { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] };
  }

  async function ok(authorization: string, query: string, variables: Record<string, unknown> = {}) {
    const result = await as(authorization, query, variables);
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  /** A session of the seed, found in its forum's agenda (there is no query by slug). */
  async function sessionOf(authorization: string, forumSlug: string, slug: string) {
    const { forum } = await ok(authorization, SESSIONS, { slug: forumSlug });
    const { slug: _slug, ...session } = forum.sessions.nodes.find((s: { slug: string }) => s.slug === slug);
    return session;
  }

  async function createToken(authorization: string, forumSlugs: string[]): Promise<string> {
    const data = await ok(authorization, CREATE_TOKEN, { input: { name: `token for ${forumSlugs.join(', ') || 'all'}`, forumSlugs } });
    return `Bearer ${data.createApiToken.secret}`;
  }

  const auditRows = async () =>
    await h.orm.em
      .getConnection()
      .execute<{ slug: string | null; n: number }[]>(
        'select f.slug, count(*)::int as n from audit_entry a left join forum f on f.id = a.forum_id group by f.slug order by f.slug',
      );
  const tableCount = async (table: string) =>
    Number((await h.orm.em.getConnection().execute(`select count(*)::int as n from "${table}"`))[0].n);
  const counts = async () => ({
    speaker: await tableCount('speaker'),
    session: await tableCount('session'),
    participant: await tableCount('session_participant'),
    audit: await tableCount('audit_entry'),
  });

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
    // The seed has no private data: give one speaker of each forum some.
    const em = h.orm.em.fork();
    for (const slug of ['erlan-karin', 'aida-balaeva']) {
      const speaker = await em.findOneOrFail(Speaker, { slug });
      Object.assign(speaker, {
        email: `${slug}@example.org`,
        phone: '+7 700 000 00 00',
        internalNotes: `notes on ${slug}`,
        arrivalStatus: ArrivalStatus.CONFIRMED,
      });
    }
    await em.flush();
    organiser = await h.signIn(Role.ORGANISER, ['camf-2022', 'camf-2025']);
  });

  // Not in beforeAll: the tokens are made through the API, whose code a mutation test run
  // (npm run mutation) then attributes to the tests that need it rather than to all of them.
  beforeEach(async () => {
    if (narrowed) return;
    organiserEmail = (await ok(organiser, '{ me { email } }')).me.email;
    narrowed = await createToken(organiser, ['camf-2025']);
    unnarrowed = await createToken(organiser, []);
  });

  afterAll(async () => {
    await h?.close();
  });

  const privateOf = (slug: string) => ({
    email: `${slug}@example.org`,
    phone: '+7 700 000 00 00',
    internalNotes: `notes on ${slug}`,
    arrivalStatus: 'CONFIRMED',
  });
  const hidden = { email: null, phone: null, internalNotes: null, arrivalStatus: null };

  it("hides private speaker fields of the user's other forum from the token, by slug and through the agenda", async () => {
    expect((await ok(narrowed, SPEAKER, { slug: 'erlan-karin' })).speaker).toMatchObject(hidden);
    const agenda = (await ok(narrowed, AGENDA, { slug: 'camf-2022' })).forum.sessions.nodes.flatMap((s: any) => s.participants);
    expect(agenda.length).toBeGreaterThanOrEqual(5);
    for (const { speaker } of agenda) expect(speaker).toMatchObject(hidden);

    // The same user, signed in, organises camf-2022 and sees them: only the token's narrowing hides them.
    expect((await ok(organiser, SPEAKER, { slug: 'erlan-karin' })).speaker).toMatchObject(privateOf('erlan-karin'));
    expect((await ok(unnarrowed, SPEAKER, { slug: 'erlan-karin' })).speaker).toMatchObject(privateOf('erlan-karin'));
    // In its own forum the token sees them.
    expect((await ok(narrowed, SPEAKER, { slug: 'aida-balaeva' })).speaker).toMatchObject(privateOf('aida-balaeva'));
    const own = (await ok(narrowed, AGENDA, { slug: 'camf-2025' })).forum.sessions.nodes.flatMap((s: any) => s.participants);
    expect(own).toContainEqual({ speaker: { slug: 'aida-balaeva', ...privateOf('aida-balaeva') } });
  });

  it("refuses every edit in the user's other forum with FORBIDDEN, changing nothing and auditing nothing", async () => {
    const erlan = (await ok(organiser, SPEAKER, { slug: 'erlan-karin' })).speaker;
    const opening = await sessionOf(organiser, 'camf-2022', 'camf-2022-opening');
    const panel = await sessionOf(organiser, 'camf-2022', 'camf-2022-opening-panel');
    const moderator = panel.participants.find((p: any) => p.role === 'MODERATOR');
    const before = { counts: await counts(), audit: await auditRows() };

    const cases: [string, string, Record<string, unknown>][] = [
      ['updateSpeaker', UPDATE_SPEAKER, { id: erlan.id, expectedVersion: erlan.version, fields: { phone: '+7 700 999 99 99' } }],
      ['deleteSpeaker', DELETE_SPEAKER, { id: erlan.id, expectedVersion: erlan.version }],
      [
        'createSpeaker',
        CREATE_SPEAKER,
        {
          forumSlug: 'camf-2022',
          fields: { slug: 'intruder', fullName: { en: 'Intruder' }, position: { en: 'Guest' }, countryCode: 'KZ' },
        },
      ],
      ['updateSession', UPDATE_SESSION, { id: opening.id, expectedVersion: opening.version, title: { en: 'Renamed by the token' } }],
      ['cancelSession', CANCEL_SESSION, { id: opening.id, expectedVersion: opening.version }],
      ['deleteSession', DELETE_SESSION, { id: opening.id, expectedVersion: opening.version }],
      [
        'createSession',
        CREATE_SESSION,
        {
          forumSlug: 'camf-2022',
          slug: 'intruder',
          title: { en: 'Intruder' },
          kind: 'PANEL',
          language: 'ru',
          startsAt: '2022-12-21T10:00:00+06:00',
          endsAt: '2022-12-21T11:00:00+06:00',
        },
      ],
      ['addParticipant', ADD_PARTICIPANT, { sessionId: panel.id, speakerId: erlan.id, role: 'PANELIST' }],
      ['changeParticipantRole', CHANGE_ROLE, { id: moderator.id, role: 'HOST' }],
      ['removeParticipant', REMOVE_PARTICIPANT, { id: moderator.id }],
    ];
    for (const [name, query, input] of cases) {
      const result = await as(narrowed, query, { input });
      expect([name, result.data ?? null, result.errors?.map((e) => e.extensions.code)]).toEqual([name, null, ['FORBIDDEN']]);
    }
    expect(await counts()).toEqual(before.counts);
    expect(await auditRows()).toEqual(before.audit);
    expect((await ok(organiser, SPEAKER, { slug: 'erlan-karin' })).speaker).toEqual(erlan);
    expect(await sessionOf(organiser, 'camf-2022', 'camf-2022-opening')).toEqual(opening);
    expect(await sessionOf(organiser, 'camf-2022', 'camf-2022-opening-panel')).toEqual(panel);

    // The user's own sign-in and unnarrowed token may: the refusals above came from the narrowing.
    const updated = await ok(organiser, UPDATE_SPEAKER, {
      input: { id: erlan.id, expectedVersion: erlan.version, fields: { phone: '+7 700 111 11 11' } },
    });
    expect(updated.updateSpeaker).toEqual({ version: erlan.version + 1, phone: '+7 700 111 11 11' });
    const byUnnarrowed = await ok(unnarrowed, UPDATE_SESSION, {
      input: { id: opening.id, expectedVersion: opening.version, title: { en: 'Opening (renamed)' } },
    });
    expect(byUnnarrowed.updateSession).toEqual({ version: opening.version + 1, title: 'Opening (renamed)' });
  });

  it('works in the forum it is narrowed to, and audits as its user there', async () => {
    const aida = (await ok(narrowed, SPEAKER, { slug: 'aida-balaeva' })).speaker;
    const session = await sessionOf(narrowed, 'camf-2025', 'camf-2025-information-landscape-of-the-future');
    const before = await tableCount('audit_entry');

    const updated = await ok(narrowed, UPDATE_SPEAKER, {
      input: { id: aida.id, expectedVersion: aida.version, fields: { phone: '+7 700 222 22 22' } },
    });
    expect(updated.updateSpeaker).toEqual({ version: aida.version + 1, phone: '+7 700 222 22 22' });
    const renamed = await ok(narrowed, UPDATE_SESSION, {
      input: { id: session.id, expectedVersion: session.version, title: { en: 'The future landscape' } },
    });
    expect(renamed.updateSession).toEqual({ version: session.version + 1, title: 'The future landscape' });
    const added = await ok(narrowed, ADD_PARTICIPANT, { input: { sessionId: session.id, speakerId: aida.id, role: 'MODERATOR' } });
    expect(added.addParticipant).toEqual({ role: 'MODERATOR', speaker: { slug: 'aida-balaeva' } });

    expect(await tableCount('audit_entry')).toBe(before + 3);
    const log = (await ok(narrowed, AUDIT, { filter: { actorEmail: organiserEmail } })).auditLog;
    expect(log.nodes.slice(0, 3)).toEqual([
      { action: 'CREATE', entityType: 'SessionParticipant', actorEmail: organiserEmail, forum: { slug: 'camf-2025' } },
      { action: 'UPDATE', entityType: 'Session', actorEmail: organiserEmail, forum: { slug: 'camf-2025' } },
      { action: 'UPDATE', entityType: 'Speaker', actorEmail: organiserEmail, forum: { slug: 'camf-2025' } },
    ]);
  });

  it("shows the token only its own forum's audit entries, where the user sees both forums'", async () => {
    const byToken = (await ok(narrowed, AUDIT)).auditLog;
    expect(byToken.totalCount).toBeGreaterThanOrEqual(3);
    expect(new Set(byToken.nodes.map((n: any) => n.forum?.slug))).toEqual(new Set(['camf-2025']));
    expect((await ok(narrowed, AUDIT, { filter: { forumSlug: 'camf-2022' } })).auditLog.totalCount).toBe(0);

    const byUser = (await ok(organiser, AUDIT)).auditLog;
    expect(new Set(byUser.nodes.map((n: any) => n.forum?.slug))).toEqual(new Set(['camf-2022', 'camf-2025']));
    expect(byUser.totalCount).toBeGreaterThan(byToken.totalCount);
  });

  it("refuses a token for forums outside the user's own, or made by another token; a token whose user left its forum acts in none", async () => {
    const only2025 = await h.signIn(Role.ORGANISER, ['camf-2025']);
    const editor = await h.signIn(Role.EDITOR);
    const tokens = await tableCount('api_token');
    for (const [who, forumSlugs] of [
      [only2025, ['camf-2025', 'camf-2022']],
      [editor, ['camf-2025']],
    ] as const) {
      const refused = await as(who, CREATE_TOKEN, { input: { name: 'too wide', forumSlugs } });
      expect(refused.errors?.map((e) => [e.extensions.code, e.extensions.field, e.message])).toEqual([
        [
          'BAD_USER_INPUT',
          'forumSlugs',
          forumSlugs.length === 2 ? 'Not one of your forums: camf-2022' : 'Not one of your forums: camf-2025',
        ],
      ]);
    }
    // A token narrowed to camf-2025 must not make itself an unnarrowed one, nor any other.
    for (const forumSlugs of [[], ['camf-2025']]) {
      const byToken = await as(narrowed, CREATE_TOKEN, { input: { name: 'from a token', forumSlugs } });
      expect(byToken.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    }
    expect(await tableCount('api_token')).toBe(tokens);

    // The token's scope is its forums within the user's: when the user stops organising its forum, nothing is left.
    const token = await createToken(only2025, ['camf-2025']);
    expect((await ok(token, SPEAKER, { slug: 'aida-balaeva' })).speaker.email).toBe('aida-balaeva@example.org');
    // The user of the token just made.
    await h.orm.em
      .getConnection()
      .execute('delete from user_forum where user_id = (select user_id from api_token order by id desc limit 1)');
    expect((await ok(token, SPEAKER, { slug: 'aida-balaeva' })).speaker).toMatchObject(hidden);
    const aida = (await ok(organiser, SPEAKER, { slug: 'aida-balaeva' })).speaker;
    const refused = await as(token, UPDATE_SPEAKER, {
      input: { id: aida.id, expectedVersion: aida.version, fields: { phone: '+7 700 333 33 33' } },
    });
    expect(refused.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await ok(token, AUDIT)).auditLog.totalCount).toBe(0);
  });

  it("keeps a token narrowed when its only forum is deleted: it then acts in no forum, not in all of its user's", async () => {
    const admin = await h.signIn(Role.ADMIN);
    const CREATE_FORUM = `mutation($input: CreateForumInput!) { createForum(input: $input) { id } }`;
    const input = {
      slug: 'short-lived',
      title: { en: 'A short-lived forum' },
      edition: 1,
      city: { en: 'Almaty' },
      hostCountryCode: 'KZ',
      timeZone: 'Asia/Almaty',
      startDate: '2027-05-12',
      endDate: '2027-05-13',
    };
    const forumId = (await ok(admin, CREATE_FORUM, { input })).createForum.id;
    const both = await h.signIn(Role.ORGANISER, ['camf-2025', 'short-lived']);
    const token = await createToken(both, ['short-lived']);
    expect((await ok(token, SPEAKER, { slug: 'aida-balaeva' })).speaker).toMatchObject(hidden);

    expect(await ok(admin, `mutation($input: ForumIdInput!) { deleteForum(input: $input) }`, { input: { id: forumId } })).toEqual({
      deleteForum: forumId,
    });
    expect((await ok(token, SPEAKER, { slug: 'aida-balaeva' })).speaker).toMatchObject(hidden);
    const aida = (await ok(both, SPEAKER, { slug: 'aida-balaeva' })).speaker;
    expect(aida.email).toBe('aida-balaeva@example.org');
    const refused = await as(token, UPDATE_SPEAKER, {
      input: { id: aida.id, expectedVersion: aida.version, fields: { phone: '+7 700 555 55 55' } },
    });
    expect(refused.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await ok(token, AUDIT)).auditLog.totalCount).toBe(0);
  });

  it("scopes an admin's narrowed token like an organiser's", async () => {
    const admin = await h.signIn(Role.ADMIN);
    const token = await createToken(admin, ['camf-2025']);
    expect((await ok(token, SPEAKER, { slug: 'erlan-karin' })).speaker).toMatchObject(hidden);
    expect((await ok(token, SPEAKER, { slug: 'aida-balaeva' })).speaker.email).toBe('aida-balaeva@example.org');
    const erlan = (await ok(admin, SPEAKER, { slug: 'erlan-karin' })).speaker;
    expect(erlan.email).toBe('erlan-karin@example.org');
    const refused = await as(token, UPDATE_SPEAKER, {
      input: { id: erlan.id, expectedVersion: erlan.version, fields: { phone: '+7 700 444 44 44' } },
    });
    expect(refused.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(new Set((await ok(token, AUDIT)).auditLog.nodes.map((n: any) => n.forum?.slug))).toEqual(new Set(['camf-2025']));

    // What reaches beyond its forum: other forums, new forums, new users (who could be admins).
    const forums = (await ok(admin, '{ forums { nodes { id slug edition } } }')).forums.nodes;
    const idOf = (slug: string) => forums.find((f: any) => f.slug === slug).id;
    const UPDATE_FORUM = `mutation($input: UpdateForumInput!) { updateForum(input: $input) { edition } }`;
    const beyond: [string, Record<string, unknown>][] = [
      [UPDATE_FORUM, { id: idOf('camf-2022'), edition: 99 }],
      [`mutation($input: ForumIdInput!) { deleteForum(input: $input) }`, { id: idOf('camf-2022') }],
      [
        `mutation($input: CreateForumInput!) { createForum(input: $input) { id } }`,
        {
          slug: 'by-token',
          title: { en: 'By token' },
          edition: 1,
          city: { en: 'Almaty' },
          hostCountryCode: 'KZ',
          timeZone: 'Asia/Almaty',
          startDate: '2027-05-12',
          endDate: '2027-05-13',
        },
      ],
      [
        `mutation($input: CreateUserInput!) { createUser(input: $input) { email } }`,
        { email: 'second-admin@test.example', password: 'a long passphrase', role: 'ADMIN' },
      ],
    ];
    const before = { forums: await tableCount('forum'), users: await tableCount('app_user'), audit: await tableCount('audit_entry') };
    for (const [query, input] of beyond) {
      expect([query, (await as(token, query, { input })).errors?.map((e) => e.extensions.code)]).toEqual([query, ['FORBIDDEN']]);
    }
    expect({ forums: await tableCount('forum'), users: await tableCount('app_user'), audit: await tableCount('audit_entry') }).toEqual(
      before,
    );
    expect((await ok(admin, '{ forums { nodes { slug edition } } }')).forums.nodes).toEqual(
      forums.map(({ slug, edition }: any) => ({ slug, edition })),
    );
    // Its own forum it may change.
    const edition = forums.find((f: any) => f.slug === 'camf-2025').edition;
    expect((await ok(token, UPDATE_FORUM, { input: { id: idOf('camf-2025'), edition: edition + 10 } })).updateForum).toEqual({
      edition: edition + 10,
    });
  });

  it('answers 401 to an expired token and to a token of a disabled user; records when a token was last used', async () => {
    const em = h.orm.em.fork();
    // Another of the organiser's tokens, never used.
    await createToken(organiser, ['camf-2025']);
    const expiring = await createToken(organiser, ['camf-2025']);
    expect((await h.post({ query: '{ me { role } }' }, { authorization: expiring })).status).toBe(200);
    const [used, other] = await em.getConnection().execute('select id, last_used_at from api_token order by id desc limit 2');
    expect(Math.abs(new Date(used.last_used_at).getTime() - Date.now())).toBeLessThan(60_000);
    // Only the token that was used.
    expect(other.last_used_at).toBeNull();
    await em.getConnection().execute("update api_token set expires_at = now() - interval '1 second' where id = ?", [used.id]);
    const expired = await h.post({ query: '{ me { role } }' }, { authorization: expiring });
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0]).toMatchObject({
      message: 'This API token is unknown, expired or revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // Still some time left: it works.
    await em.getConnection().execute("update api_token set expires_at = now() + interval '1 hour' where id = ?", [used.id]);
    expect((await h.post({ query: '{ me { role } }' }, { authorization: expiring })).body).toEqual({ data: { me: { role: 'ORGANISER' } } });

    const editor = await h.signIn(Role.EDITOR);
    const editorToken = await createToken(editor, []);
    expect((await h.post({ query: '{ me { role } }' }, { authorization: editorToken })).body).toEqual({ data: { me: { role: 'EDITOR' } } });
    const editorEmail = (await ok(editor, '{ me { email } }')).me.email;
    await em.nativeUpdate(User, { email: editorEmail }, { disabledAt: new Date() });
    const disabled = await h.post({ query: '{ me { role } }' }, { authorization: editorToken });
    expect(disabled.status).toBe(401);
    expect(disabled.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
