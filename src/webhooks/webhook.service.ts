import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors';
import { forumsBySlug } from '../forum/forum.service';
import type { Context, Viewer } from '../shared/context';
import { toGlobalId } from '../shared/global-id';
import { idOf } from '../shared/input-rules';
import { write } from '../shared/write';
import { webhookUrlProblem } from './ssrf';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook, WebhookEventType } from './webhook.entity';
import type { CreateWebhookInput, UpdateWebhookInput, WebhookDeliveriesInput, WebhookIdInput } from './webhook.inputs';
import type { NewWebhookSecret } from './webhook.types';

/*
 * Who manages which webhooks: admins all of them; organisers those whose forums they all
 * organise (a webhook of an organiser names its forums); editors those that only receive
 * ARTICLE_PUBLISHED, which tells nothing that is not public. Each change is audited under the
 * webhook's forums.
 */

const MANAGERS = { roles: [Role.ORGANISER, Role.EDITOR] };

/** `whsec_` and base64 of 24 random bytes: the form Standard Webhooks libraries take. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

function mayManage(viewer: Viewer, events: readonly WebhookEventType[], forumIds: readonly number[]): boolean {
  switch (viewer.user.role) {
    case Role.ADMIN:
      return viewer.forumIds === 'all' || (forumIds.length > 0 && forumIds.every((id) => (viewer.forumIds as ReadonlySet<number>).has(id)));
    case Role.ORGANISER:
      return forumIds.length > 0 && forumIds.every((id) => viewer.forumIds === 'all' || viewer.forumIds.has(id));
    case Role.EDITOR:
      return events.every((event) => event === WebhookEventType.ARTICLE_PUBLISHED);
  }
}

/** FORBIDDEN, saying what this viewer may set up, unless they may manage such a webhook. */
function requireManage(viewer: Viewer, events: readonly WebhookEventType[], forumIds: readonly number[]): void {
  if (mayManage(viewer, events, forumIds)) return;
  throw new ForbiddenError(
    viewer.user.role === Role.EDITOR
      ? 'Editors manage webhooks that receive ARTICLE_PUBLISHED only'
      : 'Name forums you organise in forumSlugs: a webhook for every forum is for admins',
  );
}

async function checkUrl(ctx: Context, url: string): Promise<void> {
  const problem = await webhookUrlProblem(url, ctx.webhooksMayBePrivate);
  if (problem) throw new BadUserInputError(`url ${problem}`, { field: 'url' });
}

/** The webhook, with its forums, if the viewer may manage it; NOT_FOUND otherwise (its existence is not told). */
async function findWebhook(em: EntityManager, viewer: Viewer, globalId: string, field = 'id'): Promise<Webhook> {
  const webhook = await em.findOne(Webhook, { id: idOf(globalId, 'Webhook', field) }, { populate: ['forums'] });
  if (!webhook || !mayManage(viewer, webhook.events, webhook.forums.getIdentifiers<number>())) {
    throw new NotFoundError('No such webhook', { field });
  }
  return webhook;
}

function webhookState(webhook: Webhook): Record<string, unknown> {
  return {
    url: webhook.url,
    events: [...webhook.events],
    forums: webhook.forums
      .getItems()
      .map((f) => f.slug)
      .sort(),
  };
}

const audited = (webhook: Webhook) => ({
  entityType: 'Webhook',
  entityId: webhook.id,
  forumIds: webhook.forums.getIdentifiers<number>(),
});

export async function createWebhook(ctx: Context, input: CreateWebhookInput): Promise<NewWebhookSecret> {
  // Resolving the host takes a moment and needs no transaction: checked before it opens.
  requireRole(ctx.viewer, ...MANAGERS.roles);
  await checkUrl(ctx, input.url);
  return insertWebhook(ctx, input);
}

const insertWebhook = write(MANAGERS, async ({ em, viewer, record }, input: CreateWebhookInput): Promise<NewWebhookSecret> => {
  const forums = await forumsBySlug(em, input.forumSlugs);
  requireManage(
    viewer,
    input.events,
    forums.map((f) => f.id),
  );
  const webhook = em.create(Webhook, { url: input.url, events: input.events, secret: newSecret(), owner: viewer.user });
  webhook.forums.set(forums);
  await em.flush();
  await record({ ...audited(webhook), action: 'CREATE', before: {}, after: webhookState(webhook) });
  return { id: toGlobalId('Webhook', webhook.id), secret: webhook.secret, webhook };
});

export async function updateWebhook(ctx: Context, input: UpdateWebhookInput): Promise<Webhook> {
  requireRole(ctx.viewer, ...MANAGERS.roles);
  if (input.url !== undefined) await checkUrl(ctx, input.url);
  return changeWebhook(ctx, input);
}

const changeWebhook = write(MANAGERS, async ({ em, viewer, record }, input: UpdateWebhookInput): Promise<Webhook> => {
  const webhook = await findWebhook(em, viewer, input.id);
  const before = webhookState(webhook);
  if (input.url !== undefined) webhook.url = input.url;
  if (input.events !== undefined) webhook.events = input.events;
  if (input.forumSlugs !== undefined) webhook.forums.set(await forumsBySlug(em, input.forumSlugs));
  requireManage(viewer, webhook.events, webhook.forums.getIdentifiers<number>());
  await em.flush();
  await record({ ...audited(webhook), action: 'UPDATE', before, after: webhookState(webhook) });
  return webhook;
});

export const deleteWebhook = write(MANAGERS, async ({ em, viewer, record }, input: WebhookIdInput): Promise<string> => {
  const webhook = await findWebhook(em, viewer, input.id);
  await record({ ...audited(webhook), action: 'DELETE', before: webhookState(webhook), after: {} });
  em.remove(webhook);
  return toGlobalId('Webhook', webhook.id);
});

export const rotateWebhookSecret = write(MANAGERS, async ({ em, viewer, record }, input: WebhookIdInput): Promise<NewWebhookSecret> => {
  const webhook = await findWebhook(em, viewer, input.id);
  webhook.secret = newSecret();
  // The secret itself stays out of the log: that it changed, and when, is what counts.
  await record({ ...audited(webhook), action: 'ROTATE_SECRET', before: { secret: 'old' }, after: { secret: 'new' } });
  return { id: toGlobalId('Webhook', webhook.id), secret: webhook.secret, webhook };
});

/** The webhooks the viewer manages, oldest first. */
export async function webhooks(ctx: Context): Promise<Webhook[]> {
  const viewer = requireRole(ctx.viewer, ...MANAGERS.roles);
  const all = await ctx.em.find(Webhook, {}, { populate: ['forums'], orderBy: { id: 'asc' } });
  return all.filter((webhook) => mayManage(viewer, webhook.events, webhook.forums.getIdentifiers<number>()));
}

/** A webhook's deliveries, newest first. */
export async function webhookDeliveries(ctx: Context, input: WebhookDeliveriesInput): Promise<WebhookDelivery[]> {
  const viewer = requireRole(ctx.viewer, ...MANAGERS.roles);
  const webhook = await findWebhook(ctx.em, viewer, input.webhookId, 'webhookId');
  return ctx.em.find(WebhookDelivery, { webhook }, { orderBy: { id: 'desc' }, limit: input.first });
}
