import { Collection, Entity, ManyToMany, ManyToOne, type Opt, Property, Unique } from '@mikro-orm/core';
import { Forum } from '../forum/forum.entity';
import { BaseEntity } from '../shared/base.entity';
import { User } from './user.entity';

/**
 * A long-lived token for an integration, acting as its user within an optional narrower set of
 * forums. Only a SHA-256 of the secret is stored; the secret is shown once, at creation.
 */
@Entity({ tableName: 'api_token' })
export class ApiToken extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  user!: User;

  @Property({ type: 'string' })
  name!: string;

  @Property({ type: 'string', length: 64, hidden: true })
  @Unique()
  secretHash!: string;

  /**
   * Whether the token was created for a list of forums. The list empties as its forums are
   * deleted, and an emptied list must then mean no forum at all, never all of the user's.
   */
  @Property({ type: 'boolean', default: false })
  narrowed: boolean & Opt = false;

  /** When `narrowed`: the forums the token acts within (and within the user's own scope). */
  @ManyToMany(() => Forum, undefined, { pivotTable: 'api_token_forum', joinColumn: 'api_token_id', inverseJoinColumn: 'forum_id' })
  forums = new Collection<Forum>(this);

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;
}
