import { ArgsType, createUnionType, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { Article } from '../article/article.entity';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';

export const MAX_SEARCH_RESULTS = 50;

/** What a search hit can be. */
export type Searched = Article | Speaker | Session | Forum | Country | Ministry;

export enum SearchKind {
  ARTICLE = 'ARTICLE',
  SPEAKER = 'SPEAKER',
  SESSION = 'SESSION',
  FORUM = 'FORUM',
  COUNTRY = 'COUNTRY',
  MINISTRY = 'MINISTRY',
}

registerEnumType(SearchKind, {
  name: 'SearchKind',
  description: 'What kind of object a search hit is.',
  valuesConfig: {
    ARTICLE: { description: 'A published news article (title, lead and text).' },
    SPEAKER: { description: 'A speaker (name, position and organisation).' },
    SESSION: { description: 'A session of a forum agenda (title and description).' },
    FORUM: { description: 'A forum edition (title, host city, venue and description).' },
    COUNTRY: { description: 'A country (name).' },
    MINISTRY: { description: 'A ministry or state agency (full name and abbreviation).' },
  },
});

export const SearchResultNode = createUnionType({
  name: 'SearchResultNode',
  description: 'An object a search can find.',
  types: () => [Article, Speaker, Session, Forum, Country, Ministry] as const,
  // Hits carry entity instances; type-graphql's default resolves them by `instanceof`,
  // synchronously, as graphql-jit needs (see Node in shared/base.entity.ts).
});

/** Of a kind with more matches, only this many (the newest) are ranked and counted: it bounds the work of a broad query. */
export const SEARCH_CANDIDATES = 200;

@ArgsType()
export class SearchArgs {
  @Field({
    description:
      'What to look for, in any language: each word by its stem (Russian, English), without Kazakh endings, as a prefix when last, ' +
      'or by similar words (typos, other cases of a name). ' +
      `Web search syntax: "quoted phrase", \`or\`, \`-word\` to exclude a word in any language and form. Must not be blank.`,
  })
  query!: string;

  @Field(() => Int, { defaultValue: 10, description: `How many hits to return, best first, at most ${MAX_SEARCH_RESULTS}.` })
  @Min(0)
  @Max(MAX_SEARCH_RESULTS)
  first: number = 10;

  @Field(() => [SearchKind], { nullable: true, description: 'Only hits of these kinds; default: all kinds.' })
  kinds?: SearchKind[] | null;
}

@ObjectType({ description: 'One object a search found.' })
export class SearchHit {
  @Field(() => SearchKind, { description: 'What kind of object `node` is.' })
  kind!: SearchKind;

  @Field(() => Float, {
    description:
      'Relevance, higher is better, comparable across kinds: from 2 for a match of the text as written, from 1 when its last word ' +
      'matches as the start of a word, from 0 for words like the ones written; within each, how often the words occur, a title ' +
      'counting most.',
  })
  rank!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "An HTML fragment of the object's text in the first of the reader's languages in which it matches (else the first in which it has text), " +
      'with the matched words in `<mark>` elements; all other markup of the source is escaped. Null when the object has no text.',
  })
  snippet!: string | null;

  @Field(() => SearchResultNode, { description: 'The object found.' })
  node!: Searched;
}

@ObjectType({ description: 'The best hits of a search across articles, speakers, sessions, forums, countries and ministries.' })
export class SearchResults {
  @Field(() => Int, {
    description:
      'How many objects match in all (of the requested kinds), not only those in `hits`; ' +
      `counted up to ${SEARCH_CANDIDATES.toLocaleString('en')} of each kind (see \`totalCountExact\`).`,
  })
  totalCount!: number;

  @Field({
    description:
      `False when a kind has ${SEARCH_CANDIDATES.toLocaleString('en')} matches or more: \`totalCount\` then counts that many of it, ` +
      'and the hits are the best of its newest matches. Add words to narrow the search.',
  })
  totalCountExact!: boolean;

  @Field(() => [SearchHit], { description: 'The best hits, highest rank first.' })
  hits!: SearchHit[];
}
