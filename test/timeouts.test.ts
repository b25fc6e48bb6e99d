import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createApp, type App } from '../src/app';
import { Role } from '../src/auth/user.entity';
import { ormOptions } from '../src/db/mikro-orm.config';
import { startHarness, type Harness } from './helpers/harness';

/**
 * A statement cut off by statement_timeout and a request that gets no pooled connection in time
 * both answer 503 SERVICE_UNAVAILABLE, promptly, instead of a masked 500 or a hang.
 */
describe('database timeouts', () => {
  let h: Harness;
  let orm: MikroORM | undefined;
  let app: App | undefined;
  let url: string;

  beforeAll(async () => {
    h = await startHarness();
    // 50 ms per statement, one connection, 300 ms to get it.
    const options = ormOptions(h.databaseUrl, 50);
    orm = await MikroORM.init({ ...options, pool: { ...options.pool, max: 1, acquireTimeoutMillis: 300 } });
    app = await createApp(orm, h.config);
    await new Promise<void>((resolve) => app!.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await app?.apollo.stop();
    await orm?.close();
    await h?.close();
  });

  const SPEAKERS = '{ speakers { nodes { slug } } }';
  const unavailable = {
    message: 'The service is busy or briefly unavailable; try again shortly',
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  };

  async function timedPost(body: unknown, headers: Record<string, string> = {}) {
    const started = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as any,
      ms: Date.now() - started,
    };
  }

  it('answers 503 when a statement exceeds STATEMENT_TIMEOUT_MS (57014)', async () => {
    const locker = new Client({ connectionString: h.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table speaker in access exclusive mode');
      const response = await timedPost({ query: SPEAKERS });
      expect(response).toMatchObject({ status: 503, retryAfter: '2' });
      expect(response.body).toEqual({ data: null, errors: [{ ...unavailable, locations: [{ line: 1, column: 3 }], path: ['speakers'] }] });
      expect(response.ms).toBeLessThan(2000);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    // The connection the timed-out statement used is fine afterwards.
    expect(await timedPost({ query: SPEAKERS })).toMatchObject({ status: 200, body: { data: { speakers: { nodes: [] } } } });
  });

  it('answers 503 when no pooled connection frees up within the acquire timeout', async () => {
    const pool = orm!.em.getKnex().client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
    const held = await pool.acquireConnection();
    const token = await h.signIn(Role.EDITOR);
    try {
      const response = await timedPost({ query: SPEAKERS });
      expect(response).toMatchObject({ status: 503, retryAfter: '2' });
      expect(response.body).toEqual({ data: null, errors: [{ ...unavailable, locations: [{ line: 1, column: 3 }], path: ['speakers'] }] });
      expect(response.ms).toBeLessThan(2000);
      // Checking a token needs the database too: that fails before GraphQL runs, also as 503.
      const signedIn = await timedPost({ query: '{ me { email } }' }, { authorization: token });
      expect(signedIn).toMatchObject({ status: 503, retryAfter: '2', body: { errors: [unavailable] } });
      // The plain-HTTP endpoints (exports, feeds, oEmbed) answer the same way.
      const feed = await fetch(url.replace('/graphql', '/forums/camf-2025/feed.json'));
      expect(feed.status).toBe(503);
      expect(feed.headers.get('retry-after')).toBe('2');
      expect(await feed.json()).toEqual({ errors: [unavailable] });
      const imported = await fetch(url.replace('/graphql', '/forums/camf-2025/speakers/import?dryRun=true'), {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'text/csv' },
        body: 'full_name_ru,country\nИмя,KZ\n',
      });
      expect(imported.status).toBe(503);
      expect(imported.headers.get('retry-after')).toBe('2');
      expect(await imported.json()).toEqual({ errors: [unavailable] });
    } finally {
      await pool.releaseConnection(held);
    }
    expect(await timedPost({ query: SPEAKERS })).toMatchObject({ status: 200 });
  });
});
