import { Entity, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Ctx, Field, ObjectType } from 'type-graphql';
import type { Context } from '../context';
import { Country } from '../country/country.entity';
import { Ministry } from '../ministry/ministry.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';
import { searchVectorSql } from '../shared/search';

/** Full-text search over name (weight A), position and organisation (B) in every language. */
export const SPEAKER_SEARCH_VECTOR = searchVectorSql([
  ['full_name', 'A'],
  ['position', 'B'],
  ['organisation', 'B'],
]);

@ObjectType({ description: 'A web link about a speaker (site, profile, social network).' })
export class Link {
  @Field({ description: 'What the link is, e.g. "Website" or "Telegram".' })
  title!: string;

  @Field({ description: 'Absolute URL.' })
  url!: string;
}

@ObjectType('Speaker', { implements: Node, description: 'A person who speaks, moderates or hosts at forum sessions.' })
@Entity({ tableName: 'speaker' })
@Index({ name: 'speaker_search_index', expression: `create index "speaker_search_index" on "speaker" using gin ((${SPEAKER_SEARCH_VECTOR}))` })
export class Speaker extends BaseEntity {
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

  @Field(() => String, { name: 'organisation', nullable: true, description: 'Employer when it is not a ministry (a media company, a university).' })
  localOrganisation(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.organisation, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The organisation in every language it has.' })
  organisationTranslations(): Translations | null {
    return this.organisation ?? null;
  }
}
