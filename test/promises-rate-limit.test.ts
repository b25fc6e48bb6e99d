import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/app';
import { ApiToken } from '../src/auth/api-token.entity';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { newApiTokenSecret, signAccessToken } from '../src/auth/viewer';
import { loadConfig } from '../src/config';
import { startHarness, type Harness } from './helpers/harness';

type Answer = { status: number; headers: Headers; body: any };

/**
 * The promises of src/rate-limit.ts that the defaults hide: budgets per client (IP, user, API
 * token), sign-in attempts per IP and email, the window starting over, and 0 meaning unlimited.
 * Each scenario runs on an app of its own (the counts live in its memory), on one database.
 */
describe('rate-limit budgets, windows and unlimited', () => {
  let h: Harness;
  const apps: App[] = [];
  const PASSWORD = 'correct horse battery';

  /** An app on the test database with these settings on top of the defaults; its /graphql URL. */
  async function startApp(env: Record<string, string>): Promise<(body: unknown, headers?: Record<string, string>) => Promise<Answer>> {
    const app = await createApp(
      h.orm,
      loadConfig({ PUBLIC_BASE_URL: h.config.publicBaseUrl, RESPONSE_CACHE_MB: '0', JWT_SECRET: SECRET, ...env }),
    );
    apps.push(app);
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
    return async (body, headers = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
  }
  const SECRET = 'a secret shared by every app of this test file';

  /** A user (and, when asked, API tokens of theirs) with Authorization header values. */
  async function client(email: string, tokens = 0, options: { canSignIn?: boolean } = {}): Promise<{ user: string; tokens: string[] }> {
    const em = h.orm.em.fork();
    const passwordHash = options.canSignIn ? await hashPassword(PASSWORD) : 'unusable';
    const user = em.create(User, { email, passwordHash, role: Role.EDITOR });
    await em.flush();
    const secrets: string[] = [];
    for (let i = 0; i < tokens; i += 1) {
      const { secret, hash } = newApiTokenSecret();
      em.create(ApiToken, { user, name: `token ${i}`, secretHash: hash });
      secrets.push(`Bearer ${secret}`);
    }
    await em.flush();
    const { token } = await signAccessToken(user, { jwtSecret: new TextEncoder().encode(SECRET), accessTokenTtlSeconds: 900 });
    return { user: `Bearer ${token}`, tokens: secrets };
  }

  /** n top-level mutation fields in one document; each is NOT_FOUND (signed in) or UNAUTHENTICATED. */
  const revokes = (n: number) => ({
    query: `mutation { ${Array.from({ length: n }, (_, i) => `r${i}: revokeApiToken(id: "${900 + i}")`).join(' ')} }`,
  });
  const login = (email: string, password = 'a wrong guess') => ({
    query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    variables: { email, password },
  });
  const logins = (email: string, n: number) => ({
    query: `mutation { ${Array.from({ length: n }, (_, i) => `l${i}: login(email: "${email}", password: "guess ${i}") { accessToken }`).join(' ')} }`,
  });

  function expectLimited(answer: Answer, window: number) {
    expect(answer.status).toBe(429);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(window);
    expect(answer.body.errors[0].extensions.retryAfter).toBe(retryAfter);
  }
  function expectAllowed(answer: Answer, code: 'NOT_FOUND' | 'UNAUTHENTICATED') {
    expect([answer.status, answer.body.errors?.[0]?.extensions.code]).toEqual([code === 'NOT_FOUND' ? 200 : 401, code]);
  }

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    for (const app of apps) await app.apollo.stop();
    await h?.close();
  });

  describe('per client, MUTATION_RATE_LIMIT=2', () => {
    let post: Awaited<ReturnType<typeof startApp>>;
    let alice: { user: string; tokens: string[] };
    let bob: { user: string; tokens: string[] };

    beforeAll(async () => {
      post = await startApp({ MUTATION_RATE_LIMIT: '2', LOGIN_RATE_LIMIT: '100' });
      // Made first on a fresh database: alice and her first token have the same id, as do bob and
      // his, so only the kind of key keeps their budgets apart.
      alice = await client('alice@example.org', 2);
      bob = await client('bob@example.org', 1);
    });

    it('gives a signed-in user, each of their API tokens, another user and the anonymous IP a budget each', async () => {
      expectAllowed(await post(revokes(2), { authorization: alice.user }), 'NOT_FOUND');
      expectLimited(await post(revokes(1), { authorization: alice.user }), 60);

      expectAllowed(await post(revokes(1), { authorization: alice.tokens[0] }), 'NOT_FOUND');
      expectAllowed(await post(revokes(1), { authorization: alice.tokens[0] }), 'NOT_FOUND');
      expectLimited(await post(revokes(1), { authorization: alice.tokens[0] }), 60);
      expectAllowed(await post(revokes(2), { authorization: alice.tokens[1] }), 'NOT_FOUND');

      expectAllowed(await post(revokes(2), { authorization: bob.user }), 'NOT_FOUND');
      expectAllowed(await post(revokes(2), { authorization: bob.tokens[0] }), 'NOT_FOUND');
      expectLimited(await post(revokes(1), { authorization: bob.user }), 60);

      expectAllowed(await post(revokes(2)), 'UNAUTHENTICATED');
      expectLimited(await post(revokes(1)), 60);
      // Queries stay free for everyone.
      expect((await post({ query: '{ me { email } }' }, { authorization: alice.user })).body).toEqual({
        data: { me: { email: 'alice@example.org' } },
      });
    });

    it('counts top-level mutation fields through fragments, once per field, and neither __typename nor article views', async () => {
      const carol = await client('carol@example.org');
      for (let i = 0; i < 4; i += 1)
        expect((await post({ query: 'mutation { __typename }' }, { authorization: carol.user })).body).toEqual({
          data: { __typename: 'Mutation' },
        });
      const mixed = { query: 'mutation { v: recordArticleView(slug: "missing") a: revokeApiToken(id: "1") b: revokeApiToken(id: "2") }' };
      expectAllowed(await post(mixed, { authorization: carol.user }), 'NOT_FOUND');
      expectLimited(await post(mixed, { authorization: carol.user }), 60);

      const dave = await client('dave@example.org');
      const twice = { query: 'mutation { ...M ...M } fragment M on Mutation { a: revokeApiToken(id: "1") b: revokeApiToken(id: "2") }' };
      expectAllowed(await post(twice, { authorization: dave.user }), 'NOT_FOUND');
      expectLimited(await post(revokes(1), { authorization: dave.user }), 60);

      const erin = await client('erin@example.org');
      expectLimited(
        await post(
          {
            query:
              'mutation { ...M } fragment M on Mutation { a: revokeApiToken(id: "1") b: revokeApiToken(id: "2") c: revokeApiToken(id: "3") }',
          },
          { authorization: erin.user },
        ),
        60,
      );
      const frank = await client('frank@example.org');
      expectLimited(
        await post(
          { query: 'mutation { ... on Mutation { a: revokeApiToken(id: "1") b: revokeApiToken(id: "2") c: revokeApiToken(id: "3") } }' },
          { authorization: frank.user },
        ),
        60,
      );
    });
  });

  describe('sign-in attempts per IP and email, LOGIN_RATE_LIMIT=2', () => {
    let post: Awaited<ReturnType<typeof startApp>>;

    beforeAll(async () => {
      post = await startApp({ LOGIN_RATE_LIMIT: '2', MUTATION_RATE_LIMIT: '100' });
      await client('grace@example.org');
      await client('heidi@example.org', 0, { canSignIn: true });
    });

    it('refuses the third attempt for one email even with the right password, and leaves other emails alone', async () => {
      expectAllowed(await post(login('grace@example.org')), 'UNAUTHENTICATED');
      // The same email however it is written, as a literal or in a variable.
      expectAllowed(await post(logins(' GRACE@example.org ', 1)), 'UNAUTHENTICATED');
      expectLimited(await post(login('grace@example.org', PASSWORD)), 60);

      const heidi = await post(login('heidi@example.org', PASSWORD));
      expect(heidi.status).toBe(200);
      expect(heidi.body.data.login.accessToken).toEqual(expect.any(String));
    });

    it('counts only login fields, by their email argument wherever it stands', async () => {
      // Other mutations are no sign-in attempts (they have a budget of their own).
      for (let i = 0; i < 2; i += 1) expectAllowed(await post(revokes(3)), 'UNAUTHENTICATED');
      const passwordFirst = (password: string) => ({
        query: `mutation { login(password: "${password}", email: "oscar@example.org") { accessToken } }`,
      });
      expectAllowed(await post(passwordFirst('one')), 'UNAUTHENTICATED');
      expectAllowed(await post(passwordFirst('two')), 'UNAUTHENTICATED');
      expectLimited(await post(passwordFirst('three')), 60);
      // An email of the wrong type is GraphQL's to refuse, and still an attempt.
      const wrongType = {
        query: 'mutation($email: String!) { login(email: $email, password: "x") { accessToken } }',
        variables: { email: 42 },
      };
      for (let i = 0; i < 2; i += 1) {
        const refused = await post(wrongType);
        expect([refused.status, refused.body.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
      }
      expectLimited(await post(wrongType), 60);
    });

    it('counts every aliased login of one document, per email', async () => {
      expectLimited(await post(logins('ivan@example.org', 3)), 60);
      const two = {
        query:
          'mutation { a: login(email: "judy@example.org", password: "x") { accessToken } b: login(email: "mallory@example.org", password: "x") { accessToken } }',
      };
      expectAllowed(await post(two), 'UNAUTHENTICATED');
      expectAllowed(await post(two), 'UNAUTHENTICATED');
      expectLimited(await post(two), 60);
    });
  });

  describe('anonymous clients behind a trusted proxy, MUTATION_RATE_LIMIT=2', () => {
    it('gives each forwarded client IP a budget of its own', async () => {
      const post = await startApp({ MUTATION_RATE_LIMIT: '2', TRUST_PROXY: 'loopback' });
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      expectAllowed(await post(revokes(2), from('203.0.113.1')), 'UNAUTHENTICATED');
      expectLimited(await post(revokes(1), from('203.0.113.1')), 60);
      expectAllowed(await post(revokes(2), from('203.0.113.2')), 'UNAUTHENTICATED');
      expectLimited(await post(revokes(1), from('203.0.113.2')), 60);
    });
  });

  describe('the window starting over, RATE_LIMIT_WINDOW_SECONDS=1', () => {
    let post: Awaited<ReturnType<typeof startApp>>;

    beforeAll(async () => {
      post = await startApp({ RATE_LIMIT_WINDOW_SECONDS: '1', MUTATION_RATE_LIMIT: '2', LOGIN_RATE_LIMIT: '2' });
    });

    it('gives mutation budgets and sign-in attempts back once the window has passed', async () => {
      const peggy = await client('peggy@example.org', 0, { canSignIn: true });
      // Over the budget in one document each: refused at once, before any password is checked.
      expectLimited(await post(revokes(3), { authorization: peggy.user }), 1);
      expectLimited(await post(revokes(1), { authorization: peggy.user }), 1);
      expectLimited(await post(logins('peggy@example.org', 3)), 1);

      await new Promise((resolve) => setTimeout(resolve, 1100));
      expectAllowed(await post(revokes(2), { authorization: peggy.user }), 'NOT_FOUND');
      const signedIn = await post(login('peggy@example.org', PASSWORD));
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.login.accessToken).toEqual(expect.any(String));
    });
  });

  describe('0 meaning unlimited, MUTATION_RATE_LIMIT=0 and LOGIN_RATE_LIMIT=0', () => {
    let post: Awaited<ReturnType<typeof startApp>>;

    beforeAll(async () => {
      post = await startApp({ MUTATION_RATE_LIMIT: '0', LOGIN_RATE_LIMIT: '0' });
      await client('trent@example.org', 0, { canSignIn: true });
    });

    it('never refuses mutations, more than the default budget of 120 from one client', async () => {
      for (let i = 0; i < 5; i += 1) expectAllowed(await post(revokes(25)), 'UNAUTHENTICATED');
      const victor = await client('victor@example.org');
      for (let i = 0; i < 5; i += 1) expectAllowed(await post(revokes(25), { authorization: victor.user }), 'NOT_FOUND');
    });

    it('never refuses sign-in attempts, more than the default 10 for one email', async () => {
      // Every aliased attempt counts (though the first failure ends the document's execution).
      for (let i = 0; i < 2; i += 1) expectAllowed(await post(logins('trent@example.org', 12)), 'UNAUTHENTICATED');
      const signedIn = await post(login('trent@example.org', PASSWORD));
      expect(signedIn.status).toBe(200);
    });
  });
});
