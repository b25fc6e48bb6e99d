import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type DataLoader from 'dataloader';
import type { Context } from './shared/context';
import type { Loaders } from './shared/context';
import { Node } from './shared/base.entity';
import { fromGlobalId } from './shared/global-id';

/** Which loader fetches each Node type by its database id. */
const NODE_LOADERS: Record<string, (loaders: Loaders) => DataLoader<number, object | null>> = {
  Article: (l) => l.articleById,
  Country: (l) => l.countryById,
  Forum: (l) => l.forumById,
  Initiative: (l) => l.initiativeById,
  Ministry: (l) => l.ministryById,
  Quote: (l) => l.quoteById,
  Session: (l) => l.sessionById,
  SessionParticipant: (l) => l.participantById,
  Speaker: (l) => l.speakerById,
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist.' })
  async node(
    @Arg('id', () => ID, { description: 'A global id, as returned in any `id` field.' }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<object | null> {
    const { type, id: key } = fromGlobalId(id);
    const loader = NODE_LOADERS[type];
    return loader ? loader(loaders).load(key) : null;
  }
}
