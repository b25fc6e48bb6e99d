import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLLocalDate } from '../shared/date-range';
import { Forum } from '../forum/forum.entity';
import { Session } from '../session/session.entity';

@ObjectType({ description: 'One local day of a forum with its sessions.' })
export class ForumDay {
  @Field(() => GraphQLLocalDate, { description: 'The local date in the forum time zone.' })
  date!: string;

  @Field(() => [Session], {
    description: 'Sessions starting on this local date, in start order; cancelled ones included and marked by `status`.',
  })
  sessions!: Session[];
}

@ObjectType({ description: 'What is on at a moment, and what comes next in each room.' })
export class NowAndNext {
  @Field(() => GraphQLDateTime, { description: 'The moment asked about.' })
  at!: Date;

  @Field(() => [Session], { description: 'Sessions running at that moment (started, not yet ended), not cancelled, in start order.' })
  now!: Session[];

  @Field(() => [Session], {
    description:
      'For each room (sessions without a room count as one), the first session starting after that moment, not cancelled, in start order.',
  })
  next!: Session[];
}

@ObjectType({ description: 'A session removed from the agenda: its id, so that an offline copy can delete it.' })
export class RemovedSession {
  @Field(() => ID, { description: 'Global id the session had.' })
  id!: string;

  @Field(() => Int, { description: 'The schedule version of the removal.' })
  version!: number;
}

@ObjectType({ description: 'What changed in a forum agenda since a schedule version: enough to update an offline copy.' })
export class AgendaChanges {
  @Field(() => Forum, { description: 'The forum.' })
  forum!: Forum;

  @Field(() => Int, { description: 'The version the changes are counted from (as asked).' })
  sinceVersion!: number;

  @Field(() => Int, { description: 'The schedule version this answer brings the client to; ask from it next time.' })
  version!: number;

  @Field(() => [Session], {
    description:
      'Sessions created or changed since `sinceVersion` (their participants or speakers included), as they are now, in start order.',
  })
  changed!: Session[];

  @Field(() => [RemovedSession], { description: 'Sessions removed since `sinceVersion`.' })
  removed!: RemovedSession[];
}
