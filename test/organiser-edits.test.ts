import { Role } from '../src/auth/user.entity';
import { createContext } from '../src/context';
import { SessionMutationResolver } from '../src/session/session.mutations';
import { Speaker } from '../src/speaker/speaker.entity';
import { SpeakerMutationResolver } from '../src/speaker/speaker.mutations';
import { fromGlobalId, toGlobalId } from '../src/shared/global-id';
import { Language } from '../src/shared/i18n';
import { startHarness, type GraphQLResult, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * Organisers' speaker, session and participant mutations, through GraphQL against PostgreSQL:
 * who may do what, validation, versions under concurrency, double bookings, the audit log,
 * private speaker fields, and the public agenda and change feed after a write.
 */
describe('organiser edits', () => {
  let h: Harness;
  let organiser: string;
  let otherOrganiser: string;
  let editor: string;
  let admin: string;
  /** Global ids of fixtures made in beforeAll. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
    make.country(em, 'UZ', { en: 'Uzbekistan', ru: 'Узбекистан' });
    make.ministry(em, kz, 'kz-mci');
    const aida = make.speaker(em, 'aida', kz);
    Object.assign(aida, { email: 'aida@example.org', phone: '+7 701 000 00 01', internalNotes: 'Vegetarian', externalId: 'row-1' });
    const bolat = make.speaker(em, 'bolat', kz);
    const chen = make.speaker(em, 'chen', kz);
    chen.email = 'chen@example.org';
    // camf: 2025-04-16..17 in Asia/Almaty (UTC+5); camf-s1 09:00-09:45 local on the 16th with aida and bolat.
    const camf = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida, bolat] });
    // other: 2025-05-20..21; chen takes part only there, bolat in both forums.
    const other = make.forumWithAgenda(em, { slug: 'other', host: kz, sessions: 1, speakers: [chen, bolat], startDate: '2025-05-20' });
    await em.flush();
    Object.assign(ids, {
      aida: toGlobalId('Speaker', aida.id),
      bolat: toGlobalId('Speaker', bolat.id),
      chen: toGlobalId('Speaker', chen.id),
      camfS1: toGlobalId('Session', camf.sessions[0].id),
      otherS1: toGlobalId('Session', other.sessions[0].id),
    });
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
    otherOrganiser = await h.signIn(Role.ORGANISER, ['other']);
    editor = await h.signIn(Role.EDITOR);
    admin = await h.signIn(Role.ADMIN);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Errors without their source locations, which depend on the query text. */
  const errorsOf = (result: GraphQLResult) =>
    result.errors?.map((error) => {
      const { locations: _locations, ...rest } = error as typeof error & { locations?: unknown };
      return rest;
    });
  const coded = (path: string, code: string, message: string, extra: Record<string, unknown> = {}) => [
    { message, path: [path], extensions: { code, ...extra } },
  ];
  const invalid = (path: string, field: string, problem: string) => [
    {
      message: `Invalid argument: ${problem}`,
      path: [path],
      extensions: { code: 'BAD_USER_INPUT', field, invalid: [{ field, problems: [problem] }] },
    },
  ];
  const tableCount = async (table: string) =>
    Number((await h.orm.em.getConnection().execute(`select count(*)::int as n from "${table}"`))[0].n);
  const counts = async () => ({
    speaker: await tableCount('speaker'),
    session: await tableCount('session'),
    participant: await tableCount('session_participant'),
    audit: await tableCount('audit_entry'),
  });

  const SPEAKER_FIELDS =
    'id slug version fullName position country { code } ministry { slug } links { title url } email phone internalNotes arrivalStatus';
  const SESSION_FIELDS =
    'id slug version revision status title kind language startsAt endsAt startsAtLocal room participants { id role position speaker { slug } }';
  const PARTICIPANT_FIELDS = `id role position speaker { slug } session { ${SESSION_FIELDS} }`;
  const CREATE_SPEAKER = `mutation($input: CreateSpeakerInput!) { createSpeaker(input: $input) { ${SPEAKER_FIELDS} } }`;
  const UPDATE_SPEAKER = `mutation($input: UpdateSpeakerInput!) { updateSpeaker(input: $input) { ${SPEAKER_FIELDS} } }`;
  const DELETE_SPEAKER = `mutation($input: DeleteSpeakerInput!) { deleteSpeaker(input: $input) }`;
  const CREATE_SESSION = `mutation($input: CreateSessionInput!) { createSession(input: $input) { ${SESSION_FIELDS} } }`;
  const UPDATE_SESSION = `mutation($input: UpdateSessionInput!) { updateSession(input: $input) { ${SESSION_FIELDS} } }`;
  const MOVE_SESSION = `mutation($input: MoveSessionInput!) { moveSession(input: $input) { ${SESSION_FIELDS} } }`;
  const CANCEL_SESSION = `mutation($input: CancelSessionInput!) { cancelSession(input: $input) { ${SESSION_FIELDS} } }`;
  const DELETE_SESSION = `mutation($input: DeleteSessionInput!) { deleteSession(input: $input) }`;
  const ADD_PARTICIPANT = `mutation($input: AddParticipantInput!) { addParticipant(input: $input) { ${PARTICIPANT_FIELDS} } }`;
  const CHANGE_ROLE = `mutation($input: ChangeParticipantRoleInput!) { changeParticipantRole(input: $input) { ${PARTICIPANT_FIELDS} } }`;
  const REORDER = `mutation($input: ReorderParticipantsInput!) { reorderParticipants(input: $input) { ${SESSION_FIELDS} } }`;
  const REMOVE_PARTICIPANT = `mutation($input: RemoveParticipantInput!) { removeParticipant(input: $input) { ${SESSION_FIELDS} } }`;
  const NODE = `query($id: ID!) { node(id: $id) { id ... on Session { ${SESSION_FIELDS} } ... on Speaker { ${SPEAKER_FIELDS} } } }`;
  const AUDIT = `query($filter: AuditFilter) { auditLog(filter: $filter) { nodes { action entityType entityId actorEmail forum { slug } changes } } }`;
  const PRIVATE = `query($slug: String!) { speaker(slug: $slug) { slug email phone internalNotes arrivalStatus } }`;

  const speakerInput = (slug: string, extra: Record<string, unknown> = {}) => ({
    slug,
    fullName: { en: `Name ${slug}`, ru: `Имя ${slug}` },
    position: { en: 'Editor-in-chief' },
    countryCode: 'kz',
    ...extra,
  });
  const sessionInput = (slug: string, extra: Record<string, unknown> = {}) => ({
    forumSlug: 'camf',
    slug,
    title: { en: `Title ${slug}`, ru: `Название ${slug}` },
    kind: 'PANEL',
    startsAt: '2025-04-16T14:00:00+05:00',
    endsAt: '2025-04-16T15:00:00+05:00',
    language: 'ru',
    ...extra,
  });

  async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown>, as = organiser): Promise<T> {
    const result = await h.execute<T>(query, variables, 'en', as);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }
  const createSpeaker = async (slug: string, extra: Record<string, unknown> = {}) =>
    (await ok(CREATE_SPEAKER, { input: { forumSlug: 'camf', fields: speakerInput(slug, extra) } })).createSpeaker;
  const createSession = async (slug: string, extra: Record<string, unknown> = {}) =>
    (await ok(CREATE_SESSION, { input: sessionInput(slug, extra) })).createSession;
  const node = async (id: string, as?: string) => (await h.execute(NODE, { id }, 'en', as)).data!.node;
  const addParticipant = async (sessionId: string, speakerId: string, role = 'SPEAKER', position?: number) =>
    (await ok(ADD_PARTICIPANT, { input: { sessionId, speakerId, role, position } })).addParticipant;
  const auditOf = async (entityType: string, entityId: string, as = organiser) =>
    (await ok(AUDIT, { filter: { entityType, entityId: fromGlobalId(entityId).id } }, as)).auditLog.nodes;

  describe('roles and scope', () => {
    it('lets organisers of the forum and admins create; refuses anonymous callers, editors and organisers of other forums', async () => {
      const anonymous = await h.execute(CREATE_SESSION, { input: sessionInput('scope-anon') });
      expect(anonymous.data).toBeNull();
      expect(errorsOf(anonymous)).toEqual(coded('createSession', 'UNAUTHENTICATED', 'Sign in to do this'));
      const byEditor = await h.execute(CREATE_SESSION, { input: sessionInput('scope-editor') }, 'en', editor);
      expect(errorsOf(byEditor)).toEqual(coded('createSession', 'FORBIDDEN', 'This needs the ORGANISER or ADMIN role'));
      const byOther = await h.execute(CREATE_SESSION, { input: sessionInput('scope-other') }, 'en', otherOrganiser);
      expect(errorsOf(byOther)).toEqual(coded('createSession', 'FORBIDDEN', 'You do not organise this forum'));
      const speakerByOther = await h.execute(
        CREATE_SPEAKER,
        { input: { forumSlug: 'camf', fields: speakerInput('scope-other') } },
        'en',
        otherOrganiser,
      );
      expect(errorsOf(speakerByOther)).toEqual(coded('createSpeaker', 'FORBIDDEN', 'You do not organise this forum'));
      const speakerByEditor = await h.execute(
        CREATE_SPEAKER,
        { input: { forumSlug: 'camf', fields: speakerInput('scope-editor') } },
        'en',
        editor,
      );
      expect(errorsOf(speakerByEditor)).toEqual(coded('createSpeaker', 'FORBIDDEN', 'This needs the ORGANISER or ADMIN role'));

      expect((await createSession('scope-organiser')).slug).toBe('scope-organiser');
      expect(
        (
          await ok(
            CREATE_SESSION,
            { input: sessionInput('scope-admin', { startsAt: '2025-04-17T14:00:00+05:00', endsAt: '2025-04-17T15:00:00+05:00' }) },
            admin,
          )
        ).createSession.slug,
      ).toBe('scope-admin');
      expect((await createSpeaker('scope-organiser')).slug).toBe('scope-organiser');
      expect(
        (await ok(CREATE_SPEAKER, { input: { forumSlug: 'camf', fields: speakerInput('scope-admin') } }, admin)).createSpeaker.slug,
      ).toBe('scope-admin');

      const unknownForum = await h.execute(
        CREATE_SESSION,
        { input: sessionInput('scope-nowhere', { forumSlug: 'nowhere' }) },
        'en',
        organiser,
      );
      expect(errorsOf(unknownForum)).toEqual(coded('createSession', 'NOT_FOUND', 'No forum "nowhere"', { field: 'forumSlug' }));
    });

    it('applies the same boundaries to every change of an existing session, participant or speaker', async () => {
      const session = await createSession('scope-edits', { startsAt: '2025-04-17T16:00:00+05:00', endsAt: '2025-04-17T17:00:00+05:00' });
      const participant = await addParticipant(session.id, ids.aida);
      const speaker = await createSpeaker('scope-edits');
      const cases: [string, string, Record<string, unknown>][] = [
        ['updateSession', UPDATE_SESSION, { id: session.id, expectedVersion: 1, kind: 'WORKSHOP' }],
        [
          'moveSession',
          MOVE_SESSION,
          { id: session.id, expectedVersion: 1, startsAt: '2025-04-17T18:00:00+05:00', endsAt: '2025-04-17T19:00:00+05:00' },
        ],
        ['cancelSession', CANCEL_SESSION, { id: session.id, expectedVersion: 1 }],
        ['deleteSession', DELETE_SESSION, { id: session.id, expectedVersion: 1 }],
        ['addParticipant', ADD_PARTICIPANT, { sessionId: session.id, speakerId: ids.bolat, role: 'MODERATOR' }],
        ['changeParticipantRole', CHANGE_ROLE, { id: participant.id, role: 'HOST' }],
        ['reorderParticipants', REORDER, { sessionId: session.id, participantIds: [participant.id] }],
        ['removeParticipant', REMOVE_PARTICIPANT, { id: participant.id }],
        ['updateSpeaker', UPDATE_SPEAKER, { id: speaker.id, expectedVersion: 1, fields: { phone: '+7 700 000 00 00' } }],
        ['deleteSpeaker', DELETE_SPEAKER, { id: speaker.id, expectedVersion: 1 }],
      ];
      const before = await counts();
      for (const [name, query, input] of cases) {
        expect([name, errorsOf(await h.execute(query, { input }))]).toEqual([name, coded(name, 'UNAUTHENTICATED', 'Sign in to do this')]);
        expect([name, errorsOf(await h.execute(query, { input }, 'en', editor))]).toEqual([
          name,
          coded(name, 'FORBIDDEN', 'This needs the ORGANISER or ADMIN role'),
        ]);
        const byOther = errorsOf(await h.execute(query, { input }, 'en', otherOrganiser));
        expect([name, byOther![0].extensions]).toEqual([name, { code: 'FORBIDDEN' }]);
      }
      expect(await counts()).toEqual(before);
      expect(await node(session.id)).toMatchObject({ version: 1, status: 'SCHEDULED', kind: 'PANEL' });
    });

    it('lets organisers of any forum of a speaker update them, but deleting needs every forum of the speaker', async () => {
      // bolat takes part in camf and other; chen only in other.
      const chenByCamf = await h.execute(
        UPDATE_SPEAKER,
        { input: { id: ids.chen, expectedVersion: 1, fields: { phone: '+7 700 111 11 11' } } },
        'en',
        organiser,
      );
      expect(errorsOf(chenByCamf)).toEqual(coded('updateSpeaker', 'FORBIDDEN', 'You do not organise a forum this speaker takes part in'));
      const bolat = (await node(ids.bolat, organiser)) as { version: number };
      const updated = await ok(UPDATE_SPEAKER, {
        input: { id: ids.bolat, expectedVersion: bolat.version, fields: { position: { en: 'Anchor' } } },
      });
      expect(updated.updateSpeaker).toMatchObject({ position: 'Anchor', version: bolat.version + 1 });

      const deleteBolat = await h.execute(
        DELETE_SPEAKER,
        { input: { id: ids.bolat, expectedVersion: bolat.version + 1 } },
        'en',
        organiser,
      );
      expect(errorsOf(deleteBolat)).toEqual(
        coded(
          'deleteSpeaker',
          'FORBIDDEN',
          'Deleting a speaker removes them from every forum they take part in: you must organise all of those forums',
        ),
      );
      // A speaker created for camf and booked nowhere belongs to camf: its organisers may delete it, others may not touch it.
      const lone = await createSpeaker('lone-speaker');
      const byOther = await h.execute(
        UPDATE_SPEAKER,
        { input: { id: lone.id, expectedVersion: 1, fields: { phone: '+7 700 222 22 22' } } },
        'en',
        otherOrganiser,
      );
      expect(errorsOf(byOther)![0].extensions).toEqual({ code: 'FORBIDDEN' });
      expect((await ok(DELETE_SPEAKER, { input: { id: lone.id, expectedVersion: 1 } })).deleteSpeaker).toBe(lone.id);
      expect(await node(lone.id)).toBeNull();
    });
  });

  describe('speakers', () => {
    it('creates a speaker with every field, email in lower case, audited with the forum', async () => {
      const created = await createSpeaker('dana', {
        fullName: { en: 'Dana Nurlanovna', kk: 'Дана Нұрланқызы' },
        ministrySlug: 'kz-mci',
        links: [{ title: 'Website', url: 'https://dana.example' }],
        externalId: 'row-42',
        email: 'Dana.N@Example.ORG',
        phone: '+7 701 123 45 67',
        internalNotes: 'Arrives by train',
        arrivalStatus: 'CONFIRMED',
      });
      expect(created).toEqual({
        id: created.id,
        slug: 'dana',
        version: 1,
        fullName: 'Dana Nurlanovna',
        position: 'Editor-in-chief',
        country: { code: 'KZ' },
        ministry: { slug: 'kz-mci' },
        links: [{ title: 'Website', url: 'https://dana.example' }],
        email: 'dana.n@example.org',
        phone: '+7 701 123 45 67',
        internalNotes: 'Arrives by train',
        arrivalStatus: 'CONFIRMED',
      });
      expect(await auditOf('Speaker', created.id)).toEqual([
        {
          action: 'CREATE',
          entityType: 'Speaker',
          entityId: expect.any(Number),
          actorEmail: expect.stringMatching(/^organiser-\d+@test\.example$/),
          forum: { slug: 'camf' },
          changes: {
            slug: { before: null, after: 'dana' },
            fullName: { before: null, after: { en: 'Dana Nurlanovna', kk: 'Дана Нұрланқызы' } },
            position: { before: null, after: { en: 'Editor-in-chief' } },
            countryCode: { before: null, after: 'KZ' },
            ministrySlug: { before: null, after: 'kz-mci' },
            links: { before: null, after: [{ title: 'Website', url: 'https://dana.example' }] },
            externalId: { before: null, after: 'row-42' },
            email: { before: null, after: 'dana.n@example.org' },
            phone: { before: null, after: '+7 701 123 45 67' },
            internalNotes: { before: null, after: 'Arrives by train' },
            arrivalStatus: { before: null, after: 'CONFIRMED' },
          },
        },
      ]);
    });

    it('updates only the given fields, clears optional ones given as null, and audits before and after', async () => {
      const created = await createSpeaker('erlan', { bio: { en: 'Journalist' }, phone: '+7 701 000 00 02' });
      const { updateSpeaker } = await ok(UPDATE_SPEAKER, {
        input: { id: created.id, expectedVersion: 1, fields: { position: { ru: 'Редактор' }, phone: null, email: 'ERLAN@example.org' } },
      });
      expect(updateSpeaker).toMatchObject({
        slug: 'erlan',
        version: 2,
        position: 'Редактор',
        phone: null,
        email: 'erlan@example.org',
        fullName: 'Name erlan',
      });
      const [entry] = await auditOf('Speaker', created.id);
      expect(entry).toMatchObject({
        action: 'UPDATE',
        forum: { slug: 'camf' },
        changes: {
          position: { before: { en: 'Editor-in-chief' }, after: { ru: 'Редактор' } },
          phone: { before: '+7 701 000 00 02', after: null },
          email: { before: null, after: 'erlan@example.org' },
        },
      });
      expect(Object.keys(entry.changes).sort()).toEqual(['email', 'phone', 'position']);
    });

    it('refuses missing required fields and invalid values with the offending field', async () => {
      const create = (fields: Record<string, unknown>) =>
        h.execute(CREATE_SPEAKER, { input: { forumSlug: 'camf', fields } }, 'en', organiser);
      const before = await counts();
      for (const name of ['slug', 'fullName', 'position', 'countryCode']) {
        const fields = speakerInput('missing');
        delete (fields as Record<string, unknown>)[name];
        expect(errorsOf(await create(fields))).toEqual(invalid('createSpeaker', `fields.${name}`, `${name} is required`));
      }
      expect(errorsOf(await create(speakerInput('x', { photoUrl: 'javascript:alert(1)' })))).toEqual(
        invalid('createSpeaker', 'fields.photoUrl', 'photoUrl must be an http(s) URL'),
      );
      expect(errorsOf(await create(speakerInput('x', { links: [{ title: 'Site', url: 'javascript:alert(1)' }] })))).toEqual(
        invalid('createSpeaker', 'fields.links.0.url', 'url must be an http(s) URL'),
      );
      expect(errorsOf(await create(speakerInput('x', { email: 'not-an-email' })))).toEqual(
        invalid('createSpeaker', 'fields.email', 'email must be an email address'),
      );
      expect(errorsOf(await create(speakerInput('x', { countryCode: 'XX' })))).toEqual(
        coded('createSpeaker', 'BAD_USER_INPUT', 'Unknown country code "XX"', { field: 'fields.countryCode' }),
      );
      expect(errorsOf(await create(speakerInput('x', { countryCode: 'K1' })))).toEqual(
        invalid('createSpeaker', 'fields.countryCode', 'countryCode must be a two-letter ISO 3166-1 code'),
      );
      // Longer than any code: refused by the text rules before anything runs (src/text-gate.ts).
      expect(errorsOf(await create(speakerInput('x', { countryCode: 'KAZ' })))).toEqual([
        {
          message: 'Field "fields.countryCode" of argument "input" is longer than 2 characters',
          extensions: { code: 'BAD_USER_INPUT', argument: 'input', field: 'fields.countryCode' },
        },
      ]);
      expect(errorsOf(await create(speakerInput('x', { ministrySlug: 'no-such-ministry' })))).toEqual(
        coded('createSpeaker', 'BAD_USER_INPUT', 'Unknown ministry "no-such-ministry"', { field: 'fields.ministrySlug' }),
      );
      expect(errorsOf(await create(speakerInput('x', { fullName: {} })))).toEqual(
        coded('createSpeaker', 'BAD_USER_INPUT', 'fields.fullName needs text in at least one language (kk, ru or en)', {
          field: 'fields.fullName',
        }),
      );
      expect(errorsOf(await create(speakerInput('Not A Slug')))).toEqual(
        invalid('createSpeaker', 'fields.slug', 'slug must be lower-case letters, digits and single hyphens'),
      );
      const update = await h.execute(
        UPDATE_SPEAKER,
        { input: { id: ids.aida, expectedVersion: 1, fields: { countryCode: null } } },
        'en',
        organiser,
      );
      expect(errorsOf(update)).toEqual(
        invalid('updateSpeaker', 'fields.countryCode', 'countryCode cannot be null; leave it out to keep it'),
      );
      expect(await counts()).toEqual(before);
    });

    it('refuses a duplicate slug, email (in any case) or external id with CONFLICT, writing nothing', async () => {
      const before = await counts();
      const create = (slug: string, extra: Record<string, unknown>) =>
        h.execute(CREATE_SPEAKER, { input: { forumSlug: 'camf', fields: speakerInput(slug, extra) } }, 'en', organiser);
      expect(errorsOf(await create('aida', {}))).toEqual(
        coded('createSpeaker', 'CONFLICT', 'Another record already has this fields.slug', { field: 'fields.slug' }),
      );
      expect(errorsOf(await create('aida-2', { email: 'AIDA@example.org' }))).toEqual(
        coded('createSpeaker', 'CONFLICT', 'Another record already has this fields.email', { field: 'fields.email' }),
      );
      expect(errorsOf(await create('aida-3', { externalId: 'row-1' }))).toEqual(
        coded('createSpeaker', 'CONFLICT', 'Another record already has this fields.externalId', { field: 'fields.externalId' }),
      );
      // Neither the speaker nor its audit entry was written.
      expect(await counts()).toEqual(before);
    });

    it('refuses ids that are malformed, of another type or unknown', async () => {
      const update = (id: string) => h.execute(UPDATE_SPEAKER, { input: { id, expectedVersion: 1, fields: {} } }, 'en', organiser);
      expect(errorsOf(await update('nope!'))).toEqual(
        coded('updateSpeaker', 'BAD_USER_INPUT', '"nope!" is not a valid id', { field: 'id' }),
      );
      expect(errorsOf(await update(ids.camfS1))).toEqual(
        coded('updateSpeaker', 'BAD_USER_INPUT', 'id must be an id of type Speaker, not Session', { field: 'id' }),
      );
      expect(errorsOf(await update(toGlobalId('Speaker', 999999)))).toEqual(
        coded('updateSpeaker', 'NOT_FOUND', 'No such speaker', { field: 'id' }),
      );
    });
  });

  describe('private speaker fields', () => {
    it('shows them to organisers of a forum the speaker takes part in and to admins; null to the public and other organisers', async () => {
      const visible = {
        slug: 'aida',
        email: 'aida@example.org',
        phone: '+7 701 000 00 01',
        internalNotes: 'Vegetarian',
        arrivalStatus: 'UNKNOWN',
      };
      const hidden = { slug: 'aida', email: null, phone: null, internalNotes: null, arrivalStatus: null };
      expect((await h.execute(PRIVATE, { slug: 'aida' }, 'en', organiser)).data!.speaker).toEqual(visible);
      expect((await h.execute(PRIVATE, { slug: 'aida' }, 'en', admin)).data!.speaker).toEqual(visible);
      expect((await h.execute(PRIVATE, { slug: 'aida' })).data!.speaker).toEqual(hidden);
      expect((await h.execute(PRIVATE, { slug: 'aida' }, 'en', otherOrganiser)).data!.speaker).toEqual(hidden);
      expect((await h.execute(PRIVATE, { slug: 'aida' }, 'en', editor)).data!.speaker).toEqual(hidden);
      // chen takes part only in `other`.
      expect((await h.execute(PRIVATE, { slug: 'chen' }, 'en', otherOrganiser)).data!.speaker.email).toBe('chen@example.org');
      expect((await h.execute(PRIVATE, { slug: 'chen' }, 'en', organiser)).data!.speaker.email).toBeNull();
    });

    it('costs one statement for a whole list of speakers, and none for the public', async () => {
      const WITHOUT = `{ speakers(first: 50) { nodes { slug } } }`;
      const WITH = `{ speakers(first: 50) { nodes { slug email phone internalNotes arrivalStatus } } }`;
      const extra = async (as?: string) => {
        const without = await h.countStatements(() => h.execute(WITHOUT, {}, 'en', as));
        const withPrivate = await h.countStatements(() => h.execute(WITH, {}, 'en', as));
        expect(withPrivate.result.errors).toBeUndefined();
        return withPrivate.statements - without.statements;
      };
      expect(await extra(organiser)).toBe(1);
      expect(await extra()).toBe(0);
      expect(await extra(admin)).toBe(0);
    });
  });

  describe('sessions', () => {
    it('creates a session in the forum time zone, canonical language, and audits it', async () => {
      // 00:30 in Almaty on the 16th is still the 15th in UTC: the forum's local date is what counts.
      const session = await createSession('early-bird', {
        startsAt: '2025-04-16T00:30:00+05:00',
        endsAt: '2025-04-16T01:00:00+05:00',
        language: 'EN-gb',
        room: { en: 'Hall A' },
      });
      expect(session).toMatchObject({
        slug: 'early-bird',
        version: 1,
        status: 'SCHEDULED',
        language: 'en-GB',
        startsAt: '2025-04-15T19:30:00.000Z',
        startsAtLocal: '2025-04-16T00:30:00+05:00',
        room: 'Hall A',
        participants: [],
      });
      expect((await auditOf('Session', session.id))[0]).toMatchObject({
        action: 'CREATE',
        forum: { slug: 'camf' },
        changes: {
          slug: { before: null, after: 'early-bird' },
          startsAt: { before: null, after: '2025-04-15T19:30:00.000Z' },
          room: { before: null, after: { en: 'Hall A' } },
        },
      });
    });

    it('refuses bad times, languages and titles with the offending field, writing nothing', async () => {
      const before = await counts();
      const create = (extra: Record<string, unknown>) =>
        h.execute(CREATE_SESSION, { input: sessionInput('bad-session', extra) }, 'en', organiser);
      expect(errorsOf(await create({ endsAt: '2025-04-16T13:00:00+05:00' }))).toEqual(
        coded('createSession', 'BAD_USER_INPUT', 'endsAt must be after startsAt', { field: 'endsAt' }),
      );
      // 23:30 on the 15th in Almaty is the day before the forum, although the session ends on its first day.
      expect(errorsOf(await create({ startsAt: '2025-04-15T23:30:00+05:00', endsAt: '2025-04-16T00:30:00+05:00' }))).toEqual(
        coded(
          'createSession',
          'BAD_USER_INPUT',
          'startsAt must be on a day of the forum (2025-04-16 to 2025-04-17 in Asia/Almaty); it is on 2025-04-15 there',
          {
            field: 'startsAt',
          },
        ),
      );
      expect(errorsOf(await create({ startsAt: '2025-04-17T23:30:00+05:00', endsAt: '2025-04-18T00:30:00+05:00' }))).toEqual(
        coded(
          'createSession',
          'BAD_USER_INPUT',
          'endsAt must be on a day of the forum (2025-04-16 to 2025-04-17 in Asia/Almaty); it is on 2025-04-18 there',
          {
            field: 'endsAt',
          },
        ),
      );
      expect(errorsOf(await create({ language: 'english' }))).toEqual(
        invalid('createSession', 'language', 'language must be a BCP 47 language tag such as kk, ru or en'),
      );
      expect(errorsOf(await create({ language: 'en-x' }))).toEqual(
        coded('createSession', 'BAD_USER_INPUT', '"en-x" is not a valid BCP 47 language tag', { field: 'language' }),
      );
      expect(errorsOf(await create({ title: { en: null } }))).toEqual(
        coded('createSession', 'BAD_USER_INPUT', 'title needs text in at least one language (kk, ru or en)', { field: 'title' }),
      );
      expect(errorsOf(await create({ slug: 'camf-s1' }))).toEqual(
        coded('createSession', 'CONFLICT', 'Another record already has this slug', { field: 'slug' }),
      );
      expect(await counts()).toEqual(before);
      // A session ending at midnight still belongs to its day.
      expect(
        (await createSession('till-midnight', { startsAt: '2025-04-17T23:00:00+05:00', endsAt: '2025-04-18T00:00:00+05:00' })).slug,
      ).toBe('till-midnight');
    });

    it('updates, moves and cancels with versions, keeps a cancelled session in the agenda, and audits each change', async () => {
      const created = await createSession('lifecycle', { startsAt: '2025-04-16T18:00:00+05:00', endsAt: '2025-04-16T19:00:00+05:00' });
      const { updateSession } = await ok(UPDATE_SESSION, {
        input: { id: created.id, expectedVersion: 1, title: { en: 'Renamed' }, kind: 'WORKSHOP' },
      });
      expect(updateSession).toMatchObject({ version: 2, title: 'Renamed', kind: 'WORKSHOP', status: 'SCHEDULED' });
      expect(updateSession.revision).toBeGreaterThan(created.revision);

      const { moveSession } = await ok(MOVE_SESSION, {
        input: {
          id: created.id,
          expectedVersion: 2,
          startsAt: '2025-04-17T10:00:00+05:00',
          endsAt: '2025-04-17T11:00:00+05:00',
          room: { en: 'Hall B' },
        },
      });
      expect(moveSession).toMatchObject({ version: 3, status: 'MOVED', startsAtLocal: '2025-04-17T10:00:00+05:00', room: 'Hall B' });

      const { cancelSession } = await ok(CANCEL_SESSION, { input: { id: created.id, expectedVersion: 3 } });
      expect(cancelSession).toMatchObject({ version: 4, status: 'CANCELLED' });

      const days = (await h.execute(`{ forum(slug: "camf") { days { date sessions { slug status } } } }`)).data!.forum.days;
      const day17 = days.find((d: { date: string }) => d.date === '2025-04-17');
      expect(day17.sessions).toContainEqual({ slug: 'lifecycle', status: 'CANCELLED' });

      const log = await auditOf('Session', created.id);
      expect(log.map((e: { action: string }) => e.action)).toEqual(['CANCEL', 'MOVE', 'UPDATE', 'CREATE']);
      expect(log[0].changes).toEqual({ status: { before: 'MOVED', after: 'CANCELLED' } });
      expect(log[1].changes).toEqual({
        status: { before: 'SCHEDULED', after: 'MOVED' },
        startsAt: { before: '2025-04-16T13:00:00.000Z', after: '2025-04-17T05:00:00.000Z' },
        endsAt: { before: '2025-04-16T14:00:00.000Z', after: '2025-04-17T06:00:00.000Z' },
        room: { before: null, after: { en: 'Hall B' } },
      });
      expect(log[2].changes).toEqual({
        title: { before: { en: 'Title lifecycle', ru: 'Название lifecycle' }, after: { en: 'Renamed' } },
        kind: { before: 'PANEL', after: 'WORKSHOP' },
      });
    });

    it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
      const created = await createSession('stale', { startsAt: '2025-04-16T20:00:00+05:00', endsAt: '2025-04-16T21:00:00+05:00' });
      await ok(UPDATE_SESSION, { input: { id: created.id, expectedVersion: 1, kind: 'PLENARY' } });
      const before = await counts();
      for (const [name, query, input] of [
        ['updateSession', UPDATE_SESSION, { id: created.id, expectedVersion: 1, title: { en: 'Lost update' } }],
        [
          'moveSession',
          MOVE_SESSION,
          { id: created.id, expectedVersion: 1, startsAt: '2025-04-17T20:00:00+05:00', endsAt: '2025-04-17T21:00:00+05:00' },
        ],
        ['cancelSession', CANCEL_SESSION, { id: created.id, expectedVersion: 1 }],
        ['deleteSession', DELETE_SESSION, { id: created.id, expectedVersion: 1 }],
      ] as const) {
        expect(errorsOf(await h.execute(query, { input }, 'en', organiser))).toEqual(
          coded(name, 'CONFLICT', 'The session has changed since you read it (it is at version 2, you sent 1); reload it and try again', {
            field: 'expectedVersion',
          }),
        );
      }
      expect(await counts()).toEqual(before);
      expect(await node(created.id)).toMatchObject({ version: 2, title: 'Title stale', status: 'SCHEDULED', kind: 'PLENARY' });

      const speaker = await createSpeaker('stale-speaker');
      await ok(UPDATE_SPEAKER, { input: { id: speaker.id, expectedVersion: 1, fields: { phone: '+7 700 333 33 33' } } });
      const stale = await h.execute(
        UPDATE_SPEAKER,
        { input: { id: speaker.id, expectedVersion: 1, fields: { phone: '+7 700 444 44 44' } } },
        'en',
        organiser,
      );
      expect(errorsOf(stale)).toEqual(
        coded(
          'updateSpeaker',
          'CONFLICT',
          'The speaker has changed since you read it (it is at version 2, you sent 1); reload it and try again',
          { field: 'expectedVersion' },
        ),
      );
      expect(await node(speaker.id, organiser)).toMatchObject({ version: 2, phone: '+7 700 333 33 33' });
    });

    it('refuses a stale deleteSpeaker with CONFLICT, keeping the speaker, their participations and the audit log as they were', async () => {
      const speaker = await createSpeaker('stale-delete');
      const session = await createSession('stale-delete', { startsAt: '2025-04-16T21:00:00+05:00', endsAt: '2025-04-16T21:30:00+05:00' });
      await addParticipant(session.id, speaker.id, 'PANELIST');
      await ok(UPDATE_SPEAKER, { input: { id: speaker.id, expectedVersion: 1, fields: { phone: '+7 700 555 55 55' } } });
      const before = await counts();
      const auditBefore = await auditOf('Speaker', speaker.id);

      for (const as of [organiser, admin]) {
        const stale = await h.execute(DELETE_SPEAKER, { input: { id: speaker.id, expectedVersion: 1 } }, 'en', as);
        expect(stale.data).toBeNull();
        expect(errorsOf(stale)).toEqual(
          coded(
            'deleteSpeaker',
            'CONFLICT',
            'The speaker has changed since you read it (it is at version 2, you sent 1); reload it and try again',
            { field: 'expectedVersion' },
          ),
        );
      }
      expect(await counts()).toEqual(before);
      expect(await auditOf('Speaker', speaker.id)).toEqual(auditBefore);
      expect(await node(speaker.id, organiser)).toMatchObject({ slug: 'stale-delete', version: 2, phone: '+7 700 555 55 55' });
      expect((await node(session.id)).participants).toEqual([
        expect.objectContaining({ role: 'PANELIST', speaker: { slug: 'stale-delete' } }),
      ]);

      // With the version it is at, the same call deletes the speaker and their participation.
      expect((await ok(DELETE_SPEAKER, { input: { id: speaker.id, expectedVersion: 2 } })).deleteSpeaker).toBe(speaker.id);
      expect(await node(speaker.id)).toBeNull();
      expect((await node(session.id)).participants).toEqual([]);
    });

    it('lets exactly one of two truly concurrent updates with the same expectedVersion win (over HTTP)', async () => {
      const created = await createSession('race', { startsAt: '2025-04-17T12:00:00+05:00', endsAt: '2025-04-17T12:30:00+05:00' });
      const speaker = await createSpeaker('race-speaker');
      const post = (query: string, input: Record<string, unknown>) =>
        h.post({ query, variables: { input } }, { authorization: organiser, 'accept-language': 'en' });
      for (const [query, target, input] of [
        [UPDATE_SESSION, created.id, (title: string) => ({ id: created.id, expectedVersion: 1, title: { en: title } })],
        [UPDATE_SPEAKER, speaker.id, (title: string) => ({ id: speaker.id, expectedVersion: 1, fields: { position: { en: title } } })],
      ] as const) {
        const before = await tableCount('audit_entry');
        const responses = await Promise.all([post(query, input('First')), post(query, input('Second'))]);
        expect(responses.map((r) => r.status)).toEqual([200, 200]);
        const winners = responses.filter((r) => !r.body.errors);
        const losers = responses.filter((r) => r.body.errors);
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        expect(losers[0].body.errors[0].extensions).toEqual({ code: 'CONFLICT', field: 'expectedVersion' });
        const won = Object.values(winners[0].body.data)[0] as { version: number; title?: string; position?: string };
        expect(won.version).toBe(2);
        const now = await node(target, organiser);
        expect(now.version).toBe(2);
        expect(now.title ?? now.position).toBe(won.title ?? won.position);
        expect(await tableCount('audit_entry')).toBe(before + 1);
      }
    });

    it('deletes a session with its participants; the change feed reports it removed', async () => {
      const created = await createSession('doomed', { startsAt: '2025-04-17T21:00:00+05:00', endsAt: '2025-04-17T22:00:00+05:00' });
      await addParticipant(created.id, ids.aida);
      const before = await counts();
      expect((await ok(DELETE_SESSION, { input: { id: created.id, expectedVersion: 1 } })).deleteSession).toBe(created.id);
      expect(await counts()).toEqual({
        ...before,
        session: before.session - 1,
        participant: before.participant - 1,
        audit: before.audit + 1,
      });
      expect(await node(created.id)).toBeNull();
      const feed = (await h.execute(`{ agendaChanges(forumSlug: "camf", sinceVersion: 0) { removed { id } } }`)).data!.agendaChanges;
      expect(feed.removed).toContainEqual({ id: created.id });
      expect((await auditOf('Session', created.id))[0]).toMatchObject({
        action: 'DELETE',
        changes: { slug: { before: 'doomed', after: null } },
      });
    });

    it('shows a change in the public agenda and in agendaChanges', async () => {
      const { forum } = (await h.execute(`{ forum(slug: "camf") { scheduleVersion } }`)).data!;
      const created = await createSession('fresh', { startsAt: '2025-04-16T16:00:00+05:00', endsAt: '2025-04-16T16:30:00+05:00' });
      await ok(MOVE_SESSION, {
        input: { id: created.id, expectedVersion: 1, startsAt: '2025-04-16T16:30:00+05:00', endsAt: '2025-04-16T17:00:00+05:00' },
      });
      const FEED = `query($since: Int!) { agendaChanges(forumSlug: "camf", sinceVersion: $since) { version changed { slug status startsAtLocal } } }`;
      const feed = (await h.execute(FEED, { since: forum.scheduleVersion })).data!.agendaChanges;
      expect(feed.version).toBeGreaterThan(forum.scheduleVersion);
      expect(feed.changed).toEqual([{ slug: 'fresh', status: 'MOVED', startsAtLocal: '2025-04-16T16:30:00+05:00' }]);
      const days = (await h.execute(`{ forum(slug: "camf") { days { date sessions { slug status } } } }`)).data!.forum.days;
      expect(days.find((d: { date: string }) => d.date === '2025-04-16').sessions).toContainEqual({ slug: 'fresh', status: 'MOVED' });

      // A speaker's change reaches the feed too, through the sessions they take part in.
      const since = feed.version;
      const aida = await node(ids.aida, organiser);
      await ok(UPDATE_SPEAKER, { input: { id: ids.aida, expectedVersion: aida.version, fields: { bio: { en: 'Updated bio' } } } });
      const after = (await h.execute(FEED, { since })).data!.agendaChanges;
      expect(after.changed.map((s: { slug: string }) => s.slug)).toContain('camf-s1');
    });
  });

  describe('participants', () => {
    it('adds at a position, changes roles, reorders and removes, keeping positions 1..n and auditing each step', async () => {
      const created = await createSession('panel', { startsAt: '2025-04-17T14:00:00+05:00', endsAt: '2025-04-17T15:00:00+05:00' });
      const first = await addParticipant(created.id, ids.aida, 'MODERATOR');
      expect(first).toMatchObject({ role: 'MODERATOR', position: 1, speaker: { slug: 'aida' } });
      const second = await addParticipant(created.id, ids.bolat, 'PANELIST', 1);
      expect(second.session.participants.map((p: { speaker: { slug: string }; position: number }) => [p.speaker.slug, p.position])).toEqual(
        [
          ['bolat', 1],
          ['aida', 2],
        ],
      );
      expect(second.session.revision).toBeGreaterThan(first.session.revision);

      const duplicate = await h.execute(
        ADD_PARTICIPANT,
        { input: { sessionId: created.id, speakerId: ids.aida, role: 'MODERATOR' } },
        'en',
        organiser,
      );
      expect(errorsOf(duplicate)).toEqual(
        coded('addParticipant', 'CONFLICT', 'This speaker already takes part in the session as MODERATOR', { field: 'role' }),
      );

      const { changeParticipantRole } = await ok(CHANGE_ROLE, { input: { id: first.id, role: 'KEYNOTE' } });
      expect(changeParticipantRole).toMatchObject({ id: first.id, role: 'KEYNOTE', position: 2 });

      const { reorderParticipants } = await ok(REORDER, { input: { sessionId: created.id, participantIds: [first.id, second.id] } });
      expect(reorderParticipants.participants.map((p: { id: string; position: number }) => [p.id, p.position])).toEqual([
        [first.id, 1],
        [second.id, 2],
      ]);
      for (const participantIds of [[first.id], [first.id, first.id], [first.id, second.id, ids.camfS1]]) {
        const wrong = await h.execute(REORDER, { input: { sessionId: created.id, participantIds } }, 'en', organiser);
        expect(errorsOf(wrong)![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'participantIds' });
      }

      const { removeParticipant } = await ok(REMOVE_PARTICIPANT, { input: { id: first.id } });
      expect(removeParticipant.participants).toEqual([{ id: second.id, role: 'PANELIST', position: 1, speaker: { slug: 'bolat' } }]);
      const gone = await h.execute(REMOVE_PARTICIPANT, { input: { id: first.id } }, 'en', organiser);
      expect(errorsOf(gone)).toEqual(coded('removeParticipant', 'NOT_FOUND', 'No such participant', { field: 'id' }));

      expect(
        (await auditOf('SessionParticipant', first.id)).map((e: { action: string; changes: unknown }) => [e.action, e.changes]),
      ).toEqual([
        [
          'DELETE',
          {
            session: { before: 'panel', after: null },
            speaker: { before: 'aida', after: null },
            role: { before: 'KEYNOTE', after: null },
            position: { before: 1, after: null },
          },
        ],
        ['UPDATE', { role: { before: 'MODERATOR', after: 'KEYNOTE' } }],
        [
          'CREATE',
          {
            session: { before: null, after: 'panel' },
            speaker: { before: null, after: 'aida' },
            role: { before: null, after: 'MODERATOR' },
            position: { before: null, after: 1 },
          },
        ],
      ]);
      expect((await auditOf('Session', created.id))[0]).toMatchObject({
        action: 'REORDER_PARTICIPANTS',
        changes: { participants: { before: [second.id, first.id], after: [first.id, second.id] } },
      });
    });

    it('refuses to book a speaker into two overlapping sessions, naming the other one, and writes nothing', async () => {
      // aida moderates camf-s1, 09:00-09:45 local on the 16th.
      const clash = await createSession('clash', { startsAt: '2025-04-16T09:30:00+05:00', endsAt: '2025-04-16T10:30:00+05:00' });
      const before = await counts();
      const refused = await h.execute(
        ADD_PARTICIPANT,
        { input: { sessionId: clash.id, speakerId: ids.aida, role: 'SPEAKER' } },
        'en',
        organiser,
      );
      expect(errorsOf(refused)).toEqual(
        coded(
          'addParticipant',
          'CONFLICT',
          'Speaker aida already takes part in "Session 1" (camf-s1), 2025-04-16T04:00:00.000Z to 2025-04-16T04:45:00.000Z, which overlaps this session',
          { field: 'speakerId', conflictingSessionId: ids.camfS1 },
        ),
      );
      expect(await counts()).toEqual(before);

      // Moving a session onto a participant's other session is refused the same way.
      const later = await createSession('later', { startsAt: '2025-04-16T11:00:00+05:00', endsAt: '2025-04-16T12:00:00+05:00' });
      await addParticipant(later.id, ids.aida);
      const moved = await h.execute(
        MOVE_SESSION,
        { input: { id: later.id, expectedVersion: 1, startsAt: '2025-04-16T09:15:00+05:00', endsAt: '2025-04-16T10:00:00+05:00' } },
        'en',
        organiser,
      );
      expect(errorsOf(moved)![0].extensions).toEqual({ code: 'CONFLICT', field: 'startsAt', conflictingSessionId: ids.camfS1 });
      expect(await node(later.id)).toMatchObject({ version: 1, status: 'SCHEDULED', startsAtLocal: '2025-04-16T11:00:00+05:00' });

      // A cancelled session does not count: once `clash` is cancelled, aida can be booked into it.
      await ok(CANCEL_SESSION, { input: { id: clash.id, expectedVersion: 1 } });
      expect((await addParticipant(clash.id, ids.aida)).speaker.slug).toBe('aida');
    });

    it('refuses two concurrent bookings of one speaker into overlapping sessions: exactly one wins', async () => {
      const speaker = await createSpeaker('busy');
      const a = await createSession('busy-a', { startsAt: '2025-04-17T08:00:00+05:00', endsAt: '2025-04-17T09:00:00+05:00' });
      const b = await createSession('busy-b', { startsAt: '2025-04-17T08:30:00+05:00', endsAt: '2025-04-17T09:30:00+05:00' });
      const post = (sessionId: string) =>
        h.post(
          { query: ADD_PARTICIPANT, variables: { input: { sessionId, speakerId: speaker.id, role: 'SPEAKER' } } },
          { authorization: organiser },
        );
      const responses = await Promise.all([post(a.id), post(b.id)]);
      expect(responses.filter((r) => !r.body.errors)).toHaveLength(1);
      expect(responses.filter((r) => r.body.errors).map((r) => r.body.errors[0].extensions.code)).toEqual(['CONFLICT']);
    });
  });

  describe('failed mutations', () => {
    it('leave nothing half-written, and stop the rest of the operation', async () => {
      const target = await createSession('after-failure', { startsAt: '2025-04-17T17:00:00+05:00', endsAt: '2025-04-17T17:30:00+05:00' });
      const before = await counts();
      const result = await h.execute(
        `mutation($bad: UpdateSpeakerInput!, $good: UpdateSessionInput!) {
          bad: updateSpeaker(input: $bad) { slug }
          good: updateSession(input: $good) { version title }
        }`,
        {
          // chen has this email already: the speaker update fails at the flush.
          bad: {
            id: ids.aida,
            expectedVersion: (await node(ids.aida, organiser)).version,
            fields: { email: 'chen@example.org', phone: '+7 700 555 55 55' },
          },
          good: { id: target.id, expectedVersion: 1, title: { en: 'Never applied' } },
        },
        'en',
        admin,
      );
      expect(errorsOf(result)).toEqual(coded('bad', 'CONFLICT', 'Another record already has this fields.email', { field: 'fields.email' }));
      // Mutation results are non-null: the error nulls the whole result and GraphQL runs no further mutation.
      expect(result.data).toBeNull();
      expect(await counts()).toEqual(before);
      expect(await node(target.id)).toMatchObject({ version: 1, title: 'Title after-failure' });
      expect(await h.orm.em.fork().findOneOrFail(Speaker, { slug: 'aida' })).toMatchObject({
        email: 'aida@example.org',
        phone: '+7 701 000 00 01',
      });
    });

    it('do not leak their changes into a later write on the same request context', async () => {
      const target = await createSession('same-context', { startsAt: '2025-04-17T18:00:00+05:00', endsAt: '2025-04-17T18:30:00+05:00' });
      const ctx = await createContext(h.orm, {
        languages: [Language.EN],
        publicBaseUrl: h.config.publicBaseUrl,
        authorization: admin,
        auth: h.config,
      });
      // Loaded into the request's identity map first, as a query earlier in the request would.
      const aida = await ctx.em.findOneOrFail(Speaker, { slug: 'aida' });
      await expect(
        new SpeakerMutationResolver().updateSpeaker(
          { id: ids.aida, expectedVersion: aida.version, fields: { email: 'chen@example.org', phone: '+7 700 666 66 66' } } as never,
          ctx,
        ),
      ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', field: 'fields.email' } });
      const before = await counts();
      const session = await new SessionMutationResolver().updateSession(
        { id: target.id, expectedVersion: 1, title: { en: 'Applied' } } as never,
        ctx,
      );
      expect(session.version).toBe(2);
      expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
      expect(await h.orm.em.fork().findOneOrFail(Speaker, { slug: 'aida' })).toMatchObject({
        email: 'aida@example.org',
        phone: '+7 701 000 00 01',
      });
      expect((await auditOf('Session', target.id))[0]).toMatchObject({ action: 'UPDATE', actorEmail: expect.stringMatching(/^admin-/) });
    });
  });
});
