import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Article } from './article.entity';

/**
 * Views of an article per UTC day, for "most read" over a window; `Article.viewCount` keeps the
 * total. Both change only in `recordArticleView`'s single statement.
 */
@Entity({ tableName: 'article_view_day' })
export class ArticleViewDay {
  @ManyToOne(() => Article, { primary: true, deleteRule: 'cascade' })
  article!: Article;

  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'integer' })
  views!: number;
}
