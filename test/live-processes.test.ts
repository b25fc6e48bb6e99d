import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { Webhook as Verifier } from 'standardwebhooks';
import WebSocket from 'ws';
import { Role } from '../src/auth/user.entity';
import type { Session } from '../src/session/session.entity';
import { toGlobalId } from '../src/shared/global-id';
import { startHarness, type Harness } from './helpers/harness';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import * as make from './factories';

/**
 * Live updates across real server processes (the compiled-on-the-fly entry point, as `npm start`
 * runs it) on one database: a subscriber on one process hears a change made through another, and
 * a webhook event committed while no server runs is delivered once by the next one to start.
 */
const JWT_SECRET = randomBytes(24).toString('hex');

describe('live updates across server processes', () => {
  let h: Harness;
  let sessions: Session[];
  const running: ChildProcess[] = [];
  const clients: Client[] = [];

  async function startServer(): Promise<ServerProcess> {
    const started = await startServerProcess({ DATABASE_URL: h.databaseUrl, JWT_SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' });
    running.push(started.child);
    return started;
  }

  const kill = (server: ServerProcess) =>
    new Promise<void>((resolve) => {
      server.child.once('exit', () => resolve());
      server.child.kill('SIGKILL');
    });

  beforeAll(async () => {
    h = await startHarness({ env: { JWT_SECRET } });
    // Only the spawned processes deliver webhooks and serve subscriptions in this test.
    await h.app.apollo.stop();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    sessions = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [make.speaker(em, 'aida', kz)] }).sessions;
    await em.flush();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
  });

  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h.close();
  });

  it('delivers to a subscriber on process A a change committed through process B within a second', async () => {
    const [a, b] = await Promise.all([startServer(), startServer()]);
    const [{ v: since }] = await h.orm.em.getConnection().execute(`select schedule_version as v from forum where slug = 'camf'`);
    const client = createClient({ url: a.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    const events = client.iterate<{ agendaChanged: { version: number; changed: { slug: string; status: string }[] } }>({
      query: 'subscription($since: Int) { agendaChanged(forumSlug: "camf", sinceVersion: $since) { version changed { slug status } } }',
      variables: { since: Number(since) },
    });
    const first = events.next();
    // The subscription reads once it is in place: a change before then still arrives (since).
    const organiser = await h.signIn(Role.ORGANISER, ['camf']);
    const [{ version }] = await h.orm.em.getConnection().execute('select version from session where id = ?', [sessions[0].id]);
    const startsAt = new Date(sessions[0].startsAt.getTime() + 3 * 3_600_000);
    const response = await fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: organiser },
      body: JSON.stringify({
        query: 'mutation($input: MoveSessionInput!) { moveSession(input: $input) { version } }',
        variables: {
          input: {
            id: toGlobalId('Session', sessions[0].id),
            expectedVersion: version,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 45 * 60_000).toISOString(),
          },
        },
      }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const committed = Date.now();
    const { value } = await first;
    expect(Date.now() - committed).toBeLessThan(1000);
    expect(value!.data!.agendaChanged.changed).toEqual([{ slug: 'camf-s1', status: 'MOVED' }]);
    await Promise.all([kill(a), kill(b)]);
  });

  it('delivers a webhook event committed while no server runs, once, when the next one starts', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const event = new Verifier(secret).verify(body, req.headers as Record<string, string>) as { type: string };
        received.push(`${req.headers['webhook-id'] as string} ${event.type}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const sql = (text: string, params: unknown[] = []) => h.orm.em.getConnection().execute(text, params);
      const [{ id: owner }] = await sql(`select id from app_user order by id limit 1`);
      await sql(`insert into webhook (url, events, secret, owner_id) values (?, '{SESSION_CHANGED}', ?, ?)`, [url, secret, owner]);

      // A server runs, and is killed: nothing gets to stop it cleanly.
      await kill(await startServer());
      // The change commits with its outbox row while no server runs.
      await sql(`update session set title = '{"en": "Changed while down"}' where id = ?`, [sessions[1].id]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual([]);

      const next = await startServer();
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // Time for a second delivery, if there were to be one.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/ SESSION_CHANGED$/);
      const [delivery] = await sql(`select status, attempts from webhook_delivery`);
      expect(delivery).toEqual({ status: 'DELIVERED', attempts: 1 });
      await kill(next);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
