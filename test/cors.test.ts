import { startHarness, type Harness } from './helpers/harness';

/** CORS_ORIGINS limits which web pages may call /graphql; exports and feeds stay open to all. */
describe('CORS allow-list', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { CORS_ORIGINS: 'https://camf.kz, https://press.kz' } });
  });

  afterAll(async () => {
    await h?.close();
  });

  const preflight = (path: string, origin: string) =>
    fetch(`${h.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('lets listed origins call /graphql and not others', async () => {
    const allowed = await preflight('/graphql', 'https://press.kz');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://press.kz');
    const refused = await preflight('/graphql', 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps the GET exports open to any origin', async () => {
    const response = await fetch(`${h.url}/forums/nope/feed.json`, { headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a malformed allow-list at start-up', async () => {
    const { loadConfig, ConfigError } = await import('../src/config');
    expect(() => loadConfig({ CORS_ORIGINS: 'camf.kz/path' })).toThrow(ConfigError);
  });
});
