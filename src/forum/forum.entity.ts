import { Collection, Entity, Index, ManyToMany, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Ctx, Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLLocalDate } from '../shared/date-range';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

@ObjectType('Forum', { implements: Node, description: 'One edition of a media forum, e.g. the Second Central Asian Media Forum.' })
@Entity({ tableName: 'forum' })
@Index({ name: 'forum_search_index', expression: 'create index "forum_search_index" on "forum" using gin ("search_vector")' })
export class Forum extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'Stable, URL-safe identifier (e.g. `camf-2025`).' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @Property({ type: 'json' })
  title!: Translations;

  @Field(() => Int, { description: 'Which edition of the forum this is: 1 for the first.' })
  @Property({ type: 'integer' })
  edition!: number;

  @Property({ type: 'json' })
  city!: Translations;

  @Property({ type: 'json', nullable: true })
  venue?: Translations | null;

  @ManyToOne(() => Country, { deleteRule: 'restrict', index: true })
  hostCountry!: Country;

  @Field({ description: 'IANA time zone of the venue (e.g. `Asia/Almaty`); local dates and times are in it.' })
  @Property({ type: 'string' })
  timeZone!: string;

  @Field(() => GraphQLLocalDate, { description: 'First day, as a local date in the forum time zone.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day, as a local date in the forum time zone.' })
  @Property({ type: 'date' })
  endDate!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of participants, when announced (a lower bound where reports say "more than").',
  })
  @Property({ type: 'integer', nullable: true })
  participantCount?: number | null;

  @Property({ type: 'json', nullable: true })
  description?: Translations | null;

  @Field(() => String, { nullable: true, description: 'Official website.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  /**
   * Kept by database triggers: grows with every change to the forum's sessions, their
   * participants or those participants' speaker data (see the agenda change-feed migration).
   */
  @Field(() => Int, {
    description: 'Grows with every change to the agenda (sessions, participants, their speakers); pass it to `agendaChanges` to sync.',
  })
  @Property({ type: 'integer', default: 0 })
  scheduleVersion: number & Opt = 0;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When the agenda last changed (with `scheduleVersion`); null before it has sessions.',
  })
  @Property({ type: 'datetime', nullable: true })
  scheduleChangedAt?: Date | null;

  @ManyToMany(() => Ministry, undefined, { pivotTable: 'forum_organiser', joinColumn: 'forum_id', inverseJoinColumn: 'ministry_id' })
  organisers = new Collection<Ministry>(this);

  @ManyToMany(() => Country, undefined, { pivotTable: 'forum_country', joinColumn: 'forum_id', inverseJoinColumn: 'country_id' })
  countries = new Collection<Country>(this);

  @Field(() => String, { name: 'title', description: 'The forum name.' })
  localTitle(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.title, lang, ctx.languages) ?? this.slug;
  }

  @Field(() => LocalizedText, { description: 'The forum name in every language it has.' })
  titleTranslations(): Translations {
    return this.title;
  }

  @Field(() => String, { name: 'city', description: 'The host city.' })
  localCity(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.city, lang, ctx.languages) ?? '';
  }

  @Field(() => LocalizedText, { description: 'The host city in every language it has.' })
  cityTranslations(): Translations {
    return this.city;
  }

  @Field(() => String, { name: 'venue', nullable: true, description: 'The venue, when known.' })
  localVenue(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.venue, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The venue in every language it has.' })
  venueTranslations(): Translations | null {
    return this.venue ?? null;
  }

  @Field(() => String, { name: 'description', nullable: true, description: 'What the forum is about.' })
  localDescription(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.description, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The description in every language it has.' })
  descriptionTranslations(): Translations | null {
    return this.description ?? null;
  }
}
