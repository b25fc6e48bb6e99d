import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './shared/context';

/**
 * Cache-Control for GraphQL responses, decided once per operation rather than by Apollo's
 * cache-control plugin, whose per-field hint bookkeeping costs a fifth or more of the throughput
 * (measured in shared/STACK.md). Every Query field is public, language-dependent data, so:
 * - a successful query without credentials: `public, max-age` (shared caches and CDNs may keep it,
 *   one copy per Accept-Language);
 * - a query sent with credentials, a mutation, or any error: `no-store`.
 */
export function httpCachePlugin(maxAgeSeconds: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      return {
        async willSendResponse({ response, operation, errors }) {
          const anonymous = !request.http?.headers.get('authorization');
          const cacheable = operation?.operation === 'query' && anonymous && !errors?.length && maxAgeSeconds > 0;
          response.http.headers.set('cache-control', cacheable ? `public, max-age=${maxAgeSeconds}` : 'no-store');
        },
      };
    },
  };
}
