import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from '../shared/date-range';
import { User } from './user.entity';

@ObjectType({ description: 'A signed-in session: the access token to send as `Authorization: Bearer <token>`.' })
export class SignIn {
  @Field({ description: 'Short-lived access token (JWT).' })
  accessToken!: string;

  @Field(() => GraphQLDateTime, { description: 'When the token stops working; sign in again then.' })
  expiresAt!: Date;

  @Field(() => User, { description: 'Who signed in.' })
  user!: User;
}

@ObjectType({ description: 'A new API token. The secret is shown only now: store it.' })
export class NewApiToken {
  @Field(() => ID, { description: 'The token id, for revoking it.' })
  id!: string;

  @Field({ description: 'The secret to send as `Authorization: Bearer <secret>`.' })
  secret!: string;
}
