import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { onEveryStatement } from '../../src/db/statement-hook';
import type { Logger } from 'pino';
import { createApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { User, type Role } from '../../src/auth/user.entity';
import { signAccessToken } from '../../src/auth/viewer';
import { Forum } from '../../src/forum/forum.entity';
import { createContext } from '../../src/context';
import { ormOptions } from '../../src/db/mikro-orm.config';
import { languagePreference } from '../../src/shared/i18n';

/* Every statement sent to PostgreSQL by this process (the ORM's and the loaders' own). */
let statements = 0;
onEveryStatement(() => {
  statements += 1;
});
let users = 0;

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Harness {
  orm: MikroORM;
  app: App;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Runs an operation through Apollo's executeOperation with a fresh request context. */
  execute<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    acceptLanguage?: string,
    authorization?: string,
  ): Promise<GraphQLResult<T>>;
  /** POSTs an operation to /graphql over real HTTP. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  config: Config;
  /** The test file's own database. */
  databaseUrl: string;
  /**
   * A new user with this role (an organiser of `forumSlugs`), signed in: returns the value of
   * the Authorization header to send.
   */
  signIn(role: Role, forumSlugs?: string[]): Promise<string>;
  /** How many SQL statements `fn` sent. */
  countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }>;
  close(): Promise<void>;
}

/** The public base URL the tests' app is configured with. */
export const PUBLIC_BASE_URL = 'https://portal.example';

/** The URL of database `name` on the tests' server (TEST_DATABASE_URL). */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the tests' server as its admin, e.g. to create or drop a database. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, migrated, with the app built on it and listening. */
export async function startHarness(
  options: {
    /** Settings on top of the tests' defaults, e.g. { NODE_ENV: 'production' }. */
    env?: NodeJS.ProcessEnv;
    /** Where the app's request and error logs go (pino); by default the silent process logger. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const name = `forum_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  const orm = await MikroORM.init(ormOptions(databaseUrl(name)));
  // The response cache is off unless a test turns it on (response-cache.test.ts): other tests
  // count every statement of the process, which its listener's own would disturb, and write
  // directly through the ORM, whose notifications arrive a moment later.
  // Tests that send a hundred requests at once test what those requests do, not admission
  // control, which would refuse some under a slow run (admission.test.ts sets its own bound).
  const config = loadConfig({ PUBLIC_BASE_URL: PUBLIC_BASE_URL, RESPONSE_CACHE_MB: '0', MAX_REQUESTS_IN_FLIGHT: '10000', ...options.env });
  let app: App | undefined;
  try {
    await orm.getMigrator().up();
    app = await createApp(orm, config, { logger: options.logger });
    await new Promise<void>((resolve) => app!.httpServer.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    await orm.close();
    throw error;
  }
  const { port } = app.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const { apollo } = app;

  return {
    orm,
    app,
    url,
    async execute(query, variables, acceptLanguage, authorization) {
      const contextValue = await createContext(orm, {
        languages: languagePreference(acceptLanguage),
        publicBaseUrl: config.publicBaseUrl,
        authorization,
        auth: config,
        webhooksMayBePrivate: config.webhooks.allowPrivate,
      });
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      // Round-trip through JSON so results look as they do over HTTP (dates as strings).
      return JSON.parse(JSON.stringify(response.body.singleResult));
    },
    async post(body, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text so the test can show it
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    config,
    databaseUrl: databaseUrl(name),
    async signIn(role, forumSlugs = []) {
      const em = orm.em.fork();
      users += 1;
      // Sign-in by password is tested on its own; here the token is signed directly.
      const user = em.create(User, { email: `${role.toLowerCase()}-${users}@test.example`, passwordHash: 'unusable', role });
      user.forums.set(await em.find(Forum, { slug: { $in: forumSlugs } }));
      await em.flush();
      return `Bearer ${(await signAccessToken(user, config)).token}`;
    },
    async countStatements(fn) {
      const before = statements;
      const result = await fn();
      return { result, statements: statements - before };
    },
    async close() {
      await apollo.stop();
      await orm.close();
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}
