import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Speaker } from '../speaker/speaker.entity';
import { BaseEntity, Node } from '../shared/base.entity';
import { Session } from './session.entity';

export enum ParticipantRole {
  SPEAKER = 'SPEAKER',
  MODERATOR = 'MODERATOR',
  PANELIST = 'PANELIST',
  KEYNOTE = 'KEYNOTE',
  HOST = 'HOST',
}

registerEnumType(ParticipantRole, {
  name: 'ParticipantRole',
  description: 'The part a person plays in a session.',
  valuesConfig: {
    SPEAKER: { description: 'Gives a talk or an address.' },
    MODERATOR: { description: 'Moderates the discussion.' },
    PANELIST: { description: 'Takes part in a panel discussion.' },
    KEYNOTE: { description: 'Gives the keynote.' },
    HOST: { description: 'Hosts or opens the session.' },
  },
});

@ObjectType('SessionParticipant', {
  implements: Node,
  description: 'A person in a session, with their role; the same person can have different roles in different sessions.',
})
@Entity({ tableName: 'session_participant' })
@Unique({ properties: ['session', 'speaker', 'role'] })
export class SessionParticipant extends BaseEntity {
  @ManyToOne(() => Session, { deleteRule: 'cascade' })
  session!: Session;

  @ManyToOne(() => Speaker, { deleteRule: 'cascade', index: true })
  speaker!: Speaker;

  @Field(() => ParticipantRole, { description: 'The part this person plays in the session.' })
  @Enum({ items: () => ParticipantRole, nativeEnumName: 'participant_role' })
  role!: ParticipantRole;

  @Field(() => Int, { description: 'Display order within the session, starting at 1.' })
  @Property({ type: 'integer' })
  position!: number;
}
