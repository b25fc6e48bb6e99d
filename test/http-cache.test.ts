import { createHash } from 'node:crypto';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';
import { Role } from '../src/auth/user.entity';

/** What CDNs and browsers see: GET queries, persisted-query hashes and Cache-Control per case. */
describe('HTTP caching of GraphQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    make.country(em, 'KZ');
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${h.url}/graphql?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });

  it('refuses a GET without a preflight-forcing header (CSRF prevention)', async () => {
    const response = await fetch(`${h.url}/graphql?${new URLSearchParams({ query: '{ countries { code } }' })}`);
    expect(response.status).toBe(400);
  });

  it('serves public queries over GET as cacheable, one copy per language', async () => {
    const response = await get({ query: '{ countries { code } }' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { countries: [{ code: 'KZ' }] } });
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('vary')).toMatch(/Accept-Language/i);
  });

  it('answers persisted-query hashes over GET once the query is known', async () => {
    const query = '{ countries { code name } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const unknown = await get({ extensions });
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.headers.get('cache-control')).toBe('no-store');

    const register = await get({ query, extensions });
    expect(register.status).toBe(200);
    const hashed = await get({ extensions }, { 'accept-language': 'ru' });
    expect(hashed.status).toBe(200);
    expect(await hashed.json()).toEqual({ data: { countries: [{ code: 'KZ', name: 'Страна KZ' }] } });
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('does not let shared caches keep answers to credentialed requests, mutations or errors', async () => {
    const withCredentials = await get({ query: '{ countries { code } }' }, { authorization: await h.signIn(Role.EDITOR) });
    expect(withCredentials.status).toBe(200);
    expect(withCredentials.headers.get('cache-control')).toBe('no-store');

    const forged = await get({ query: '{ countries { code } }' }, { authorization: 'Bearer something' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('cache-control')).toBe('no-store');

    const mutation = await h.post({ query: 'mutation { recordArticleView(slug: "nope") }' });
    expect(mutation.headers.get('cache-control')).toBe('no-store');

    const error = await get({ query: '{ node(id: "!!") { id } }' });
    expect(error.headers.get('cache-control')).toBe('no-store');

    const mutationOverGet = await get({ query: 'mutation { recordArticleView(slug: "nope") }' });
    expect(mutationOverGet.status).toBe(405);
  });
});
