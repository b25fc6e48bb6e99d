import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Ctx, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

export enum MinistryKind {
  MINISTRY = 'MINISTRY',
  STATE_AGENCY = 'STATE_AGENCY',
}

registerEnumType(MinistryKind, {
  name: 'MinistryKind',
  description: 'What kind of government body a ministry is.',
  valuesConfig: {
    MINISTRY: { description: 'A government ministry.' },
    STATE_AGENCY: { description: 'A state agency or committee outside a ministry.' },
  },
});

@ObjectType('Ministry', { implements: Node, description: 'A government ministry or state agency of a country.' })
@Entity({ tableName: 'ministry' })
@Index({ name: 'ministry_search_index', expression: 'create index "ministry_search_index" on "ministry" using gin ("search_vector")' })
export class Ministry extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'Stable, URL-safe identifier (e.g. `kz-mci`).' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @Field(() => MinistryKind, { description: 'Ministry or state agency.' })
  @Enum({ items: () => MinistryKind, nativeEnumName: 'ministry_kind' })
  kind!: MinistryKind;

  @ManyToOne(() => Country, { deleteRule: 'restrict', index: true })
  country!: Country;

  @Property({ type: 'json' })
  name!: Translations;

  @Property({ type: 'json', nullable: true })
  shortName?: Translations | null;

  @Field(() => String, { nullable: true, description: 'Official website.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  @Field(() => String, { name: 'name', description: 'The full name.' })
  localName(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.name, lang, ctx.languages) ?? this.slug;
  }

  @Field(() => LocalizedText, { description: 'The full name in every language it has.' })
  nameTranslations(): Translations {
    return this.name;
  }

  @Field(() => String, { name: 'shortName', nullable: true, description: 'The abbreviation (e.g. МКИ РК).' })
  localShortName(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.shortName, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The abbreviation in every language it has.' })
  shortNameTranslations(): Translations | null {
    return this.shortName ?? null;
  }
}
