/*
 * The second client of the `agendaCachedEdits` scenario: an organiser's tool that renames one
 * session per second, through the API, in forums the load never reads. With invalidation by what
 * an answer read, those edits must leave the measured forums' cached agendas alone.
 */
import type { Client } from 'pg';
import { signAccessToken } from '../src/auth/viewer';
import { Role, type User } from '../src/auth/user.entity';

const EDITS_PER_SECOND = 1;

export interface EditFigures {
  sent: number;
  failed: number;
  firstError?: string;
}

export interface Editor {
  /** Stops editing; what was sent. */
  stop(): Promise<EditFigures>;
}

/** A signed-in admin, made directly in the database, as `npm run user:create` would. */
export async function adminToken(db: Client, jwtSecret: string): Promise<string> {
  const { rows } = await db.query<{ id: number }>(
    "insert into app_user (email, password_hash, role) values ('bench-editor@example.org', 'unusable', 'ADMIN') on conflict (email) do update set role = excluded.role returning id",
  );
  const user = { id: rows[0].id, role: Role.ADMIN } as User;
  const { token } = await signAccessToken(user, { jwtSecret: new TextEncoder().encode(jwtSecret), accessTokenTtlSeconds: 24 * 3600 });
  return `Bearer ${token}`;
}

async function graphql<T>(url: string, authorization: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: { message: string }[] };
  if (response.status !== 200 || body.errors) throw new Error(`${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

/** Starts renaming the sessions of `forumSlugs` in turn, EDITS_PER_SECOND times a second. */
export async function startEditing(url: string, authorization: string, forumSlugs: string[]): Promise<Editor> {
  const sessions: { id: string; version: number }[] = [];
  for (const slug of forumSlugs) {
    const data = await graphql<{ forum: { sessions: { nodes: { id: string; version: number }[] } } }>(
      url,
      authorization,
      'query($slug: String!) { forum(slug: $slug) { sessions(first: 100) { nodes { id version } } } }',
      { slug },
    );
    sessions.push(...data.forum.sessions.nodes);
  }
  if (sessions.length === 0) throw new Error(`no sessions to edit in ${forumSlugs.join(', ')}`);
  const figures: EditFigures = { sent: 0, failed: 0 };
  let running: Promise<void> = Promise.resolve();
  const edit = async () => {
    const session = sessions[figures.sent % sessions.length];
    figures.sent += 1;
    try {
      const data = await graphql<{ updateSession: { version: number } }>(
        url,
        authorization,
        'mutation($input: UpdateSessionInput!) { updateSession(input: $input) { version } }',
        {
          input: { id: session.id, expectedVersion: session.version, title: { en: `Edited session ${figures.sent}` } },
        },
      );
      session.version = data.updateSession.version;
    } catch (error) {
      figures.failed += 1;
      figures.firstError ??= error instanceof Error ? error.message : String(error);
    }
  };
  const timer = setInterval(() => {
    running = running.then(edit);
  }, 1000 / EDITS_PER_SECOND);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      return figures;
    },
  };
}
