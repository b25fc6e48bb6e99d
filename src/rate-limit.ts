import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from './config';
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

async function consume(limiter: RateLimiterMemory | null, key: string, points: number): Promise<void> {
  if (!limiter || points === 0) return;
  try {
    await limiter.consume(key, points);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new RateLimitedError(refusal.msBeforeNext / 1000);
    throw refusal;
  }
}

/**
 * Limits mutations per client, and sign-in attempts per IP address and email (against password
 * guessing), in this process's memory: with several instances each keeps its own counts. Runs
 * once the operation is known and before anything executes, so a refused request changes
 * nothing. Queries (public reads) are not limited here.
 *
 * Every top-level mutation field counts, so aliasing `login` a hundred times in one document
 * costs a hundred attempts.
 */
export function rateLimitPlugin(settings: RateLimitSettings): ApolloServerPlugin<Context> {
  const duration = settings.rateLimitWindowSeconds;
  const mutations =
    settings.mutationRateLimit > 0 ? new RateLimiterMemory({ keyPrefix: 'mutation', points: settings.mutationRateLimit, duration }) : null;
  const logins =
    settings.loginRateLimit > 0 ? new RateLimiterMemory({ keyPrefix: 'login', points: settings.loginRateLimit, duration }) : null;

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
