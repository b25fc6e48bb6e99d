import { Entity, Enum, ManyToOne, type Opt } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { Country } from '../country/country.entity';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import { Session } from '../session/session.entity';
import { Speaker } from '../speaker/speaker.entity';
import type { Article } from './article.entity';

export enum LinkKind {
  COVERS = 'COVERS',
  MENTIONS = 'MENTIONS',
}

registerEnumType(LinkKind, {
  name: 'LinkKind',
  description: 'How an article relates to a forum, session, speaker, country or ministry.',
  valuesConfig: {
    COVERS: { description: 'The article is about it (a report on the session, an interview with the speaker).' },
    MENTIONS: { description: 'The article mentions it in passing.' },
  },
});

/*
 * The article's links, one table per kind of target (so that each keeps its foreign key), each
 * with the link's kind. Article's many-to-many collections go through these.
 */
const kindColumn = () => Enum({ items: () => LinkKind, nativeEnumName: 'link_kind', default: LinkKind.MENTIONS });

@Entity({ tableName: 'article_forum' })
export class ArticleForum {
  @ManyToOne({ entity: 'Article', primary: true, deleteRule: 'cascade' })
  article!: Article;

  @ManyToOne(() => Forum, { primary: true, deleteRule: 'cascade', index: true })
  forum!: Forum;

  @kindColumn()
  kind: LinkKind & Opt = LinkKind.MENTIONS;
}

@Entity({ tableName: 'article_session' })
export class ArticleSession {
  @ManyToOne({ entity: 'Article', primary: true, deleteRule: 'cascade' })
  article!: Article;

  @ManyToOne(() => Session, { primary: true, deleteRule: 'cascade', index: true })
  session!: Session;

  @kindColumn()
  kind: LinkKind & Opt = LinkKind.MENTIONS;
}

@Entity({ tableName: 'article_speaker' })
export class ArticleSpeaker {
  @ManyToOne({ entity: 'Article', primary: true, deleteRule: 'cascade' })
  article!: Article;

  @ManyToOne(() => Speaker, { primary: true, deleteRule: 'cascade', index: true })
  speaker!: Speaker;

  @kindColumn()
  kind: LinkKind & Opt = LinkKind.MENTIONS;
}

@Entity({ tableName: 'article_country' })
export class ArticleCountry {
  @ManyToOne({ entity: 'Article', primary: true, deleteRule: 'cascade' })
  article!: Article;

  @ManyToOne(() => Country, { primary: true, deleteRule: 'cascade', index: true })
  country!: Country;

  @kindColumn()
  kind: LinkKind & Opt = LinkKind.MENTIONS;
}

@Entity({ tableName: 'article_ministry' })
export class ArticleMinistry {
  @ManyToOne({ entity: 'Article', primary: true, deleteRule: 'cascade' })
  article!: Article;

  @ManyToOne(() => Ministry, { primary: true, deleteRule: 'cascade', index: true })
  ministry!: Ministry;

  @kindColumn()
  kind: LinkKind & Opt = LinkKind.MENTIONS;
}
