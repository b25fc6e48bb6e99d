import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { seed } from '../src/db/seed';
import { Role } from '../src/auth/user.entity';
import { startHarness, type Harness } from './helpers/harness';

/**
 * The organisers' story from a clean start, on the seed data: the first admin comes from
 * `npm run user:create`, signs in, creates an organiser for camf-2025, who dry-runs and then
 * imports a CSV of speakers, books them into sessions; the public agenda shows them; forbidden
 * paths answer with their codes; the audit log shows every step.
 */
describe('an organising team prepares camf-2025', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
  });

  afterAll(async () => {
    await h?.close();
  });

  const gql = async (query: string, variables: Record<string, unknown>, authorization?: string) => {
    const response = await h.post({ query, variables }, authorization ? { authorization } : {});
    return response.body as { data?: any; errors?: { message: string; extensions: { code: string } }[] };
  };
  const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
  const CSV = [
    'external_id,email,full_name_ru,full_name_en,position_ru,position_en,country,arrival_status',
    'CAMF25-01,a.ivanova@example.kz,Алия Иванова,Aliya Ivanova,Главный редактор,Editor-in-chief,KZ,confirmed',
    'CAMF25-02,b.saidov@example.uz,Бахтиёр Саидов,Bakhtiyor Saidov,Журналист,Journalist,UZ,invited',
  ].join('\n');

  it('goes from the first admin to a public agenda, with every step audited', async () => {
    // 1. The first admin, from the npm script.
    const root = path.join(__dirname, '..');
    await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'node_modules/ts-node/dist/bin.js'),
        '--swc',
        'src/cli/create-user.ts',
        '--email',
        'admin@camf.kz',
        '--password',
        'first admin password',
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: h.databaseUrl, LOG_LEVEL: 'silent', JEST_WORKER_ID: '' } },
    );
    const admin = `Bearer ${(await gql(LOGIN, { email: 'admin@camf.kz', password: 'first admin password' })).data.login.accessToken}`;

    // 2. The admin creates an organiser for camf-2025, who signs in.
    const created = await gql(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { email role } }`,
      { input: { email: 'team@camf.kz', password: 'organiser password', role: 'ORGANISER', forumSlugs: ['camf-2025'] } },
      admin,
    );
    expect(created).toEqual({ data: { createUser: { email: 'team@camf.kz', role: 'ORGANISER' } } });
    const organiser = `Bearer ${(await gql(LOGIN, { email: 'team@camf.kz', password: 'organiser password' })).data.login.accessToken}`;

    // 3. A dry run of the CSV reports two new speakers and writes nothing; then the import.
    const importCsv = (dryRun: boolean, authorization = organiser, forum = 'camf-2025') =>
      fetch(`${h.url}/forums/${forum}/speakers/import?dryRun=${dryRun}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv; charset=utf-8', authorization },
        body: CSV,
      });
    const dry = (await (await importCsv(true)).json()) as any;
    expect(dry.applied).toBe(false);
    expect(dry.rows.map((r: any) => [r.action, r.speakerSlug])).toEqual([
      ['CREATE', 'aliya-ivanova'],
      ['CREATE', 'bakhtiyor-saidov'],
    ]);
    expect((await gql(`{ speaker(slug: "aliya-ivanova") { slug } }`, {})).data.speaker).toBeNull();
    const applied = (await (await importCsv(false)).json()) as any;
    expect(applied.applied).toBe(true);
    expect(applied.totals).toMatchObject({ rows: 2, created: 2, errors: 0 });

    // 4. The organiser books them into the opening meeting.
    const ids = await gql(
      `{ forum(slug: "camf-2025") { sessions(first: 1) { nodes { id slug } } } a: speaker(slug: "aliya-ivanova") { id } b: speaker(slug: "bakhtiyor-saidov") { id } }`,
      {},
    );
    const session = ids.data.forum.sessions.nodes[0];
    const ADD = `mutation($input: AddParticipantInput!) { addParticipant(input: $input) { role speaker { slug } } }`;
    expect((await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.a.id, role: 'MODERATOR' } }, organiser)).data).toEqual({
      addParticipant: { role: 'MODERATOR', speaker: { slug: 'aliya-ivanova' } },
    });
    expect(
      (await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.b.id, role: 'PANELIST' } }, organiser)).errors,
    ).toBeUndefined();

    // 5. The public agenda shows them, without their private fields.
    const agenda = await gql(
      `{ forum(slug: "camf-2025") { days { sessions { slug participants { role speaker { slug fullName email arrivalStatus } } } } } }`,
      {},
    );
    const opening = agenda.data.forum.days[0].sessions.find((s: any) => s.slug === session.slug);
    expect(opening.participants).toEqual(
      expect.arrayContaining([
        { role: 'MODERATOR', speaker: { slug: 'aliya-ivanova', fullName: 'Алия Иванова', email: null, arrivalStatus: null } },
        { role: 'PANELIST', speaker: { slug: 'bakhtiyor-saidov', fullName: 'Бахтиёр Саидов', email: null, arrivalStatus: null } },
      ]),
    );
    const asOrganiser = await gql(`{ speaker(slug: "aliya-ivanova") { email arrivalStatus } }`, {}, organiser);
    expect(asOrganiser.data.speaker).toEqual({ email: 'a.ivanova@example.kz', arrivalStatus: 'CONFIRMED' });

    // 6. Forbidden paths answer with their codes.
    const editor = await h.signIn(Role.EDITOR);
    const otherOrganiser = await h.signIn(Role.ORGANISER, ['camf-2022']);
    const codeOf = (r: { errors?: { extensions: { code: string } }[] }) => r.errors?.[0]?.extensions.code;
    expect(codeOf(await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.a.id, role: 'HOST' } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.a.id, role: 'HOST' } }, editor))).toBe('FORBIDDEN');
    expect(codeOf(await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.a.id, role: 'HOST' } }, otherOrganiser))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(await gql(ADD, { input: { sessionId: session.id, speakerId: ids.data.a.id, role: 'HOST' } }, 'Bearer forged.token.value')),
    ).toBe('UNAUTHENTICATED');
    expect((await importCsv(false, otherOrganiser)).status).toBe(403);
    expect((await importCsv(false, organiser, 'camf-2022')).status).toBe(403);
    expect(
      codeOf(
        await gql(
          `mutation($input: CreateUserInput!) { createUser(input: $input) { email } }`,
          {
            input: { email: 'x@camf.kz', password: 'another password', role: 'ADMIN' },
          },
          organiser,
        ),
      ),
    ).toBe('FORBIDDEN');

    // 7. The audit log shows each step, and the organiser sees their forum's entries.
    const log = await gql(`{ auditLog(first: 50) { nodes { actorEmail entityType action } } }`, {}, admin);
    const steps = log.data.auditLog.nodes.map((n: any) => `${n.actorEmail} ${n.action} ${n.entityType}`).reverse();
    expect(steps).toEqual([
      'admin@camf.kz CREATE User',
      'team@camf.kz IMPORT_CREATE Speaker',
      'team@camf.kz IMPORT_CREATE Speaker',
      'team@camf.kz CREATE SessionParticipant',
      'team@camf.kz CREATE SessionParticipant',
    ]);
    const own = await gql(`{ auditLog(filter: { forumSlug: "camf-2025" }) { totalCount } }`, {}, organiser);
    expect(own.data.auditLog.totalCount).toBe(4);
  });
});
