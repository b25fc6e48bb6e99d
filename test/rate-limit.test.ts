import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/app';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { ConfigError, loadConfig } from '../src/config';
import { startHarness, type Harness } from './helpers/harness';

/** Mutation budgets per client and sign-in attempts per IP and email (src/rate-limit.ts). */
describe('rate limits', () => {
  let h: Harness;
  let tight: App | undefined;
  let tightUrl: string;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    em.create(User, { email: 'editor@example.org', passwordHash: await hashPassword('correct horse battery'), role: Role.EDITOR });
    await em.flush();
    // A second app on the same database with a small mutation budget.
    tight = await createApp(h.orm, { ...h.config, mutationRateLimit: 3 });
    await new Promise<void>((resolve) => tight!.httpServer.listen(0, '127.0.0.1', resolve));
    tightUrl = `http://127.0.0.1:${(tight.httpServer.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await tight?.apollo.stop();
    await h?.close();
  });

  const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
  const VIEW = 'mutation($slug: String!) { recordArticleView(slug: $slug) }';

  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }

  function expectRateLimited(response: { status: number; headers: Headers; body: any }, window = h.config.rateLimitWindowSeconds) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(window);
    expect(response.body).toEqual({
      errors: [{ message: 'Too many requests; try again later', extensions: { code: 'RATE_LIMITED', retryAfter } }],
    });
  }

  it('refuses the 11th sign-in attempt for one email within the window, even with the right password', async () => {
    expect(h.config.loginRateLimit).toBe(10);
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const wrong = await h.post({ query: LOGIN, variables: { email: 'editor@example.org', password: `guess ${attempt}` } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await h.post({ query: LOGIN, variables: { email: 'editor@example.org', password: 'guess 11' } }));
    // The email is normalised as login does, so changing its case is no way around the limit.
    expectRateLimited(await h.post({ query: LOGIN, variables: { email: ' EDITOR@example.org', password: 'correct horse battery' } }));
  });

  it('leaves other emails, public reads and other clients alone', async () => {
    const other = await h.post({ query: LOGIN, variables: { email: 'someone@example.org', password: 'guess' } });
    expect(other.status).toBe(401);
    const read = await h.post({ query: '{ me { email } }' });
    expect(read).toMatchObject({ status: 200, body: { data: { me: null } } });
  });

  it('takes the client IP from X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    const forwardedFrom = (ip: string) => ({ 'x-forwarded-for': ip });
    // Not trusted (the default): a made-up X-Forwarded-For is no way around the limit above.
    expectRateLimited(
      await h.post({ query: LOGIN, variables: { email: 'editor@example.org', password: 'guess' } }, forwardedFrom('203.0.113.9')),
    );

    // Behind a proxy on loopback, each forwarded client has its own attempts.
    const proxied = await createApp(h.orm, { ...h.config, trustProxy: ['loopback'] });
    await new Promise<void>((resolve) => proxied.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(proxied.httpServer.address() as AddressInfo).port}/graphql`;
      const attempt = (ip: string) =>
        post(url, { query: LOGIN, variables: { email: 'editor@example.org', password: 'guess' } }, forwardedFrom(ip));
      for (let i = 1; i <= 10; i += 1) expect((await attempt('203.0.113.1')).status).toBe(401);
      expectRateLimited(await attempt('203.0.113.1'));
      expect((await attempt('203.0.113.2')).status).toBe(401);
    } finally {
      await proxied.apollo.stop();
    }
  });

  it('refuses TRUST_PROXY=true, which would let any client choose its IP', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('counts every aliased login in one document', async () => {
    const many = Array.from({ length: 11 }, (_, i) => `a${i}: login(email: "alias@example.org", password: "p${i}") { accessToken }`).join(
      ' ',
    );
    expectRateLimited(await h.post({ query: `mutation { ${many} }` }));
  });

  const REVOKE = 'mutation($id: ID!) { revokeApiToken(id: $id) }';

  it('gives each client its own mutation budget: the IP when anonymous, the user when signed in', async () => {
    for (let i = 0; i < 3; i += 1) {
      const ok = await post(tightUrl, { query: REVOKE, variables: { id: '999' } });
      expect(ok.status).toBe(401);
      expect(ok.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await post(tightUrl, { query: REVOKE, variables: { id: '999' } }));
    // Same IP, but signed in: counted against the user, not the IP.
    const editor = await h.signIn(Role.EDITOR);
    const signedIn = await post(tightUrl, { query: REVOKE, variables: { id: '999' } }, { authorization: editor });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.errors[0].extensions.code).toBe('NOT_FOUND');
    // Queries are not limited.
    const read = await post(tightUrl, { query: '{ me { email } }' });
    expect(read).toMatchObject({ status: 200, body: { data: { me: null } } });
  });

  it('does not budget article views, which a site backend sends for every page view', async () => {
    for (let i = 0; i < 6; i += 1) {
      const view = await post(tightUrl, { query: VIEW, variables: { slug: 'missing' } });
      expect(view.status).toBe(200);
      expect(view.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});
