import { IsDefined, Matches, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { BadUserInputError } from '../errors';
import { fromGlobalId } from './global-id';
import { Language, type Translations } from './i18n';

/* Input rules that several mutations share, each written once. */

const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A slug: lower-case letters and digits in words joined by single hyphens (`camf-2025`). */
export function IsSlug(options: ValidationOptions = {}): PropertyDecorator {
  return Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and single hyphens', ...options });
}
export const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true };
/** ISO 3166-1 alpha-2; either case is accepted, codes are stored upper-case. */
export const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** Requires some text in at least one language (a `LocalizedTextInput` of blanks is no text). */
export function HasText(): PropertyDecorator {
  return ValidateBy({
    name: 'hasText',
    validator: {
      validate: (value: unknown) =>
        value === null ||
        value === undefined ||
        Object.values(Language).some((language) => {
          const text = (value as Record<string, unknown>)[language];
          return typeof text === 'string' && text.trim() !== '';
        }),
      defaultMessage: (args) => `${args?.property} needs text in at least one language`,
    },
  });
}

/**
 * For an update of a field that must always have a value: it may be left out (unchanged) but
 * not set to null. The other rules on the field then apply to any value given. `options.groups`
 * limits the rule to some validations, for an input class that creates and updates alike.
 */
export function NotNullWhenGiven(options: ValidationOptions = {}): PropertyDecorator {
  return (target, key) => {
    ValidateIf((_object, value) => value !== undefined, options)(target, key);
    IsDefined({ ...options, message: `${String(key)} cannot be null; leave it out to keep it` })(target, key);
  };
}

/** The languages given with some text (blank ones left out); null when none is. */
export function translationsOf(input: Partial<Record<Language, string | null>> | null | undefined): Translations | null {
  if (!input) return null;
  const text: Translations = {};
  for (const language of Object.values(Language)) {
    const value = input[language];
    if (typeof value === 'string' && value.trim() !== '') text[language] = value;
  }
  return Object.keys(text).length ? text : null;
}

/** Like translationsOf, for a field that must have text: BAD_USER_INPUT (with `field`) otherwise. */
export function requiredTranslations(input: Partial<Record<Language, string | null>> | null | undefined, field: string): Translations {
  const text = translationsOf(input);
  if (!text) throw new BadUserInputError(`${field} needs text in at least one language (kk, ru or en)`, { field });
  return text;
}

/**
 * The database id inside a global id that must name a `type`: BAD_USER_INPUT (with `field`) for a
 * malformed id or an id of another type (a Speaker id where a Session id is expected).
 */
export function idOf(globalId: string, type: string, field: string): number {
  let parsed: { type: string; id: number };
  try {
    parsed = fromGlobalId(globalId);
  } catch {
    throw new BadUserInputError(`"${globalId}" is not a valid id`, { field });
  }
  if (parsed.type !== type) throw new BadUserInputError(`${field} must be an id of type ${type}, not ${parsed.type}`, { field });
  return parsed.id;
}
