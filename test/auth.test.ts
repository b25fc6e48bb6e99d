import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { signAccessToken } from '../src/auth/viewer';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** Sign-in, access and API tokens, user administration and the audit log's scope. */
describe('accounts and tokens', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [make.speaker(em, 'aida', kz)] });
    make.forumWithAgenda(em, { slug: 'other', host: kz, sessions: 1, speakers: [make.speaker(em, 'bek', kz)] });
    em.create(User, { email: 'admin@example.org', passwordHash: await hashPassword('correct horse battery'), role: Role.ADMIN });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken expiresAt user { email role } } }`;
  const ME = `{ me { email role } }`;
  const unauthenticated = (message: string) => ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });

  it('signs in with email in any case, and the token identifies the user', async () => {
    const { data, errors } = await h.execute(LOGIN, { email: ' Admin@Example.ORG ', password: 'correct horse battery' });
    expect(errors).toBeUndefined();
    expect(data!.login.user).toEqual({ email: 'admin@example.org', role: 'ADMIN' });
    expect(Date.parse(data!.login.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const me = await h.post({ query: ME }, { authorization: `Bearer ${data!.login.accessToken}` });
    expect(me.body).toEqual({ data: { me: { email: 'admin@example.org', role: 'ADMIN' } } });
    expect((await h.post({ query: ME })).body).toEqual({ data: { me: null } });
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    for (const variables of [
      { email: 'admin@example.org', password: 'wrong password!!' },
      { email: 'nobody@example.org', password: 'correct horse battery' },
    ]) {
      const result = await h.execute(LOGIN, variables);
      expect(result.errors).toEqual([
        {
          message: 'Wrong email or password',
          locations: [{ line: 1, column: 49 }],
          path: ['login'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
    }
  });

  it('answers 401 UNAUTHENTICATED to a malformed, forged or expired token, and to a disabled user', async () => {
    const em = h.orm.em.fork();
    const admin = await em.findOneOrFail(User, { email: 'admin@example.org' });
    const forged = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('forum-portal')
      .setSubject(String(admin.id))
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not the server secret, but long enough'));
    const expired = await signAccessToken(admin, { jwtSecret: h.config.jwtSecret, accessTokenTtlSeconds: -60 });
    const cases: [string, string][] = [
      ['Basic YWRtaW46cGFzcw==', 'The Authorization header must be "Bearer <token>"'],
      [`Bearer ${forged}`, 'The access token is invalid or has expired; sign in again'],
      [`Bearer ${expired.token}`, 'The access token is invalid or has expired; sign in again'],
      ['Bearer fpt_unknown', 'This API token is unknown, expired or revoked'],
    ];
    for (const [authorization, message] of cases) {
      const response = await h.post({ query: ME }, { authorization });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(unauthenticated(message));
    }
    const disabled = em.create(User, { email: 'gone@example.org', passwordHash: 'x', role: Role.EDITOR, disabledAt: new Date() });
    await em.flush();
    const token = await signAccessToken(disabled, h.config);
    expect((await h.post({ query: ME }, { authorization: `Bearer ${token.token}` })).status).toBe(401);
  });

  const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { email role } }`;

  it('lets only admins create users, with valid input and a unique email', async () => {
    const admin = await h.signIn(Role.ADMIN);
    const input = { email: 'Org@Example.org', password: 'a long enough password', role: 'ORGANISER', forumSlugs: ['camf'] };
    expect((await h.execute(CREATE_USER, { input }, undefined, admin)).data).toEqual({
      createUser: { email: 'org@example.org', role: 'ORGANISER' },
    });

    const editor = await h.signIn(Role.EDITOR);
    expect((await h.execute(CREATE_USER, { input }, undefined, editor)).errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect((await h.execute(CREATE_USER, { input })).errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await h.execute(CREATE_USER, { input }, undefined, admin)).errors![0]).toMatchObject({
      message: 'A user with this email exists',
      extensions: { code: 'CONFLICT', field: 'email' },
    });
    const short = await h.execute(CREATE_USER, { input: { ...input, email: 'x@example.org', password: 'short' } }, undefined, admin);
    expect(short.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'password',
      invalid: [{ field: 'password', problems: ['password must be at least 12 characters'] }],
    });
    const unknownForum = await h.execute(
      CREATE_USER,
      { input: { ...input, email: 'y@example.org', forumSlugs: ['nope'] } },
      undefined,
      admin,
    );
    expect(unknownForum.errors![0]).toMatchObject({
      message: 'Unknown forum: nope',
      extensions: { code: 'BAD_USER_INPUT', field: 'forumSlugs' },
    });

    const signedIn = await h.execute(LOGIN, { email: 'org@example.org', password: 'a long enough password' });
    expect(signedIn.data!.login.user).toEqual({ email: 'org@example.org', role: 'ORGANISER' });
    const log = await h.execute(`{ auditLog { nodes { action entityType actorEmail changes } } }`, {}, undefined, admin);
    expect(log.data!.auditLog.nodes).toContainEqual({
      action: 'CREATE',
      entityType: 'User',
      actorEmail: expect.stringMatching(/^admin-\d+@test\.example$/),
      changes: {
        email: { before: null, after: 'org@example.org' },
        role: { before: null, after: 'ORGANISER' },
        forums: { before: [], after: ['camf'] },
      },
    });
  });

  it('issues API tokens that act as their user within their forums, until revoked', async () => {
    const organiser = await h.signIn(Role.ORGANISER, ['camf', 'other']);
    const created = await h.execute(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id secret } }`,
      { input: { name: 'desk sync', forumSlugs: ['camf'] } },
      undefined,
      organiser,
    );
    const { id, secret } = created.data!.createApiToken;
    expect(secret).toMatch(/^fpt_[A-Za-z0-9_-]{43}$/);
    const me = await h.post({ query: ME }, { authorization: `Bearer ${secret}` });
    expect(me.body.data.me.role).toBe('ORGANISER');
    // The token sees the audit log of its own forum only (none of other's entries).
    const log = await h.post(
      { query: `{ auditLog(filter: { forumSlug: "other" }) { totalCount } }` },
      { authorization: `Bearer ${secret}` },
    );
    expect(log.body).toEqual({ data: { auditLog: { totalCount: 0 } } });

    const revoked = await h.execute(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id }, undefined, organiser);
    expect(revoked.data).toEqual({ revokeApiToken: true });
    expect((await h.post({ query: ME }, { authorization: `Bearer ${secret}` })).status).toBe(401);
    // Stored hashed: the secret is nowhere in the database.
    const [row] = await h.orm.em.getConnection().execute('select count(*)::int as n from api_token where secret_hash = ?', [secret]);
    expect(row.n).toBe(0);
  });

  it('audits making and revoking an API token, for admins only, and a token refused makes no entry', async () => {
    const organiser = await h.signIn(Role.ORGANISER, ['camf']);
    const admin = await h.signIn(Role.ADMIN);
    const TOKENS = `{ auditLog(filter: { entityType: "ApiToken" }) { nodes { action entityId actorEmail changes forum { slug } } } }`;
    const before = (await h.execute(TOKENS, {}, undefined, admin)).data!.auditLog.nodes.length;
    const created = await h.execute(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id } }`,
      { input: { name: 'audited sync', forumSlugs: ['camf'] } },
      undefined,
      organiser,
    );
    const id = created.data!.createApiToken.id;
    // Refused (a forum outside the organiser's): no token, no entry.
    const refused = await h.execute(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id } }`,
      { input: { name: 'too wide', forumSlugs: ['other'] } },
      undefined,
      organiser,
    );
    expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    for (let i = 0; i < 2; i += 1) {
      expect((await h.execute(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id }, undefined, organiser)).data).toEqual({
        revokeApiToken: true,
      });
    }
    const entries = (await h.execute(TOKENS, {}, undefined, admin)).data!.auditLog.nodes;
    // Newest first; revoking twice records once.
    expect(entries.length).toBe(before + 2);
    const [revoke, create] = entries;
    expect(create).toMatchObject({ action: 'CREATE', entityId: Number(id), forum: null });
    expect(create.changes).toEqual({ name: { before: null, after: 'audited sync' }, forums: { before: null, after: ['camf'] } });
    expect(revoke).toMatchObject({ action: 'REVOKE', entityId: Number(id), actorEmail: create.actorEmail, forum: null });
    expect(revoke.changes.revokedAt.before).toBeNull();
    // Global entries: the organiser's own log does not show them.
    const own = await h.execute(TOKENS, {}, undefined, organiser);
    expect(own.data!.auditLog.nodes).toEqual([]);
  });

  it('keeps the audit log to admins and the organisers of each forum', async () => {
    const editor = await h.signIn(Role.EDITOR);
    expect((await h.execute(`{ auditLog { totalCount } }`, {}, undefined, editor)).errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect((await h.execute(`{ auditLog { totalCount } }`)).errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('creates the first admin with npm run user:create', async () => {
    const root = path.join(__dirname, '..');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'node_modules/ts-node/dist/bin.js'),
        '--swc',
        'src/cli/create-user.ts',
        '--email',
        'First@Example.org',
        '--password',
        'first admin password',
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: h.databaseUrl, LOG_LEVEL: 'silent', JEST_WORKER_ID: '' } },
    );
    expect(stdout).toMatch(/^created ADMIN first@example\.org \(id \d+\)$/m);
    const signedIn = await h.execute(LOGIN, { email: 'first@example.org', password: 'first admin password' });
    expect(signedIn.data!.login.user).toEqual({ email: 'first@example.org', role: 'ADMIN' });
  });
});
