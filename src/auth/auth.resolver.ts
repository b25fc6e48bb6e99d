import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ArrayMaxSize, IsEmail, IsOptional, MinLength } from 'class-validator';
import { GraphQLDateTime } from '../shared/date-range';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../shared/context';
import { inTransaction } from '../shared/write-errors';
import { recordChange } from '../audit/audit';
import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { ApiToken } from './api-token.entity';
import { DECOY_HASH, hashPassword, verifyPassword } from './password';
import { Role, User } from './user.entity';
import { newApiTokenSecret, requireAdmin, requireRole, signAccessToken } from './viewer';

@ObjectType({ description: 'A signed-in session: the access token to send as `Authorization: Bearer <token>`.' })
class SignIn {
  @Field({ description: 'Short-lived access token (JWT).' })
  accessToken!: string;

  @Field(() => GraphQLDateTime, { description: 'When the token stops working; sign in again then.' })
  expiresAt!: Date;

  @Field(() => User, { description: 'Who signed in.' })
  user!: User;
}

@ObjectType({ description: 'A new API token. The secret is shown only now: store it.' })
class NewApiToken {
  @Field(() => ID, { description: 'The token id, for revoking it.' })
  id!: string;

  @Field({ description: 'The secret to send as `Authorization: Bearer <secret>`.' })
  secret!: string;
}

@InputType({ description: 'A new user.' })
class CreateUserInput {
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
class CreateApiTokenInput {
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

async function forumsBySlug(em: EntityManager, slugs: string[]): Promise<Forum[]> {
  const forums = await em.find(Forum, { slug: { $in: slugs } });
  const missing = slugs.filter((s) => !forums.some((f) => f.slug === s));
  if (missing.length) throw new BadUserInputError(`Unknown forum: ${missing.join(', ')}`, { field: 'forumSlugs' });
  return forums;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => SignIn, { description: 'Signs in with email and password.' })
  async login(
    @Arg('email', { description: 'Sign-in email.' }) email: string,
    @Arg('password', { description: 'Password.' }) password: string,
    @Ctx() ctx: Context,
  ): Promise<SignIn> {
    const user = await ctx.em.findOne(User, { email: email.trim().toLowerCase() }, { populate: ['forums'] });
    // The same work and the same answer whether or not the email exists: no account probing.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await DECOY_HASH));
    if (!user || !valid || user.disabledAt) throw new UnauthenticatedError('Wrong email or password');
    const { token, expiresAt } = await signAccessToken(user, ctx.auth);
    return { accessToken: token, expiresAt, user };
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user; null for anonymous requests.' })
  me(@Ctx() { viewer }: Context): User | null {
    return viewer?.user ?? null;
  }

  @Mutation(() => User, { description: 'Creates a user (admins only).' })
  async createUser(
    @Arg('input', () => CreateUserInput, { description: 'The new user.' }) input: CreateUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    const viewer = requireAdmin(ctx.viewer);
    if (input.role !== Role.ORGANISER && input.forumSlugs.length) {
      throw new BadUserInputError('Only organisers have forums', { field: 'forumSlugs' });
    }
    // Hashing is slow and needs no database: done before the transaction opens, not while it holds a connection.
    const passwordHash = await hashPassword(input.password);
    return inTransaction(
      ctx.em,
      async (em) => {
        const forums = await forumsBySlug(em, input.forumSlugs);
        const user = em.create(User, {
          email: input.email.trim().toLowerCase(),
          passwordHash,
          role: input.role,
          displayName: input.displayName ?? null,
        });
        user.forums.set(forums);
        await em.flush();
        await recordChange(em, viewer, {
          entityType: 'User',
          entityId: user.id,
          action: 'CREATE',
          forumIds: null,
          before: { forums: [] },
          after: { email: user.email, role: user.role, forums: input.forumSlugs },
        });
        return user;
      },
      { app_user_email_unique: { field: 'email', message: 'A user with this email exists' } },
    );
  }

  @Mutation(() => NewApiToken, {
    description:
      'Creates an API token acting as the signed-in user, optionally for fewer forums. Not through another API token (FORBIDDEN).',
  })
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput, { description: 'The token.' }) input: CreateApiTokenInput,
    @Ctx() ctx: Context,
  ): Promise<NewApiToken> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER, Role.EDITOR);
    // A token made by a token could drop the narrowing of the one that made it.
    if (viewer.tokenId !== null) throw new ForbiddenError('API tokens are created by a signed-in user, not by another API token');
    const { secret, hash } = newApiTokenSecret();
    return inTransaction(ctx.em, async (em) => {
      const forums = await forumsBySlug(em, input.forumSlugs);
      const outside = forums.filter((f) => viewer.forumIds !== 'all' && !viewer.forumIds.has(f.id)).map((f) => f.slug);
      if (outside.length) throw new BadUserInputError(`Not one of your forums: ${outside.join(', ')}`, { field: 'forumSlugs' });
      const token = em.create(ApiToken, {
        user: viewer.user.id,
        name: input.name,
        secretHash: hash,
        expiresAt: input.expiresAt ?? null,
        narrowed: forums.length > 0,
      });
      token.forums.set(forums);
      await em.flush();
      // Who can act for whom is worth a trace. Like users, tokens are global: admins see the entries.
      await recordChange(em, viewer, {
        entityType: 'ApiToken',
        entityId: token.id,
        action: 'CREATE',
        forumIds: null,
        before: {},
        after: { name: token.name, forums: input.forumSlugs, expiresAt: token.expiresAt?.toISOString() ?? null },
      });
      return { id: String(token.id), secret };
    });
  }

  @Mutation(() => Boolean, { description: 'Revokes one of your API tokens (admins: anyone’s); it stops working at once.' })
  async revokeApiToken(@Arg('id', () => ID, { description: 'The token id.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireRole(ctx.viewer, Role.ORGANISER, Role.EDITOR);
    const tokenId = Number(id);
    if (!Number.isSafeInteger(tokenId)) throw new BadUserInputError(`"${id}" is not a token id`, { field: 'id' });
    return inTransaction(ctx.em, async (em) => {
      const token = await em.findOne(ApiToken, { id: tokenId });
      if (!token || (viewer.user.role !== Role.ADMIN && token.user.id !== viewer.user.id)) throw new NotFoundError('No such API token');
      if (token.revokedAt) return true;
      token.revokedAt = new Date();
      await em.flush();
      await recordChange(em, viewer, {
        entityType: 'ApiToken',
        entityId: token.id,
        action: 'REVOKE',
        forumIds: null,
        before: { revokedAt: null },
        after: { revokedAt: token.revokedAt.toISOString() },
      });
      return true;
    });
    return true;
  }
}
