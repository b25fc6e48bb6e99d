import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Initiative } from './initiative.entity';

@Resolver(() => Initiative)
export class InitiativeResolver {
  @FieldResolver(() => Forum, { description: 'The forum that announced or discussed it.' })
  async forum(@Root() initiative: Initiative, @Ctx() { loaders }: Context): Promise<Forum> {
    return (await loaders.forumById.load(initiative.forum.id))!;
  }

  @FieldResolver(() => [Country], { description: 'The countries taking part, by ISO code.' })
  countries(@Root() initiative: Initiative, @Ctx() { loaders }: Context): Promise<Country[]> {
    return loaders.countriesByInitiativeId.load(initiative.id);
  }
}
