import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { CreateApiTokenInput, CreateUserInput } from './auth.inputs';
import * as auth from './auth.service';
import { NewApiToken, SignIn } from './auth.types';
import { User } from './user.entity';

/** Sign-in, the signed-in user, users and API tokens (auth.service.ts). */
@Resolver()
export class AuthResolver {
  @Mutation(() => SignIn, { description: 'Signs in with email and password.' })
  login(
    @Arg('email', { description: 'Sign-in email.' }) email: string,
    @Arg('password', { description: 'Password.' }) password: string,
    @Ctx() ctx: Context,
  ): Promise<SignIn> {
    return auth.login(ctx, email, password);
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user; null for anonymous requests.' })
  me(@Ctx() { viewer }: Context): User | null {
    return viewer?.user ?? null;
  }

  @Mutation(() => User, { description: 'Creates a user (admins only).' })
  createUser(
    @Arg('input', () => CreateUserInput, { description: 'The new user.' }) input: CreateUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return auth.createUser(ctx, input);
  }

  @Mutation(() => NewApiToken, {
    description:
      'Creates an API token acting as the signed-in user, optionally for fewer forums. Not through another API token (FORBIDDEN).',
  })
  createApiToken(
    @Arg('input', () => CreateApiTokenInput, { description: 'The token.' }) input: CreateApiTokenInput,
    @Ctx() ctx: Context,
  ): Promise<NewApiToken> {
    return auth.createApiToken(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Revokes one of your API tokens (admins: anyone’s); it stops working at once.' })
  revokeApiToken(@Arg('id', () => ID, { description: 'The token id.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return auth.revokeApiToken(ctx, id);
  }
}
