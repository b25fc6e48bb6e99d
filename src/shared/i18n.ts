import { Arg, Field, ObjectType, registerEnumType } from 'type-graphql';

/** Languages the portal publishes in. Values are BCP 47 codes, as in `Accept-Language`. */
export enum Language {
  KK = 'kk',
  RU = 'ru',
  EN = 'en',
}

registerEnumType(Language, {
  name: 'Language',
  description: 'A language the portal publishes in.',
  valuesConfig: {
    KK: { description: 'Kazakh (kk).' },
    RU: { description: 'Russian (ru), the original language of most sources.' },
    EN: { description: 'English (en).' },
  },
});

/** Human-facing text in every language it exists in; stored as one JSONB column. */
export type Translations = Partial<Record<Language, string>>;

/**
 * The order in which languages stand in for one another when text is missing in the requested
 * language: Russian first because it is the language most sources are written in.
 */
export const FALLBACK_ORDER: readonly Language[] = [Language.RU, Language.EN, Language.KK];

const SUPPORTED = new Set<string>(Object.values(Language));

/**
 * The reader's languages, most preferred first, from an `Accept-Language` header (RFC 9110):
 * supported languages in quality order, then the rest in FALLBACK_ORDER. `kk-KZ` counts as `kk`.
 */
export function languagePreference(acceptLanguage: string | undefined): Language[] {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => SUPPORTED.has(entry.language) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.language as Language);
  return [...new Set([...ranked, ...FALLBACK_ORDER])];
}

/** The first language of `preference` that the text has; null when there is no text at all. */
export function availableLanguage(text: Translations | null | undefined, preference: readonly Language[]): Language | null {
  return (text && preference.find((language) => Boolean(text[language]))) || null;
}

/**
 * The languages of a plain HTTP request (exports, feeds, oEmbed): `?lang=` first when given,
 * then Accept-Language; null when `lang` is not one of ours.
 */
export function requestLanguages(lang: unknown, acceptLanguage: string | undefined): Language[] | null {
  const fromHeader = languagePreference(acceptLanguage);
  if (lang === undefined) return fromHeader;
  const code = typeof lang === 'string' ? lang.toLowerCase() : '';
  if (!SUPPORTED.has(code)) return null;
  return [...new Set([code as Language, ...fromHeader])];
}

/** The text in the first language of `preference` that has it; null when there is no text at all. */
export function localize(text: Translations | null | undefined, preference: readonly Language[]): string | null {
  const language = availableLanguage(text, preference);
  return language ? text![language]! : null;
}

/**
 * The text for one field: in `language` when the query asked for it explicitly (`lang:`), else
 * in the request's preference order.
 */
export function pick(
  text: Translations | null | undefined,
  language: Language | undefined | null,
  preference: readonly Language[],
): string | null {
  return localize(text, language ? [language, ...preference] : preference);
}

/** The optional `lang` argument every localized field takes. */
export function LangArg(): ReturnType<typeof Arg> {
  return Arg('lang', () => Language, {
    nullable: true,
    description: 'Language to return, overriding the request language (Accept-Language).',
  });
}

@ObjectType({ description: 'A text in each language it is available in; a language without a translation is null.' })
export class LocalizedText {
  @Field(() => String, { nullable: true, description: 'Kazakh.' })
  kk?: string;

  @Field(() => String, { nullable: true, description: 'Russian.' })
  ru?: string;

  @Field(() => String, { nullable: true, description: 'English.' })
  en?: string;
}
