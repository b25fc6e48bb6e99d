import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import * as imports from './speaker-import.service';
import { ImportSpeakersInput, SpeakerImportReport } from './speaker-import.types';

@Resolver()
export class SpeakerImportResolver {
  @Mutation(() => SpeakerImportReport, {
    description:
      'Creates and updates many speakers at once, for organisers of the forum and admins. A row updates the speaker with its ' +
      'externalId, else with its email, if you may change that speaker (as for updateSpeaker: you organise a forum it takes part ' +
      'in or was created for); otherwise it creates one, which needs fullName and countryCode, and gets the given slug or one ' +
      'made from the English, else Russian, else Kazakh name (Aida Balaeva -> aida-balaeva, -2 when taken). A dry run (the ' +
      'default) reports what each row would do; otherwise every change is written in one transaction, or none when a row has ' +
      'an error. Each change gets an audit entry (IMPORT_CREATE, IMPORT_UPDATE). CONFLICT when another change to the same ' +
      'speakers commits while the import is applied.',
  })
  importSpeakers(
    @Arg('input', () => ImportSpeakersInput, { description: 'The forum, the rows, and whether to apply them.' }) input: ImportSpeakersInput,
    @Ctx() ctx: Context,
  ): Promise<SpeakerImportReport> {
    return imports.importSpeakers(ctx, { ...input, rows: imports.numbered(input.rows) });
  }
}
