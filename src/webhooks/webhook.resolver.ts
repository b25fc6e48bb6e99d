import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { CreateWebhookInput, UpdateWebhookInput, WebhookDeliveriesInput, WebhookIdInput } from './webhook.inputs';
import * as hooks from './webhook.service';
import { NewWebhookSecret } from './webhook.types';

/** Webhooks and their deliveries (webhook.service.ts; delivery: webhook-dispatcher.ts). */
@Resolver()
export class WebhookResolver {
  @Query(() => [Webhook], { description: 'The webhooks you manage (admins: all).' })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return hooks.webhooks(ctx);
  }

  @Query(() => [WebhookDelivery], {
    description: "A webhook's deliveries, newest first: each event's status, attempts, last HTTP status and next attempt.",
  })
  webhookDeliveries(
    @Arg('input', () => WebhookDeliveriesInput, { description: 'The webhook, and how many.' }) input: WebhookDeliveriesInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery[]> {
    return hooks.webhookDeliveries(ctx, input);
  }

  @Mutation(() => NewWebhookSecret, {
    description:
      'Registers an endpoint for signed event deliveries (Standard Webhooks). Admins: any forums or all; organisers: forums they ' +
      'organise; editors: ARTICLE_PUBLISHED. URLs on private addresses are refused.',
  })
  createWebhook(
    @Arg('input', () => CreateWebhookInput, { description: 'The endpoint and what it receives.' }) input: CreateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<NewWebhookSecret> {
    return hooks.createWebhook(ctx, input);
  }

  @Mutation(() => Webhook, { description: 'Changes a webhook you manage; deliveries still queued go to its new URL.' })
  updateWebhook(
    @Arg('input', () => UpdateWebhookInput, { description: 'The webhook and the changes.' }) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<Webhook> {
    return hooks.updateWebhook(ctx, input);
  }

  @Mutation(() => ID, { description: 'Deletes a webhook you manage, with its deliveries; returns its global id.' })
  deleteWebhook(
    @Arg('input', () => WebhookIdInput, { description: 'The webhook.' }) input: WebhookIdInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return hooks.deleteWebhook(ctx, input);
  }

  @Mutation(() => NewWebhookSecret, {
    description: 'Gives a webhook a new signing secret, shown once; deliveries from now on are signed with it.',
  })
  rotateWebhookSecret(
    @Arg('input', () => WebhookIdInput, { description: 'The webhook.' }) input: WebhookIdInput,
    @Ctx() ctx: Context,
  ): Promise<NewWebhookSecret> {
    return hooks.rotateWebhookSecret(ctx, input);
  }
}
