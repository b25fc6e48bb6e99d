/*
 * The one check for text from outside. Every string a client sends (GraphQL arguments and input
 * fields, URL path segments and query parameters, import cells, header values the server uses)
 * passes `textProblem` before it can reach SQL or a stored row:
 * - no NUL or other C0 control character, nor DEL (tab, line feed and carriage return only in
 *   multi-line text): PostgreSQL refuses NUL in text outright, and the others are never meant;
 * - no lone UTF-16 surrogate: it has no UTF-8 form, so it would be stored as U+FFFD;
 * - at most the field's maximum length, counted in UTF-16 code units as JavaScript and
 *   class-validator count (never less than PostgreSQL's characters, so a varchar bound holds).
 *
 * The GraphQL side (src/text-gate.ts) finds each value's rule by the name of the argument or
 * input field that holds it, in `TEXT_RULES`; a name means the same thing wherever it appears,
 * and `Type.field` entries cover the few places where it does not.
 */

export interface TextRule {
  maxLength: number;
  /** Tab, line feed and carriage return allowed (descriptions, biographies, article text). */
  multiline?: boolean;
}

const line = (maxLength: number): TextRule => ({ maxLength });
const lines = (maxLength: number): TextRule => ({ maxLength, multiline: true });

/** Global ids and cursors are short base64url strings; real ones are far below this. */
export const ID_TEXT = line(100);
export const SLUG_TEXT = line(200);
export const EMAIL_TEXT = line(254);
export const URL_TEXT = line(2000);
export const NAME_TEXT = line(200);
/** What a reader types into a search box: pasted line breaks and tabs count as spaces. */
export const SEARCH_TEXT = lines(200);
/** One language of a short localized text: a title, a name, a position, a city. */
export const SHORT_TEXT = line(2000);
/** One language of a long localized text: a description, a biography, a lead, a quote. */
export const LONG_TEXT = lines(2000);

/**
 * The rule of every argument and input field that holds text, by name. A value nested in an
 * input object without a rule of its own (`kk`, `ru`, `en` of a localized text) takes the rule of
 * the nearest field above it that has one: `fullName.ru` is a name, `bio.ru` a long text.
 * `test/text-input.test.ts` fails when a text argument or input field of the schema has none.
 */
export const TEXT_RULES: Readonly<Record<string, TextRule>> = {
  // Identifiers and lookup keys.
  id: ID_TEXT,
  sessionId: ID_TEXT,
  speakerId: ID_TEXT,
  articleId: ID_TEXT,
  webhookId: ID_TEXT,
  participantIds: ID_TEXT,
  after: line(200),
  slug: SLUG_TEXT,
  forumSlug: SLUG_TEXT,
  forumSlugs: SLUG_TEXT,
  organiserSlugs: SLUG_TEXT,
  speakerSlug: SLUG_TEXT,
  ministrySlug: SLUG_TEXT,
  code: line(2),
  countryCode: line(2),
  countryCodes: line(2),
  hostCountryCode: line(2),
  language: line(16),
  timeZone: line(64),
  externalId: line(100),
  entityType: line(100),
  // People and accounts.
  email: EMAIL_TEXT,
  actorEmail: EMAIL_TEXT,
  password: line(200),
  name: NAME_TEXT,
  displayName: NAME_TEXT,
  phone: line(50),
  internalNotes: lines(5000),
  // Searches and filters.
  query: SEARCH_TEXT,
  search: SEARCH_TEXT,
  room: line(200),
  track: line(200),
  // Web addresses.
  url: URL_TEXT,
  website: URL_TEXT,
  sourceUrl: URL_TEXT,
  outletUrl: URL_TEXT,
  photoUrl: URL_TEXT,
  // Credits of an article.
  outletName: NAME_TEXT,
  authorName: NAME_TEXT,
  authorTitle: NAME_TEXT,
  photoCredit: NAME_TEXT,
  // Localized texts, per language.
  title: SHORT_TEXT,
  'LinkInput.title': line(100),
  fullName: SHORT_TEXT,
  position: SHORT_TEXT,
  organisation: SHORT_TEXT,
  city: SHORT_TEXT,
  venue: SHORT_TEXT,
  audience: SHORT_TEXT,
  description: LONG_TEXT,
  bio: LONG_TEXT,
  lead: LONG_TEXT,
  text: LONG_TEXT,
  body: lines(20_000),
};

/** The rule of field (or argument) `name` of `typeName`, if it has its own. */
export function ownTextRule(typeName: string, name: string): TextRule | undefined {
  // Own keys only: a field named `constructor` must not find Object.prototype's.
  const rule = (key: string) => (Object.hasOwn(TEXT_RULES, key) ? TEXT_RULES[key] : undefined);
  return rule(`${typeName}.${name}`) ?? rule(name);
}

/** What the rule allows, as a sentence for schema descriptions. */
export function describeTextRule(rule: TextRule, perLanguage = false): string {
  const max = rule.maxLength.toLocaleString('en-US');
  return `At most ${max} characters${perLanguage ? ' in each language' : ''}${rule.multiline ? '; line breaks allowed' : ', on one line'}.`;
}

// C0 controls and DEL; tab (U+0009), line feed (U+000A) and carriage return (U+000D) are left to
// the multi-line check. A lone surrogate is a high one not followed by a low one, or a low one
// not preceded by a high one.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` breaks `rule`, as the end of a sentence ("contains a control character"); null if it does not. */
export function textProblem(value: string, rule: TextRule): string | null {
  if (value.length > rule.maxLength) return `is longer than ${rule.maxLength.toLocaleString('en-US')} characters`;
  if (CONTROL.test(value) || (!rule.multiline && LINE_BREAK_OR_TAB.test(value))) {
    return rule.multiline ? 'contains a control character' : 'contains a control character or a line break';
  }
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}
