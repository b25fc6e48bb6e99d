import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Reads } from '../shared/projection';
import { GraphQLDateTime } from '../shared/date-range';
import type { Context } from '../shared/context';
import { Forum } from '../forum/forum.entity';
import { Session, SessionStatus } from '../session/session.entity';
import { LangArg, Language, pick, type Translations } from '../shared/i18n';
import { selectList } from '../shared/projection';
import { findBySql } from '../shared/sql-loading';
import { toZonedIso } from '../shared/time';
import { datesBetween } from './dates';
import { agendaChangesSince, checkSinceVersion } from './agenda-changes';
import { AgendaChanges, ForumDay, NowAndNext } from './agenda.types';

/** Distinct names (rooms, tracks) of an agenda in the reader's language, sorted. */
function distinctNames(values: (Translations | null | undefined)[], lang: Language | undefined, ctx: Context): string[] {
  const names = new Set<string>();
  for (const value of values) {
    const name = pick(value, lang, ctx.languages);
    if (name) names.add(name);
  }
  return [...names].sort((a, b) => a.localeCompare(b, ctx.languages[0]));
}

@Resolver(() => Forum)
export class ForumAgendaResolver {
  @Reads({ Forum: ['startDate', 'endDate', 'timeZone'], Session: ['startsAt'] })
  @FieldResolver(() => [ForumDay], {
    description:
      'The agenda day by day: every local date from start to end (and any other date with sessions), each with its sessions in start order.',
  })
  async days(@Root() forum: Forum, @Ctx() { loaders }: Context): Promise<ForumDay[]> {
    const byDate = new Map<string, Session[]>(datesBetween(forum.startDate, forum.endDate).map((d) => [d, []]));
    for (const session of await loaders.sessionsByForumId.load(forum.id)) {
      const date = toZonedIso(session.startsAt, forum.timeZone).slice(0, 10);
      byDate.set(date, [...(byDate.get(date) ?? []), session]);
    }
    return [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, sessions]) => ({ date, sessions }));
  }

  @Reads({ Session: ['room'] })
  @FieldResolver(() => [String], { description: 'The rooms used by the agenda, sorted.' })
  async rooms(@Root() forum: Forum, @LangArg() lang: Language | undefined, @Ctx() ctx: Context): Promise<string[]> {
    return distinctNames(
      (await ctx.loaders.sessionsByForumId.load(forum.id)).map((s) => s.room),
      lang,
      ctx,
    );
  }

  @Reads({ Session: ['track'] })
  @FieldResolver(() => [String], { description: 'The thematic tracks of the agenda, sorted.' })
  async tracks(@Root() forum: Forum, @LangArg() lang: Language | undefined, @Ctx() ctx: Context): Promise<string[]> {
    return distinctNames(
      (await ctx.loaders.sessionsByForumId.load(forum.id)).map((s) => s.track),
      lang,
      ctx,
    );
  }
}

@Resolver()
export class AgendaResolver {
  @Query(() => NowAndNext, {
    nullable: true,
    description: 'What is on at a moment in a forum and what comes next in each room; null for an unknown forum.',
  })
  async nowAndNext(
    @Arg('forumSlug', { description: 'The forum slug.' }) forumSlug: string,
    @Arg('at', () => GraphQLDateTime, { nullable: true, description: 'The moment to look at; default: now.' }) at: Date | undefined,
    @Ctx() { em, loaders }: Context,
  ): Promise<NowAndNext | null> {
    const forum = await loaders.forumBySlug.load(forumSlug);
    if (!forum) return null;
    const moment = at ?? new Date();
    const [now, next] = await Promise.all([
      findBySql(
        em,
        Session,
        `select ${selectList(em, Session, 't')} from session t where t.forum_id = ? and t.status <> ? and t.starts_at <= ? and t.ends_at > ? order by t.starts_at, t.id`,
        [forum.id, SessionStatus.CANCELLED, moment, moment],
      ),
      // The first session after the moment per room; rooms compare by their stored translations.
      findBySql(
        em,
        Session,
        `select * from (select distinct on (coalesce(t.room, '{}'::jsonb)) ${selectList(em, Session, 't')}, t.starts_at as "__starts_at" from session t` +
          ' where t.forum_id = ? and t.status <> ? and t.starts_at > ?' +
          ' order by coalesce(t.room, \'{}\'::jsonb), t.starts_at, t.id) t order by "__starts_at", t.id',
        [forum.id, SessionStatus.CANCELLED, moment],
      ),
    ]);
    return { at: moment, now, next };
  }

  @Reads({ Forum: ['scheduleVersion'] })
  @Query(() => AgendaChanges, {
    nullable: true,
    description:
      'Sessions created, changed or removed in a forum agenda since a schedule version, for apps that keep an offline copy: ' +
      'start with `sinceVersion: 0` (everything), then pass the returned `version`. Null for an unknown forum.',
  })
  async agendaChanges(
    @Arg('forumSlug', { description: 'The forum slug.' }) forumSlug: string,
    @Arg('sinceVersion', () => Int, { description: 'The `version` of the last sync, or 0 for a first one.' }) sinceVersion: number,
    @Ctx() { em, loaders }: Context,
  ): Promise<AgendaChanges | null> {
    const forum = await loaders.forumBySlug.load(forumSlug);
    if (!forum) return null;
    checkSinceVersion(forum, sinceVersion);
    return agendaChangesSince(em, forum, sinceVersion);
  }
}
