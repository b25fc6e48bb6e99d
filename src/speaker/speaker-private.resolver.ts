import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { Role } from '../auth/user.entity';
import { organises } from '../auth/viewer';
import type { Viewer } from '../shared/context';
import { ArrivalStatus, Speaker } from './speaker.entity';

/**
 * Whether the viewer organises one of `forumIds`; admins always do (unless they act through an
 * API token narrowed to some forums, which scopes them like an organiser).
 */
export function organisesAny(viewer: Viewer | null, forumIds: readonly number[]): boolean {
  return (viewer?.user.role === Role.ADMIN && viewer.forumIds === 'all') || forumIds.some((id) => organises(viewer, id));
}

/**
 * Whether the request may read the speaker's private fields. Answers without a query for the
 * public, editors and admins, so public reads cost nothing extra.
 */
async function maySeePrivate(ctx: Context, speaker: Speaker): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || (viewer.user.role !== Role.ADMIN && viewer.user.role !== Role.ORGANISER)) return false;
  if (viewer.forumIds === 'all') return true;
  if (viewer.forumIds.size === 0) return false;
  return organisesAny(viewer, await ctx.loaders.forumIdsBySpeakerId.load(speaker.id));
}

const PRIVATE = 'Private: null unless you are an admin or organise a forum the speaker takes part in (or was created for).';

/** The organisers' fields of a speaker, hidden from everyone else. */
@Resolver(() => Speaker)
export class SpeakerPrivateResolver {
  @FieldResolver(() => String, { nullable: true, description: `Contact email, lower case. ${PRIVATE}` })
  async email(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<string | null> {
    return (await maySeePrivate(ctx, speaker)) ? (speaker.email ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: `Phone, international format. ${PRIVATE}` })
  async phone(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<string | null> {
    return (await maySeePrivate(ctx, speaker)) ? (speaker.phone ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: `Notes for the organising team. ${PRIVATE}` })
  async internalNotes(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<string | null> {
    return (await maySeePrivate(ctx, speaker)) ? (speaker.internalNotes ?? null) : null;
  }

  @FieldResolver(() => ArrivalStatus, { nullable: true, description: `Travel and arrival status. ${PRIVATE}` })
  async arrivalStatus(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<ArrivalStatus | null> {
    return (await maySeePrivate(ctx, speaker)) ? speaker.arrivalStatus : null;
  }
}
