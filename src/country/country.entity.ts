import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { Ctx, Field, ObjectType } from 'type-graphql';
import type { Context } from '../shared/context';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

@ObjectType('Country', { implements: Node, description: 'A country taking part in forums, with its ministries and people.' })
@Entity({ tableName: 'country' })
@Index({ name: 'country_search_index', expression: 'create index "country_search_index" on "country" using gin ("search_vector")' })
export class Country extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'ISO 3166-1 alpha-2 code, upper case (e.g. `KZ`).' })
  @Property({ type: 'string', length: 2 })
  @Unique()
  code!: string;

  @Property({ type: 'json' })
  name!: Translations;

  @Field(() => String, { name: 'name', description: 'The country name.' })
  localName(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.name, lang, ctx.languages) ?? this.code;
  }

  @Field(() => LocalizedText, { description: 'The country name in every language it has.' })
  nameTranslations(): Translations {
    return this.name;
  }
}
