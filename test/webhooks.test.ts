import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as Verifier } from 'standardwebhooks';
import { ArticleStatus } from '../src/article/article.entity';
import { Role } from '../src/auth/user.entity';
import type { Session } from '../src/session/session.entity';
import { toGlobalId } from '../src/shared/global-id';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * Webhooks as press sites and organisers' tools use them: registered through the API with the
 * rights of who registers them, fed by the outbox in the transaction of each change, and
 * delivered signed to a real HTTP receiver that verifies every delivery with `standardwebhooks`.
 */
describe('webhooks', () => {
  let h: Harness;
  let admin: string;
  let organiser: string;
  let editor: string;
  let sessions: Session[];
  /** What the receiver got, verified: [type, data] per delivery, in arrival order. */
  const received: { type: string; data: Record<string, unknown> }[] = [];
  let secret = '';
  let receiver: http.Server;
  let receiverUrl: string;
  /** Answers the receiver still owes with 500 before it accepts deliveries again. */
  let failuresToAnswer = 0;

  const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id secret webhook { id url events forums { slug } failing } } }`;
  const UPDATE = `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { id url events forums { slug } } }`;
  const DELETE = `mutation($input: WebhookIdInput!) { deleteWebhook(input: $input) }`;
  const ROTATE = `mutation($input: WebhookIdInput!) { rotateWebhookSecret(input: $input) { id secret } }`;
  const LIST = `{ webhooks { id url events forums { slug } } }`;
  const DELIVERIES = `query($input: WebhookDeliveriesInput!) {
    webhookDeliveries(input: $input) { eventId eventType status attempts lastStatus lastError nextAttemptAt attemptLog { status error } }
  }`;
  const MOVE = `mutation($input: MoveSessionInput!) { moveSession(input: $input) { version } }`;
  const PUBLISH = `mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug } }`;

  /** Waits until the dispatcher has recorded every delivery's outcome: it commits after the receiver answered. */
  const recorded = () =>
    until('the deliveries are recorded', async () => {
      const [{ pending }] = await h.orm.em
        .getConnection()
        .execute(`select count(*)::int as pending from webhook_delivery where status = 'PENDING'`);
      return pending === 0;
    });
  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
  const until = async (what: string, check: () => Promise<boolean> | boolean, withinMs = 5000) => {
    const deadline = Date.now() + withinMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        try {
          // Throws unless the signature, the id and the timestamp check out.
          const event = new Verifier(secret).verify(body, req.headers as Record<string, string>) as {
            type: string;
            data: Record<string, unknown>;
          };
          if (failuresToAnswer > 0) {
            failuresToAnswer -= 1;
            res.writeHead(500).end('temporarily broken');
            return;
          }
          received.push({ type: event.type, data: event.data });
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end('bad signature');
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    h = await startHarness({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100' } });
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    const aida = make.speaker(em, 'aida', kz);
    sessions = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida] }).sessions;
    const { forum: other } = make.forumWithAgenda(em, { slug: 'other', host: kz, sessions: 0, speakers: [aida] });
    make.article(em, 'news', '2025-04-16T10:00:00Z', { forums: [sessions[0].forum] }).status = ArticleStatus.DRAFT;
    make.article(em, 'elsewhere', '2025-04-16T10:00:00Z', { forums: [other] }).status = ArticleStatus.DRAFT;
    make.article(em, 'embargoed', '2025-04-16T10:00:00Z', { forums: [sessions[0].forum] }).status = ArticleStatus.DRAFT;
    await em.flush();
    admin = await h.signIn(Role.ADMIN);
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
    editor = await h.signIn(Role.EDITOR);
  });

  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('lets each role register what it may, and refuses the rest', async () => {
    const create = (input: Record<string, unknown>, as: string) => h.execute(CREATE, { input }, 'en', as);
    expect(codeOf(await create({ url: receiverUrl, events: ['SESSION_CHANGED'], forumSlugs: [] }, organiser))).toBe('FORBIDDEN');
    expect(codeOf(await create({ url: receiverUrl, events: ['SESSION_CHANGED'], forumSlugs: ['other'] }, organiser))).toBe('FORBIDDEN');
    expect(codeOf(await create({ url: receiverUrl, events: ['SESSION_CHANGED'] }, editor))).toBe('FORBIDDEN');
    expect(codeOf(await create({ url: receiverUrl, events: ['SESSION_CHANGED'], forumSlugs: ['nope'] }, admin))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ url: 'ftp://example.org/x', events: ['SESSION_CHANGED'] }, admin))).toBe('BAD_USER_INPUT');
    expect(codeOf(await create({ url: receiverUrl, events: [] }, admin))).toBe('BAD_USER_INPUT');
    expect(codeOf(await h.execute(CREATE, { input: { url: receiverUrl, events: ['ARTICLE_PUBLISHED'] } }))).toBe('UNAUTHENTICATED');

    const byEditor = await create({ url: receiverUrl, events: ['ARTICLE_PUBLISHED'] }, editor);
    expect(byEditor.errors).toBeUndefined();
    expect(byEditor.data!.createWebhook.secret).toMatch(/^whsec_/);
    const byOrganiser = await create({ url: receiverUrl, events: ['SESSION_CHANGED'], forumSlugs: ['camf'] }, organiser);
    expect(byOrganiser.data!.createWebhook.webhook.forums).toEqual([{ slug: 'camf' }]);

    // Each sees what they manage; the editor's webhook is not the organiser's to change.
    const ids = async (as: string) => ((await h.execute(LIST, {}, 'en', as)).data!.webhooks as { id: string }[]).map((w) => w.id);
    expect(await ids(organiser)).toEqual([byOrganiser.data!.createWebhook.id]);
    expect(await ids(editor)).toEqual([byEditor.data!.createWebhook.id]);
    expect(new Set(await ids(admin))).toEqual(new Set([byEditor.data!.createWebhook.id, byOrganiser.data!.createWebhook.id]));
    const id = byEditor.data!.createWebhook.id as string;
    expect(codeOf(await h.execute(UPDATE, { input: { id, url: receiverUrl } }, 'en', organiser))).toBe('NOT_FOUND');
    expect(codeOf(await h.execute(UPDATE, { input: { id, events: ['SESSION_CHANGED'] } }, 'en', editor))).toBe('FORBIDDEN');
    expect(codeOf(await h.execute(UPDATE, { input: { id, url: null } }, 'en', editor))).toBe('BAD_USER_INPUT');
    expect((await h.execute(DELETE, { input: { id } }, 'en', editor)).data!.deleteWebhook).toBe(id);
    expect(codeOf(await h.execute(DELETE, { input: { id: byOrganiser.data!.createWebhook.id } }, 'en', admin))).toBeUndefined();
  });

  it('refuses URLs on private addresses unless WEBHOOK_ALLOW_PRIVATE is set', async () => {
    const strict = await startHarness();
    try {
      const as = await strict.signIn(Role.ADMIN);
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost/x',
        'http://169.254.169.254/latest/meta-data',
        'http://10.1.2.3/',
        'http://[::1]/',
      ]) {
        const result = await strict.execute(CREATE, { input: { url, events: ['ARTICLE_PUBLISHED'] } }, 'en', as);
        expect([url, codeOf(result), result.errors?.[0]?.extensions?.field]).toEqual([url, 'BAD_USER_INPUT', 'url']);
      }
    } finally {
      await strict.close();
    }
  });

  it('delivers signed events written by the outbox with the change: sessions, schedules and articles', async () => {
    const created = await h.execute(
      CREATE,
      { input: { url: receiverUrl, events: ['SESSION_CHANGED', 'SCHEDULE_CHANGED', 'ARTICLE_PUBLISHED'], forumSlugs: ['camf'] } },
      'en',
      admin,
    );
    secret = created.data!.createWebhook.secret as string;
    const webhookId = created.data!.createWebhook.id as string;
    received.length = 0;

    const [{ version }] = await h.orm.em.getConnection().execute('select version from session where id = ?', [sessions[0].id]);
    const startsAt = new Date(sessions[0].startsAt.getTime() + 3 * 3_600_000);
    const moved = await h.execute(
      MOVE,
      {
        input: {
          id: toGlobalId('Session', sessions[0].id),
          expectedVersion: version,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 45 * 60_000).toISOString(),
        },
      },
      'en',
      organiser,
    );
    expect(moved.errors).toBeUndefined();
    await until('the session events arrive', () => received.length >= 2);
    expect(received.map((r) => r.type).sort()).toEqual(['SCHEDULE_CHANGED', 'SESSION_CHANGED']);
    expect(received.find((r) => r.type === 'SESSION_CHANGED')!.data).toMatchObject({
      forumSlug: 'camf',
      sessionId: toGlobalId('Session', sessions[0].id),
      removed: false,
    });

    const [{ id: newsId }] = await h.orm.em.getConnection().execute(`select id from article where slug = 'news'`);
    const published = await h.execute(PUBLISH, { input: { id: toGlobalId('Article', Number(newsId)) } }, 'en', editor);
    expect(published.errors).toBeUndefined();
    // An article about another forum is not for this webhook.
    await h.orm.em.getConnection().execute(`update article set status = 'PUBLISHED', published_at = now() where slug = 'elsewhere'`);
    await until('the article event arrives', () => received.length >= 3);
    expect(received[2]).toMatchObject({ type: 'ARTICLE_PUBLISHED', data: { slug: 'news', forumSlugs: ['camf'] } });

    // `first` left out: its default comes from the input type (graphql-jit once answered a 500 for that).
    await recorded();
    const deliveries = await h.execute(DELIVERIES, { input: { webhookId } }, 'en', admin);
    const rows = deliveries.data!.webhookDeliveries as { eventType: string; status: string; attempts: number; lastStatus: number }[];
    expect(rows.map((d) => [d.eventType, d.status, d.attempts, d.lastStatus])).toEqual([
      ['ARTICLE_PUBLISHED', 'DELIVERED', 1, 204],
      expect.arrayContaining(['DELIVERED', 1, 204]),
      expect.arrayContaining(['DELIVERED', 1, 204]),
    ]);
    expect(received.some((r) => r.data.slug === 'elsewhere')).toBe(false);

    // A rotated secret signs the deliveries from then on.
    const rotated = await h.execute(ROTATE, { input: { id: webhookId } }, 'en', admin);
    secret = rotated.data!.rotateWebhookSecret.secret as string;
    await h.orm.em.getConnection().execute(`update session set title = '{"en": "Renamed"}' where id = ?`, [sessions[1].id]);
    await until('the events after the rotation arrive', () => received.length >= 5);
  });

  it('delivers ARTICLE_PUBLISHED when an embargo lifts, with no write at that moment', async () => {
    received.length = 0;
    await h.orm.em
      .getConnection()
      .execute(`update article set status = 'SCHEDULED', published_at = now() + interval '800 milliseconds' where slug = 'embargoed'`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received).toEqual([]);
    await until('the embargoed article arrives', () => received.length >= 1);
    expect(received).toEqual([{ type: 'ARTICLE_PUBLISHED', data: expect.objectContaining({ slug: 'embargoed', forumSlugs: ['camf'] }) }]);
  });

  it('retries a failed delivery and shows every attempt in webhookDeliveries', async () => {
    const [{ id }] = await h.orm.em.getConnection().execute(`select id from webhook order by id desc limit 1`);
    const webhookId = toGlobalId('Webhook', Number(id));
    received.length = 0;
    failuresToAnswer = 2;
    await h.orm.em.getConnection().execute(`update session set title = '{"en": "Third time lucky"}' where id = ?`, [sessions[0].id]);
    await until('the event arrives on the third attempt', () => received.length >= 2);
    await recorded();
    const deliveries = await h.execute(DELIVERIES, { input: { webhookId, first: 2 } }, 'en', admin);
    const rows = deliveries.data!.webhookDeliveries as {
      eventType: string;
      status: string;
      attempts: number;
      lastStatus: number;
      attemptLog: { status: number; error: string | null }[];
    }[];
    const sessionChanged = rows.find((row) => row.eventType === 'SESSION_CHANGED')!;
    // The two events of the change go to the endpoint in order: the first took the two failures.
    const first = rows[rows.length - 1];
    expect(first).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatus: 204 });
    expect(first.attemptLog.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(first.attemptLog[0].error).toMatch(/500/);
    expect(sessionChanged.status).toBe('DELIVERED');
  });
});
