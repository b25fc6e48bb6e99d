/*
 * The baseline: the agenda as a hand-written endpoint, one SQL statement that builds the whole
 * response in PostgreSQL. It answers with the same JSON as the GraphQL query's response, so the
 * benchmark compares two ways of producing identical bytes-worth of content, not two features.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { languagePreference } from '../src/shared/i18n';

/** Same page size as the GraphQL query's `first`; callers may pass ?first= (0..100 like the API). */
export const DEFAULT_FIRST = 40;

// The exact order the app uses for `accept-language: en` (en, then its ru, kk fallbacks), taken
// from the app so the two cannot drift apart silently.
const LANGUAGES = languagePreference('en');

/**
 * SQL for the app's `pick`: the first non-empty translation in preference order, else `fallback`
 * (the app falls back to the slug or code for names, to '' or null for other text).
 * `column` is always a constant of this file, never input.
 */
function localized(column: string, fallback = 'null'): string {
  const tries = LANGUAGES.map((language) => `nullif(${column}->>'${language}', '')`);
  return `coalesce(${tries.join(', ')}, ${fallback})`;
}

/*
 * `json` rather than `jsonb` keeps keys in the order written, like GraphQL responses, and the
 * `::text` result goes to the socket as it is: parsing and re-serializing it in Node is exactly
 * the per-request work a hand-written endpoint avoids. Sessions and participants use the same
 * orderings as the app's loaders (starts_at, id and position, id).
 */
export const AGENDA_SQL = `
select json_build_object('data', json_build_object('forum', (
  select json_build_object(
    'title', ${localized('f.title', 'f.slug')},
    'sessions', json_build_object('edges', coalesce((
      select json_agg(json_build_object('node', json_build_object(
        'title', ${localized('s.title', `''`)},
        'startsAt', to_char(s.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
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
      from (select * from session where forum_id = f.id order by starts_at, id limit $2) s
    ), '[]'::json))
  )
  from forum f
  where f.slug = $1
)))::text as body`;

export interface HandWrittenServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Starts GET /agenda?slug=...&first=... on a free port. The pool has the ORM's size and
 * statement timeout, so neither side gets more database connections than the other.
 */
export async function startHandWritten(databaseUrl: string): Promise<HandWrittenServer> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10, statement_timeout: 5000, connectionTimeoutMillis: 5000 });
  // An idle client's error (e.g. the server going away at shutdown) must not crash the bench.
  pool.on('error', () => undefined);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const slug = url.searchParams.get('slug');
    const first = Number(url.searchParams.get('first') ?? DEFAULT_FIRST);
    if (req.method !== 'GET' || url.pathname !== '/agenda' || !slug || !Number.isInteger(first) || first < 0 || first > 100) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Bad request"}]}');
      return;
    }
    pool.query<{ body: string }>(AGENDA_SQL, [slug, first]).then(
      ({ rows }) => {
        const body = rows[0].body;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Internal server error"}]}');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    async close() {
      // Keep-alive sockets would hold server.close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
