import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Ctx, Field, ObjectType } from 'type-graphql';
import type { Context } from '../shared/context';
import { Article } from '../article/article.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

@ObjectType('Quote', { implements: Node, description: 'A short quotation of a speaker, as reported by an article.' })
@Entity({ tableName: 'quote' })
export class Quote extends BaseEntity {
  @Property({ type: 'json' })
  text!: Translations;

  @ManyToOne(() => Speaker, { deleteRule: 'cascade', index: true })
  speaker!: Speaker;

  @ManyToOne(() => Article, { deleteRule: 'cascade', index: true })
  article!: Article;

  @ManyToOne(() => Session, { nullable: true, deleteRule: 'set null', index: true })
  session?: Session | null;

  @Field(() => String, { name: 'text', description: 'The quotation.' })
  localText(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.text, lang, ctx.languages) ?? '';
  }

  @Field(() => LocalizedText, { description: 'The quotation in every language it has (translations are marked as such by the source).' })
  textTranslations(): Translations {
    return this.text;
  }
}
