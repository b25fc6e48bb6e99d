import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { related } from '../shared/sql-loading';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Initiative } from './initiative.entity';

@Resolver(() => Initiative)
export class InitiativeResolver {
  @FieldResolver(() => Forum, { description: 'The forum that announced or discussed it.' })
  forum(@Root() initiative: Initiative, @Ctx() { loaders }: Context): Forum | Promise<Forum> {
    return related(initiative.forum, loaders.forumById);
  }

  @FieldResolver(() => [Country], { description: 'The countries taking part, by ISO code.' })
  countries(@Root() initiative: Initiative, @Ctx() { loaders }: Context): Promise<Country[]> {
    return loaders.countriesByInitiativeId.load(initiative.id);
  }
}
