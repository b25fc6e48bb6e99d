import { Collection, Entity, Enum, ManyToMany, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Forum } from '../forum/forum.entity';
import { BaseEntity } from '../shared/base.entity';

export enum Role {
  ADMIN = 'ADMIN',
  ORGANISER = 'ORGANISER',
  EDITOR = 'EDITOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a signed-in user may change.',
  valuesConfig: {
    ADMIN: { description: 'Everything, including forums and users.' },
    ORGANISER: { description: 'Speakers, sessions and participation of the forums in their scope.' },
    EDITOR: { description: 'Articles, their links and quotes.' },
  },
});

/** Someone who signs in to change data: an admin, an organiser of some forums, or an editor. */
@ObjectType('User', { description: 'A signed-in user of the organisers’ and editors’ tools.' })
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  /** Stored lower-cased, so that uniqueness ignores case. */
  @Field({ description: 'Sign-in email, lower case.' })
  @Property({ type: 'string' })
  @Unique()
  email!: string;

  /** scrypt, in the format of src/auth/password.ts. Never exposed. */
  @Property({ type: 'string', hidden: true })
  passwordHash!: string;

  @Field(() => Role, { description: 'What the user may change.' })
  @Enum({ items: () => Role, nativeEnumName: 'user_role' })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Name shown in the audit log.' })
  @Property({ type: 'string', nullable: true })
  displayName?: string | null;

  /** An organiser's forums; empty for admins and editors. */
  @ManyToMany(() => Forum, undefined, { pivotTable: 'user_forum', joinColumn: 'user_id', inverseJoinColumn: 'forum_id' })
  forums = new Collection<Forum>(this);

  /** Sign-in refused from this moment; tokens issued before stop working too. */
  @Property({ type: 'datetime', nullable: true })
  disabledAt?: (Date & Opt) | null;
}
