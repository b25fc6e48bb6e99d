import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Role } from '../src/auth/user.entity';
import { Country } from '../src/country/country.entity';
import { ParticipantRole, SessionParticipant } from '../src/session/session-participant.entity';
import { Session } from '../src/session/session.entity';
import { firstFreeSlug, slugFromName } from '../src/import/slug';
import { ArrivalStatus } from '../src/speaker/speaker.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** Bulk speaker import: GraphQL `importSpeakers` and `POST /forums/:slug/speakers/import`. */

const CSV = fs.readFileSync(path.join(__dirname, 'fixtures', 'import', 'speakers.csv'), 'utf8');

/** The fixture's rows as JSON / GraphQL rows. */
const JSON_ROWS = [
  {
    externalId: 'CAMF-001',
    email: 'Aida@Gov.KZ',
    fullName: { ru: 'Аида Балаева', en: 'Aida Balaeva' },
    position: { ru: 'Министр культуры и информации' },
    countryCode: 'KZ',
    ministrySlug: 'kz-mci',
    phone: '+7 701 123 45 67',
    arrivalStatus: 'CONFIRMED',
  },
  {
    externalId: 'CAMF-002',
    email: 'darkhan@example.kz',
    fullName: { ru: 'Дархан Қыдырәлі', kk: 'Дархан Қыдырәлі' },
    position: { ru: 'Журналист, редактор' },
    countryCode: 'KZ',
  },
  {
    externalId: 'CAMF-003',
    fullName: { ru: 'Ерлан Карин', en: 'Erlan Karin' },
    position: { ru: 'Госсоветник', en: 'State Counsellor' },
    countryCode: 'KZ',
  },
];

const change = (field: string, before: unknown, after: unknown) => ({ field, before, after });

/** What the fixture does to the data of beforeAll, seen by an organiser of camf. */
const FIXTURE_ROWS = [
  {
    row: 1,
    action: 'UPDATE',
    speakerSlug: 'aida-balaeva',
    changes: [
      change('fullName.en', null, 'Aida Balaeva'),
      change('position.ru', 'Министр', 'Министр культуры и информации'),
      change('ministrySlug', null, 'kz-mci'),
      change('phone', null, '+7 701 123 45 67'),
      change('arrivalStatus', 'UNKNOWN', 'CONFIRMED'),
    ],
    errors: [],
  },
  {
    row: 2,
    action: 'CREATE',
    speakerSlug: 'darkhan-kydyrali',
    changes: [
      change('externalId', null, 'CAMF-002'),
      change('email', null, 'darkhan@example.kz'),
      change('slug', null, 'darkhan-kydyrali'),
      change('fullName.ru', null, 'Дархан Қыдырәлі'),
      change('fullName.kk', null, 'Дархан Қыдырәлі'),
      change('position.ru', null, 'Журналист, редактор'),
      change('countryCode', null, 'KZ'),
    ],
    errors: [],
  },
  { row: 3, action: 'UNCHANGED', speakerSlug: 'erlan-karin', changes: [], errors: [] },
];

const REPORT = `
  dryRun applied
  totals { rows created updated unchanged errors }
  rows { row action speakerSlug changes { field before after } errors { field message } }`;

const IMPORT = `mutation Import($input: ImportSpeakersInput!) { importSpeakers(input: $input) { ${REPORT} } }`;

const LOCATIONS = [{ line: 1, column: 49 }];

const gqlError = (message: string, code: string) => ({ message, locations: LOCATIONS, path: ['importSpeakers'], extensions: { code } });
const httpError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

describe('speaker import', () => {
  let h: Harness;
  let organiser: string;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { ru: 'Казахстан', en: 'Kazakhstan' });
    const kg = make.country(em, 'KG', { ru: 'Кыргызстан', en: 'Kyrgyzstan' });
    make.ministry(em, kz, 'kz-mci');
    const aida = make.speaker(em, 'aida-balaeva', kz);
    Object.assign(aida, { externalId: 'CAMF-001', email: 'aida@gov.kz', fullName: { ru: 'Аида Балаева' }, position: { ru: 'Министр' } });
    const erlan = make.speaker(em, 'erlan-karin', kz);
    Object.assign(erlan, {
      externalId: 'CAMF-003',
      fullName: { ru: 'Ерлан Карин', en: 'Erlan Karin' },
      position: { ru: 'Госсоветник', en: 'State Counsellor' },
    });
    const outsider = make.speaker(em, 'outsider', kg);
    Object.assign(outsider, { email: 'outsider@example.org', phone: '+996 555 111 222' });
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida, erlan] });
    make.forumWithAgenda(em, { slug: 'other', host: kg, sessions: 1, speakers: [outsider], startDate: '2025-09-01' });
    await em.flush();
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
  });

  afterAll(async () => {
    await h?.close();
  });

  const counts = async () => {
    const [row] = await h.orm.em
      .getConnection()
      .execute<{ speakers: string; audits: string }[]>(
        'select (select count(*) from speaker) as speakers, (select count(*) from audit_entry) as audits',
      );
    return row;
  };

  const importHttp = async (body: string, options: { type?: string; authorization?: string; query?: string; forum?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': options.type ?? 'text/csv; charset=utf-8' };
    if (options.authorization) headers.authorization = options.authorization;
    const response = await fetch(`${h.url}/forums/${options.forum ?? 'camf'}/speakers/import${options.query ?? ''}`, {
      method: 'POST',
      headers,
      body,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  /** importSpeakers for camf, as its organiser unless another Authorization (or null: none) is given. */
  const importGql = (input: Record<string, unknown>, authorization: string | null = organiser) =>
    h.execute(IMPORT, { input: { forumSlug: 'camf', ...input } }, undefined, authorization ?? undefined);

  it('dry-runs a Cyrillic CSV with exact changes per row and no writes (JSON and GraphQL alike), then applies it', async () => {
    const before = await counts();
    const csv = await importHttp(CSV, { authorization: organiser });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const preflight = await fetch(`${h.url}/forums/camf/speakers/import`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://admin.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
    expect(csv.body).toEqual({
      dryRun: true,
      applied: false,
      totals: { rows: 3, created: 1, updated: 1, unchanged: 1, errors: 0 },
      rows: FIXTURE_ROWS,
    });

    const json = await importHttp(JSON.stringify({ rows: JSON_ROWS }), {
      type: 'application/json',
      authorization: organiser,
      query: '?dryRun=true',
    });
    expect(json.status).toBe(200);
    expect(json.body).toEqual(csv.body);

    const gql = await importGql({ rows: JSON_ROWS });
    expect(gql).toEqual({ data: { importSpeakers: csv.body } });

    expect(await counts()).toEqual(before);
    expect(await h.execute('{ speaker(slug: "darkhan-kydyrali") { slug } }')).toEqual({ data: { speaker: null } });

    // Applying writes exactly what the dry run showed.
    const response = await importHttp(CSV, { authorization: organiser, query: '?dryRun=false' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      dryRun: false,
      applied: true,
      totals: { rows: 3, created: 1, updated: 1, unchanged: 1, errors: 0 },
      rows: FIXTURE_ROWS,
    });
    // Applied in one transaction: one speaker created, three audit entries, nothing else.
    expect(await counts()).toEqual({ speakers: String(Number(before.speakers) + 1), audits: String(Number(before.audits) + 2) });

    const { data } = await h.execute(
      `{ speakers(first: 100) { nodes { slug fullName position country { code } ministry { slug } version } } }`,
      undefined,
      'ru',
    );
    const bySlug = Object.fromEntries(data!.speakers.nodes.map((s: { slug: string }) => [s.slug, s]));
    expect(bySlug['darkhan-kydyrali']).toEqual({
      slug: 'darkhan-kydyrali',
      fullName: 'Дархан Қыдырәлі',
      position: 'Журналист, редактор',
      country: { code: 'KZ' },
      ministry: null,
      version: 1,
    });
    expect(bySlug['aida-balaeva']).toEqual({
      slug: 'aida-balaeva',
      fullName: 'Аида Балаева',
      position: 'Министр культуры и информации',
      country: { code: 'KZ' },
      ministry: { slug: 'kz-mci' },
      version: 2,
    });
    expect(bySlug['erlan-karin'].version).toBe(1);

    const stored = await h.orm.em.getConnection().execute(`select email, phone, arrival_status from speaker where slug = 'aida-balaeva'`);
    expect(stored).toEqual([{ email: 'aida@gov.kz', phone: '+7 701 123 45 67', arrival_status: ArrivalStatus.CONFIRMED }]);

    const audit = await h.execute(
      `{ auditLog(filter: { forumSlug: "camf", entityType: "Speaker" }) { nodes { action actorEmail changes forum { slug } } } }`,
      undefined,
      undefined,
      organiser,
    );
    const entries = audit.data!.auditLog.nodes;
    const actorEmail = expect.stringMatching(/^organiser-\d+@test\.example$/);
    // Newest first, in the shape updateSpeaker's entries have.
    expect(entries).toEqual([
      {
        action: 'IMPORT_CREATE',
        actorEmail,
        forum: { slug: 'camf' },
        changes: {
          slug: { before: null, after: 'darkhan-kydyrali' },
          fullName: { before: null, after: { ru: 'Дархан Қыдырәлі', kk: 'Дархан Қыдырәлі' } },
          position: { before: null, after: { ru: 'Журналист, редактор' } },
          countryCode: { before: null, after: 'KZ' },
          links: { before: null, after: [] },
          externalId: { before: null, after: 'CAMF-002' },
          email: { before: null, after: 'darkhan@example.kz' },
          arrivalStatus: { before: null, after: 'UNKNOWN' },
        },
      },
      {
        action: 'IMPORT_UPDATE',
        actorEmail,
        forum: { slug: 'camf' },
        changes: {
          fullName: { before: { ru: 'Аида Балаева' }, after: { ru: 'Аида Балаева', en: 'Aida Balaeva' } },
          position: { before: { ru: 'Министр' }, after: { ru: 'Министр культуры и информации' } },
          ministrySlug: { before: null, after: 'kz-mci' },
          phone: { before: null, after: '+7 701 123 45 67' },
          arrivalStatus: { before: 'UNKNOWN', after: 'CONFIRMED' },
        },
      },
    ]);

    const again = await importHttp(CSV, { authorization: organiser });
    expect(again.body.totals).toEqual({ rows: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
    // Created for camf, the new speaker is camf's to change, though in none of its sessions yet.
    const next = await importGql({ rows: [{ externalId: 'CAMF-002', phone: '+7 702 000 00 00' }] });
    expect(next.data!.importSpeakers.rows).toEqual([
      { row: 1, action: 'UPDATE', speakerSlug: 'darkhan-kydyrali', changes: [change('phone', null, '+7 702 000 00 00')], errors: [] },
    ]);
  });

  it('reads semicolon-separated CSV with case-insensitive column names', async () => {
    const csv = 'EXTERNAL_ID;Full_Name_RU;Country\nCAMF-003;Ерлан Карин;kz\n';
    const response = await importHttp(csv, { authorization: organiser });
    expect(response.body.rows).toEqual([{ row: 1, action: 'UNCHANGED', speakerSlug: 'erlan-karin', changes: [], errors: [] }]);
  });

  /** Rows <prefix>-1 .. <prefix>-<count>, each a new speaker with a name, an email, a country and a ministry. */
  const generated = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      externalId: `${prefix}-${i + 1}`,
      email: `${prefix.toLowerCase()}-${i + 1}@example.kz`,
      fullName: { ru: `Участник ${prefix} ${i + 1}` },
      position: { ru: 'Эксперт' },
      countryCode: 'KZ',
      ministrySlug: 'kz-mci',
    }));

  it('writes nothing when one row of 300 is bad, even with dryRun false, and says why', async () => {
    const before = await counts();
    const rows: Record<string, unknown>[] = generated('GEN', 300);
    rows[149] = { ...rows[149], email: 'not-an-email' };
    rows[199] = { ...rows[199], countryCode: 'XX', fullName: { ru: '' } };
    const { data, errors } = await importGql({ rows, dryRun: false });
    expect(errors).toBeUndefined();
    const report = data!.importSpeakers;
    expect(report.applied).toBe(false);
    expect(report.totals).toEqual({ rows: 300, created: 298, updated: 0, unchanged: 0, errors: 2 });
    expect(report.rows[149]).toEqual({
      row: 150,
      action: 'ERROR',
      speakerSlug: null,
      changes: [],
      errors: [{ field: 'email', message: 'email must be an email address' }],
    });
    expect(report.rows[199]).toEqual({
      row: 200,
      action: 'ERROR',
      speakerSlug: null,
      changes: [],
      errors: [
        { field: 'countryCode', message: 'Unknown country "XX"' },
        { field: 'fullName', message: 'A new speaker needs a full name in at least one language' },
      ],
    });
    expect(report.rows[0]).toMatchObject({ row: 1, action: 'CREATE', speakerSlug: 'uchastnik-gen-1' });
    expect(await counts()).toEqual(before);

    // The same over HTTP, as JSON.
    const http = await importHttp(JSON.stringify({ rows }), { type: 'application/json', authorization: organiser, query: '?dryRun=false' });
    expect(http.status).toBe(200);
    expect(http.body).toEqual(report);
    expect(await counts()).toEqual(before);
  });

  it('refuses duplicates within the file and rows that contradict the data, row by row', async () => {
    const base = { fullName: { ru: 'Дубль' }, countryCode: 'KZ' };
    const { data } = await importGql({
      rows: [
        { ...base, externalId: 'DUP-1', email: 'dup@example.kz', slug: 'dup-one' },
        { ...base, externalId: 'DUP-1' },
        { ...base, email: 'DUP@example.kz' },
        { ...base, slug: 'dup-one' },
        { externalId: 'CAMF-003', email: 'outsider@example.org' },
        { externalId: 'NEW-9', email: 'aida@gov.kz' },
        { externalId: 'CAMF-001', phone: '+7 701 000 00 00' },
        { ...base, slug: 'erlan-karin' },
        { fullName: { en: 'No Country' } },
        { ...base, ministrySlug: 'kz-nope' },
        { ...base, phone: '8 701 123' },
        { fullName: { en: '张伟' }, countryCode: 'KZ' },
      ],
    });
    const errorsOf = (row: { errors: unknown[] }) => row.errors;
    expect(data!.importSpeakers.rows.map(errorsOf)).toEqual([
      [],
      [{ field: 'externalId', message: 'externalId "DUP-1" is also in row 1' }],
      [{ field: 'email', message: 'email "dup@example.kz" is also in row 1' }],
      [{ field: 'slug', message: 'slug "dup-one" is also in row 1' }],
      [{ field: 'email', message: 'email "outsider@example.org" belongs to another speaker' }],
      [{ field: 'externalId', message: 'The speaker with this email ("aida-balaeva") has another externalId' }],
      [{ field: '', message: 'Speaker "aida-balaeva" is also matched by row 6' }],
      [{ field: 'slug', message: 'slug "erlan-karin" belongs to another speaker' }],
      [{ field: 'countryCode', message: 'A new speaker needs a country' }],
      [{ field: 'ministrySlug', message: 'Unknown ministry "kz-nope"' }],
      [{ field: 'phone', message: 'phone must be in international format, e.g. +7 701 123 45 67' }],
      [{ field: 'slug', message: 'A slug cannot be made from this name; give one' }],
    ]);
  });

  it('derives slugs for new speakers from the English, else Russian, else Kazakh name, numbering taken ones', async () => {
    const { data } = await importGql({
      rows: [
        { fullName: { ru: 'Ерлан Карин', en: 'Erlan Karin' }, countryCode: 'KZ' },
        { fullName: { ru: 'Ерлан Карин' }, countryCode: 'KZ' },
        { fullName: { kk: 'Әлия Нұрланқызы' }, countryCode: 'KZ' },
        { fullName: { ru: 'Новый спикер' }, countryCode: 'KZ', slug: 'erlan-karin-4' },
        { fullName: { ru: 'Ерлан Карин' }, countryCode: 'KZ' },
      ],
    });
    expect(data!.importSpeakers.rows.map((r: { speakerSlug: string }) => r.speakerSlug)).toEqual([
      'erlan-karin-2',
      'erlan-karin-3',
      'aliia-nurlankyzy',
      'erlan-karin-4',
      'erlan-karin-5',
    ]);
  });

  it("changes only speakers of the viewer's forums, as updateSpeaker does, and logs the change in each of them", async () => {
    const row = { email: 'OUTSIDER@example.org', phone: '+996 555 000 111' };
    const refused = await importGql({ rows: [row], dryRun: false });
    expect(refused.data!.importSpeakers).toEqual({
      dryRun: false,
      applied: false,
      totals: { rows: 1, created: 0, updated: 0, unchanged: 0, errors: 1 },
      rows: [
        {
          row: 1,
          action: 'ERROR',
          speakerSlug: null,
          changes: [],
          errors: [
            { field: '', message: 'This row matches a speaker of forums you do not organise; an admin or their organisers can change it' },
          ],
        },
      ],
    });

    const both = await h.signIn(Role.ORGANISER, ['camf', 'other']);
    const before = await counts();
    const applied = await importGql({ rows: [row], dryRun: false }, both);
    expect(applied.data!.importSpeakers.rows).toEqual([
      { row: 1, action: 'UPDATE', speakerSlug: 'outsider', changes: [change('phone', '+996 555 111 222', '+996 555 000 111')], errors: [] },
    ]);
    expect(await counts()).toEqual({ speakers: before.speakers, audits: String(Number(before.audits) + 2) });
    const log = await h.execute(
      `{ auditLog(filter: { entityType: "Speaker" }, first: 100) { nodes { action forum { slug } changes } } }`,
      undefined,
      undefined,
      both,
    );
    const entries = log.data!.auditLog.nodes.filter(
      (e: { changes: { phone?: { after: string } } }) => e.changes.phone?.after === '+996 555 000 111',
    );
    for (const entry of entries) expect(entry.changes).toEqual({ phone: { before: '+996 555 111 222', after: '+996 555 000 111' } });
    expect(entries.map((e: { action: string; forum: { slug: string } }) => `${e.action} ${e.forum.slug}`).sort()).toEqual([
      'IMPORT_UPDATE camf',
      'IMPORT_UPDATE other',
    ]);
  });

  it('checks JSON rows as strictly as GraphQL does', async () => {
    const rows = [
      { externalId: 'J-1', fullName: 'Аида', countryCode: 'KZ' },
      { externalId: 'J-2', fullName: { ru: 'Аида' }, countryCode: 'KZ', arrivalStatus: 'LOST', fullname: 'x' },
      'not a row',
      { externalId: 'J-4', fullName: { ru: 'Аида', zh: '张伟' }, countryCode: 'KZ' },
      { externalId: 'CAMF-003', fullName: { ru: null, en: null } },
      { externalId: 'J-6', fullName: { ru: 'Аида' }, countryCode: 'KZ', links: [{ title: 'Site', url: 'ftp://x' }] },
    ];
    const response = await importHttp(JSON.stringify({ rows }), { type: 'application/json', authorization: organiser });
    expect(response.body.rows.map((r: { errors: unknown[] }) => r.errors)).toEqual([
      [{ field: 'fullName', message: 'fullName must be an object with kk, ru and en' }],
      [
        { field: 'fullname', message: 'Unknown field "fullname"' },
        { field: 'arrivalStatus', message: 'arrivalStatus must be one of UNKNOWN, INVITED, CONFIRMED, TRAVELLING, ARRIVED, CANCELLED' },
      ],
      [{ field: '', message: 'A row must be an object' }],
      [{ field: 'fullName.zh', message: 'Unknown language "zh"; use kk, ru or en' }],
      [{ field: 'fullName', message: 'A speaker needs a full name in at least one language' }],
      [{ field: 'links.0.url', message: 'url must be an http(s) URL' }],
    ]);
  });

  it('lets organisers of the forum and admins import; refuses everyone else with the GraphQL codes', async () => {
    const editor = await h.signIn(Role.EDITOR);
    const otherOrganiser = await h.signIn(Role.ORGANISER, ['other']);
    const admin = await h.signIn(Role.ADMIN);
    const rows = [JSON_ROWS[2]];

    expect(await importGql({ rows }, null)).toEqual({ data: null, errors: [gqlError('Sign in to do this', 'UNAUTHENTICATED')] });
    expect(await importGql({ rows }, editor)).toEqual({
      data: null,
      errors: [gqlError('This needs the ORGANISER or ADMIN role', 'FORBIDDEN')],
    });
    expect(await importGql({ rows }, otherOrganiser)).toEqual({
      data: null,
      errors: [gqlError('You do not organise this forum', 'FORBIDDEN')],
    });
    expect(await importGql({ rows, forumSlug: 'nope' })).toEqual({
      data: null,
      errors: [gqlError('No forum with slug "nope"', 'NOT_FOUND')],
    });
    expect((await importGql({ rows })).data!.importSpeakers.totals.unchanged).toBe(1);
    expect((await importGql({ rows }, admin)).data!.importSpeakers.totals.unchanged).toBe(1);

    const csv = 'external_id,full_name_ru,country\nCAMF-003,Ерлан Карин,KZ\n';
    expect(await importHttp(csv)).toMatchObject({ status: 401, body: httpError('Sign in to do this', 'UNAUTHENTICATED') });
    expect(await importHttp(csv, { authorization: 'Bearer forged.token.value' })).toMatchObject({
      status: 401,
      body: httpError('The access token is invalid or has expired; sign in again', 'UNAUTHENTICATED'),
    });
    expect(await importHttp(csv, { authorization: 'Basic abc' })).toMatchObject({
      status: 401,
      body: httpError('The Authorization header must be "Bearer <token>"', 'UNAUTHENTICATED'),
    });
    expect(await importHttp(csv, { authorization: editor })).toMatchObject({
      status: 403,
      body: httpError('This needs the ORGANISER or ADMIN role', 'FORBIDDEN'),
    });
    expect(await importHttp(csv, { authorization: otherOrganiser })).toMatchObject({
      status: 403,
      body: httpError('You do not organise this forum', 'FORBIDDEN'),
    });
    expect(await importHttp(csv, { authorization: organiser, forum: 'nope' })).toMatchObject({
      status: 404,
      body: httpError('No forum with slug "nope"', 'NOT_FOUND'),
    });
    expect(await importHttp(csv, { authorization: organiser })).toMatchObject({ status: 200, body: { totals: { unchanged: 1 } } });
    expect(await importHttp(csv, { authorization: admin })).toMatchObject({ status: 200, body: { totals: { unchanged: 1 } } });
  });

  it('refuses imports over the row and size limits, and bodies that are not an import', async () => {
    const tooMany = generated('BIG', 2001);
    expect(await importGql({ rows: tooMany })).toEqual({
      data: null,
      errors: [gqlError('An import may have at most 2000 rows; this one has 2001. Split it into several imports.', 'BAD_USER_INPUT')],
    });
    const csv = ['external_id,full_name_ru,country', ...tooMany.map((r) => `${r.externalId},${r.fullName.ru},KZ`)].join('\n');
    expect(await importHttp(csv, { authorization: organiser })).toMatchObject({
      status: 400,
      body: httpError('An import may have at most 2000 rows; this one has 2001. Split it into several imports.', 'BAD_USER_INPUT'),
    });

    const huge = `external_id,bio_ru\n${'X,'.padEnd(2_200_000, 'ж')}\n`;
    expect(await importHttp(huge, { authorization: organiser })).toMatchObject({
      status: 413,
      body: httpError('The import is larger than 2mb; split it into several files', 'BAD_USER_INPUT'),
    });

    const bad: [string, { type?: string; query?: string }, number, string][] = [
      [
        'external_id,nickname\nA,b\n',
        {},
        400,
        'Unknown CSV column(s): "nickname". Known columns: external_id, email, slug, full_name_ru, full_name_en, full_name_kk, position_ru, position_en, position_kk, organisation_ru, organisation_en, organisation_kk, bio_ru, bio_en, bio_kk, country, ministry, photo_url, phone, arrival_status, internal_notes',
      ],
      [
        `external_id,${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\nA${','.repeat(10_000)}\n`,
        {},
        400,
        `Unknown CSV column(s): ${Array.from({ length: 10 }, (_, i) => `"c${i}"`).join(', ')} and 9990 more. Known columns: external_id, email, slug, full_name_ru, full_name_en, full_name_kk, position_ru, position_en, position_kk, organisation_ru, organisation_en, organisation_kk, bio_ru, bio_en, bio_kk, country, ministry, photo_url, phone, arrival_status, internal_notes`,
      ],
      [
        'external_id,email\n"A,b\n',
        {},
        400,
        'The CSV cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 2',
      ],
      ['external_id\n', {}, 400, 'The import has no rows'],
      ['{"rows": {}}', { type: 'application/json' }, 400, 'The JSON body must be { "rows": [ ... ] }'],
      [
        '{"rows": [], "dryRun": false}',
        { type: 'application/json' },
        400,
        'Unknown key "dryRun" in the JSON body; dryRun goes in the query string',
      ],
      ['{"rows": [', { type: 'application/json' }, 400, 'The body is not valid JSON'],
      ['external_id\nA\n', { query: '?dryRun=maybe' }, 400, 'dryRun must be true or false'],
      ['<rows/>', { type: 'application/xml' }, 415, 'Send the import as text/csv or application/json'],
    ];
    for (const [body, options, status, message] of bad) {
      expect(await importHttp(body, { authorization: organiser, ...options })).toMatchObject({
        status,
        body: httpError(message, 'BAD_USER_INPUT'),
      });
    }
    const cp1251 = Buffer.from([0x61, 0x0a, 0xc0, 0xe8, 0xe4, 0xe0, 0x0a]);
    const response = await fetch(`${h.url}/forums/camf/speakers/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: organiser },
      body: cp1251,
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: httpError('The CSV is not valid UTF-8; save it as "CSV UTF-8"', 'BAD_USER_INPUT'),
    });
  });

  it('reads the candidates for any number of rows with the same statements', async () => {
    const update = (prefix: string) => ({ externalId: 'CAMF-003', position: { en: `Counsellor ${prefix}` } });
    const run = (prefix: string, count: number) =>
      h.countStatements(() => importGql({ rows: [...generated(prefix, count), update(prefix)] }));
    const small = await run('S', 30);
    const large = await run('L', 300);
    expect(small.result.data!.importSpeakers.totals).toEqual({ rows: 31, created: 30, updated: 1, unchanged: 0, errors: 0 });
    expect(large.result.data!.importSpeakers.totals).toEqual({ rows: 301, created: 300, updated: 1, unchanged: 0, errors: 0 });
    // Sign-in (1), forum (1), speakers by external id / email / slug (1), countries (1),
    // ministries (1), the forums of the speakers found (1).
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBe(6);
  });

  describe('against a concurrent edit', () => {
    /** Runs the import while another transaction holds an edit to conc-a, committed mid-import. */
    const importDuringEdit = async (rows: Record<string, unknown>[]) => {
      const other = new Client({ connectionString: h.orm.config.get('clientUrl') });
      await other.connect();
      try {
        await other.query('begin');
        await other.query(`update speaker set phone = '+7 700 000 00 00', version = version + 1 where slug = 'conc-a'`);
        const pending = importGql({ rows, dryRun: false });
        // The import has read conc-a and now waits for its row lock.
        for (let waited = 0; ; waited += 20) {
          const { rows: waiting } = await other.query(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          if (waiting[0].n > 0) break;
          if (waited > 5000) throw new Error('the import never waited for the row lock');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await other.query('commit');
        return await pending;
      } finally {
        await other.end();
      }
    };

    beforeAll(async () => {
      const em = h.orm.em.fork();
      const kz = await em.findOneOrFail(Country, { code: 'KZ' });
      const session = await em.findOneOrFail(Session, { slug: 'camf-s1' });
      for (const [i, slug] of ['conc-a', 'conc-b'].entries()) {
        const speaker = make.speaker(em, slug, kz);
        speaker.externalId = slug.toUpperCase();
        em.create(SessionParticipant, { session, speaker, role: ParticipantRole.PANELIST, position: 10 + i });
      }
      await em.flush();
    });

    it.each([
      ['one speaker (an update by id and version)', [{ externalId: 'CONC-A', position: { ru: 'Новая должность' } }]],
      [
        'several speakers (a batch update by id)',
        [
          { externalId: 'CONC-A', position: { ru: 'Новая должность' } },
          { externalId: 'CONC-B', position: { ru: 'Новая должность' } },
          { externalId: 'CONC-NEW', fullName: { ru: 'Новый' }, countryCode: 'KZ' },
        ],
      ],
    ])('fails with CONFLICT and writes nothing: %s', async (_name, rows) => {
      const before = await counts();
      const result = await importDuringEdit(rows);
      expect(result).toEqual({
        data: null,
        errors: [
          gqlError(
            'A speaker in this import was changed by someone else while it was being applied; nothing was written. Run the import again.',
            'CONFLICT',
          ),
        ],
      });
      expect(await counts()).toEqual(before);
      const stored = await h.orm.em
        .getConnection()
        .execute(`select slug, phone, position from speaker where slug like 'conc-%' order by slug`);
      expect(stored).toEqual([
        { slug: 'conc-a', phone: '+7 700 000 00 00', position: { en: 'Expert', ru: 'Эксперт' } },
        { slug: 'conc-b', phone: null, position: { en: 'Expert', ru: 'Эксперт' } },
      ]);
    });
  });
});

describe('slugs for imported speakers', () => {
  it('transliterate Kazakh and Russian names as passports do', () => {
    expect(slugFromName('Аида Балаева')).toBe('aida-balaeva');
    expect(slugFromName('Дархан Қыдырәлі')).toBe('darkhan-kydyrali');
    expect(slugFromName('Юлия Щербакова-Ёлкина')).toBe('iuliia-shcherbakova-elkina');
    expect(slugFromName('Ғалым Өмірзақ Ұлы')).toBe('galym-omirzak-uly');
    expect(slugFromName("José O'Neil")).toBe('jose-oneil');
    expect(slugFromName('张伟')).toBe('');
    expect(slugFromName('Ә'.repeat(200)).length).toBeLessThanOrEqual(94);
  });

  it('number a taken slug', () => {
    expect(firstFreeSlug('aida', new Set())).toBe('aida');
    expect(firstFreeSlug('aida', new Set(['aida', 'aida-2']))).toBe('aida-3');
  });
});
