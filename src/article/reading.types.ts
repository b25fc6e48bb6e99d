import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLLocalDate } from '../shared/date-range';
import { Article } from './article.entity';

@ObjectType({ description: 'An article with its views in a window.' })
export class ArticleViews {
  @Field(() => Article, { description: 'The article.' })
  article!: Article;

  @Field(() => Int, { description: 'Views in the window asked for (all time when no window).' })
  views!: number;
}

@ObjectType({ description: 'How many articles were published on a day.' })
export class ArchiveDay {
  @Field(() => GraphQLLocalDate, { description: 'The local date.' })
  date!: string;

  @Field(() => Int, { description: 'Articles published that day.' })
  count!: number;
}

@ObjectType({ description: 'How many articles were published in a month, by day.' })
export class ArchiveMonth {
  @Field(() => Int, { description: 'Month, 1 to 12.' })
  month!: number;

  @Field(() => Int, { description: 'Articles published that month.' })
  count!: number;

  @Field(() => [ArchiveDay], { description: 'Days with articles, in order.' })
  days!: ArchiveDay[];
}

@ObjectType({ description: 'How many articles were published in a year, by month and day.' })
export class ArchiveYear {
  @Field(() => Int, { description: 'The year.' })
  year!: number;

  @Field(() => Int, { description: 'Articles published that year.' })
  count!: number;

  @Field(() => [ArchiveMonth], { description: 'Months with articles, in order.' })
  months!: ArchiveMonth[];
}
