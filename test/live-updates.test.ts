import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createApp, type App } from '../src/app';
import { ArticleStatus } from '../src/article/article.entity';
import { Role } from '../src/auth/user.entity';
import { ormOptions } from '../src/db/mikro-orm.config';
import { toGlobalId } from '../src/shared/global-id';
import { CLOSE_UNAUTHENTICATED } from '../src/websocket';
import type { Session } from '../src/session/session.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * Subscriptions as an event app uses them: a graphql-ws client on one server instance, changes
 * made through another instance on the same database (or by SQL by hand), reconnects that lose
 * nothing, and the subscriber's rights on private fields.
 */
describe('live updates: agendaChanged over graphql-ws', () => {
  let h: Harness;
  /** A second server instance on the same database: the one the organisers write through. */
  let other: { orm: MikroORM; app: App; url: string };
  let sessions: Session[];
  let counted: Session[];
  let organiser: string;
  let editor: string;
  const clients: Client[] = [];

  const AGENDA_CHANGED = `subscription($slug: String!, $since: Int) {
    agendaChanged(forumSlug: $slug, sinceVersion: $since) {
      sinceVersion version changed { id slug status title participants { speaker { slug email } } } removed { id }
    }
  }`;
  const MOVE_SESSION = `mutation($input: MoveSessionInput!) { moveSession(input: $input) { version } }`;

  type Changes = {
    sinceVersion: number;
    version: number;
    changed: {
      id: string;
      slug: string;
      status: string;
      title: string;
      participants: { speaker: { slug: string; email: string | null } }[];
    }[];
    removed: { id: string }[];
  };

  const connect = (connectionParams?: Record<string, unknown>, url = h.url) => {
    const client = createClient({
      url: url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };

  type Event = FormattedExecutionResult<{ agendaChanged: Changes }, unknown>;

  /**
   * The events of one subscription as they arrive, read one at a time with a deadline. An
   * `error` message (the operation refused before it ran) ends it as an event with its errors.
   */
  function subscribe(client: Client, query: string, variables: Record<string, unknown>) {
    const events = client.iterate<{ agendaChanged: Changes }>({ query, variables });
    const arrived: Event[] = [];
    let wake: (() => void) | undefined;
    const pump = (async () => {
      try {
        for await (const event of events) {
          arrived.push(event);
          wake?.();
        }
      } catch (errors) {
        arrived.push({ errors: errors as Event['errors'] });
        wake?.();
      }
    })();
    const arrival = (ms: number) =>
      new Promise<boolean>((resolve) => {
        if (arrived.length > 0) return resolve(true);
        const timer = setTimeout(() => resolve(false), ms);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    return {
      next: async (withinMs = 5000): Promise<Event> => {
        if (!(await arrival(withinMs))) throw new Error(`no event within ${withinMs} ms`);
        return arrived.shift()!;
      },
      /** True when no event arrives within `ms` (and none is waiting). */
      quiet: async (ms: number): Promise<boolean> => !(await arrival(ms)),
      stop: async () => {
        await events.return?.();
        await pump;
      },
    };
  }

  /** The next slot of its own, 46 minutes after the last, from noon of the forum's first day. */
  let slot = 0;
  const nextSlot = () => new Date(Date.parse('2025-04-16T07:00:00Z') + slot++ * 46 * 60_000);

  const version = async () =>
    Number((await h.orm.em.getConnection().execute<{ v: number }[]>(`select schedule_version as v from forum where slug = 'camf'`))[0].v);

  /** Moves a session to a slot of its own through the other instance, as an organiser's app would. */
  async function move(session: Session): Promise<void> {
    const [row] = await h.orm.em.getConnection().execute<{ version: number }[]>('select version from session where id = ?', [session.id]);
    const startsAt = nextSlot();
    const response = await fetch(`${other.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: organiser },
      body: JSON.stringify({
        query: MOVE_SESSION,
        variables: {
          input: {
            id: toGlobalId('Session', session.id),
            expectedVersion: row.version,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 45 * 60_000).toISOString(),
          },
        },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
  }

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    const aida = make.speaker(em, 'aida', kz);
    aida.email = 'aida@example.org';
    const camf = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 6, speakers: [aida] });
    sessions = camf.sessions;
    const { forum: elsewhere } = make.forumWithAgenda(em, { slug: 'elsewhere', host: kz, sessions: 0, speakers: [aida] });
    // Only the tests that count statements subscribe to it: no other subscription wakes with it.
    counted = make.forumWithAgenda(em, { slug: 'counted', host: kz, sessions: 4, speakers: [aida] }).sessions;
    for (const [slug, forum] of [
      ['about-camf', camf.forum],
      ['about-elsewhere', elsewhere],
      ['embargoed', camf.forum],
      ['withdrawn', camf.forum],
      ['ping', camf.forum],
    ] as const) {
      make.article(em, slug, '2025-04-16T10:00:00Z', { forums: [forum] }).status = ArticleStatus.DRAFT;
    }
    await em.flush();
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
    editor = await h.signIn(Role.EDITOR);

    const orm = await MikroORM.init(ormOptions(h.databaseUrl));
    const app = await createApp(orm, h.config);
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    other = { orm, app, url: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}` };
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
  });

  afterAll(async () => {
    await other.app.apollo.stop();
    await other.orm.close();
    await h.close();
  });

  it('delivers a change committed through another server instance within a second', async () => {
    const events = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since: await version() });
    // Nothing changed since that version: the subscription waits.
    expect(await events.quiet(300)).toBe(true);
    const before = await version();
    await move(sessions[0]);
    const committed = Date.now();
    const { data, errors } = await events.next(1000);
    const latencyMs = Date.now() - committed;
    expect(errors).toBeUndefined();
    expect(data!.agendaChanged).toMatchObject({ sinceVersion: before, version: before + 1, removed: [] });
    expect(data!.agendaChanged.changed.map((s) => [s.slug, s.status])).toEqual([['camf-s1', 'MOVED']]);
    expect(latencyMs).toBeLessThan(1000);
  });

  it('gives an app that reconnects with its last version every change it missed', async () => {
    const first = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since: await version() });
    await move(sessions[1]);
    const seen = (await first.next()).data!.agendaChanged.version;
    await first.stop();

    // Offline: three sessions change.
    await move(sessions[2]);
    await move(sessions[3]);
    await move(sessions[4]);

    const again = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since: seen });
    const { data } = await again.next();
    expect(data!.agendaChanged.sinceVersion).toBe(seen);
    expect(data!.agendaChanged.version).toBe(seen + 3);
    expect(data!.agendaChanged.changed.map((s) => s.slug).sort()).toEqual(['camf-s3', 'camf-s4', 'camf-s5']);
  });

  it('sends nothing for a rolled-back change, and delivers changes made by SQL by hand', async () => {
    const events = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since: await version() });
    const sql = new PgClient({ connectionString: h.databaseUrl });
    await sql.connect();
    try {
      await sql.query('begin');
      await sql.query(`update session set title = '{"en": "Never happened"}' where id = $1`, [sessions[5].id]);
      await sql.query('rollback');
      expect(await events.quiet(500)).toBe(true);

      const before = await version();
      await sql.query(`update session set title = '{"en": "Renamed by hand"}' where id = $1`, [sessions[0].id]);
      const { data } = await events.next();
      expect(data!.agendaChanged.version).toBe(before + 1);
      expect(data!.agendaChanged.changed.map((s) => [s.slug, s.title])).toEqual([['camf-s1', 'Renamed by hand']]);
    } finally {
      await sql.end();
    }
  });

  it('answers private speaker fields as queries do: null for the public, present for the organiser', async () => {
    const since = await version();
    const anonymous = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since });
    const organisers = subscribe(connect({ authorization: organiser }), AGENDA_CHANGED, { slug: 'camf', since });
    await move(sessions[1]);
    const emails = (result: Event) => result.data!.agendaChanged.changed.flatMap((s) => s.participants.map((p) => p.speaker.email));
    expect(emails(await anonymous.next())).toEqual([null]);
    expect(emails(await organisers.next())).toEqual(['aida@example.org']);
  });

  it('reports each event as it is now, not as an earlier event of the same subscription loaded it', async () => {
    const events = subscribe(connect(), AGENDA_CHANGED, { slug: 'camf', since: await version() });
    await move(sessions[2]);
    const first = (await events.next()).data!.agendaChanged.changed[0];
    await h.orm.em.getConnection().execute(`update session set title = '{"en": "Second title"}' where id = ?`, [sessions[2].id]);
    const second = (await events.next()).data!.agendaChanged.changed[0];
    expect([first.slug, second.slug]).toEqual(['camf-s3', 'camf-s3']);
    expect(second.title).toBe('Second title');
  });

  const countedVersion = async () =>
    Number(
      (await h.orm.em.getConnection().execute<{ v: number }[]>(`select schedule_version as v from forum where slug = 'counted'`))[0].v,
    );
  const renameRoom = (session: Session, room: string) =>
    h.orm.em.getConnection().execute(`update session set room = jsonb_build_object('en', ?::text) where id = ?`, [room, session.id]);

  it('reads an event in the same few statements whether one session changed or three (no N+1)', async () => {
    const eventOf = async (changedSessions: Session[]) => {
      const since = await countedVersion();
      for (const session of changedSessions) await renameRoom(session, `Hall ${since}`);
      const events = subscribe(connect(), AGENDA_CHANGED, { slug: 'counted', since });
      const { result, statements } = await h.countStatements(() => events.next());
      await events.stop();
      expect(result.data!.agendaChanged.changed).toHaveLength(changedSessions.length);
      return statements;
    };
    const one = await eventOf([counted[0]]);
    const three = await eventOf([counted[1], counted[2], counted[3]]);
    // The forum by slug; then per event the forum by id, the changed and the removed sessions,
    // and the participants joined with their speakers.
    expect([one, three]).toEqual([5, 5]);
  });

  it('reads a change once for all the subscriptions it wakes at the same version', async () => {
    const since = await countedVersion();
    const subscribers = [0, 1, 2].map(() => subscribe(connect(), AGENDA_CHANGED, { slug: 'counted', since }));
    // Each is in place once it has the first change.
    await renameRoom(counted[0], 'Warm-up');
    for (const subscriber of subscribers) await subscriber.next();
    const { statements } = await h.countStatements(async () => {
      await renameRoom(counted[0], 'Shared');
      for (const subscriber of subscribers) expect((await subscriber.next()).data!.agendaChanged.changed).toHaveLength(1);
    });
    // The update; the forum, the changed and the removed sessions once; each subscriber's
    // participants (its own loaders, under its own rights).
    expect(statements).toBe(1 + 3 + subscribers.length);
    for (const subscriber of subscribers) await subscriber.stop();
  });

  it('refuses what it must with a coded error, never a 500', async () => {
    const client = connect();
    const error = async (query: string, variables: Record<string, unknown> = {}) => {
      const { errors } = await subscribe(client, query, variables).next();
      return errors?.map((e) => e.extensions?.code);
    };
    expect(await error(AGENDA_CHANGED, { slug: 'nope' })).toEqual(['NOT_FOUND']);
    expect(await error(AGENDA_CHANGED, { slug: 'camf', since: 1_000_000 })).toEqual(['BAD_USER_INPUT']);
    expect(await error(AGENDA_CHANGED, { slug: 'camf\u0000' })).toEqual(['BAD_USER_INPUT']);
    expect(await error('{ __typename }')).toEqual(['BAD_USER_INPUT']);
    expect(await error('subscription { agendaChanged(forumSlug: "camf") { nope } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // changed → participants → session → participants → ...: deeper than the 12 levels allowed.
    const deep = `subscription { agendaChanged(forumSlug: "camf") { changed { ${'participants { session { '.repeat(6)}slug${' } }'.repeat(6)} } } }`;
    expect(await error(deep)).toEqual(['QUERY_TOO_COMPLEX']);

    // Over HTTP a subscription is refused, not run.
    const overHttp = await h.post({ query: AGENDA_CHANGED, variables: { slug: 'camf' } });
    expect(overHttp.status).toBeLessThan(500);
    expect(overHttp.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  describe('articlePublished', () => {
    const ARTICLE_PUBLISHED = `subscription($slug: String) { articlePublished(forumSlug: $slug) { slug status } }`;
    const PUBLISH = `mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug } }`;
    const slugOf = (event: Event) => (event.data as unknown as { articlePublished: { slug: string } }).articlePublished.slug;
    const sql = (text: string, params: unknown[] = []) => h.orm.em.getConnection().execute(text, params);
    const idOf = async (slug: string) => Number((await sql('select id from article where slug = ?', [slug]))[0].id);

    /**
     * Resolves once every one of `subscriptions` is in place: articlePublished sends nothing to
     * begin with, so an article about camf is published again and again until each has seen it;
     * those pings are then read away.
     */
    async function whenSubscribed(...subscriptions: ReturnType<typeof subscribe>[]): Promise<void> {
      const pinged = new Set<number>();
      for (let attempt = 0; pinged.size < subscriptions.length; attempt += 1) {
        if (attempt === 50) throw new Error('the subscriptions did not start');
        await sql(`update article set status = 'DRAFT' where slug = 'ping'`);
        await sql(`update article set status = 'PUBLISHED', published_at = now() where slug = 'ping'`);
        for (const [index, subscription] of subscriptions.entries()) {
          if (!pinged.has(index) && !(await subscription.quiet(100))) pinged.add(index);
        }
      }
      for (const subscription of subscriptions) {
        while (!(await subscription.quiet(150))) expect(slugOf(await subscription.next())).toBe('ping');
      }
    }

    it('announces an article when an editor publishes it, to the subscribers of its forum and of all', async () => {
      const aboutCamf = subscribe(connect(), ARTICLE_PUBLISHED, { slug: 'camf' });
      const all = subscribe(connect(), ARTICLE_PUBLISHED, {});
      await whenSubscribed(aboutCamf, all);
      await sql(`update article set status = 'PUBLISHED', published_at = now() where slug = 'about-elsewhere'`);
      expect(slugOf(await all.next())).toBe('about-elsewhere');

      const response = await fetch(`${other.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: editor },
        body: JSON.stringify({ query: PUBLISH, variables: { input: { id: toGlobalId('Article', await idOf('about-camf')) } } }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect(slugOf(await aboutCamf.next())).toBe('about-camf');
      expect(slugOf(await all.next())).toBe('about-camf');
      // The article about the other forum never reached the forum's subscriber.
      expect(await aboutCamf.quiet(200)).toBe(true);
    });

    it('announces an embargoed article when its time comes, not before, and nothing for a rollback', async () => {
      const events = subscribe(connect(), ARTICLE_PUBLISHED, { slug: 'camf' });
      await whenSubscribed(events);
      const client = new PgClient({ connectionString: h.databaseUrl });
      await client.connect();
      try {
        await client.query('begin');
        await client.query(`update article set status = 'PUBLISHED', published_at = now() where slug = 'withdrawn'`);
        await client.query('rollback');
      } finally {
        await client.end();
      }
      const [{ at }] = await sql(
        `update article set status = 'SCHEDULED', published_at = now() + interval '1500 milliseconds' where slug = 'embargoed' returning published_at as at`,
      );
      expect(await events.quiet(1000)).toBe(true);
      const event = await events.next(3000);
      expect(Date.now()).toBeGreaterThanOrEqual(new Date(at as string).getTime());
      expect(event.data).toEqual({ articlePublished: { slug: 'embargoed', status: 'SCHEDULED' } });
      expect(await events.quiet(300)).toBe(true);
    });
  });

  it('closes the socket with 4401 and the reason for a bad token', async () => {
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: h.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer not-a-token' },
        retryAttempts: 0,
        on: { closed: (event) => resolve(event as { code: number; reason: string }) },
      });
      clients.push(client);
      // The connection opens with the first subscription.
      client.subscribe(
        { query: AGENDA_CHANGED, variables: { slug: 'camf' } },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    const { code, reason } = await closed;
    expect(code).toBe(CLOSE_UNAUTHENTICATED);
    expect(reason).toMatch(/invalid or has expired/);
  });
});

describe('live updates: who may connect, and how much', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: { CORS_ORIGINS: 'https://camf.kz', WS_MAX_CONNECTIONS_PER_CLIENT: '2', WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' },
    });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [make.speaker(em, 'aida', kz)] });
    await em.flush();
  });

  afterAll(async () => {
    await h.close();
  });

  /** The HTTP status of a WebSocket handshake (101 when it opened), and the socket when it did. */
  const handshake = (headers: Record<string, string> = {}, path = '/graphql') =>
    new Promise<{ status: number; socket?: WebSocket }>((resolve) => {
      const socket = new WebSocket(h.url.replace(/^http/, 'ws') + path, 'graphql-transport-ws', { headers });
      socket.once('open', () => resolve({ status: 101, socket }));
      socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    });
  const close = (socket?: WebSocket) =>
    new Promise<void>((resolve) => {
      if (!socket) return resolve();
      socket.once('close', () => resolve());
      socket.close();
    });

  it('refuses a browser page whose Origin is not one of CORS_ORIGINS, and paths other than /graphql', async () => {
    expect((await handshake({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await handshake({}, '/elsewhere')).status).toBe(404);
    const allowed = await handshake({ origin: 'https://camf.kz' });
    expect(allowed.status).toBe(101);
    await close(allowed.socket);
  });

  it('caps the connections of one client, and frees a place when one closes', async () => {
    const first = await handshake();
    const second = await handshake();
    expect([first.status, second.status]).toEqual([101, 101]);
    expect((await handshake()).status).toBe(429);
    await close(first.socket);
    const third = await handshake();
    expect(third.status).toBe(101);
    await Promise.all([close(second.socket), close(third.socket)]);
  });

  it('caps the subscriptions of one connection with RATE_LIMITED', async () => {
    const client = createClient({ url: h.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0 });
    const query = 'subscription { agendaChanged(forumSlug: "camf") { version } }';
    const outcome = (sink: { error?: unknown }) => ({
      next: () => undefined,
      error: (error: unknown) => (sink.error = error),
      complete: () => undefined,
    });
    const sinks = [{}, {}, {}] as { error?: unknown }[];
    const stops = sinks.map((sink) => client.subscribe({ query }, outcome(sink)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sinks.map((s) => (s.error as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code)).toEqual([
      undefined,
      undefined,
      'RATE_LIMITED',
    ]);
    stops.forEach((stop) => stop());
    await client.dispose();
  });
});
