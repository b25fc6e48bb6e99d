/*
 * The baseline: both operations as hand-written endpoints, one SQL statement each that builds
 * the whole response in PostgreSQL. They answer with the same JSON as the GraphQL queries, so
 * the benchmark compares two ways of producing identical content, not two features.
 *
 * Run by agenda.bench.ts as a child process (compiled, like the server), so that it has a core
 * scheduler slot and an event loop of its own just as the server has:
 *   GET /agenda?slug=...     GET /coverage?slug=...
 * Over the IPC channel it reports `{ type: 'ready', url }`, answers `{ type: 'stats' }` with
 * the number of statements sent so far, and exits when the parent disconnects.
 */
// src/shared/i18n.ts declares GraphQL types with decorators, which need the metadata polyfill.
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { onEveryStatement } from '../src/db/statement-hook';
import { languagePreference } from '../src/shared/i18n';
import { ACCEPT_LANGUAGE, AGENDA_SESSIONS, COVERAGE_ARTICLES, type Operation } from './operations';

// The order the app uses for the benchmark's Accept-Language (en, then its fallbacks), taken
// from the app so that the two cannot drift apart silently.
const LANGUAGES = languagePreference(ACCEPT_LANGUAGE);

/**
 * SQL for the app's `pick`: the first non-empty translation in preference order, else
 * `fallback` (the app falls back to the slug or code for names, to '' or null for other text).
 * `column` is always a constant of this file, never input.
 */
function localized(column: string, fallback = 'null'): string {
  const tries = LANGUAGES.map((language) => `nullif(${column}->>'${language}', '')`);
  return `coalesce(${tries.join(', ')}, ${fallback})`;
}

/** GraphQL's DateTime: ISO 8601 in UTC with milliseconds, as Date.toISOString() writes it. */
const isoTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/*
 * `json` rather than `jsonb` keeps keys in the order written, like GraphQL responses, and the
 * `::text` result goes to the socket as it is: parsing and re-serializing it in Node is exactly
 * the per-request work a hand-written endpoint avoids. Orders are the app's loaders' orders.
 */
export const SQL: Record<Operation, string> = {
  agenda: `
select json_build_object('data', json_build_object('forum', (
  select json_build_object(
    'title', ${localized('f.title', 'f.slug')},
    'sessions', json_build_object('edges', coalesce((
      select json_agg(json_build_object('node', json_build_object(
        'title', ${localized('s.title', `''`)},
        'startsAt', ${isoTime('s.starts_at')},
        'participants', coalesce((
          select json_agg(json_build_object(
            'role', p.role,
            'speaker', json_build_object(
              'fullName', ${localized('sp.full_name', 'sp.slug')},
              'position', ${localized('sp.position', `''`)},
              'country', json_build_object('code', c.code, 'name', ${localized('c.name', 'c.code')}),
              'ministry', case when m.id is null then null
                               else json_build_object('shortName', ${localized('m.short_name')}) end
            )
          ) order by p.position, p.id)
          from session_participant p
          join speaker sp on sp.id = p.speaker_id
          join country c on c.id = sp.country_id
          left join ministry m on m.id = sp.ministry_id
          where p.session_id = s.id
        ), '[]'::json)
      )) order by s.starts_at, s.id)
      from (select * from session where forum_id = f.id order by starts_at, id limit ${AGENDA_SESSIONS}) s
    ), '[]'::json))
  )
  from forum f
  where f.slug = $1
)))::text as body`,

  // Public articles only (not drafts, embargo lifted), newest first: src/article/article.visibility.ts.
  coverage: `
select json_build_object('data', json_build_object('forum', (
  select json_build_object(
    'title', ${localized('f.title', 'f.slug')},
    'articles', json_build_object('edges', coalesce((
      select json_agg(json_build_object('node', json_build_object(
        'title', ${localized('a.title', `''`)},
        'lead', ${localized('a.lead')},
        'publishedAt', ${isoTime('a.published_at')},
        'authorName', a.author_name,
        'speakers', coalesce((
          select json_agg(json_build_object('fullName', ${localized('sp.full_name', 'sp.slug')}) order by sp.slug)
          from article_speaker x join speaker sp on sp.id = x.speaker_id
          where x.article_id = a.id
        ), '[]'::json),
        'countries', coalesce((
          select json_agg(json_build_object('code', c.code, 'name', ${localized('c.name', 'c.code')}) order by c.code)
          from article_country y join country c on c.id = y.country_id
          where y.article_id = a.id
        ), '[]'::json)
      )) order by a.published_at desc, a.id desc)
      from (
        select t.* from article t join article_forum l on l.article_id = t.id
        where l.forum_id = f.id and t.status <> 'DRAFT' and t.published_at <= now()
        order by t.published_at desc, t.id desc limit ${COVERAGE_ARTICLES}
      ) a
    ), '[]'::json))
  )
  from forum f
  where f.slug = $1
)))::text as body`,
};

export type BaselineMessage = { type: 'ready'; url: string } | { type: 'stats'; statements: number };

function main(): void {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !process.send) {
    process.stderr.write('baseline.js is started by agenda.bench.ts, with DATABASE_URL and an IPC channel\n');
    process.exit(1);
  }
  // Same number of connections and statement timeout as the server's ORM pool (passed in by
  // the bench from src/db/mikro-orm.config.ts), so that neither side has more database.
  const pool = new Pool({
    connectionString: databaseUrl,
    max: Number(process.env.BASELINE_POOL_MAX),
    statement_timeout: Number(process.env.BASELINE_STATEMENT_TIMEOUT_MS),
    connectionTimeoutMillis: 5000,
  });
  pool.on('error', () => undefined); // an idle client losing the server must not crash it

  // Counted the way the server's request log counts (src/db/statement-hook.ts).
  let statements = 0;
  onEveryStatement(() => {
    statements += 1;
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const operation = url.pathname.slice(1);
    const slug = url.searchParams.get('slug');
    if (req.method !== 'GET' || (operation !== 'agenda' && operation !== 'coverage') || !slug) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Bad request"}]}');
      return;
    }
    pool.query<{ body: string }>(SQL[operation], [slug]).then(
      ({ rows }) => {
        const body = rows[0].body;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
      },
      (error: unknown) => {
        process.stderr.write(`baseline: ${String(error)}\n`);
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Internal server error"}]}');
      },
    );
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` } satisfies BaselineMessage);
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') process.send!({ type: 'stats', statements } satisfies BaselineMessage);
  });
  // The parent going away (normally or not) ends the baseline, so it never outlives the run.
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) main();
