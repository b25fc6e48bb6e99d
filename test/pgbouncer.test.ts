import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Role } from '../src/auth/user.entity';
import { ConfigError, loadConfig } from '../src/config';
import { freePort } from '../src/db/embedded';
import { ormOptions } from '../src/db/mikro-orm.config';
import { adminQuery, databaseUrl } from './helpers/harness';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { describeUnless } from './helpers/services';
import * as make from './factories';

/**
 * The server behind PgBouncer in transaction mode (issue 15): Debian's pgbouncer 1.18, which
 * predates prepared-statement support, between the real entry point and a fresh database.
 * DATABASE_URL names PgBouncer, DATABASE_LISTEN_URL PostgreSQL itself, PREPARED_STATEMENTS=false.
 */
const ROOT = path.join(__dirname, '..');
const JWT_SECRET = randomBytes(24).toString('hex');
const PASSWORD = 'correct horse battery';
/** The applications that need a session of their own (LISTEN, advisory locks): never through the pooler. */
const SESSION_APPLICATIONS = ['forum-portal response cache', 'forum-portal live updates', 'forum-portal webhooks'];

/** PgBouncer's binary: on PATH, or where Debian's package puts it (/usr/sbin is not on every PATH). */
const PGBOUNCER = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']
  .filter(Boolean)
  .map((dir) => path.join(dir, 'pgbouncer'))
  .find((file) => fs.existsSync(file));

interface Bouncer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Our own PgBouncer in front of the tests' PostgreSQL, on a free port with its own files, apart
 * from any system service the Debian package may run on 6432.
 */
async function startPgBouncer(database: string, options: { ignoreStatementTimeout: boolean }): Promise<Bouncer> {
  const target = new URL(process.env.TEST_DATABASE_URL!);
  const user = decodeURIComponent(target.username) || 'postgres';
  const password = decodeURIComponent(target.password);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-pgbouncer-'));
  const port = await freePort();
  // Clients are trusted; the auth file only names the admin console's user (SHOW CLIENTS).
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${user}" ""\n`);
  const ini = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || 5432} user=${user}${password ? ` password=${password}` : ''}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      `admin_users = ${user}`,
      'pool_mode = transaction',
      // Fewer server connections than the app's pool has (10): its connections take turns on them.
      'default_pool_size = 3',
      ...(options.ignoreStatementTimeout ? ['ignore_startup_parameters = statement_timeout'] : []),
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: it reads its files, then becomes `nobody`.
  const args = process.getuid?.() === 0 ? ['-u', 'nobody', ini] : [ini];
  const child = spawn(PGBOUNCER!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('process up')) resolve();
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`pgbouncer exited with ${code}:\n${output}`)));
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('settings for a transaction-mode pooler', () => {
  it('takes DATABASE_LISTEN_URL and PREPARED_STATEMENTS, and refuses what it cannot use, in one line', () => {
    expect(loadConfig({})).toMatchObject({ databaseListenUrl: undefined, preparedStatements: true });
    const pooled = { DATABASE_URL: 'postgresql://forum@pgbouncer:6432/forum' };
    expect(loadConfig({ ...pooled, DATABASE_LISTEN_URL: 'postgresql://forum@db:5432/forum', PREPARED_STATEMENTS: 'false' })).toMatchObject({
      databaseListenUrl: 'postgresql://forum@db:5432/forum',
      preparedStatements: false,
    });
    expect(() => loadConfig({ ...pooled, DATABASE_LISTEN_URL: 'db:5432' })).toThrow(
      new ConfigError('DATABASE_LISTEN_URL must start with postgres:// or postgresql://'),
    );
    expect(() => loadConfig({ DATABASE_LISTEN_URL: 'postgresql://forum@db:5432/forum' })).toThrow(
      new ConfigError('DATABASE_LISTEN_URL needs DATABASE_URL: the embedded database has no other address'),
    );
    expect(() => loadConfig({ PREPARED_STATEMENTS: 'off' })).toThrow(
      new ConfigError('PREPARED_STATEMENTS must be true or false, got "off"'),
    );
  });
});

type Server = ServerProcess;

describeUnless(PGBOUNCER ? undefined : 'pgbouncer is not installed (apt-get install pgbouncer)')(
  'behind PgBouncer 1.18 in transaction mode',
  () => {
    const name = `forum_test_${randomBytes(6).toString('hex')}`;
    const children: ChildProcess[] = [];
    const bouncers: Bouncer[] = [];
    let bouncer: Bouncer;
    let server: Server;
    let orm: MikroORM | undefined;

    const throughBouncer = (port: number) => {
      const url = new URL(databaseUrl(name));
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    };

    /** The real entry point, as `npm start` runs it, through PgBouncer with LISTEN direct. */
    async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
      const started = await startServerProcess({
        DATABASE_URL: throughBouncer(bouncer.port),
        DATABASE_LISTEN_URL: databaseUrl(name),
        PREPARED_STATEMENTS: 'false',
        JWT_SECRET,
        ...env,
      });
      children.push(started.child);
      return started;
    }

    async function post(to: Server, query: string, variables: Record<string, unknown> = {}, authorization?: string) {
      const response = await fetch(`${to.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        cache: response.headers.get('x-cache'),
        body: (await response.json()) as { data?: any; errors?: any[] },
      };
    }

    /** Runs one statement on a database of PostgreSQL itself, or on PgBouncer's admin console. */
    async function sql<Row extends object>(url: string, text: string): Promise<Row[]> {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<Row>(text)).rows;
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await adminQuery(`create database "${name}"`);
      // What an operator does behind PgBouncer, which drops the startup parameter (README).
      await adminQuery(`alter database "${name}" set statement_timeout = '5s'`);
      bouncer = await startPgBouncer(name, { ignoreStatementTimeout: true });
      bouncers.push(bouncer);
      server = await startServer({});

      // The test's own data, written directly, as another process would.
      orm = await MikroORM.init(ormOptions(databaseUrl(name)));
      const em = orm.em.fork();
      const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
      const speakers = [make.speaker(em, 'aida', kz), make.speaker(em, 'bolat', kz)];
      const { forum } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 4, speakers });
      await make.user(em, 'organiser@test.example', PASSWORD, Role.ORGANISER, [forum]);
      await em.flush();
    }, 120_000);

    afterAll(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await orm?.close();
      for (const b of bouncers) await b.stop();
      await adminQuery(`drop database if exists "${name}" with (force)`);
    });

    it('applies the migrations through it, and keeps LISTEN and the advisory locks on connections of their own', async () => {
      expect(server.output()).toContain('"msg":"migrations applied"');
      // The database's timeout (set above) is the one STATEMENT_TIMEOUT_MS asks for: no warning.
      expect(server.output()).not.toContain('statement_timeout is');
      const files = fs.readdirSync(path.join(ROOT, 'src/db/migrations')).filter((file) => file.endsWith('.ts'));
      const [{ applied }] = await sql<{ applied: number }>(databaseUrl(name), 'select count(*)::int as applied from mikro_orm_migrations');
      expect(applied).toBe(files.length);

      const direct = await sql<{ application_name: string }>(
        databaseUrl(name),
        `select distinct application_name from pg_stat_activity where datname = '${name}' and application_name like 'forum-portal %' order by 1`,
      );
      expect(direct.map((row) => row.application_name)).toEqual(SESSION_APPLICATIONS.slice().sort());
      const pooled = await sql<{ database: string; application_name: string }>(
        throughBouncer(bouncer.port).replace(`/${name}`, '/pgbouncer'),
        'show clients',
      );
      const appClients = pooled.filter((client) => client.database === name);
      expect(appClients.length).toBeGreaterThan(0);
      expect(appClients.filter((client) => SESSION_APPLICATIONS.includes(client.application_name))).toEqual([]);
    });

    it('answers public reads with nested relations, a signed-in write, and the cached read after it shows the write', async () => {
      const AGENDA = `query($slug: String!) { forum(slug: $slug) { title days { date sessions { title participants { role speaker { fullName country { code name } } } } } } }`;
      const first = await post(server, AGENDA, { slug: 'camf' });
      expect(first).toMatchObject({ status: 200, cache: 'MISS' });
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data.forum.days.map((day: any) => day.sessions.map((s: any) => s.title))).toEqual([
        ['Session 1', 'Session 2'],
        ['Session 3', 'Session 4'],
      ]);
      expect(first.body.data.forum.days[0].sessions[0].participants).toEqual([
        { role: 'MODERATOR', speaker: { fullName: 'Speaker aida', country: { code: 'KZ', name: 'Kazakhstan' } } },
        { role: 'SPEAKER', speaker: { fullName: 'Speaker bolat', country: { code: 'KZ', name: 'Kazakhstan' } } },
      ]);
      expect(await post(server, AGENDA, { slug: 'camf' })).toMatchObject({ cache: 'HIT', body: first.body });

      const speakers = await post(server, '{ speakers(first: 10) { totalCount nodes { slug participations { role session { slug } } } } }');
      expect(speakers.body).toEqual({
        data: {
          speakers: {
            totalCount: 2,
            nodes: [
              {
                slug: 'aida',
                participations: [
                  { role: 'MODERATOR', session: { slug: 'camf-s1' } },
                  { role: 'SPEAKER', session: { slug: 'camf-s2' } },
                  { role: 'MODERATOR', session: { slug: 'camf-s3' } },
                  { role: 'SPEAKER', session: { slug: 'camf-s4' } },
                ],
              },
              {
                slug: 'bolat',
                participations: [
                  { role: 'SPEAKER', session: { slug: 'camf-s1' } },
                  { role: 'MODERATOR', session: { slug: 'camf-s2' } },
                  { role: 'SPEAKER', session: { slug: 'camf-s3' } },
                  { role: 'MODERATOR', session: { slug: 'camf-s4' } },
                ],
              },
            ],
          },
        },
      });
      const SEARCH = 'query($q: String!) { search(query: $q) { totalCount hits { kind node { ... on Speaker { slug } } } } }';
      const search = await post(server, SEARCH, { q: 'bolat' });
      expect(search.body).toEqual({ data: { search: { totalCount: 1, hits: [{ kind: 'SPEAKER', node: { slug: 'bolat' } }] } } });

      const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
      const login = await post(server, LOGIN, { email: 'organiser@test.example', password: PASSWORD });
      expect(login.body.errors).toBeUndefined();
      const authorization = `Bearer ${login.body.data.login.accessToken as string}`;
      const { body: read } = await post(
        server,
        '{ forum(slug: "camf") { sessions(first: 1) { nodes { id version } } } }',
        {},
        authorization,
      );
      const [session] = read.data.forum.sessions.nodes as { id: string; version: number }[];
      const update = await post(
        server,
        'mutation($input: UpdateSessionInput!) { updateSession(input: $input) { title } }',
        { input: { id: session.id, expectedVersion: session.version, title: { en: 'Opening, behind a pooler' } } },
        authorization,
      );
      expect(update.body).toEqual({ data: { updateSession: { title: 'Opening, behind a pooler' } } });

      // The write's notification reached the listener on its direct connection before the answer.
      const after = await post(server, AGENDA, { slug: 'camf' });
      expect(after.cache).toBe('MISS');
      expect(after.body.data.forum.days[0].sessions[0].title).toBe('Opening, behind a pooler');
    });

    /** Twice as many different agenda reads at once as the app's pool has connections. */
    async function concurrentReads(to: Server): Promise<{ status: number; errors: number }[]> {
      const QUERY = `query($n: Int!) { forum(slug: "camf") { sessions(first: $n) { nodes { title participants { speaker { fullName country { name } } } } } } }`;
      return Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const { status, body } = await post(to, QUERY, { n: i + 1 });
          return { status, errors: body.errors?.length ?? 0 };
        }),
      );
    }

    it('fails with prepared statements left on, which PgBouncer 1.18 hands to other server connections', async () => {
      const safe = (await concurrentReads(server)).filter((r) => r.status !== 200 || r.errors > 0);
      expect(safe).toEqual([]);

      const prepared = await startServer({
        PREPARED_STATEMENTS: '',
        MIGRATE_ON_START: 'false',
        RESPONSE_CACHE_MB: '0',
        STATEMENT_TIMEOUT_MS: '2000',
      });
      // The database's own timeout, set for the pooler, is not the one asked for: said at start.
      expect(prepared.output()).toContain('statement_timeout is 5000 ms on the database connections, not STATEMENT_TIMEOUT_MS=2000');
      const failed = (await concurrentReads(prepared)).filter((r) => r.status !== 200 || r.errors > 0);
      expect(failed.length).toBeGreaterThan(0);
      // A named statement parsed by one of the app's connections on a server connection another of
      // them parses it on again ("already exists"), or runs it on one that never saw it ("does not exist").
      expect(prepared.output()).toMatch(/prepared statement \\"read_\d+\\" (already exists|does not exist)/);
    });

    it('fails to start, saying what to change, when PgBouncer refuses the statement_timeout startup parameter', async () => {
      const strict = await startPgBouncer(name, { ignoreStatementTimeout: false });
      bouncers.push(strict);
      const message =
        'failed to start: the pooler at DATABASE_URL refuses the statement_timeout startup parameter: add "ignore_startup_parameters = statement_timeout" to its configuration and set the timeout with ALTER ROLE … SET statement_timeout (README, Behind PgBouncer)';
      // Its log line, as JSON writes it.
      await expect(startServer({ DATABASE_URL: throughBouncer(strict.port), MIGRATE_ON_START: 'false' })).rejects.toThrow(
        `"msg":${JSON.stringify(message)}`,
      );
    });
  },
);
