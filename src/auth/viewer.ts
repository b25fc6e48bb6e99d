import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT, jwtVerify } from 'jose';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { ApiToken } from './api-token.entity';
import { Role, User } from './user.entity';
import type { AuthSettings, Viewer } from '../shared/context';
import { inTransaction } from '../shared/write-errors';

const ISSUER = 'forum-portal';
const API_TOKEN_PREFIX = 'fpt_';

export async function signAccessToken(user: User, settings: AuthSettings): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + settings.accessTokenTtlSeconds * 1000);
  const token = await new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(String(user.id))
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(settings.jwtSecret);
  return { token, expiresAt };
}

/** A new API token's secret (shown once) and the hash that is stored. */
export function newApiTokenSecret(): { secret: string; hash: string } {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: hashApiToken(secret) };
}

function hashApiToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function forumIdsOf(user: User): ReadonlySet<number> | 'all' {
  return user.role === Role.ADMIN ? 'all' : new Set(user.forums.getItems().map((f) => f.id));
}

/**
 * The viewer named by an `Authorization: Bearer …` header: a sign-in access token (JWT) or an
 * API token. No header: null (public reads need nothing). A header that does not prove who is
 * asking — malformed, forged, expired, revoked, or of a disabled user — is UNAUTHENTICATED.
 */
export async function authenticate(em: EntityManager, header: string | undefined, settings: AuthSettings): Promise<Viewer | null> {
  if (header === undefined || header === '') return null;
  // RFC 9110 (11.1, 11.4): the scheme is case-insensitive, and one or more spaces follow it.
  const match = /^bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  const credential = match[1];

  if (credential.startsWith(API_TOKEN_PREFIX)) {
    const token = await em.findOne(ApiToken, { secretHash: hashApiToken(credential) }, { populate: ['user', 'user.forums', 'forums'] });
    const now = new Date();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now) || token.user.disabledAt) {
      throw new UnauthenticatedError('This API token is unknown, expired or revoked');
    }
    const own = forumIdsOf(token.user);
    const forumIds = token.narrowed
      ? new Set(
          token.forums
            .getItems()
            .map((f) => f.id)
            .filter((id) => own === 'all' || own.has(id)),
        )
      : own;
    // Recorded for the token list; a lost update here only makes the time less exact.
    await inTransaction(em, (tx) => tx.nativeUpdate(ApiToken, { id: token.id }, { lastUsedAt: now }));
    return { user: token.user, forumIds, tokenId: token.id };
  }

  let subject: number;
  try {
    const { payload } = await jwtVerify(credential, settings.jwtSecret, { issuer: ISSUER, algorithms: ['HS256'] });
    subject = Number(payload.sub);
  } catch {
    throw new UnauthenticatedError('The access token is invalid or has expired; sign in again');
  }
  const user = await em.findOne(User, { id: subject }, { populate: ['forums'] });
  if (!user || user.disabledAt) throw new UnauthenticatedError('The access token is invalid or has expired; sign in again');
  return { user, forumIds: forumIdsOf(user), tokenId: null };
}

/** The viewer, who must be signed in and have one of `roles` (admins always qualify). */
export function requireRole(viewer: Viewer | null, ...roles: Role[]): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (viewer.user.role !== Role.ADMIN && !roles.includes(viewer.user.role)) {
    throw new ForbiddenError(`This needs the ${[...new Set([...roles, Role.ADMIN])].join(' or ')} role`);
  }
  return viewer;
}

/**
 * The viewer, who must be an admin acting for every forum: creating forums and users reaches beyond
 * any one forum, which an admin's API token narrowed to some forums may not.
 */
export function requireAdmin(viewer: Viewer | null): Viewer {
  // No role named: admins only (`requireRole(v, Role.ADMIN)` would say "ADMIN or ADMIN").
  const v = requireRole(viewer);
  if (v.forumIds !== 'all') throw new ForbiddenError('This API token is limited to some forums; this needs one for all of them');
  return v;
}

/** The viewer, who must be an admin or an organiser of the forum (in the token's scope). */
export function requireForum(viewer: Viewer | null, forumId: number): Viewer {
  const v = requireRole(viewer, Role.ORGANISER);
  if (v.forumIds !== 'all' && !v.forumIds.has(forumId)) throw new ForbiddenError('You do not organise this forum');
  return v;
}

/** Whether the viewer organises the forum (without failing): for private fields. */
export function organises(viewer: Viewer | null, forumId: number): boolean {
  if (!viewer || (viewer.user.role !== Role.ADMIN && viewer.user.role !== Role.ORGANISER)) return false;
  return viewer.forumIds === 'all' || viewer.forumIds.has(forumId);
}
