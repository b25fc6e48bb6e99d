import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import { forumsBySlug } from '../forum/forum.service';
import type { Context } from '../shared/context';
import { write } from '../shared/write';
import { ApiToken } from './api-token.entity';
import type { CreateApiTokenInput, CreateUserInput } from './auth.inputs';
import type { NewApiToken, SignIn } from './auth.types';
import { DECOY_HASH, hashPassword, verifyPassword } from './password';
import { Role, User } from './user.entity';
import { newApiTokenSecret, requireAdmin, signAccessToken } from './viewer';

/*
 * Sign-in, users and API tokens. Users and tokens are global, not of a forum: their audit
 * entries have no forum, so admins see them.
 */

const ORGANISERS_AND_EDITORS = { roles: [Role.ORGANISER, Role.EDITOR] };

/** The unique email, as createUser and `npm run user:create` report it. */
export const USER_CONSTRAINTS = { app_user_email_unique: { field: 'email', message: 'A user with this email exists' } };

export async function login(ctx: Context, email: string, password: string): Promise<SignIn> {
  const user = await ctx.em.findOne(User, { email: email.trim().toLowerCase() }, { populate: ['forums'] });
  // The same work and the same answer whether or not the email exists: no account probing.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await DECOY_HASH));
  if (!user || !valid || user.disabledAt) throw new UnauthenticatedError('Wrong email or password');
  const { token, expiresAt } = await signAccessToken(user, ctx.auth);
  return { accessToken: token, expiresAt, user };
}

const insertUser = write(
  'admin',
  async ({ em, record }, { input, passwordHash }: { input: CreateUserInput; passwordHash: string }): Promise<User> => {
    const forums = await forumsBySlug(em, input.forumSlugs);
    const user = em.create(User, {
      email: input.email.trim().toLowerCase(),
      passwordHash,
      role: input.role,
      displayName: input.displayName ?? null,
    });
    user.forums.set(forums);
    await em.flush();
    await record({
      entityType: 'User',
      entityId: user.id,
      action: 'CREATE',
      forumIds: null,
      before: { forums: [] },
      after: { email: user.email, role: user.role, forums: input.forumSlugs },
    });
    return user;
  },
  USER_CONSTRAINTS,
);

export async function createUser(ctx: Context, input: CreateUserInput): Promise<User> {
  // Checked here, not only by write(): nobody but an admin gets to spend the CPU of a hash.
  requireAdmin(ctx.viewer);
  if (input.role !== Role.ORGANISER && input.forumSlugs.length) {
    throw new BadUserInputError('Only organisers have forums', { field: 'forumSlugs' });
  }
  // Hashing is slow and needs no database: done before the transaction opens, not while it holds a connection.
  const passwordHash = await hashPassword(input.password);
  return insertUser(ctx, { input, passwordHash });
}

export const createApiToken = write(
  ORGANISERS_AND_EDITORS,
  async ({ em, viewer, record }, input: CreateApiTokenInput): Promise<NewApiToken> => {
    // A token made by a token could drop the narrowing of the one that made it.
    if (viewer.tokenId !== null) throw new ForbiddenError('API tokens are created by a signed-in user, not by another API token');
    const { secret, hash } = newApiTokenSecret();
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
    // Who can act for whom is worth a trace.
    await record({
      entityType: 'ApiToken',
      entityId: token.id,
      action: 'CREATE',
      forumIds: null,
      before: {},
      after: { name: token.name, forums: input.forumSlugs, expiresAt: token.expiresAt?.toISOString() ?? null },
    });
    return { id: String(token.id), secret };
  },
);

export const revokeApiToken = write(ORGANISERS_AND_EDITORS, async ({ em, viewer, record }, id: string): Promise<boolean> => {
  const tokenId = Number(id);
  if (!Number.isSafeInteger(tokenId)) throw new BadUserInputError(`"${id}" is not a token id`, { field: 'id' });
  const token = await em.findOne(ApiToken, { id: tokenId });
  if (!token || (viewer.user.role !== Role.ADMIN && token.user.id !== viewer.user.id)) throw new NotFoundError('No such API token');
  if (token.revokedAt) return true;
  token.revokedAt = new Date();
  await em.flush();
  await record({
    entityType: 'ApiToken',
    entityId: token.id,
    action: 'REVOKE',
    forumIds: null,
    before: { revokedAt: null },
    after: { revokedAt: token.revokedAt.toISOString() },
  });
  return true;
});
