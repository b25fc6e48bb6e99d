import type { EntityManager } from '@mikro-orm/postgresql';
import { Article } from '../article/article.entity';
import { auditForumOf } from '../article/article.service';
import { Role } from '../auth/user.entity';
import { BadUserInputError, NotFoundError } from '../errors';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { idOf, requiredTranslations } from '../shared/input-rules';
import { write } from '../shared/write';
import { Speaker } from '../speaker/speaker.entity';
import { Quote } from './quote.entity';
import type { CreateQuoteInput, QuoteIdInput, UpdateQuoteInput } from './quote.inputs';

/* Editors' changes to quotations; each in one transaction with its audit entry (forum: the article's). */

const EDITORS = { roles: [Role.EDITOR] };

async function speakerBySlug(em: EntityManager, slug: string): Promise<Speaker> {
  const speaker = await em.findOne(Speaker, { slug });
  if (!speaker) throw new BadUserInputError(`Unknown speaker "${slug}"`, { field: 'speakerSlug' });
  return speaker;
}

async function sessionById(em: EntityManager, globalId: string): Promise<Session> {
  const session = await em.findOne(Session, { id: idOf(globalId, 'Session', 'sessionId') });
  if (!session) throw new BadUserInputError(`Unknown session "${globalId}"`, { field: 'sessionId' });
  return session;
}

function snapshot(quote: Quote): Record<string, unknown> {
  return { article: quote.article.slug, speaker: quote.speaker.slug, session: quote.session?.slug ?? null, text: quote.text };
}

/** The quote with what its audit state shows; NOT_FOUND when there is none. */
async function findQuote(em: EntityManager, globalId: string): Promise<Quote> {
  const quote = await em.findOne(Quote, { id: idOf(globalId, 'Quote', 'id') }, { populate: ['article', 'speaker', 'session'] });
  if (!quote) throw new NotFoundError(`No quote with id "${globalId}"`);
  return quote;
}

const auditedAs = (em: EntityManager, quote: Quote) => ({
  entityType: 'Quote',
  entityId: quote.id,
  forumIds: () => auditForumOf(em, quote.article.id),
});

export const createQuote = write(EDITORS, async ({ em, record }, input: CreateQuoteInput): Promise<Quote> => {
  const article = await em.findOne(Article, { id: idOf(input.articleId, 'Article', 'articleId') });
  if (!article) throw new NotFoundError(`No article with id "${input.articleId}"`);
  const speaker = await speakerBySlug(em, input.speakerSlug);
  const session = input.sessionId == null ? null : await sessionById(em, input.sessionId);
  const quote = em.create(Quote, { article, speaker, session, text: requiredTranslations(input.text, 'text') });
  await em.flush();
  await record({ ...auditedAs(em, quote), action: 'CREATE', before: {}, after: snapshot(quote) });
  return quote;
});

export const updateQuote = write(EDITORS, async ({ em, record }, input: UpdateQuoteInput): Promise<Quote> => {
  const quote = await findQuote(em, input.id);
  const before = snapshot(quote);
  if (input.speakerSlug !== undefined) quote.speaker = await speakerBySlug(em, input.speakerSlug);
  if (input.sessionId !== undefined) quote.session = input.sessionId === null ? null : await sessionById(em, input.sessionId);
  if (input.text !== undefined) quote.text = requiredTranslations(input.text, 'text');
  await record({ ...auditedAs(em, quote), action: 'UPDATE', before, after: snapshot(quote) });
  return quote;
});

export const deleteQuote = write(EDITORS, async ({ em, record }, input: QuoteIdInput): Promise<string> => {
  const quote = await findQuote(em, input.id);
  await record({ ...auditedAs(em, quote), action: 'DELETE', before: snapshot(quote), after: {} });
  em.remove(quote);
  return toGlobalId('Quote', quote.id);
});
