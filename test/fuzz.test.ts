import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import pino from 'pino';
import { Role } from '../src/auth/user.entity';
import { seed } from '../src/db/seed';
import { startHarness, type Harness } from './helpers/harness';
import {
  abbreviate,
  collectRealValues,
  describeOperation,
  introspectSchema,
  SchemaFuzzer,
  type GeneratedOperation,
} from './helpers/schema-fuzzer';

/**
 * Schema-driven fuzzing (test/helpers/schema-fuzzer.ts): operations generated from the schema
 * itself (every Query and Mutation root field, arguments of every type as literals and variables,
 * random selections) sent over real HTTP as every kind of client. Whatever the input, the server
 * answers below 500, every error has a code and none is INTERNAL_SERVER_ERROR; clients that may not
 * write (anonymous ones, and roles sending mutations they lack) change no table.
 *
 * - FUZZ_SEED (default below) makes a run reproducible; each run (role) derives its own seed from it.
 * - FUZZ_RUNS: cases over all runs (default 600, split evenly; `npm run fuzz` runs 20,000).
 * - On failure fast-check shrinks the case; the report shows the smallest operation, its variables,
 *   the response and what the server logged. To replay exactly that case, pass the `path` fast-check
 *   prints: FUZZ_SEED=… FUZZ_PATH=… npx jest test/fuzz.test.ts -t '<run>'.
 * - FUZZ_SURVEY=1 runs every case instead of stopping at the first failure, then lists each class of
 *   failure once; FUZZ_LOG=<file> writes one JSON line per case (what was sent, status, codes).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20250416);
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const PATH = process.env.FUZZ_PATH;
const RUNS = ['anonymous', 'forbidden', 'API token', 'ORGANISER', 'EDITOR', 'ADMIN'] as const;
const RUNS_PER_ROLE = Math.max(1, Math.ceil(TOTAL_RUNS / RUNS.length));
/** Per run: a generous 250 ms per case (shrinking after a failure replays many). */
const TIMEOUT = 60_000 + RUNS_PER_ROLE * 250;
/** See above: every case, then each class of failure once (by root field and the server's logged error). */
const SURVEY = process.env.FUZZ_SURVEY === '1';
/** See above: one JSON line per case sent (operation, abbreviated variables, status, error codes). */
const LOG_FILE = process.env.FUZZ_LOG;

const LOGIN_EMAIL = 'fuzz-login@test.example';
/** Writing runs go back to the seed data every so many cases (see resetDatabase). */
const RESET_EVERY = 200;

type Client = 'anonymous' | 'ADMIN' | 'ORGANISER' | 'EDITOR' | 'API token';

/**
 * Who may call each mutation (admins may call all). Every mutation of the schema must be listed,
 * so that the "forbidden" run knows what to send as whom: a new mutation fails the test until it
 * is classified here.
 */
const MUTATION_ROLES: Record<string, 'anyone' | Role[]> = {
  login: 'anyone',
  recordArticleView: 'anyone',
  createApiToken: [Role.ORGANISER, Role.EDITOR],
  revokeApiToken: [Role.ORGANISER, Role.EDITOR],
  createUser: [],
  createForum: [],
  updateForum: [],
  deleteForum: [],
  createArticle: [Role.EDITOR],
  updateArticle: [Role.EDITOR],
  publishArticle: [Role.EDITOR],
  scheduleArticle: [Role.EDITOR],
  unpublishArticle: [Role.EDITOR],
  deleteArticle: [Role.EDITOR],
  setArticleLinks: [Role.EDITOR],
  createQuote: [Role.EDITOR],
  updateQuote: [Role.EDITOR],
  deleteQuote: [Role.EDITOR],
  createSession: [Role.ORGANISER],
  updateSession: [Role.ORGANISER],
  moveSession: [Role.ORGANISER],
  cancelSession: [Role.ORGANISER],
  deleteSession: [Role.ORGANISER],
  addParticipant: [Role.ORGANISER],
  changeParticipantRole: [Role.ORGANISER],
  reorderParticipants: [Role.ORGANISER],
  removeParticipant: [Role.ORGANISER],
  createSpeaker: [Role.ORGANISER],
  updateSpeaker: [Role.ORGANISER],
  deleteSpeaker: [Role.ORGANISER],
  importSpeakers: [Role.ORGANISER],
  createWebhook: [Role.ORGANISER, Role.EDITOR],
  updateWebhook: [Role.ORGANISER, Role.EDITOR],
  deleteWebhook: [Role.ORGANISER, Role.EDITOR],
  rotateWebhookSecret: [Role.ORGANISER, Role.EDITOR],
};

const forbiddenFor = (role: Role) =>
  Object.entries(MUTATION_ROLES)
    .filter(([, roles]) => roles !== 'anyone' && !roles.includes(role))
    .map(([name]) => name);

/*
 * The database digest covers every table of the schema (listed from information_schema), except:
 * - mikro_orm_migrations: the migrator's own bookkeeping;
 * - article_view_day and article.view_count: the page-view counters that `recordArticleView`
 *   (open to anonymous clients, by design) increments in one statement.
 */
const EXCLUDED_TABLES = ['mikro_orm_migrations', 'article_view_day'];
const EXCLUDED_COLUMNS: Record<string, string[]> = { article: ['view_count'] };

interface Outcome {
  status: number;
  body: any;
  text: string;
  requestId: string;
  /** What the server logged at warn level or above while handling the request. */
  logged: Record<string, any>[];
}

describe('schema-driven fuzzing', () => {
  let h: Harness;
  let fuzzer: SchemaFuzzer;
  let digestSql: string;
  let allTables: string[];
  const authorization: Partial<Record<Client, string>> = {};
  const logged: Record<string, any>[] = [];
  const counts: Record<string, number> = {};
  const started = Date.now();
  let requests = 0;
  const survey = new Map<string, { size: number; message: string; count: number }>();

  beforeAll(async () => {
    const logger = pino({ level: 'warn', base: undefined }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    h = await startHarness({ env: { MUTATION_RATE_LIMIT: '0', LOGIN_RATE_LIMIT: '0' }, logger });
    const tables: { table_name: string }[] = await h.orm.em
      .getConnection()
      .execute(
        `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
      );
    allTables = tables.map((t) => t.table_name).filter((t) => t !== 'mikro_orm_migrations');
    const tokenId = await resetDatabase();

    const schema = await introspectSchema(h.url);
    const real = await collectRealValues(
      async (query, variables) => (await h.post({ query, variables }, { authorization: authorization.ADMIN! })).body,
    );
    real.idsByType.ApiToken = [tokenId];
    real.emails.push(LOGIN_EMAIL, LOGIN_EMAIL, LOGIN_EMAIL, 'admin-1@test.example', 'organiser-2@test.example', 'editor-3@test.example');
    fuzzer = new SchemaFuzzer(schema, real);

    const digested = allTables.filter((t) => !EXCLUDED_TABLES.includes(t));
    digestSql = `select ${digested
      .map((t) => {
        const row = `to_jsonb(t) - '{${(EXCLUDED_COLUMNS[t] ?? []).join(',')}}'::text[]`;
        return `(select count(*)::text || ':' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '') from (select ${row} as r from "${t}" t) s) as "${t}"`;
      })
      .join(', ')}`;
  }, 120_000);

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const lines = Object.entries(counts).map(([k, n]) => `  ${k}: ${n}`);
    console.log(
      `fuzz: seed ${SEED}, ${requests} requests in ${seconds} s; cases per run (and role sent as), shrinking replays included:\n${lines.join('\n')}`,
    );
    await h?.close();
  });

  /**
   * Back to the seed data: every table emptied (identities restarted, so the seed gets the same ids
   * and the fuzzer's real ids stay real), seeded, and the clients signed in again. Writing runs
   * start from here, and come back here every RESET_EVERY cases, so that deleted forums and
   * articles do not leave the rest of the run to NOT_FOUND. Returns the API token's id.
   */
  async function resetDatabase(): Promise<string> {
    await h.orm.em.getConnection().execute(`truncate ${allTables.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
    await seed(h.orm.em.fork());
    authorization.ADMIN = await h.signIn(Role.ADMIN);
    authorization.ORGANISER = await h.signIn(Role.ORGANISER, ['camf-2025']);
    authorization.EDITOR = await h.signIn(Role.EDITOR);
    const tokenId = await newApiToken();
    // A user whose password is in the fuzzer's pool, so that some generated logins succeed.
    const user = await h.post(
      { query: `mutation { createUser(input: { email: "${LOGIN_EMAIL}", password: "a long passphrase", role: EDITOR }) { email } }` },
      { authorization: authorization.ADMIN },
    );
    if (!user.body?.data) throw new Error(`createUser failed: ${JSON.stringify(user.body)}`);
    return tokenId;
  }

  /** An API token of the organiser, narrowed to camf-2025, for the 'API token' client; returns its id. */
  async function newApiToken(): Promise<string> {
    const token = await h.post(
      { query: 'mutation { createApiToken(input: { name: "fuzz", forumSlugs: ["camf-2025"] }) { id secret } }' },
      { authorization: authorization.ORGANISER! },
    );
    if (!token.body?.data) throw new Error(`createApiToken failed: ${JSON.stringify(token.body)}`);
    authorization['API token'] = `Bearer ${token.body.data.createApiToken.secret}`;
    return token.body.data.createApiToken.id;
  }

  /** Row count and an md5 of every row, per table. */
  async function digest(): Promise<Record<string, string>> {
    const [row] = await h.orm.em.getConnection().execute(digestSql);
    return row;
  }

  async function send(op: GeneratedOperation, as: Client): Promise<Outcome> {
    requests += 1;
    const requestId = `fuzz-${requests}`;
    logged.length = 0;
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(authorization[as] ? { authorization: authorization[as] } : {}),
      },
      body: JSON.stringify({ query: op.query, variables: op.variables }),
    });
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, text, requestId, logged: logged.filter((l) => l.requestId === requestId) };
  }

  function problems(outcome: Outcome): string[] {
    const found: string[] = [];
    if (outcome.status >= 500) found.push(`HTTP ${outcome.status}`);
    const body = outcome.body;
    if (!body || typeof body !== 'object' || (!('data' in body) && !('errors' in body))) found.push('not a GraphQL JSON response');
    for (const error of Array.isArray(body?.errors) ? body.errors : []) {
      const code = error?.extensions?.code;
      if (typeof code !== 'string') found.push(`error without a string extensions.code: ${JSON.stringify(error).slice(0, 300)}`);
      else if (code === 'INTERNAL_SERVER_ERROR') found.push(`INTERNAL_SERVER_ERROR at ${JSON.stringify(error.path)}`);
    }
    return found;
  }

  function report(label: string, as: Client, op: GeneratedOperation, outcome: Outcome, found: string[]): string {
    const serverLog = outcome.logged.map((l) => {
      const err = l.err ?? {};
      return `  ${l.msg}: ${err.type ?? ''} ${err.message ?? ''}${err.code ? ` (code ${err.code})` : ''}\n    ${String(err.stack ?? '')
        .split('\n')
        .slice(1, 4)
        .join('\n    ')}`;
    });
    return [
      `${found.join('; ')}`,
      `run: ${label}, sent as: ${as}; the run again: FUZZ_SEED=${SEED} FUZZ_RUNS=${TOTAL_RUNS} npx jest test/fuzz.test.ts -t '${label}'`,
      `operation:\n${describeOperation(op)}`,
      `response: HTTP ${outcome.status} ${JSON.stringify(abbreviate(outcome.body ?? outcome.text, 300)).slice(0, 2000)}`,
      `server log (${outcome.requestId}):\n${serverLog.join('\n') || '  (nothing at warn level or above)'}`,
    ].join('\n');
  }

  /** Runs one property over `arb`; with `unchanged`, each case must also leave the database as it was. */
  async function fuzz(label: string, arb: fc.Arbitrary<{ op: GeneratedOperation; as: Client }>, unchanged: boolean): Promise<void> {
    // Each run its own seed, derived from FUZZ_SEED: the same cases again under another role would find less.
    const runSeed = SEED + RUNS.indexOf(label as (typeof RUNS)[number]);
    // Runs that must not write start from whatever the earlier ones left (nothing changed, if they
    // passed); writing runs from the seed data, again every RESET_EVERY cases.
    if (!unchanged) await resetDatabase();
    let last = unchanged ? await digest() : undefined;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(arb, async ({ op, as }) => {
        counts[`${label} (${as})`] = (counts[`${label} (${as})`] ?? 0) + 1;
        cases += 1;
        if (!unchanged && cases % RESET_EVERY === 0) await resetDatabase();
        const sentAt = Date.now();
        const outcome = await send(op, as);
        const ms = Date.now() - sentAt;
        const found = problems(outcome);
        // A generated revokeApiToken may revoke the token the 'API token' client uses: a new one for the next cases.
        if (op.rootField === 'revokeApiToken' && outcome.body?.data?.revokeApiToken === true) await newApiToken();
        if (LOG_FILE) {
          const codes = Array.isArray(outcome.body?.errors) ? outcome.body.errors.map((e: any) => e?.extensions?.code) : [];
          appendFileSync(
            LOG_FILE,
            `${JSON.stringify({ run: label, as, root: op.rootField, mode: op.mode, query: abbreviate(op.query, 300), variables: abbreviate(op.variables, 80), status: outcome.status, codes, ms, message: String(outcome.body?.errors?.[0]?.message ?? '').slice(0, 200) })}\n`,
          );
        }
        if (last) {
          const now = await digest();
          const changed = Object.keys(now).filter((t) => now[t] !== last![t]);
          // Compared with the state just before this case, so that shrinking replays judge each case alone.
          last = now;
          if (changed.length) found.push(`changed the database: ${changed.join(', ')}`);
        }
        if (!found.length) return;
        const message = report(label, as, op, outcome, found);
        if (!SURVEY) throw new Error(message);
        const key = signature(op, outcome, found);
        const size = JSON.stringify([op.query, op.variables]).length;
        const known = survey.get(key);
        if (!known || size < known.size) survey.set(key, { size, message, count: (known?.count ?? 0) + 1 });
        else known.count += 1;
      }),
      { seed: runSeed, numRuns: RUNS_PER_ROLE, ...(PATH ? { path: PATH } : {}) },
    );
    if (SURVEY && survey.size) {
      const classes = [...survey.entries()].map(([key, { count, message }]) => `=== ${key} (${count} cases)\n${message}`);
      survey.clear();
      throw new Error(`${classes.length} classes of failure:\n\n${classes.join('\n\n')}`);
    }
  }

  /** A failure class: the root field, the kind of problem, and the server's error without its variable parts. */
  function signature(op: GeneratedOperation, outcome: Outcome, found: string[]): string {
    const err = outcome.logged[0]?.err;
    const cause = err ? `${err.type}: ${err.message}` : JSON.stringify(outcome.body?.errors?.[0]?.message ?? outcome.status);
    const generic = String(cause)
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d+/g, 'N')
      .slice(0, 160);
    return `${op.operationType} ${op.rootField} | ${found.map((f) => f.replace(/ at .*|: .*/, '')).join(', ')} | ${generic}`;
  }

  const as = (client: Client) => (op: GeneratedOperation) => ({ op, as: client });
  const anything = () => fc.oneof(fuzzer.operation('query'), fuzzer.operation('mutation'));

  it('classifies every mutation for the forbidden run', () => {
    expect(fuzzer.rootFields('mutation').sort()).toEqual(Object.keys(MUTATION_ROLES).sort());
  });

  it(
    'anonymous: no 5xx, coded errors, nothing written',
    async () => {
      await fuzz('anonymous', anything().map(as('anonymous')), true);
    },
    TIMEOUT,
  );

  it(
    'forbidden: mutations sent by a role that lacks them write nothing',
    async () => {
      const arb = fc.oneof(
        fuzzer.operation('mutation', forbiddenFor(Role.EDITOR)).map(as('EDITOR')),
        fuzzer.operation('mutation', forbiddenFor(Role.ORGANISER)).map(as('ORGANISER')),
      );
      await fuzz('forbidden', arb, true);
    },
    TIMEOUT,
  );

  for (const client of ['API token', 'ORGANISER', 'EDITOR', 'ADMIN'] as const) {
    it(
      `${client}: no 5xx, coded errors`,
      async () => {
        await fuzz(client, anything().map(as(client)), false);
      },
      TIMEOUT,
    );
  }

  it('still answers afterwards', async () => {
    const response = await h.post({ query: '{ __typename }' });
    expect(response.status).toBe(200);
    expect(response.body.data.__typename).toBe('Query');
  });
});
