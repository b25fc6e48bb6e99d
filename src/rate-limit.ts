import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config';
import type { SharedRedis } from './redis';
import type { Context } from './shared/context';
import { RateLimitedError } from './errors';

export type RateLimitSettings = Pick<Config, 'rateLimitWindowSeconds' | 'loginRateLimit' | 'mutationRateLimit'>;

/**
 * Who a request counts against: the API token or the signed-in user when the Authorization
 * header proved it (context creation has already refused one that does not), else the IP.
 */
function clientKey(ctx: Context): string {
  if (ctx.viewer?.tokenId != null) return `token:${ctx.viewer.tokenId}`;
  if (ctx.viewer) return `user:${ctx.viewer.user.id}`;
  return `ip:${ctx.clientIp ?? 'unknown'}`;
}

/** The operation's top-level fields, through fragments (directives are ignored: counting more is safe). */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return [];
    seen.add(name);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}

/** Mutations outside the per-client budget. */
const UNBUDGETED = new Set(['recordArticleView']);

/** Longest wait for Redis before a count goes to this process's limiter instead. */
const REDIS_TIMEOUT_MS = 300;

/** This process's limiter, standing in for Redis's: says so when it does. */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    options: { keyPrefix: string; points: number; duration: number },
    private readonly redis: SharedRedis,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): ReturnType<RateLimiterMemory['consume']> {
    if (this.redis.reachable) this.redis.fellBack();
    return super.consume(...args);
  }
}

/**
 * A limiter of `points` per window: in Redis when the instances share one, so that N instances
 * allow one budget, not N; else, and whenever Redis fails or is slow, in this process.
 */
function limiter(keyPrefix: string, points: number, duration: number, redis: SharedRedis | undefined): RateLimiterAbstract | null {
  if (points === 0) return null;
  if (!redis) return new RateLimiterMemory({ keyPrefix, points, duration });
  return new RLWrapperTimeouts({
    limiter: new RateLimiterRedis({
      storeClient: redis.client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: `forum-portal:${keyPrefix}`,
      points,
      duration,
    }),
    timeoutMs: REDIS_TIMEOUT_MS,
    insuranceLimiter: new FallbackLimiter({ keyPrefix, points, duration }, redis),
  });
}

/** Keys name no address or email in Redis (or a heap dump): a hash identifies the pair as well. */
function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

async function consume(limiter: RateLimiterAbstract | null, key: string, points: number): Promise<void> {
  if (!limiter || points === 0) return;
  try {
    await limiter.consume(hashed(key), points);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new RateLimitedError(refusal.msBeforeNext / 1000);
    throw refusal;
  }
}

/**
 * Limits mutations per client, and sign-in attempts per IP address and email (against password
 * guessing), counted in Redis when given (see `limiter`) and else in this process. Runs
 * once the operation is known and before anything executes, so a refused request changes
 * nothing. Queries (public reads) are not limited here.
 *
 * Every top-level mutation field counts, so aliasing `login` a hundred times in one document
 * costs a hundred attempts.
 */
export function rateLimitPlugin(settings: RateLimitSettings, redis?: SharedRedis): ApolloServerPlugin<Context> {
  const duration = settings.rateLimitWindowSeconds;
  const mutations = limiter('mutation', settings.mutationRateLimit, duration, redis);
  const logins = limiter('login', settings.loginRateLimit, duration, redis);

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const fragments = new Map(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const fields = rootFields(operation.selectionSet, fragments).filter((f) => f.name.value !== '__typename');
          // A press site's backend counts every page view from one address: views are not
          // budgeted (each adds exactly one to a counter; nothing else changes).
          const budgeted = fields.filter((f) => !UNBUDGETED.has(f.name.value));
          await consume(mutations, clientKey(contextValue), budgeted.length);

          // Per IP and email: one attacker cannot lock a user out from everywhere, and guessing
          // many accounts from one IP still runs into the mutation budget above.
          const attempts = new Map<string, number>();
          for (const field of fields.filter((f) => f.name.value === 'login')) {
            const arg = field.arguments?.find((a) => a.name.value === 'email');
            const email = arg ? valueFromASTUntyped(arg.value, request.variables ?? undefined) : undefined;
            const key = `${contextValue.clientIp ?? 'unknown'}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
            attempts.set(key, (attempts.get(key) ?? 0) + 1);
          }
          for (const [key, points] of attempts) await consume(logins, key, points);
        },
      };
    },
  };
}
