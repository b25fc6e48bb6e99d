import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Ctx, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

export enum ArrivalStatus {
  UNKNOWN = 'UNKNOWN',
  INVITED = 'INVITED',
  CONFIRMED = 'CONFIRMED',
  TRAVELLING = 'TRAVELLING',
  ARRIVED = 'ARRIVED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(ArrivalStatus, {
  name: 'ArrivalStatus',
  description: "Where a speaker's travel to the forum stands (organisers only).",
  valuesConfig: {
    UNKNOWN: { description: 'Not recorded.' },
    INVITED: { description: 'Invited, not yet confirmed.' },
    CONFIRMED: { description: 'Confirmed to come.' },
    TRAVELLING: { description: 'On the way.' },
    ARRIVED: { description: 'At the venue.' },
    CANCELLED: { description: 'Not coming.' },
  },
});

@ObjectType({ description: 'A web link about a speaker (site, profile, social network).' })
export class Link {
  @Field({ description: 'What the link is, e.g. "Website" or "Telegram".' })
  title!: string;

  @Field({ description: 'Absolute URL.' })
  url!: string;
}

@ObjectType('Speaker', { implements: Node, description: 'A person who speaks, moderates or hosts at forum sessions.' })
@Entity({ tableName: 'speaker' })
@Index({ name: 'speaker_search_index', expression: 'create index "speaker_search_index" on "speaker" using gin ("search_vector")' })
export class Speaker extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'Stable, URL-safe identifier (e.g. `aida-balaeva`).' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @Property({ type: 'json' })
  fullName!: Translations;

  @Property({ type: 'json' })
  position!: Translations;

  @Property({ type: 'json', nullable: true })
  bio?: Translations | null;

  @Field(() => String, { nullable: true, description: 'Absolute URL of a portrait photo.' })
  @Property({ type: 'text', nullable: true })
  photoUrl?: string | null;

  @ManyToOne(() => Country, { deleteRule: 'restrict', index: true })
  country!: Country;

  @ManyToOne(() => Ministry, { nullable: true, deleteRule: 'set null', index: true })
  ministry?: Ministry | null;

  @Property({ type: 'json', nullable: true })
  organisation?: Translations | null;

  /** Identifier in the organisers' own system (a spreadsheet row id); matches imports. */
  @Property({ type: 'string', nullable: true })
  @Unique()
  externalId?: string | null;

  /*
   * Private fields: organisers of the speaker's forums only (see SpeakerPrivateResolver).
   * Stored lower-cased.
   */
  @Property({ type: 'string', nullable: true })
  @Unique()
  email?: string | null;

  @Property({ type: 'string', nullable: true })
  phone?: string | null;

  @Property({ type: 'text', nullable: true })
  internalNotes?: string | null;

  @Enum({ items: () => ArrivalStatus, nativeEnumName: 'arrival_status', default: ArrivalStatus.UNKNOWN })
  arrivalStatus: ArrivalStatus & Opt = ArrivalStatus.UNKNOWN;

  /** Optimistic locking: an update must name the version it read (`expectedVersion`). */
  @Field(() => Int, { description: 'Grows with every change; pass it as `expectedVersion` when updating.' })
  @Property({ version: true, type: 'integer' })
  version: number & Opt = 1;

  @Field(() => [Link], { description: 'Web links about the speaker.' })
  @Property({ type: 'json', defaultRaw: `'[]'` })
  links: Link[] & Opt = [];

  @Field(() => String, { name: 'fullName', description: 'The full name.' })
  localFullName(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.fullName, lang, ctx.languages) ?? this.slug;
  }

  @Field(() => LocalizedText, { description: 'The full name in every language it has.' })
  fullNameTranslations(): Translations {
    return this.fullName;
  }

  @Field(() => String, { name: 'position', description: 'Job title, e.g. "Minister of Culture and Information".' })
  localPosition(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.position, lang, ctx.languages) ?? '';
  }

  @Field(() => LocalizedText, { description: 'The job title in every language it has.' })
  positionTranslations(): Translations {
    return this.position;
  }

  @Field(() => String, { name: 'bio', nullable: true, description: 'A short biography.' })
  localBio(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.bio, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The biography in every language it has.' })
  bioTranslations(): Translations | null {
    return this.bio ?? null;
  }

  @Field(() => String, {
    name: 'organisation',
    nullable: true,
    description: 'Employer when it is not a ministry (a media company, a university).',
  })
  localOrganisation(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.organisation, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The organisation in every language it has.' })
  organisationTranslations(): Translations | null {
    return this.organisation ?? null;
  }
}
