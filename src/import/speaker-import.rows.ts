import { validate, type ValidationError } from 'class-validator';
import type { GraphQLInputObjectType } from 'graphql';
import { getSchema } from '../schema';
import { textProblemsIn } from '../text-gate';
import { ArrivalStatus, type Link } from '../speaker/speaker.entity';
import { LinkInput, LocalizedTextInput, rulesOf, SpeakerFieldsInput, SpeakerWrite } from '../speaker/speaker.inputs';
import { Language } from '../shared/i18n';

/*
 * One import row, from whichever source (GraphQL, JSON, CSV), checked against the rules of
 * SpeakerFieldsInput for import rows and brought to one shape. Pure: no database. Its text
 * passes the same gate as GraphQL's, by the schema's SpeakerImportRow, whichever source it came from.
 */

/** Per language: a string sets it, null removes it, absent keeps it. */
export type TextPatch = Partial<Record<Language, string | null>>;

/**
 * A row's values. For each field, `undefined` keeps the speaker's value, `null` clears it.
 * Emails are lower-case, country codes upper-case, ministry slugs lower-case.
 */
export interface RowValues {
  externalId?: string | null;
  email?: string | null;
  slug?: string | null;
  fullName?: TextPatch | null;
  position?: TextPatch | null;
  organisation?: TextPatch | null;
  bio?: TextPatch | null;
  countryCode?: string | null;
  ministrySlug?: string | null;
  photoUrl?: string | null;
  phone?: string | null;
  arrivalStatus?: ArrivalStatus | null;
  internalNotes?: string | null;
  links?: Link[] | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface CheckedRow {
  row: number;
  values: RowValues;
  errors: FieldError[];
}

export const TEXT_FIELDS = ['fullName', 'position', 'organisation', 'bio'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

const PLAIN_FIELDS = [
  'externalId',
  'email',
  'slug',
  'countryCode',
  'ministrySlug',
  'photoUrl',
  'phone',
  'arrivalStatus',
  'internalNotes',
] as const;

/** Every field a row may have: those of SpeakerFieldsInput. */
export const ROW_FIELDS: readonly string[] = [...PLAIN_FIELDS, ...TEXT_FIELDS, 'links'];

/** Language order in reports: the portal's fallback order. */
export const LANGUAGES = [Language.RU, Language.EN, Language.KK] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Trimmed text; empty text counts as absent. Other types pass through for the validators to reject. */
function clean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** A row's values and what is wrong with them; `raw` is anything a client sent as one row. */
export async function checkRow(row: number, raw: unknown): Promise<CheckedRow> {
  if (!isObject(raw)) return { row, values: {}, errors: [{ field: '', message: 'A row must be an object' }] };
  const errors: FieldError[] = [];
  const input = new SpeakerFieldsInput();
  const values: RowValues = {};

  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && !ROW_FIELDS.includes(key)) errors.push({ field: key, message: `Unknown field "${key}"` });
  }
  const rowType = (await getSchema()).getType('SpeakerImportRow') as GraphQLInputObjectType;
  const textErrors = [...textProblemsIn(rowType, raw)].map(({ path, problem }) => ({ field: path, message: `${path} ${problem}` }));
  // Text that breaks the rules goes no further, as on the GraphQL side: the validators below are
  // not made for it (validator.js's isEmail throws URIError on a lone surrogate: a 500).
  if (textErrors.length > 0) return { row, values, errors: [...errors, ...textErrors] };

  for (const field of PLAIN_FIELDS) {
    const value = clean(raw[field]);
    if (value !== undefined) Object.assign(input, { [field]: value });
  }

  for (const field of TEXT_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (value === null) {
      input[field] = null;
      continue;
    }
    if (!isObject(value)) {
      errors.push({ field, message: `${field} must be an object with kk, ru and en` });
      continue;
    }
    const text: Record<string, unknown> = {};
    for (const [language, translation] of Object.entries(value)) {
      if (translation === undefined) continue;
      if (!(LANGUAGES as readonly string[]).includes(language)) {
        errors.push({ field: `${field}.${language}`, message: `Unknown language "${language}"; use kk, ru or en` });
        continue;
      }
      const cleaned = clean(translation);
      if (cleaned !== undefined) text[language] = cleaned;
    }
    if (Object.keys(text).length > 0) input[field] = Object.assign(new LocalizedTextInput(), text);
  }

  if (raw.links === null) input.links = null;
  else if (raw.links !== undefined) {
    if (Array.isArray(raw.links) && raw.links.every(isObject)) {
      input.links = raw.links.map((link) => Object.assign(new LinkInput(), { title: clean(link.title), url: clean(link.url) }));
    } else {
      errors.push({ field: 'links', message: 'links must be a list of { title, url }' });
    }
  }

  // The schema checks arrivalStatus for GraphQL requests; JSON and CSV rows are checked here.
  if (typeof input.arrivalStatus === 'string') {
    const status = input.arrivalStatus.toUpperCase();
    if (status in ArrivalStatus) input.arrivalStatus = status as ArrivalStatus;
    else errors.push({ field: 'arrivalStatus', message: `arrivalStatus must be one of ${Object.keys(ArrivalStatus).join(', ')}` });
  } else if (input.arrivalStatus !== undefined && input.arrivalStatus !== null) {
    errors.push({ field: 'arrivalStatus', message: `arrivalStatus must be one of ${Object.keys(ArrivalStatus).join(', ')}` });
  }

  errors.push(...flatten(await validate(input, { ...rulesOf(SpeakerWrite.IMPORT), forbidUnknownValues: false })));
  // The row's own rule for these fields: it may leave them out, as it may update a speaker or
  // create one; which it does, and so whether a new speaker lacks them, shows only once it is
  // matched (plan, in speaker-import.service.ts).
  for (const field of ['slug', 'countryCode', 'fullName'] as const) {
    if (input[field] === null) errors.push({ field, message: `${field} cannot be cleared` });
  }
  if (errors.length > 0) return { row, values, errors };

  for (const field of PLAIN_FIELDS) if (input[field] !== undefined) Object.assign(values, { [field]: input[field] });
  for (const field of TEXT_FIELDS) {
    const text = input[field];
    if (text !== undefined) values[field] = text && { ...text };
  }
  if (input.links !== undefined) values.links = input.links && input.links.map((l) => ({ title: l.title, url: l.url }));
  if (values.email) values.email = values.email.toLowerCase();
  if (values.countryCode) values.countryCode = values.countryCode.toUpperCase();
  if (values.ministrySlug) values.ministrySlug = values.ministrySlug.toLowerCase();
  return { row, values, errors };
}
