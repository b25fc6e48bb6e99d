import { parse } from 'csv-parse/sync';
import { BadUserInputError } from '../errors';
import type { ImportRowSource } from './speaker-import.service';

/*
 * Speaker imports as CSV (what organisers export from their spreadsheets): UTF-8, a header
 * row, comma- or semicolon-separated (Excel in a Russian locale writes semicolons), quoted
 * cells may hold separators and line breaks. Each column fills one field of SpeakerImportRow:
 *
 *   external_id      externalId       the organisers' own id; matches first
 *   email            email            matches when external_id does not
 *   slug             slug             derived from the name for a new speaker when empty
 *   full_name_ru     fullName.ru      and full_name_en, full_name_kk
 *   position_ru      position.ru      and position_en, position_kk
 *   organisation_ru  organisation.ru  and organisation_en, organisation_kk
 *   bio_ru           bio.ru           and bio_en, bio_kk
 *   country          countryCode      ISO 3166-1 alpha-2 (KZ)
 *   ministry         ministrySlug     e.g. kz-mci
 *   photo_url        photoUrl
 *   phone            phone            international format (+7 701 ...)
 *   arrival_status   arrivalStatus    UNKNOWN, INVITED, CONFIRMED, TRAVELLING, ARRIVED, CANCELLED
 *   internal_notes   internalNotes
 *
 * Column names are case-insensitive and may come in any order; every column is optional. An
 * empty cell leaves the speaker's value as it is (CSV cannot tell "empty" from "clear": clear
 * values through updateSpeaker or a JSON import with null). A record whose cells are all empty
 * is skipped but still counted, so row N is always the N-th record after the header.
 */

export const CSV_COLUMNS: Readonly<Record<string, string>> = {
  external_id: 'externalId',
  email: 'email',
  slug: 'slug',
  full_name_ru: 'fullName.ru',
  full_name_en: 'fullName.en',
  full_name_kk: 'fullName.kk',
  position_ru: 'position.ru',
  position_en: 'position.en',
  position_kk: 'position.kk',
  organisation_ru: 'organisation.ru',
  organisation_en: 'organisation.en',
  organisation_kk: 'organisation.kk',
  bio_ru: 'bio.ru',
  bio_en: 'bio.en',
  bio_kk: 'bio.kk',
  country: 'countryCode',
  ministry: 'ministrySlug',
  photo_url: 'photoUrl',
  phone: 'phone',
  arrival_status: 'arrivalStatus',
  internal_notes: 'internalNotes',
};

/** The separator of a file: the one of `,` and `;` that occurs more often in its header line. */
function separatorOf(text: string): ',' | ';' {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** The rows of a CSV import; BAD_USER_INPUT when the file is not a CSV of these columns. */
export function parseSpeakerCsv(text: string): ImportRowSource[] {
  // Bytes that were not UTF-8 were decoded as U+FFFD: a cp1251 file from an old Excel.
  if (text.includes('\uFFFD')) throw new BadUserInputError('The CSV is not valid UTF-8; save it as "CSV UTF-8"');
  const body = text.replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(body, { delimiter: separatorOf(body), skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new BadUserInputError(`The CSV cannot be read: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw new BadUserInputError('The CSV is empty; it needs a header row naming its columns');
  const fields = header.map((name) => name.toLowerCase());
  // Own keys only: `in` also finds what every object inherits, and a "__proto__" or "constructor"
  // column would pass as known and then fail as a 500 when its cells are read.
  const unknown = fields.filter((name) => !Object.hasOwn(CSV_COLUMNS, name));
  if (unknown.length > 0) {
    // The first few name the mistake; a file of 10,000 unknown columns needs no 100 KB answer.
    const named =
      unknown
        .slice(0, 10)
        .map((n) => `"${n.slice(0, 100)}"`)
        .join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '');
    throw new BadUserInputError(`Unknown CSV column(s): ${named}. Known columns: ${Object.keys(CSV_COLUMNS).join(', ')}`);
  }
  const repeated = fields.filter((name, i) => fields.indexOf(name) !== i);
  if (repeated.length > 0) throw new BadUserInputError(`CSV column "${repeated[0]}" appears more than once`);

  const rows: ImportRowSource[] = [];
  data.forEach((record, index) => {
    if (record.every((cell) => cell === '')) return;
    const row: Record<string, unknown> = {};
    record.forEach((cell, i) => {
      if (cell === '') return;
      const [field, language] = CSV_COLUMNS[fields[i]].split('.');
      if (language) row[field] = { ...(row[field] as object), [language]: cell };
      else row[field] = cell;
    });
    rows.push({ row: index + 1, fields: row });
  });
  return rows;
}
