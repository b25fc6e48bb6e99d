import { ArticleCountry, ArticleForum, ArticleMinistry, ArticleSession, ArticleSpeaker } from '../article/article-link.entity';
import { ArticleViewDay } from '../article/article-view.entity';
import { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Initiative } from '../initiative/initiative.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Quote } from '../quote/quote.entity';
import { SessionChange } from '../session/session-change.entity';
import { SessionParticipant } from '../session/session-participant.entity';
import { Session } from '../session/session.entity';
import { ApiToken } from '../auth/api-token.entity';
import { User } from '../auth/user.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { BaseEntity } from '../shared/base.entity';
import { Speaker } from '../speaker/speaker.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { Webhook } from '../webhooks/webhook.entity';

/** Every entity the ORM knows; listed explicitly so discovery never depends on file globs. */
export const entities = [
  BaseEntity,
  Country,
  Ministry,
  Speaker,
  Forum,
  Session,
  SessionParticipant,
  SessionChange,
  Article,
  ArticleForum,
  ArticleSession,
  ArticleSpeaker,
  ArticleCountry,
  ArticleMinistry,
  ArticleViewDay,
  Quote,
  Initiative,
  User,
  ApiToken,
  AuditEntry,
  Webhook,
  WebhookDelivery,
];
