import pino from 'pino';
import { hashPassword } from '../src/auth/password';
import { Role, User } from '../src/auth/user.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

type LogLine = Record<string, any>;

/** Request ids, request logs and production settings, with the app's logs captured as JSON. */
describe('observability', () => {
  let h: Harness;
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const PASSWORD = 'correct horse battery staple';

  beforeAll(async () => {
    const logger = pino(
      { level: 'info', base: undefined },
      {
        write: (s: string) => {
          raw.push(s);
          lines.push(JSON.parse(s));
        },
      },
    );
    h = await startHarness({ logger });
    const em = h.orm.em.fork();
    make.speaker(em, 'someone', make.country(em, 'KZ'));
    em.create(User, { email: 'editor@example.org', passwordHash: await hashPassword(PASSWORD), role: Role.EDITOR });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  /** The request line for a request id; the server writes it once the response has gone out. */
  async function requestLine(id: string): Promise<LogLine> {
    for (let i = 0; i < 50; i += 1) {
      const line = lines.find((l) => l.requestId === id && l.msg === 'request');
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no request log line for ${id}`);
  }

  describe('request ids', () => {
    it('answers an unexpected database failure with a request id, also in X-Request-Id and the log, and no SQL or stack', async () => {
      await h.orm.em.getConnection().execute('alter table speaker rename to speaker_hidden');
      let response: Awaited<ReturnType<Harness['post']>>;
      try {
        response = await h.post({ query: '{ speakers { totalCount } }' });
      } finally {
        await h.orm.em.getConnection().execute('alter table speaker_hidden rename to speaker');
      }
      const id = response.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body.errors).toEqual([
        {
          message: 'Internal server error',
          locations: [{ line: 1, column: 3 }],
          path: ['speakers'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: id },
        },
      ]);
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/select|speaker_hidden|relation|stack|\.ts:\d+/i);

      const error = lines.find((l) => l.requestId === id && l.msg === 'unexpected error');
      expect(error).toBeDefined();
      expect(error!.err.message).toMatch(/relation "speaker" does not exist/);
      expect(await requestLine(id)).toMatchObject({
        path: '/graphql',
        status: 200,
        outcome: 'refused',
        errorCodes: ['INTERNAL_SERVER_ERROR'],
      });
    });

    it('keeps a short safe X-Request-Id sent by the client, and replaces anything else', async () => {
      const kept = await h.post({ query: '{ countries { code } }' }, { 'x-request-id': 'edge-7f3a.42' });
      expect(kept.headers.get('x-request-id')).toBe('edge-7f3a.42');
      for (const unsafe of ['has space', 'a'.repeat(65), 'quote"', 'new\tline']) {
        const replaced = await h.post({ query: '{ countries { code } }' }, { 'x-request-id': unsafe });
        expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });

  describe('request log', () => {
    it('writes one line per GraphQL request with its SQL count, and never the password or the token', async () => {
      const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
      const login = await h.countStatements(() => h.post({ query: LOGIN, variables: { email: 'editor@example.org', password: PASSWORD } }));
      expect(login.result.body.errors).toBeUndefined();
      const token: string = login.result.body.data.login.accessToken;
      const loginLine = await requestLine(login.result.headers.get('x-request-id')!);
      expect(loginLine).toEqual({
        level: 30,
        time: expect.any(Number),
        requestId: login.result.headers.get('x-request-id'),
        msg: 'request',
        method: 'POST',
        path: '/graphql',
        status: 200,
        durationMs: expect.any(Number),
        operationName: 'Login',
        sqlStatements: login.statements,
        outcome: 'ok',
      });
      expect(login.statements).toBeGreaterThan(0);

      const ME = `query Me { me { email } }`;
      const me = await h.countStatements(() => h.post({ query: ME }, { authorization: `Bearer ${token}` }));
      expect(me.result.body).toEqual({ data: { me: { email: 'editor@example.org' } } });
      expect(await requestLine(me.result.headers.get('x-request-id')!)).toMatchObject({
        operationName: 'Me',
        status: 200,
        outcome: 'ok',
        sqlStatements: me.statements,
      });

      const everything = raw.join('');
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(token);
      expect(everything).not.toMatch(/authorization|bearer/i);
    });

    it('logs plain endpoints too, without their query string', async () => {
      const response = await fetch(`${h.url}/forums/no-such-forum/agenda.ics?token=secret-in-url`);
      expect(response.status).toBe(404);
      const line = await requestLine(response.headers.get('x-request-id')!);
      expect(line).toMatchObject({ method: 'GET', path: '/forums/no-such-forum/agenda.ics', status: 404, outcome: 'refused' });
      expect(line.operationName).toBeUndefined();
      expect(raw.join('')).not.toContain('secret-in-url');
    });

    it('counts the statements of concurrent requests separately', async () => {
      const QUERY = `query Countries { countries { code } }`;
      const alone = await h.countStatements(() => h.post({ query: QUERY }));
      const together = await Promise.all(Array.from({ length: 5 }, () => h.post({ query: QUERY })));
      for (const response of together) {
        expect(await requestLine(response.headers.get('x-request-id')!)).toMatchObject({ sqlStatements: alone.statements });
      }
    });
  });
});

describe('health probes', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${h.url}${path}`);
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: await response.json() };
  };

  it('/healthz says the process is alive, without touching the database', async () => {
    const { result, statements } = await h.countStatements(() => get('/healthz'));
    expect(result).toEqual({ status: 200, cacheControl: 'no-store', body: { status: 'ok' } });
    expect(statements).toBe(0);
  });

  it('/readyz is ready with the database up and every migration applied', async () => {
    expect(await get('/readyz')).toEqual({ status: 200, cacheControl: 'no-store', body: { status: 'ready' } });
  });

  it('/readyz answers 503 while a migration is pending', async () => {
    const connection = h.orm.em.getConnection();
    const [last] = await connection.execute(`select id, name, executed_at from mikro_orm_migrations order by id desc limit 1`);
    await connection.execute(`delete from mikro_orm_migrations where id = ?`, [last.id]);
    try {
      expect(await get('/readyz')).toEqual({
        status: 503,
        cacheControl: 'no-store',
        body: { status: 'unavailable', reason: 'migrations pending', pendingMigrations: 1 },
      });
    } finally {
      await connection.execute(`insert into mikro_orm_migrations (id, name, executed_at) values (?, ?, ?)`, [
        last.id,
        last.name,
        last.executed_at,
      ]);
    }
    expect((await get('/readyz')).status).toBe(200);
  });

  it('/readyz answers 503 when the database cannot be reached; /healthz still 200', async () => {
    const connection = h.orm.em.getConnection();
    const execute = connection.execute;
    connection.execute = (async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }) as typeof connection.execute;
    try {
      expect(await get('/readyz')).toEqual({
        status: 503,
        cacheControl: 'no-store',
        body: { status: 'unavailable', reason: 'database unreachable' },
      });
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      connection.execute = execute;
    }
  });

  it('has replaced /health', async () => {
    expect((await fetch(`${h.url}/health`)).status).toBe(404);
  });
});

describe('production settings', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses introspection', async () => {
    const response = await h.post({ query: '{ __schema { queryType { name } } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).toMatch(/introspection is not allowed/i);
  });

  it('shows no landing page to a browser', async () => {
    const response = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).not.toMatch(/html/);
  });

  it('keeps both outside production by default, and GRAPHQL_INTROSPECTION overrides it', async () => {
    const { loadConfig } = await import('../src/config');
    expect(loadConfig({})).toMatchObject({ graphqlIntrospection: true, graphqlLandingPage: true });
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(production)).toMatchObject({ graphqlIntrospection: false, graphqlLandingPage: false });
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' })).toMatchObject({ graphqlIntrospection: true });
  });
});
