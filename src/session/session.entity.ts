import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Ctx, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import type { Context } from '../shared/context';
import { Forum } from '../forum/forum.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

export enum SessionKind {
  OPENING = 'OPENING',
  MINISTERIAL_MEETING = 'MINISTERIAL_MEETING',
  PLENARY = 'PLENARY',
  PANEL = 'PANEL',
  MASTER_CLASS = 'MASTER_CLASS',
  WORKSHOP = 'WORKSHOP',
  BREAK = 'BREAK',
  OTHER = 'OTHER',
}

registerEnumType(SessionKind, {
  name: 'SessionKind',
  description: 'What kind of agenda item a session is.',
  valuesConfig: {
    OPENING: { description: 'The opening ceremony or opening address.' },
    MINISTERIAL_MEETING: { description: 'A meeting of ministers or heads of agencies.' },
    PLENARY: { description: 'A plenary session for all participants.' },
    PANEL: { description: 'A panel discussion.' },
    MASTER_CLASS: { description: 'A master class given by experts.' },
    WORKSHOP: { description: 'A hands-on workshop.' },
    BREAK: { description: 'A coffee or lunch break.' },
    OTHER: { description: 'Anything else.' },
  },
});

export enum SessionStatus {
  SCHEDULED = 'SCHEDULED',
  MOVED = 'MOVED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(SessionStatus, {
  name: 'SessionStatus',
  description: 'Whether a session takes place as first published.',
  valuesConfig: {
    SCHEDULED: { description: 'Takes place as published.' },
    MOVED: { description: 'Takes place at another time or in another room than first published.' },
    CANCELLED: { description: 'Does not take place; kept in the agenda so that apps can show it as cancelled.' },
  },
});

@ObjectType('Session', { implements: Node, description: 'An item on a forum agenda: a meeting, panel, master class or break.' })
@Entity({ tableName: 'session' })
@Index({ name: 'session_search_index', expression: 'create index "session_search_index" on "session" using gin ("search_vector")' })
@Index({ properties: ['forum', 'startsAt'] })
export class Session extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'Stable, URL-safe identifier (e.g. `camf-2025-ministers-meeting`), for links and schedule exports.' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @ManyToOne(() => Forum, { deleteRule: 'cascade' })
  forum!: Forum;

  @Property({ type: 'json' })
  title!: Translations;

  @Property({ type: 'json', nullable: true })
  description?: Translations | null;

  @Field(() => SessionKind, { description: 'What kind of agenda item this is.' })
  @Enum({ items: () => SessionKind, nativeEnumName: 'session_kind' })
  kind!: SessionKind;

  @Field(() => SessionStatus, { description: 'Scheduled, moved or cancelled.' })
  @Enum({ items: () => SessionStatus, nativeEnumName: 'session_status', default: SessionStatus.SCHEDULED })
  status: SessionStatus & Opt = SessionStatus.SCHEDULED;

  /**
   * How many times the session (with its participants and their speaker data) has changed;
   * kept by a database trigger, read by exports (iCalendar SEQUENCE).
   */
  @Field(() => Int, { description: 'Grows by at least one with every change to the session, its participants or their speaker data.' })
  @Property({ type: 'integer', default: 0 })
  revision: number & Opt = 0;

  /** Optimistic locking: an update must name the version it read (`expectedVersion`). */
  @Field(() => Int, { description: 'Grows with every edit through the API; pass it as `expectedVersion` when updating.' })
  @Property({ version: true, type: 'integer' })
  version: number & Opt = 1;

  @Field(() => GraphQLDateTime, { description: 'Start, as an instant (ISO 8601 with offset); render it in the forum time zone.' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'End, as an instant (ISO 8601 with offset).' })
  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'json', nullable: true })
  room?: Translations | null;

  @Property({ type: 'json', nullable: true })
  track?: Translations | null;

  @Field({ description: 'BCP 47 code of the language the session is held in (e.g. `ru`).' })
  @Property({ type: 'string', length: 16 })
  language!: string;

  @Property({ type: 'json', nullable: true })
  audience?: Translations | null;

  @Field(() => String, { name: 'title', description: 'The session title.' })
  localTitle(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.title, lang, ctx.languages) ?? '';
  }

  @Field(() => LocalizedText, { description: 'The title in every language it has.' })
  titleTranslations(): Translations {
    return this.title;
  }

  @Field(() => String, { name: 'description', nullable: true, description: 'What the session is about.' })
  localDescription(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.description, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The description in every language it has.' })
  descriptionTranslations(): Translations | null {
    return this.description ?? null;
  }

  @Field(() => String, { name: 'room', nullable: true, description: 'The room or hall, when known.' })
  localRoom(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.room, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The room in every language it has.' })
  roomTranslations(): Translations | null {
    return this.room ?? null;
  }

  @Field(() => String, { name: 'track', nullable: true, description: 'The thematic track, when the forum has tracks.' })
  localTrack(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.track, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The track in every language it has.' })
  trackTranslations(): Translations | null {
    return this.track ?? null;
  }

  @Field(() => String, {
    name: 'audience',
    nullable: true,
    description: 'Who the session is for (e.g. university students), when restricted.',
  })
  localAudience(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.audience, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The audience in every language it has.' })
  audienceTranslations(): Translations | null {
    return this.audience ?? null;
  }
}
