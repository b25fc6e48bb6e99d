import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { HasText, NotNullWhenGiven } from '../shared/input-rules';
import { LocalizedTextInput } from '../speaker/speaker.inputs';

@InputType({ description: 'A quotation reported by an article.' })
export class CreateQuoteInput {
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
export class UpdateQuoteInput {
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
export class QuoteIdInput {
  @Field(() => ID, { description: 'The global id of the quote.' })
  id!: string;
}
