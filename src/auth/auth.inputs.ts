import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsEmail, IsOptional, MinLength } from 'class-validator';
import { GraphQLDateTime } from '../shared/date-range';
import { Role } from './user.entity';

@InputType({ description: 'A new user.' })
export class CreateUserInput {
  @Field({ description: 'Sign-in email (case does not matter).' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @Field({ description: 'At least 12 characters.' })
  @MinLength(12, { message: 'password must be at least 12 characters' })
  password!: string;

  @Field(() => Role, { description: 'What the user may change.' })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Name shown in the audit log.' })
  @IsOptional()
  displayName?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'For an organiser: the slugs of the forums they organise.' })
  @ArrayMaxSize(100)
  forumSlugs!: string[];
}

@InputType({ description: 'A new API token for an integration.' })
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for, e.g. "registration desk sync".' })
  @MinLength(1)
  name!: string;

  @Field(() => [String], {
    defaultValue: [],
    description:
      "Restrict the token to these forums (slugs), which must be the user's own (any, for an admin); empty: all of the user's " +
      'forums. A token keeps its restriction when its forums are deleted: with none left, it acts in no forum.',
  })
  @ArrayMaxSize(100)
  forumSlugs!: string[];

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the token stops working; default: never (until revoked).' })
  expiresAt?: Date | null;
}
