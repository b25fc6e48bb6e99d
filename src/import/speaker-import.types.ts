import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { SpeakerFieldsInput } from '../speaker/speaker.inputs';

/** Most rows one import may have; bigger lists go in several imports. */
export const MAX_IMPORT_ROWS = 2000;

/** Largest body the HTTP import endpoint reads: 2000 rows with short biographies in three languages. */
export const IMPORT_BODY_LIMIT = '2mb';

/**
 * One speaker in an import. Validated row by row by the service (not by the schema), so that a
 * bad row becomes an ERROR line in the report instead of failing the whole import.
 */
@InputType({
  description:
    'One speaker in an import: the fields of SpeakerFieldsInput. Matched to an existing speaker by `externalId`, ' +
    'else by `email` (case-insensitive); otherwise a new speaker is created. Absent fields and empty text leave a ' +
    'value as it is; null clears it (and removes one language inside fullName, position, bio, organisation).',
})
export class SpeakerImportRow extends SpeakerFieldsInput {}

@InputType({
  description: [
    'A list of speakers to create or update in one go. Over HTTP, `POST /forums/{forumSlug}/speakers/import?dryRun=true|false`',
    'takes the same rows as `application/json` (`{ "rows": [...] }`) or as `text/csv` (UTF-8, a header row, comma or',
    'semicolon separated), with these columns, all optional, in any order, names case-insensitive:',
    'external_id, email, slug, full_name_ru, full_name_en, full_name_kk, position_ru, position_en, position_kk,',
    'organisation_ru, organisation_en, organisation_kk, bio_ru, bio_en, bio_kk, country (ISO code), ministry (slug),',
    'photo_url, phone, arrival_status, internal_notes. An empty cell leaves a value as it is; rows whose cells are all',
    'empty are skipped (but counted in row numbers). GraphQL requests are bounded by the server body limit',
    `(MAX_BODY_SIZE); the HTTP endpoint takes files up to ${IMPORT_BODY_LIMIT}.`,
  ].join(' '),
})
export class ImportSpeakersInput {
  @Field({
    description:
      "The forum the import is for: you must organise it. Audit entries are filed under it (updates also under the speaker's other forums).",
  })
  forumSlug!: string;

  // No @ValidateNested: rows are checked one by one by the service, so that a bad row is reported
  // as an ERROR line rather than failing the whole import.
  @Field(() => [SpeakerImportRow], { description: `The speakers, at most ${MAX_IMPORT_ROWS}; row numbers in the report count from 1.` })
  rows!: SpeakerImportRow[];

  @Field({
    defaultValue: true,
    description:
      'true (the default): only report what would change. false: apply every change in one transaction, ' +
      'unless a row has an error, in which case nothing is written.',
  })
  dryRun!: boolean;
}

export enum SpeakerImportAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  UNCHANGED = 'UNCHANGED',
  ERROR = 'ERROR',
}

registerEnumType(SpeakerImportAction, {
  name: 'SpeakerImportAction',
  description: 'What an import does with one row.',
  valuesConfig: {
    CREATE: { description: 'A new speaker.' },
    UPDATE: { description: 'Changes to an existing speaker.' },
    UNCHANGED: { description: 'An existing speaker that already has these values.' },
    ERROR: { description: 'The row cannot be imported; see its errors. No row of the import is written.' },
  },
});

@ObjectType({ description: 'One field an import changes.' })
export class SpeakerImportChange {
  @Field({ description: 'The row field, with the language for translated text: `email`, `fullName.ru`, `countryCode`, ...' })
  field!: string;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The value now: text, or a list of links; null when there is none (always, for a new speaker).',
  })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The value after the import; null when the import clears it.' })
  after!: unknown;
}

@ObjectType({ description: 'Why a row cannot be imported.' })
export class SpeakerImportError {
  @Field({ description: 'The row field at fault (`email`, `fullName.ru`, `countryCode`, ...); empty for the row as a whole.' })
  field!: string;

  @Field({ description: 'What is wrong, in English.' })
  message!: string;
}

@ObjectType({ description: 'What an import does, or would do, with one row.' })
export class SpeakerImportRowResult {
  @Field(() => Int, { description: 'Position of the row, from 1 (for CSV: the record after the header, so spreadsheet row − 1).' })
  row!: number;

  @Field(() => SpeakerImportAction, { description: 'Create, update, leave unchanged, or refuse.' })
  action!: SpeakerImportAction;

  @Field(() => String, { nullable: true, description: 'The slug of the speaker the row creates or updates; null when it is not known.' })
  speakerSlug!: string | null;

  @Field(() => [SpeakerImportChange], { description: 'Each changed field; for a new speaker, every field given.' })
  changes!: SpeakerImportChange[];

  @Field(() => [SpeakerImportError], { description: 'Why the row cannot be imported; empty unless the action is ERROR.' })
  errors!: SpeakerImportError[];
}

@ObjectType({ description: 'How many rows an import has of each kind.' })
export class SpeakerImportTotals {
  @Field(() => Int, { description: 'All rows.' })
  rows!: number;

  @Field(() => Int, { description: 'Rows that create a speaker.' })
  created!: number;

  @Field(() => Int, { description: 'Rows that change a speaker.' })
  updated!: number;

  @Field(() => Int, { description: 'Rows that change nothing.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Rows with errors.' })
  errors!: number;
}

@ObjectType({ description: 'The result of an import, row by row.' })
export class SpeakerImportReport {
  @Field({ description: 'Whether this was a dry run, which writes nothing.' })
  dryRun!: boolean;

  @Field({ description: 'Whether the changes were written: false for a dry run and whenever a row has an error.' })
  applied!: boolean;

  @Field(() => SpeakerImportTotals, { description: 'Counts of rows by action.' })
  totals!: SpeakerImportTotals;

  @Field(() => [SpeakerImportRowResult], { description: 'Every row, in the order given.' })
  rows!: SpeakerImportRowResult[];
}
