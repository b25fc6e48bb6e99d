import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { Quote } from './quote.entity';
import { CreateQuoteInput, QuoteIdInput, UpdateQuoteInput } from './quote.inputs';
import * as quotes from './quote.service';

/** Editors' changes to quotations (quote.service.ts). */
@Resolver()
export class QuoteMutations {
  @Mutation(() => Quote, { description: 'Adds a quotation to an article (editors), also to a draft.' })
  createQuote(
    @Arg('input', () => CreateQuoteInput, { description: 'The quotation.' }) input: CreateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<Quote> {
    return quotes.createQuote(ctx, input);
  }

  @Mutation(() => Quote, { description: 'Changes a quotation (editors).' })
  updateQuote(
    @Arg('input', () => UpdateQuoteInput, { description: 'The quote and the changes.' }) input: UpdateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<Quote> {
    return quotes.updateQuote(ctx, input);
  }

  @Mutation(() => ID, { description: 'Deletes a quotation (editors); returns its global id.' })
  deleteQuote(@Arg('input', () => QuoteIdInput, { description: 'The quote.' }) input: QuoteIdInput, @Ctx() ctx: Context): Promise<string> {
    return quotes.deleteQuote(ctx, input);
  }
}
