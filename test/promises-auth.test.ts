import { SignJWT } from 'jose';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { signAccessToken } from '../src/auth/viewer';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * What src/auth promises besides token narrowing (test/promises-tokens.test.ts): which
 * Authorization headers prove who is asking, what a refusal says, sign-in, and the lifecycle of
 * users and API tokens, over HTTP against PostgreSQL.
 */
describe('accounts, credentials and refusals', () => {
  let h: Harness;
  const PASSWORD = 'correct horse battery';
  const ME = '{ me { email role } }';
  const LOGIN =
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken expiresAt user { email } } }';
  const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { email role displayName } }';
  const CREATE_TOKEN = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id secret } }';
  const REVOKE = 'mutation($id: ID!) { revokeApiToken(id: $id) }';

  beforeAll(async () => {
    // Sign-ins last 2 minutes here, so that their expiry is told apart from the default's.
    h = await startHarness({ env: { ACCESS_TOKEN_TTL_SECONDS: '120' } });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [make.speaker(em, 'aida', kz)] });
    make.forumWithAgenda(em, { slug: 'other', host: kz, sessions: 1, speakers: [make.speaker(em, 'bek', kz)] });
    const passwordHash = await hashPassword(PASSWORD);
    em.create(User, { email: 'active@example.org', passwordHash, role: Role.EDITOR });
    em.create(User, { email: 'disabled@example.org', passwordHash, role: Role.EDITOR, disabledAt: new Date() });
    // Composed "é" and a full-width "Ａ": the same password as their NFKC forms.
    em.create(User, {
      email: 'unicode@example.org',
      passwordHash: await hashPassword('caf\u00e9 \uff21 long passphrase'),
      role: Role.EDITOR,
    });
    // Hashes this server did not make: another scheme, and a key of the wrong length.
    em.create(User, { email: 'md5@example.org', passwordHash: 'md5$x$y$z$salt$hash', role: Role.EDITOR });
    em.create(User, { email: 'short@example.org', passwordHash: passwordHash.replace(/\$[^$]+$/, '$AAAA'), role: Role.EDITOR });
    // 'an older passphrase' hashed elsewhere, at today's cost and at a lower one.
    em.create(User, {
      email: 'vector@example.org',
      passwordHash: 'scrypt$32768$8$1$Zml4ZWQtc2FsdC0xNmJ5dA$i_1sps-X5KmT6zdaQViSpNnAOshxltB0PXU0PTp4L-8',
      role: Role.EDITOR,
    });
    em.create(User, {
      email: 'older@example.org',
      passwordHash: 'scrypt$16384$8$1$Zml4ZWQtc2FsdC0xNmJ5dA$cNn-GiIoWt0AhMh7K_Rctz4NwruuT4FeGT3kH7O5Wp8',
      role: Role.EDITOR,
    });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  async function as(authorization: string | undefined, query: string, variables: Record<string, unknown> = {}) {
    return h.post({ query, variables }, authorization === undefined ? {} : { authorization });
  }
  const codes = (response: { body: any }) => response.body.errors?.map((e: any) => e.extensions.code);

  describe('the Authorization header', () => {
    it('reads a request without one, or with an empty one, as anonymous', async () => {
      expect((await as(undefined, ME)).body).toEqual({ data: { me: null } });
      expect((await as('', ME)).body).toEqual({ data: { me: null } });
    });

    it('answers 401 to anything but "Bearer <token>", whose scheme is case-insensitive', async () => {
      const token = (await as(undefined, LOGIN, { email: 'active@example.org', password: PASSWORD })).body.data.login.accessToken as string;
      for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`]) {
        expect([header, (await as(header, ME)).body]).toEqual([header, { data: { me: { email: 'active@example.org', role: 'EDITOR' } } }]);
      }
      for (const header of [
        `Basic ${token}`,
        `Token Bearer ${token}`,
        `xBearer ${token}`,
        `Bearer ${token} extra`,
        `Bearer ${token},x`,
        'Bearer',
        `Bearer "${token}"`,
        `Bearer\t${token}`,
      ]) {
        const response = await as(header, ME);
        expect([header, response.status, response.body]).toEqual([
          header,
          401,
          { errors: [{ message: 'The Authorization header must be "Bearer <token>"', extensions: { code: 'UNAUTHENTICATED' } }] },
        ]);
      }
    });

    it('refuses the access token of a disabled or deleted user', async () => {
      const em = h.orm.em.fork();
      const disabled = await em.findOneOrFail(User, { email: 'disabled@example.org' });
      const gone = em.create(User, { email: 'gone@example.org', passwordHash: 'unusable', role: Role.ADMIN });
      await em.flush();
      const tokens = [await signAccessToken(disabled, h.config), await signAccessToken(gone, h.config)];
      await em.nativeDelete(User, { id: gone.id });
      for (const { token } of tokens) {
        const response = await as(`Bearer ${token}`, ME);
        expect([response.status, response.body.errors[0].message]).toEqual([
          401,
          'The access token is invalid or has expired; sign in again',
        ]);
      }
    });

    it('refuses an access token signed with the server secret but for another issuer or with another algorithm', async () => {
      const user = await h.orm.em.fork().findOneOrFail(User, { email: 'active@example.org' });
      const sign = (alg: string, issuer: string) =>
        new SignJWT({ role: user.role })
          .setProtectedHeader({ alg })
          .setIssuer(issuer)
          .setSubject(String(user.id))
          .setExpirationTime('1h')
          .sign(h.config.jwtSecret);
      expect((await as(`Bearer ${await sign('HS256', 'forum-portal')}`, ME)).body.data.me.email).toBe('active@example.org');
      for (const token of [await sign('HS256', 'someone-else'), await sign('HS512', 'forum-portal')]) {
        const response = await as(`Bearer ${token}`, ME);
        expect(response.status).toBe(401);
        expect(response.body.errors[0].message).toBe('The access token is invalid or has expired; sign in again');
      }
    });
  });

  describe('refusals', () => {
    it('says who may do what: sign in, the role needed, the forum', async () => {
      const anonymous = await as(undefined, CREATE_USER, {
        input: { email: 'x@example.org', password: 'long enough password', role: 'EDITOR' },
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0]).toMatchObject({ message: 'Sign in to do this', extensions: { code: 'UNAUTHENTICATED' } });
      const editor = await h.signIn(Role.EDITOR);
      const byEditor = await as(editor, CREATE_USER, {
        input: { email: 'x@example.org', password: 'long enough password', role: 'EDITOR' },
      });
      expect(byEditor.body.errors[0]).toMatchObject({ message: 'This needs the ADMIN role', extensions: { code: 'FORBIDDEN' } });
      const session = {
        forumSlug: 'camf',
        slug: 'refused',
        title: { en: 'Refused' },
        kind: 'PANEL',
        language: 'en',
        startsAt: '2025-04-16T14:00:00+05:00',
        endsAt: '2025-04-16T15:00:00+05:00',
      };
      const CREATE_SESSION = 'mutation($input: CreateSessionInput!) { createSession(input: $input) { slug } }';
      expect((await as(editor, CREATE_SESSION, { input: session })).body.errors[0].message).toBe('This needs the ORGANISER or ADMIN role');
      const otherOrganiser = await h.signIn(Role.ORGANISER, ['other']);
      expect((await as(otherOrganiser, CREATE_SESSION, { input: session })).body.errors[0]).toMatchObject({
        message: 'You do not organise this forum',
        extensions: { code: 'FORBIDDEN' },
      });
      const organiser = await h.signIn(Role.ORGANISER, ['camf']);
      expect((await as(organiser, CREATE_SESSION, { input: session })).body).toEqual({ data: { createSession: { slug: 'refused' } } });
      // An admin organises every forum.
      const admin = await h.signIn(Role.ADMIN);
      expect((await as(admin, CREATE_SESSION, { input: { ...session, forumSlug: 'other', slug: 'by-admin' } })).body).toEqual({
        data: { createSession: { slug: 'by-admin' } },
      });
    });
  });

  describe('signing in', () => {
    it('gives an access token that works for ACCESS_TOKEN_TTL_SECONDS', async () => {
      const response = await as(undefined, LOGIN, { email: 'active@example.org', password: PASSWORD });
      const { accessToken, expiresAt, user } = response.body.data.login;
      expect(user).toEqual({ email: 'active@example.org' });
      const left = Date.parse(expiresAt) - Date.now();
      expect(left).toBeGreaterThan(60_000);
      expect(left).toBeLessThanOrEqual(120_000);
      expect((await as(`Bearer ${accessToken}`, ME)).body.data.me.email).toBe('active@example.org');
    });

    it('compares passwords in their NFKC form', async () => {
      const decomposed = await as(undefined, LOGIN, { email: 'unicode@example.org', password: 'cafe\u0301 A long passphrase' });
      expect(decomposed.body.errors).toBeUndefined();
      expect(decomposed.body.data.login.user).toEqual({ email: 'unicode@example.org' });
      expect(codes(await as(undefined, LOGIN, { email: 'unicode@example.org', password: 'cafe A long passphrase' }))).toEqual([
        'UNAUTHENTICATED',
      ]);
    });

    it("checks a password with the cost stored in its hash, and stores new ones at today's cost", async () => {
      for (const email of ['vector@example.org', 'older@example.org']) {
        const response = await as(undefined, LOGIN, { email, password: 'an older passphrase' });
        expect([email, response.body.errors]).toEqual([email, undefined]);
        expect(codes(await as(undefined, LOGIN, { email, password: 'an older passphrase!' }))).toEqual(['UNAUTHENTICATED']);
      }
      const admin = await h.signIn(Role.ADMIN);
      expect(
        (await as(admin, CREATE_USER, { input: { email: 'hashed@example.org', password: 'long enough password', role: 'EDITOR' } })).body
          .errors,
      ).toBeUndefined();
      const [row] = await h.orm.em.getConnection().execute('select password_hash from app_user where email = ?', ['hashed@example.org']);
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect((await as(undefined, LOGIN, { email: 'hashed@example.org', password: 'long enough password' })).body.errors).toBeUndefined();
    });

    it('refuses a disabled user, and users whose stored hash is unusable, with the same answer as a wrong password', async () => {
      for (const email of [
        'disabled@example.org',
        'md5@example.org',
        'short@example.org',
        (await meOf(await h.signIn(Role.EDITOR))).email,
      ]) {
        const response = await as(undefined, LOGIN, { email, password: PASSWORD });
        expect([email, response.status, response.body.errors?.[0]?.message]).toEqual([email, 401, 'Wrong email or password']);
      }
    });
  });

  const meOf = async (authorization: string) => (await as(authorization, ME)).body.data.me as { email: string; role: string };

  describe('users', () => {
    it('keeps the display name given, and refuses forums for anyone but an organiser', async () => {
      const admin = await h.signIn(Role.ADMIN);
      const created = await as(admin, CREATE_USER, {
        input: { email: 'named@example.org', password: 'long enough password', role: 'EDITOR', displayName: 'Named Editor' },
      });
      expect(created.body).toEqual({ data: { createUser: { email: 'named@example.org', role: 'EDITOR', displayName: 'Named Editor' } } });
      const unnamed = await as(admin, CREATE_USER, {
        input: { email: 'unnamed@example.org', password: 'long enough password', role: 'ADMIN' },
      });
      expect(unnamed.body.data.createUser.displayName).toBeNull();
      for (const role of ['EDITOR', 'ADMIN']) {
        const refused = await as(admin, CREATE_USER, {
          input: { email: `${role}-forums@example.org`, password: 'long enough password', role, forumSlugs: ['camf'] },
        });
        expect(refused.body.errors[0]).toMatchObject({
          message: 'Only organisers have forums',
          extensions: { code: 'BAD_USER_INPUT', field: 'forumSlugs' },
        });
      }
      const organiser = await as(admin, CREATE_USER, {
        input: { email: 'org-forums@example.org', password: 'long enough password', role: 'ORGANISER', forumSlugs: ['camf', 'other'] },
      });
      expect(organiser.body.errors).toBeUndefined();
      const unknown = await as(admin, CREATE_USER, {
        input: {
          email: 'unknown-forums@example.org',
          password: 'long enough password',
          role: 'ORGANISER',
          forumSlugs: ['camf', 'nope', 'nada'],
        },
      });
      expect(unknown.body.errors[0]).toMatchObject({
        message: 'Unknown forum: nope, nada',
        extensions: { code: 'BAD_USER_INPUT', field: 'forumSlugs' },
      });
    });
  });

  describe('API tokens', () => {
    const tokenRow = async (id: string) =>
      (
        await h.orm.em
          .getConnection()
          .execute<{ revoked_at: Date | null; expires_at: Date | null }[]>('select revoked_at, expires_at from api_token where id = ?', [
            Number(id),
          ])
      )[0];

    it('need a signed-in user to be made', async () => {
      const response = await as(undefined, CREATE_TOKEN, { input: { name: 'nobody' } });
      expect(response.status).toBe(401);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    });

    it('stop working at the expiry they were made with', async () => {
      const editor = await h.signIn(Role.EDITOR);
      const later = (
        await as(editor, CREATE_TOKEN, { input: { name: 'an hour', expiresAt: new Date(Date.now() + 3_600_000).toISOString() } })
      ).body.data.createApiToken;
      expect((await as(`Bearer ${later.secret}`, ME)).body.data.me.role).toBe('EDITOR');
      expect((await tokenRow(later.id)).expires_at).not.toBeNull();
      const past = (
        await as(editor, CREATE_TOKEN, { input: { name: 'already over', expiresAt: new Date(Date.now() - 1000).toISOString() } })
      ).body.data.createApiToken;
      expect((await as(`Bearer ${past.secret}`, ME)).status).toBe(401);
      const forever = (await as(editor, CREATE_TOKEN, { input: { name: 'no expiry' } })).body.data.createApiToken;
      expect((await tokenRow(forever.id)).expires_at).toBeNull();
      expect((await as(`Bearer ${forever.secret}`, ME)).status).toBe(200);
    });

    it('are revoked by their user or an admin, once, and not by another user; ids must be numbers', async () => {
      const owner = await h.signIn(Role.ORGANISER, ['camf']);
      const other = await h.signIn(Role.EDITOR);
      const admin = await h.signIn(Role.ADMIN);
      const make = async () =>
        (await as(owner, CREATE_TOKEN, { input: { name: 'to revoke', forumSlugs: ['camf'] } })).body.data.createApiToken as {
          id: string;
          secret: string;
        };

      const first = await make();
      const byOther = await as(other, REVOKE, { id: first.id });
      expect(byOther.body.errors[0]).toMatchObject({ message: 'No such API token', extensions: { code: 'NOT_FOUND' } });
      expect((await as(`Bearer ${first.secret}`, ME)).status).toBe(200);
      expect((await as(owner, REVOKE, { id: first.id })).body).toEqual({ data: { revokeApiToken: true } });
      expect((await as(`Bearer ${first.secret}`, ME)).status).toBe(401);
      const revokedAt = (await tokenRow(first.id)).revoked_at;
      expect(revokedAt).not.toBeNull();
      // Revoking again says yes and keeps the first time.
      expect((await as(owner, REVOKE, { id: first.id })).body).toEqual({ data: { revokeApiToken: true } });
      expect((await tokenRow(first.id)).revoked_at).toEqual(revokedAt);

      const second = await make();
      expect((await as(admin, REVOKE, { id: second.id })).body).toEqual({ data: { revokeApiToken: true } });
      expect((await as(`Bearer ${second.secret}`, ME)).status).toBe(401);

      expect((await as(owner, REVOKE, { id: '999999' })).body.errors[0]).toMatchObject({
        message: 'No such API token',
        extensions: { code: 'NOT_FOUND' },
      });
      for (const id of ['x', '1.5', '9007199254740993']) {
        expect((await as(owner, REVOKE, { id })).body.errors[0]).toMatchObject({
          message: `"${id}" is not a token id`,
          extensions: { code: 'BAD_USER_INPUT', field: 'id' },
        });
      }
    });
  });
});
