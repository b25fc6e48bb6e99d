import { Collection, Entity, Enum, Index, ManyToMany, Property, Unique, type Opt } from '@mikro-orm/core';
import { Ctx, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import type { Context } from '../shared/context';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { SearchVectorColumn } from '../shared/search';
import { LangArg, Language, LocalizedText, pick, type Translations } from '../shared/i18n';
import { ArticleCountry, ArticleForum, ArticleMinistry, ArticleSession, ArticleSpeaker } from './article-link.entity';

export enum ArticleStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  PUBLISHED = 'PUBLISHED',
}

registerEnumType(ArticleStatus, {
  name: 'ArticleStatus',
  description: 'Where an article is in its lifecycle; the public API shows only published ones.',
  valuesConfig: {
    DRAFT: { description: 'Not ready; never public.' },
    SCHEDULED: { description: 'Embargoed: becomes public by itself at `publishedAt`.' },
    PUBLISHED: { description: 'Public (from `publishedAt`).' },
  },
});

@ObjectType('Article', {
  implements: Node,
  description: 'A news article covering a forum, linked to the sessions, people, countries and ministries it mentions.',
})
@Entity({ tableName: 'article' })
@Index({ properties: ['publishedAt', 'id'] })
@Index({ name: 'article_search_index', expression: 'create index "article_search_index" on "article" using gin ("search_vector")' })
export class Article extends BaseEntity {
  /** What `search` matches (shared/search.ts); not part of the API. */
  @SearchVectorColumn()
  searchVector?: string;

  @Field({ description: 'Stable, URL-safe identifier, usually the slug of the source URL.' })
  @Property({ type: 'string' })
  @Unique()
  slug!: string;

  @Property({ type: 'json' })
  title!: Translations;

  @Property({ type: 'json', nullable: true })
  lead?: Translations | null;

  @Property({ type: 'json', nullable: true })
  body?: Translations | null;

  @Field({ description: 'Canonical URL of the article at its source.' })
  @Property({ type: 'text' })
  sourceUrl!: string;

  @Field({ description: 'Name of the outlet that published it (e.g. Kazpravda.kz).' })
  @Property({ type: 'string' })
  outletName!: string;

  @Field(() => String, { nullable: true, description: "The outlet's home page." })
  @Property({ type: 'text', nullable: true })
  outletUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Author, as credited.' })
  @Property({ type: 'string', nullable: true })
  authorName?: string | null;

  @Field(() => String, { nullable: true, description: 'Author title as credited, e.g. "специальный корреспондент".' })
  @Property({ type: 'string', nullable: true })
  authorTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'Credit line of the lead photo.' })
  @Property({ type: 'string', nullable: true })
  photoCredit?: string | null;

  @Field({ description: 'BCP 47 code of the language the article was published in.' })
  @Property({ type: 'string', length: 16 })
  language!: string;

  @Field(() => ArticleStatus, {
    description: 'Draft, scheduled (embargoed) or published; public queries only ever return published articles.',
  })
  @Enum({ items: () => ArticleStatus, nativeEnumName: 'article_status', default: ArticleStatus.PUBLISHED })
  status: ArticleStatus & Opt = ArticleStatus.PUBLISHED;

  @Field(() => GraphQLDateTime, { description: 'When the outlet published it; for a scheduled article, when its embargo lifts.' })
  @Property({ type: 'datetime' })
  publishedAt!: Date;

  @Field(() => Int, { description: 'View count as shown by the outlet.' })
  @Property({ type: 'integer', default: 0 })
  viewCount: number & Opt = 0;

  @ManyToMany({ entity: () => Forum, pivotEntity: () => ArticleForum })
  forums = new Collection<Forum>(this);

  @ManyToMany({ entity: () => Session, pivotEntity: () => ArticleSession })
  sessions = new Collection<Session>(this);

  @ManyToMany({ entity: () => Speaker, pivotEntity: () => ArticleSpeaker })
  speakers = new Collection<Speaker>(this);

  @ManyToMany({ entity: () => Country, pivotEntity: () => ArticleCountry })
  countries = new Collection<Country>(this);

  @ManyToMany({ entity: () => Ministry, pivotEntity: () => ArticleMinistry })
  ministries = new Collection<Ministry>(this);

  @Field(() => String, { name: 'title', description: 'The headline.' })
  localTitle(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string {
    return pick(this.title, lang, ctx.languages) ?? '';
  }

  @Field(() => LocalizedText, { description: 'The headline in every language it has.' })
  titleTranslations(): Translations {
    return this.title;
  }

  @Field(() => String, { name: 'lead', nullable: true, description: 'The lead paragraph.' })
  localLead(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.lead, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The lead in every language it has.' })
  leadTranslations(): Translations | null {
    return this.lead ?? null;
  }

  @Field(() => String, {
    name: 'body',
    nullable: true,
    description: 'The text: a summary in our own words with a link to the source, not a copy.',
  })
  localBody(@LangArg() lang: Language | undefined, @Ctx() ctx: Context): string | null {
    return pick(this.body, lang, ctx.languages);
  }

  @Field(() => LocalizedText, { nullable: true, description: 'The text in every language it has.' })
  bodyTranslations(): Translations | null {
    return this.body ?? null;
  }
}
