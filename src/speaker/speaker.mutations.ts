import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { Speaker } from './speaker.entity';
import { CreateSpeakerInput, DeleteSpeakerInput, rulesOf, SpeakerWrite, UpdateSpeakerInput } from './speaker.inputs';
import * as speakers from './speaker.service';

/** Organisers' changes to speakers (speaker.service.ts, which says who may change whom). */
@Resolver()
export class SpeakerMutationResolver {
  @Mutation(() => Speaker, { description: 'Creates a speaker for a forum you organise (admins: any forum).' })
  createSpeaker(
    @Arg('input', () => CreateSpeakerInput, { description: 'The new speaker.', validate: rulesOf(SpeakerWrite.CREATE) })
    input: CreateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    return speakers.createSpeaker(ctx, input);
  }

  @Mutation(() => Speaker, {
    description:
      'Changes a speaker. Allowed to admins and to organisers of any forum the speaker takes part in or was created for. ' +
      'Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  updateSpeaker(
    @Arg('input', () => UpdateSpeakerInput, { description: 'The changes.', validate: rulesOf(SpeakerWrite.UPDATE) })
    input: UpdateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    return speakers.updateSpeaker(ctx, input);
  }

  @Mutation(() => ID, {
    description:
      'Deletes a speaker and their participation in every session; returns the id they had. Allowed to admins and to organisers of ' +
      'every forum the speaker takes part in or was created for. Refused with CONFLICT when `expectedVersion` is not the current version.',
  })
  deleteSpeaker(
    @Arg('input', () => DeleteSpeakerInput, { description: 'The speaker to delete.' }) input: DeleteSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return speakers.deleteSpeaker(ctx, input);
  }
}
