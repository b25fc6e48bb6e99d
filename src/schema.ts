import path from 'node:path';
import { buildSchema, type PubSub } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { AgendaResolver, ForumAgendaResolver } from './agenda/agenda.resolver';
import { AgendaSubscriptions } from './agenda/agenda.subscriptions';
import { ArticleMutations } from './article/article.mutations';
import { ArticleResolver } from './article/article.resolver';
import { ArticleSubscriptions } from './article/article.subscriptions';
import { AuditResolver } from './audit/audit.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { CountryResolver } from './country/country.resolver';
import { ForumMutations } from './forum/forum.mutations';
import { ForumResolver } from './forum/forum.resolver';
import { SpeakerImportResolver } from './import/speaker-import.resolver';
import { InitiativeResolver } from './initiative/initiative.resolver';
import { MinistryResolver } from './ministry/ministry.resolver';
import { NodeResolver } from './node.resolver';
import { QuoteMutations } from './quote/quote.mutations';
import { QuoteResolver } from './quote/quote.resolver';
import { SearchResolver } from './search/search.resolver';
import { ReadingResolver } from './article/reading.resolver';
import { ParticipantMutationResolver, SessionMutationResolver } from './session/session.mutations';
import { SessionParticipantResolver, SessionResolver } from './session/session.resolver';
import { LocalizedTextResolver } from './shared/localized-text.resolver';
import { SpeakerPrivateResolver } from './speaker/speaker-private.resolver';
import { SpeakerMutationResolver } from './speaker/speaker.mutations';
import { SpeakerResolver } from './speaker/speaker.resolver';
import { resolveFieldsDirectly } from './shared/direct-resolvers';
import { describeTextRules } from './text-gate';
import { WebhookResolver } from './webhooks/webhook.resolver';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schema', 'schema.graphql');

export const resolvers = [
  AgendaResolver,
  AgendaSubscriptions,
  ArticleMutations,
  ArticleResolver,
  ArticleSubscriptions,
  AuditResolver,
  AuthResolver,
  CountryResolver,
  ForumAgendaResolver,
  ForumMutations,
  ForumResolver,
  InitiativeResolver,
  LocalizedTextResolver,
  MinistryResolver,
  NodeResolver,
  ParticipantMutationResolver,
  QuoteMutations,
  QuoteResolver,
  SearchResolver,
  ReadingResolver,
  SessionMutationResolver,
  SessionParticipantResolver,
  SessionResolver,
  SpeakerImportResolver,
  SpeakerMutationResolver,
  SpeakerPrivateResolver,
  SpeakerResolver,
  WebhookResolver,
] as const;

/**
 * type-graphql asks for a PubSub as soon as there is a @Subscription, even when each one brings
 * its own `subscribe`, as ours do: they follow PostgreSQL's notifications through the server's
 * live updates (src/live/). There are no topics to publish; this says so if one is ever added.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('Subscriptions here bring their own subscribe (src/live/): nothing is published by topic');
  },
  subscribe() {
    throw new Error('Subscriptions here bring their own subscribe (src/live/): nothing is published by topic');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The schema, built once per process: building it is pure and takes a noticeable moment. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: true, pubSub: NO_TOPICS }).then((schema) => {
    // type-graphql has no option for the root type's description.
    schema.getQueryType()!.description = 'Read access to media forums: agendas, speakers, countries, ministries and news coverage.';
    const mutation = schema.getMutationType();
    if (mutation)
      mutation.description =
        'Changes: signing in, counting article views, and (for signed-in organisers, editors and admins) editing data.';
    const subscription = schema.getSubscriptionType();
    if (subscription) subscription.description = 'Live updates, over WebSocket with the graphql-ws protocol on /graphql.';
    resolveFieldsDirectly(schema);
    describeTextRules(schema);
    return schema;
  });
  return built;
}
