import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from './context';
import { availableLanguage, LangArg, Language, LocalizedText, pick, type Translations } from './i18n';

/**
 * `…Translations { text language }`: the text the reader gets and which language it is in, so
 * that a client can mark a fallback (a Kazakh reader shown the Russian title).
 */
@Resolver(() => LocalizedText)
export class LocalizedTextResolver {
  @FieldResolver(() => String, { nullable: true, description: "The text in the reader's language, or the first fallback that has it." })
  text(@Root() text: Translations, @LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(text, lang, ctx.languages);
  }

  @FieldResolver(() => Language, {
    nullable: true,
    description: 'The language `text` is in; differs from the requested one when a fallback was used.',
  })
  language(@Root() text: Translations, @LangArg() lang: Language | undefined, @Ctx() ctx: Context): Language | null {
    return availableLanguage(text, lang ? [lang, ...ctx.languages] : ctx.languages);
  }
}
