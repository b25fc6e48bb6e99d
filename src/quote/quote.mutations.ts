import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { Article } from '../article/article.entity';
import { auditForumOf } from '../article/article.mutations';
import { HasText, NotNullWhenGiven, idOf, requiredTranslations } from '../shared/input-rules';
import { recordChange } from '../audit/audit';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import { BadUserInputError, NotFoundError } from '../errors';
import { Session } from '../session/session.entity';
import { toGlobalId } from '../shared/global-id';
import { inTransaction } from '../shared/write-errors';
import { LocalizedTextInput } from '../speaker/speaker.inputs';
import { Speaker } from '../speaker/speaker.entity';
import { Quote } from './quote.entity';

@InputType({ description: 'A quotation reported by an article.' })
class CreateQuoteInput {
  @Field(() => ID, { description: 'The global id of the article reporting it.' })
  articleId!: string;

  @Field({ description: 'The slug of the speaker who said it.' })
  speakerSlug!: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the session where it was said, when known.' })
  @IsOptional()
  sessionId?: string | null;

  @Field(() => LocalizedTextInput, { description: 'The quotation; mark translations as such in the text.' })
  @ValidateNested()
  @HasText()
  text!: LocalizedTextInput;
}

@InputType({ description: 'Changes to a quotation: absent fields stay as they are.' })
class UpdateQuoteInput {
  @Field(() => ID, { description: 'The global id of the quote.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The slug of the speaker who said it.' })
  @NotNullWhenGiven()
  speakerSlug?: string;

  @Field(() => ID, { nullable: true, description: 'The global id of the session where it was said; null: not known.' })
  @IsOptional()
  sessionId?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'The quotation, replacing all its languages.' })
  @NotNullWhenGiven()
  @ValidateNested()
  @HasText()
  text?: LocalizedTextInput;
}

@InputType({ description: 'Which quote.' })
class QuoteIdInput {
  @Field(() => ID, { description: 'The global id of the quote.' })
  id!: string;
}

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

/** Editors' changes to quotations; each in one transaction with its audit entry (forum: the article's). */
@Resolver()
export class QuoteMutations {
  @Mutation(() => Quote, { description: 'Adds a quotation to an article (editors), also to a draft.' })
  async createQuote(
    @Arg('input', () => CreateQuoteInput, { description: 'The quotation.' }) input: CreateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<Quote> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    const articleKey = idOf(input.articleId, 'Article', 'articleId');
    return inTransaction(ctx, async (em) => {
      const article = await em.findOne(Article, { id: articleKey });
      if (!article) throw new NotFoundError(`No article with id "${input.articleId}"`);
      const speaker = await speakerBySlug(em, input.speakerSlug);
      const session = input.sessionId == null ? null : await sessionById(em, input.sessionId);
      const quote = em.create(Quote, { article, speaker, session, text: requiredTranslations(input.text, 'text') });
      await em.flush();
      await recordChange(em, viewer, {
        entityType: 'Quote',
        entityId: quote.id,
        action: 'CREATE',
        forumIds: () => auditForumOf(em, quote.article.id),
        before: {},
        after: snapshot(quote),
      });
      return quote;
    });
  }

  @Mutation(() => Quote, { description: 'Changes a quotation (editors).' })
  async updateQuote(
    @Arg('input', () => UpdateQuoteInput, { description: 'The quote and the changes.' }) input: UpdateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<Quote> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    const key = idOf(input.id, 'Quote', 'id');
    return inTransaction(ctx, async (em) => {
      const quote = await em.findOne(Quote, { id: key }, { populate: ['article', 'speaker', 'session'] });
      if (!quote) throw new NotFoundError(`No quote with id "${input.id}"`);
      const before = snapshot(quote);
      if (input.speakerSlug !== undefined) quote.speaker = await speakerBySlug(em, input.speakerSlug);
      if (input.sessionId !== undefined) quote.session = input.sessionId === null ? null : await sessionById(em, input.sessionId);
      if (input.text !== undefined) quote.text = requiredTranslations(input.text, 'text');
      await recordChange(em, viewer, {
        entityType: 'Quote',
        entityId: quote.id,
        action: 'UPDATE',
        forumIds: () => auditForumOf(em, quote.article.id),
        before,
        after: snapshot(quote),
      });
      return quote;
    });
  }

  @Mutation(() => ID, { description: 'Deletes a quotation (editors); returns its global id.' })
  async deleteQuote(
    @Arg('input', () => QuoteIdInput, { description: 'The quote.' }) input: QuoteIdInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const viewer = requireRole(ctx.viewer, Role.EDITOR);
    const key = idOf(input.id, 'Quote', 'id');
    return inTransaction(ctx, async (em) => {
      const quote = await em.findOne(Quote, { id: key }, { populate: ['article', 'speaker', 'session'] });
      if (!quote) throw new NotFoundError(`No quote with id "${input.id}"`);
      await recordChange(em, viewer, {
        entityType: 'Quote',
        entityId: quote.id,
        action: 'DELETE',
        forumIds: () => auditForumOf(em, quote.article.id),
        before: snapshot(quote),
        after: {},
      });
      em.remove(quote);
      return toGlobalId('Quote', key);
    });
  }
}
