import { Arg, Args, Ctx, Field, FieldResolver, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../shared/context';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import { Forum } from '../forum/forum.entity';
import { ConnectionType, PageArgs, pageOf, toConnection, type Connection } from '../shared/paging';
import { allOf } from '../shared/sql-filter';
import { fetchRootPage, related } from '../shared/sql-loading';
import { AuditEntry } from './audit-entry.entity';

const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry');

@InputType({ description: 'Narrows the audit log; all given conditions must hold.' })
class AuditFilter {
  @Field(() => String, { nullable: true, description: 'Only changes in this forum (its slug).' })
  forumSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to this kind of object, e.g. Speaker.' })
  entityType?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only changes to the object with this database id (with entityType).' })
  entityId?: number | null;

  @Field(() => String, { nullable: true, description: 'Only changes by this user (email).' })
  actorEmail?: string | null;
}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: 'Changes made through the API, newest first: admins see all; organisers those in their forums.',
  })
  async auditLog(
    @Arg('filter', () => AuditFilter, { nullable: true, description: 'Conditions the entries must meet.' }) filter: AuditFilter | undefined,
    @Args() args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<AuditEntry>> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER);
    const where = allOf([
      viewer.forumIds !== 'all' && { sql: 't.forum_id = any(?)', params: [[...viewer.forumIds]] },
      filter?.forumSlug && { sql: 't.forum_id = (select id from forum where slug = ?)', params: [filter.forumSlug] },
      filter?.entityType && { sql: 't.entity_type = ?', params: [filter.entityType] },
      typeof filter?.entityId === 'number' && { sql: 't.entity_id = ?', params: [filter.entityId] },
      filter?.actorEmail && { sql: 't.actor_email = ?', params: [filter.actorEmail.toLowerCase()] },
    ]);
    return toConnection(await fetchRootPage(ctx.em, AuditEntry, { from: 'audit_entry t', orderBy: 't.id desc' }, pageOf(args), where));
  }

  @FieldResolver(() => Forum, { nullable: true, description: 'The forum the change belongs to; null for global data (users, countries).' })
  forum(@Root() entry: AuditEntry, @Ctx() { loaders }: Context): Forum | Promise<Forum> | null {
    return entry.forum ? related(entry.forum, loaders.forumById) : null;
  }
}
