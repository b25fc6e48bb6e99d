import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Ctx, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';

export enum InitiativeStatus {
  PROPOSED = 'PROPOSED',
  UNDER_CONSIDERATION = 'UNDER_CONSIDERATION',
  LAUNCHED = 'LAUNCHED',
}

registerEnumType(InitiativeStatus, {
  name: 'InitiativeStatus',
  description: 'How far an initiative has come.',
  valuesConfig: {
    PROPOSED: { description: 'Proposed or planned.' },
    UNDER_CONSIDERATION: { description: 'Being considered by the governments involved.' },
    LAUNCHED: { description: 'Launched or opened.' },
  },
});

@ObjectType('Initiative', { implements: Node, description: 'An outcome a forum announced or discussed, e.g. a joint TV channel.' })
@Entity({ tableName: 'initiative' })
export class Initiative extends BaseEntity {
  @Field({ description: 'Stable, URL-safe identifier.' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @ManyToOne(() => Forum, { deleteRule: 'cascade', index: true })
  forum!: Forum;

  @Property({ type: 'json' })
  title!: Translations;

  @Property({ type: 'json', nullable: true })
  description?: Translations | null;

  @Field(() => InitiativeStatus, { description: 'How far the initiative has come.' })
  @Enum({ items: () => InitiativeStatus, nativeEnumName: 'initiative_status' })
  status!: InitiativeStatus;

  @ManyToMany(() => Country, undefined, { pivotTable: 'initiative_country', joinColumn: 'initiative_id', inverseJoinColumn: 'country_id' })
  countries = new Collection<Country>(this);

  @Field(() => String, { name: 'title', description: 'What the initiative is.' })
  localTitle(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.title, lang, ctx.languages) ?? this.slug;
  }

  @Field(() => LocalizedText, { description: 'The title in every language it has.' })
  titleTranslations(): Translations {
    return this.title;
  }

  @Field(() => String, { name: 'description', nullable: true, description: 'Details of the initiative.' })
  localDescription(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.description, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The description in every language it has.' })
  descriptionTranslations(): Translations | null {
    return this.description ?? null;
  }
}
