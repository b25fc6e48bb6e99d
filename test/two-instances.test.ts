import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Role } from '../src/auth/user.entity';
import { ormOptions } from '../src/db/mikro-orm.config';
import { halfSentPost } from './helpers/half-sent';
import { adminQuery, databaseUrl } from './helpers/harness';
import { buildServer, startServerProcess, type ServerProcess } from './helpers/server-process';
import { describeUnless, TEST_REDIS_URL, unreachable } from './helpers/services';
import * as make from './factories';

const ROOT = path.join(__dirname, '..');
const PASSWORD = 'correct horse battery';
const AGENDA = '{ forum(slug: "camf") { days { sessions { id version title } } } }';

interface Answer {
  status: number;
  cache: string | null;
  body: { data?: any; errors?: { extensions: { code: string } }[] };
}

/**
 * Two production processes (compiled, NODE_ENV=production) on one PostgreSQL database and one
 * Redis, as behind a load balancer: started together on an empty database, they apply the
 * migrations once; they enforce one sign-in budget; a write through one is in the other's cached
 * answers as soon as PostgreSQL's notification reaches it; and one stopped with SIGTERM fails no request it had accepted.
 */
describeUnless(unreachable(TEST_REDIS_URL, 'Redis'))('two instances', () => {
  const name = `forum_test_${randomBytes(6).toString('hex')}`;
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(name),
    REDIS_URL: TEST_REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
  let build: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const started: ServerProcess[] = [];

  beforeAll(async () => {
    [build] = await Promise.all([buildServer(), adminQuery(`create database "${name}"`)]);
  }, 180_000);

  afterAll(async () => {
    for (const server of started) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await adminQuery(`drop database if exists "${name}" with (force)`);
    if (build) fs.rmSync(build, { recursive: true, force: true });
  });

  async function post(to: ServerProcess, query: string, variables: Record<string, unknown> = {}, authorization?: string): Promise<Answer> {
    const response = await fetch(`${to.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, cache: response.headers.get('x-cache'), body: (await response.json()) as Answer['body'] };
  }

  /** The server's request log lines: request id → status. */
  function requestLog(server: ServerProcess): Map<string, number> {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; requestId?: string; status?: number });
    return new Map(lines.filter((l) => l.msg === 'request').map((l) => [l.requestId!, l.status!]));
  }

  it('come up together on an empty database, with each migration applied once', async () => {
    [a, b] = await Promise.all([startServerProcess(env, build), startServerProcess(env, build)]);
    started.push(a, b);
    const migrated = [a, b].filter((server) => server.output().includes('"msg":"migrations applied"'));
    expect(migrated).toHaveLength(1);

    const files = fs.readdirSync(path.join(ROOT, 'src/db/migrations')).filter((file) => file.endsWith('.ts'));
    const client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; times: number }>(
        'select name, count(*)::int as times from mikro_orm_migrations group by name order by name',
      );
      expect(rows).toEqual(
        files.map((file) => ({ name: file.replace(/\.ts$/, ''), times: 1 })).sort((x, y) => x.name.localeCompare(y.name)),
      );
    } finally {
      await client.end();
    }

    // The data the next tests read, written directly, as another process would.
    const orm = await MikroORM.init(ormOptions(databaseUrl(name)));
    try {
      const em = orm.em.fork();
      const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
      const { forum } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 4, speakers: [make.speaker(em, 'aida', kz)] });
      await make.user(em, 'organiser@test.example', PASSWORD, Role.ORGANISER, [forum]);
      await em.flush();
    } finally {
      await orm.close();
    }
  }, 120_000);

  it('refuse the 11th sign-in attempt for one email when the attempts alternate between them', async () => {
    const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
    // An email no earlier run used: Redis keeps the counts for the window.
    const email = `guess-${randomBytes(6).toString('hex')}@example.org`;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const answer = await post(attempt % 2 ? a : b, LOGIN, { email, password: `guess ${attempt}` });
      expect([answer.status, answer.body.errors?.[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    for (const server of [a, b]) {
      const refused = await post(server, LOGIN, { email, password: PASSWORD });
      expect([refused.status, refused.body.errors?.[0].extensions.code]).toEqual([429, 'RATE_LIMITED']);
    }
  });

  it('show a write made through one in the cached answer of the other as soon as its notification arrives', async () => {
    const login = await post(a, 'mutation { login(email: "organiser@test.example", password: "correct horse battery") { accessToken } }');
    const authorization = `Bearer ${login.body.data.login.accessToken as string}`;
    // The writer's instance has its notifications before it answers; the other gets them from
    // PostgreSQL at the same commit, but its listener's backend may be scheduled a moment after the
    // answer on a busy machine. Seen stale for longer than that, it would be waiting for the entry
    // to expire (CACHE_MAX_AGE, 60 s): notifications would not be reaching it.
    const PROPAGATION_MS = 2_000;
    for (let round = 1; round <= 5; round += 1) {
      await post(b, AGENDA);
      const cached = await post(b, AGENDA);
      expect(cached.cache).toBe('HIT');
      const session = cached.body.data.forum.days[0].sessions[0] as { id: string; version: number };
      const title = `Opening, round ${round}`;
      const update = await post(
        a,
        'mutation($input: UpdateSessionInput!) { updateSession(input: $input) { title } }',
        { input: { id: session.id, expectedVersion: session.version, title: { en: title } } },
        authorization,
      );
      expect(update.body).toEqual({ data: { updateSession: { title } } });
      const answered = Date.now();
      let after = await post(b, AGENDA);
      while (after.body.data.forum.days[0].sessions[0].title !== title && Date.now() - answered < PROPAGATION_MS) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        after = await post(b, AGENDA);
      }
      expect(after.body.data.forum.days[0].sessions[0].title).toBe(title);
    }
  });

  it('fail no request that one accepted when it is stopped with SIGTERM, while a client alternates between them', async () => {
    const outcomes: { to: 'a' | 'b'; id: string; status?: number; error?: string }[] = [];
    let running = true;
    /** A client sending requests one after another, alternating between the instances. */
    const client = async (n: number) => {
      for (let i = 0; running; i += 1) {
        const to = i % 2 ? 'a' : 'b';
        const id = `sigterm-${n}-${i}`;
        try {
          const response = await fetch(`${(to === 'a' ? a : b).url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': id },
            body: JSON.stringify({ query: AGENDA }),
          });
          await response.text();
          outcomes.push({ to, id, status: response.status });
        } catch (error) {
          outcomes.push({ to, id, error: String((error as { cause?: unknown }).cause ?? error) });
        }
      }
    };
    const clients = [client(1), client(2), client(3)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    const held = [
      halfSentPost(`${a.url}/graphql`, JSON.stringify({ query: AGENDA })),
      halfSentPost(`${a.url}/graphql`, JSON.stringify({ query: AGENDA })),
    ];
    await new Promise((resolve) => setTimeout(resolve, 100));

    a.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Accepted before the signal, finished after it: answered all the same.
    for (const request of held) request.finish();
    for (const { answer } of held) expect((await answer).status).toBe(200);
    expect(await a.exited).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(clients);

    const accepted = requestLog(a);
    const toA = outcomes.filter((o) => o.to === 'a');
    // Every request A logged was answered, and the client got that answer.
    expect(toA.filter((o) => accepted.has(o.id) && (accepted.get(o.id) !== 200 || o.status !== 200))).toEqual([]);
    // What failed never reached A's handlers: refused connections once it stopped listening.
    const failed = toA.filter((o) => o.status !== 200);
    expect(failed.filter((o) => accepted.has(o.id) || o.status !== undefined)).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    // B answered everything, before, during and after.
    expect(outcomes.filter((o) => o.to === 'b' && o.status !== 200)).toEqual([]);
    expect(outcomes.filter((o) => o.to === 'b').length).toBeGreaterThan(10);
    expect(a.output()).toContain('"msg":"shutting down"');
  }, 60_000);
});
