import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/*
 * A schema-driven generator of whole GraphQL operations for fast-check.
 *
 * The schema is read from the running server (introspection over HTTP, then buildClientSchema), so
 * every root field of Query and Mutation is covered as the schema grows. Argument values come from
 * pools of hostile strings, numbers at and past their bounds, forged ids and cursors, and from
 * real values read from the seeded database at start (ids, cursors, slugs, versions, instants,
 * dates, codes, emails), so that operations also get past "not found" into the code that runs on
 * real rows. Each operation is drawn in one of three modes (see Mode): realistic (to get past
 * validation into the writes), hostile, or wild (ill-typed too). Values are passed as literals,
 * as variables (where most client data comes from), and as variables inside literal input objects.
 * Selections pick a random non-empty subset of each object type's fields, always with a scalar
 * field so resolvers run, to a bounded depth, with inline fragments on unions and interfaces.
 *
 * Everything is drawn through fast-check (no Math.random), so a seed reproduces a run and
 * shrinking takes away arguments, fields and list items down to a minimal operation.
 */

// ---------------------------------------------------------------------------------------------
// The schema and the real values of the running server

export async function introspectSchema(url: string, headers: Record<string, string> = {}): Promise<GraphQLSchema> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data?: IntrospectionQuery; errors?: unknown };
  if (!body.data) throw new Error(`introspection failed: ${response.status} ${JSON.stringify(body.errors)}`);
  return buildClientSchema(body.data);
}

/** Values read from the database at start, mixed into the generated arguments. */
export interface RealValues {
  /** Global ids by GraphQL type name (`Session`, `Speaker`, ...), and other ids (API tokens) under their own key. */
  idsByType: Record<string, string[]>;
  /** Cursors of real connections (edges, pageInfo). */
  cursors: string[];
  slugs: string[];
  /** Slugs by GraphQL type name. */
  slugsByType: Record<string, string[]>;
  countryCodes: string[];
  emails: string[];
  /** Versions and revisions seen (`expectedVersion`, `sinceVersion`). */
  versions: number[];
  /** Instants seen (session starts and ends, publication times). */
  instants: string[];
  /** Local dates seen (forum days). */
  dates: string[];
}

export function emptyRealValues(): RealValues {
  return { idsByType: {}, cursors: [], slugs: [], slugsByType: {}, countryCodes: [], emails: [], versions: [], instants: [], dates: [] };
}

function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * Walks any GraphQL response and keeps what looks like a real value: objects with `__typename`
 * and `id`, cursors, slugs, country codes, emails, versions.
 */
export function harvest(real: RealValues, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) harvest(real, item);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.__typename === 'string' && typeof record.id === 'string') {
    addUnique((real.idsByType[record.__typename] ??= []), record.id);
  }
  if (typeof record.__typename === 'string' && typeof record.slug === 'string') {
    addUnique((real.slugsByType[record.__typename] ??= []), record.slug);
  }
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string') {
      if (key === 'cursor' || key === 'endCursor' || key === 'startCursor') addUnique(real.cursors, v);
      else if (key === 'slug') addUnique(real.slugs, v);
      else if (key === 'code' && /^[A-Z]{2}$/.test(v)) addUnique(real.countryCodes, v);
      else if (key === 'email') addUnique(real.emails, v);
      else if ((key === 'startDate' || key === 'endDate' || key === 'date') && /^\d{4}-\d\d-\d\d$/.test(v)) addUnique(real.dates, v);
      else if ((key === 'startsAt' || key === 'endsAt' || key === 'publishedAt') && !Number.isNaN(Date.parse(v)))
        addUnique(real.instants, v);
    } else if (typeof v === 'number' && (key === 'version' || key === 'revision' || key === 'scheduleVersion')) {
      addUnique(real.versions, v);
    } else {
      harvest(real, v);
    }
  }
}

/**
 * Reads real ids, cursors, slugs, codes and emails from the server through ordinary queries
 * (`send` should be signed in as an admin, to see drafts and private fields). Each query stays
 * under the server's cost limit.
 */
export async function collectRealValues(
  send: (query: string, variables?: Record<string, unknown>) => Promise<{ data?: unknown; errors?: unknown }>,
): Promise<RealValues> {
  const real = emptyRealValues();
  const read = async (query: string, variables?: Record<string, unknown>) => {
    const body = await send(query, variables);
    if (body.errors || !body.data) throw new Error(`collecting real values failed: ${JSON.stringify(body.errors)}`);
    harvest(real, body.data);
    return body.data as Record<string, any>;
  };
  const top = await read(
    `{ forums(first: 100) { edges { cursor } pageInfo { startCursor endCursor }
         nodes { __typename id slug scheduleVersion startDate endDate initiatives { __typename id slug } } }
       countries { __typename id code ministries { __typename id slug } } }`,
  );
  for (const { slug } of top.forums.nodes as { slug: string }[]) {
    await read(
      `query($slug: String!) { forum(slug: $slug) {
         sessions(first: 100) { edges { cursor } pageInfo { endCursor }
           nodes { __typename id slug version revision startsAt endsAt participants { __typename id speaker { __typename id slug version } } quotes { __typename id } } }
         articles(first: 100) { edges { cursor } } } }`,
      { slug },
    );
  }
  await read(
    `{ speakers(first: 100) { edges { cursor } pageInfo { endCursor } nodes { __typename id slug version email } }
       articles(first: 100) { edges { cursor } nodes { __typename id slug publishedAt quotes { __typename id } } }
       unpublishedArticles(first: 100) { nodes { __typename id slug } }
       auditLog(first: 5) { edges { cursor } } }`,
  );
  return real;
}

// ---------------------------------------------------------------------------------------------
// Value pools

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The characters and strings an input gate has to think about. */
export const HOSTILE_STRINGS: string[] = [
  // NUL and other control characters (C0, DEL, C1), invisible and separator characters
  '\u0000',
  'a\u0000b',
  'camf-2025\u0000',
  '\u0001\u0002\u0003\u0007\u0008\u000b\u000c\u000e\u001b\u001f',
  '\t\n\r',
  '\u007f',
  '\u0085\u0080\u009f',
  '\u200b\u200c\u200d\u2060',
  '\u2028\u2029',
  '\ufeff',
  '\ufffe\uffff',
  // lone surrogates
  '\uD800',
  '\uDC00',
  'a\uD800b',
  '\uDBFF\uDBFF',
  '\uDC00\uD800',
  '🙂'.slice(0, 1),
  // emoji, combining marks, case mappings that change length
  '🙂',
  '👨‍👩‍👧‍👦',
  '🇰🇿🇷🇺',
  'e\u0301\u0301\u0301\u0301',
  'Z̴̡̪̫̖̥̔̿̃̈̏̎͠͝á̸̪̠̖̻̬̖̪̞͙͇̮̠͎̆͋́̐͌̒͆̓l̶͉̭̳̤̬̮̩͎̟̯̜͇̥̠̘͑͑̾̏̅̚̕͝g̶̨̡̨̦̙̝͓̹͚͚̼̝̟͚̼̞̊̓̀̔̂̈́̏̀͛͆̿̀̽̕o̷̧̠̠̭͙̱̱̞̫̮͓̩̫̦̭̯͌̑̆̆̓',
  'İıßẞǅﬁ',
  // right-to-left text and controls
  'مرحبا بالعالم',
  'שלום עולם',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  // SQL
  "'; drop table x; --",
  "' or '1'='1",
  "\\'; select pg_sleep(10); --",
  '"; delete from speaker; --',
  '$$',
  "E'\\x00'",
  '1; truncate article',
  // regular-expression metacharacters
  '.*',
  '(a+)+$',
  '[',
  '\\',
  '(?<x>',
  '^$|*+?{}[]()\\.',
  'a{1,99999}',
  '\\1\\k<x>',
  // tsquery metacharacters
  '&',
  '|',
  '!',
  '<->',
  ':*',
  '(',
  ')',
  'a & b',
  '!!!',
  'foo:*',
  'a <-> b',
  '(a | b) & !c',
  'a:A',
  'a <99999> b',
  '&|!()<->:*',
  "'",
  '"',
  '"unterminated',
  'or',
  'or or or',
  '-',
  '- -',
  '"" or ""',
  // LIKE wildcards
  '%',
  '_',
  '%%',
  '\\%',
  'a%b_c\\',
  '%_\\',
  // everything else
  '',
  ' ',
  '   \t  ',
  '../../etc/passwd',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  '{"a":1}',
];

/** Very long strings: 10k to 100k characters of one kind (ASCII, Cyrillic, emoji, wildcards, NUL). */
const longString = fc
  .tuple(fc.constantFrom('x', 'ё', '🙂', '%', 'a ', '\u0000', 'медиафорум '), fc.integer({ min: 10_000, max: 100_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Any UTF-16 code units, lone surrogates included. */
const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

const TIME_ZONES = [
  'Asia/Almaty',
  'Asia/Tashkent',
  'Europe/Berlin',
  'UTC',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'Pacific/Kiritimati',
  'America/St_Johns',
  'Mars/Olympus',
  '+05:00',
  'local',
  'asia/almaty',
  'EST5EDT',
];
const LANGUAGE_CODES = ['ru', 'en', 'kk', 'ru-RU', 'kk-Cyrl-KZ', 'x-klingon', 'RU', 'zz'];
const URLS = [
  'https://example.com/a',
  'http://kazpravda.kz/n/1',
  'javascript:alert(1)',
  'ftp://x',
  'https://',
  '//evil.example',
  'https://ex ample.com',
  `https://example.com/${'a'.repeat(3000)}`,
  'data:text/html,<b>',
];
const WORDS = [
  'медиафорум',
  'медиафорума',
  'Астана',
  'media',
  'forum',
  'журналистика',
  'Aida',
  'Балаева',
  'Central Asia',
  '"медиафорум Астана"',
  'медиа or форум',
  'kk',
  'ru',
];
const EMAILS = [
  'admin@camf.kz',
  'admin-1@test.example',
  'organiser-2@test.example',
  'a@b.c',
  'not-an-email',
  'UPPER@CASE.KZ',
  ' spaced@x.kz ',
];

/** Realistic strings for an argument or input field, by its name. */
function realisticStrings(name: string, real: RealValues, hint: string | undefined): string[] {
  const n = name.toLowerCase();
  const slugs = real.slugs.length ? real.slugs : ['camf-2025'];
  if (n === 'after' || n.endsWith('cursor')) return [...real.cursors, ...forgedCursors(real)];
  if (n.includes('slug')) {
    const own = (hint && real.slugsByType[hint]) || [];
    const known = [
      'camf-2025',
      'camf-2022',
      'aida-balaeva',
      'vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane',
      'kz-mci',
      'no-such-slug',
      'CAMF-2025',
    ];
    // The slugs of the type the argument names, several times over: most often those.
    return [...own, ...own, ...own, ...own, ...slugs, ...known];
  }
  if (n.includes('code')) return [...real.countryCodes, 'KZ', 'RU', 'kz', 'UZ', 'XX', 'K', 'KZZ'];
  if (n.includes('email')) return [...real.emails, ...EMAILS];
  if (n.includes('timezone')) return TIME_ZONES;
  if (n === 'language') return LANGUAGE_CODES;
  if (n.includes('url') || n === 'website') return URLS;
  if (n.includes('password')) return ['a long passphrase', 'short', 'another passphrase 123'];
  if (n === 'query' || n === 'search' || n === 'room' || n === 'track') return [...WORDS, 'Зал 1', 'Hall A'];
  if (n === 'phone') return ['+7 701 000 00 00', '+77010000000', '123'];
  if (n === 'entitytype') return ['Speaker', 'Session', 'Article', 'Forum', 'User'];
  if (n === 'action') return ['CREATE', 'UPDATE', 'DELETE'];
  return [...WORDS, ...slugs.slice(0, 5), 'Registration desk', 'Aida Balaeva'];
}

/**
 * New values a validator accepts, by the name of the argument or input field: slugs and emails
 * for something new, URLs, phone numbers, plain text. Undefined where a known value fits better
 * (the slug of something that exists, a country code, a search).
 */
function wellFormedStrings(name: string, parent: string): fc.Arbitrary<string> | undefined {
  const n = name.toLowerCase();
  const serial = fc.integer({ min: 1, max: 999_999 });
  const input = /Input$|Row$/.test(parent);
  if (n === 'slug') return input ? serial.map((i) => `fuzz-${i}`) : undefined;
  if (n.includes('email')) return input ? serial.map((i) => `fuzz-${i}@test.example`) : undefined;
  if (n.includes('url') || n === 'website') return serial.map((i) => `https://example.com/fuzz/${i}`);
  if (n === 'timezone') return fc.constantFrom('Asia/Almaty', 'Asia/Tashkent', 'Europe/Moscow');
  if (n === 'language') return fc.constantFrom('ru', 'en', 'kk');
  if (n.includes('password')) return fc.constant('a long passphrase');
  if (n === 'externalid') return serial.map((i) => `ext-${i}`);
  if (n === 'phone') return fc.constantFrom('+7 701 000 00 00', '+998 71 000 00 00');
  if (n.includes('code') && !n.includes('slug')) return fc.constantFrom('KZ', 'RU', 'UZ', 'KG', 'kz');
  if (n.includes('slug') || n.includes('code') || n === 'after' || n === 'query' || n === 'search') return undefined;
  return fc.oneof(
    fc.lorem({ maxCount: 4 }),
    fc.constantFrom('Медиафорум в Астане', 'Central Asian Media Forum', 'Орталық Азия медиафорумы'),
  );
}

function forgedIds(): string[] {
  return [
    b64('Session:-1'),
    b64('Session:0'),
    b64('Forum:99999999999'),
    b64('Forum:2147483648'),
    b64('Speaker:2147483647'),
    b64('Article:1.5'),
    b64('Session:01'),
    b64(' Session:1'),
    b64('x:1'),
    b64('Node:1'),
    b64('__proto__:1'),
    b64('pos:1'),
    'Zm9v', // "foo"
    'U2Vzc2lvbjox', // "Session:1" in standard base64
    'U2Vzc2lvbjox==',
    'U2Vzc2lvbjox\n',
    '!!',
    '',
    ' ',
    '1',
    '-1',
    '99999999999999999999',
    'a'.repeat(500),
  ];
}

function forgedCursors(real: RealValues): string[] {
  const mutated = real.cursors.flatMap((c) => [c.slice(0, -1), `${c}=`, `${c}A`, c.toUpperCase(), c.split('').reverse().join('')]);
  return [
    b64('pos:0'),
    b64('pos:-1'),
    b64('pos:999999999'),
    b64('pos:1000000000'),
    b64('pos:2147483647'),
    b64('pos:1e3'),
    b64('pos: 1'),
    b64('Session:-1'),
    b64('Forum:99999999999'),
    b64('x:1'),
    'cG9zOjE=',
    'Zm9v',
    '%%%',
    ...mutated,
  ];
}

/** Mutations of a real id: another character, padding, standard base64, truncation. */
function mutatedIds(real: RealValues): string[] {
  return Object.values(real.idsByType)
    .flat()
    .slice(0, 40)
    .flatMap((id) => [
      id.slice(0, -1),
      `${id}=`,
      `${id}AA`,
      id.replace(/-/g, '+').replace(/_/g, '/'),
      Buffer.from(Buffer.from(id, 'base64url').toString() + '0').toString('base64url'),
    ]);
}

export const INT_EDGES = [0, -1, 1, 2, 3, 5, 10, 20, 50, 51, 99, 100, 101, 2000, 2001, 2 ** 31 - 1, -(2 ** 31)];
/** Out of GraphQL Int's range: refused by coercion, never seen by a resolver. */
const INT_BEYOND = [2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e100, 0.5];
const FLOAT_EDGES = [0, -0, 1.5, -1.5, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 31];

/** Accepted by the DateTime scalar, some at the edges of what PostgreSQL and JavaScript hold. */
const DATE_TIMES = [
  '2025-04-16T06:00:00Z',
  '2025-04-16T10:00:00+05:00',
  '2025-04-17T23:59:59.999Z',
  '2025-04-16T10:00:00+14:00',
  '2025-04-16T10:00:00-12:00',
  '2025-04-16T10:00:00+23:59',
  '2022-10-03T04:00:00Z',
  '1970-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2024-02-29T12:00:00Z',
  '2025-04-16T06:00:00.123456789Z',
  '2025-04-16t06:00:00z',
];
/** Refused by the DateTime scalar (leap second, 24:00, no offset, six-digit years, numbers). */
const BAD_DATE_TIMES: unknown[] = [
  '2025-04-16T23:59:60Z',
  '2025-02-29T00:00:00Z',
  '2025-04-16T24:00:00Z',
  '2025-04-16T06:00:00',
  '2025-04-16',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  'now',
  '',
  0,
  1744783200000,
  1e20,
];
const LOCAL_DATES = ['2025-04-16', '2025-04-17', '2022-10-03', '2022-10-04', '2024-02-29', '0000-01-01', '0001-01-01', '9999-12-31'];
const BAD_LOCAL_DATES = [
  '2025-02-29',
  '10000-01-01',
  '-0001-01-01',
  '2025-13-01',
  '2025-00-10',
  '2025-04-00',
  '2025-4-7',
  '2025-04-16T00:00:00Z',
  'today',
  '',
];

/** ISO strings of instants in years 0 to 9999 (the DateTime scalar refuses six-digit years). */
const anyInstant = fc
  .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

// ---------------------------------------------------------------------------------------------
// Generated operations

/** A variable inside a literal input object: printed as `$vN`, its value sent in `variables`. */
export class VarRef {
  constructor(
    readonly type: GraphQLInputType,
    readonly value: unknown,
  ) {}
}

interface ArgPlan {
  name: string;
  type: GraphQLInputType;
  /** As a variable of the argument's own type, or as a literal (which may hold VarRefs). */
  asVariable: boolean;
  value: unknown;
}

type SelectionPlan =
  | { kind: 'field'; name: string; alias?: boolean; args: ArgPlan[]; selections?: SelectionPlan[] }
  | { kind: 'fragment'; on: string; selections: SelectionPlan[] };

export interface GeneratedOperation {
  operationType: 'query' | 'mutation';
  rootField: string;
  mode: Mode;
  query: string;
  variables: Record<string, unknown>;
}

/** Long strings and big arrays shortened, so that a counterexample can be read. */
export function abbreviate(value: unknown, max = 120): unknown {
  if (typeof value === 'string') {
    if (value.length <= max) return value;
    const codes = [...new Set(value)]
      .slice(0, 4)
      .map((c) => JSON.stringify(c))
      .join(', ');
    return `<${value.length} chars: ${JSON.stringify(value.slice(0, 40))}... made of ${codes}${new Set(value).size > 4 ? ', ...' : ''}>`;
  }
  if (Array.isArray(value)) {
    if (value.length > 10) return [...value.slice(0, 3).map((v) => abbreviate(v, max)), `<... ${value.length} items in all>`];
    return value.map((v) => abbreviate(v, max));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v, max)]));
  return value;
}

/** An operation as a reader wants it in a failure report: the text (long literals shortened), then the variables. */
export function describeOperation(op: GeneratedOperation): string {
  let query = op.query.replace(/"(?:[^"\\]|\\.){120,}"/g, (literal) => {
    try {
      return JSON.stringify(abbreviate(JSON.parse(literal) as string));
    } catch {
      return `${literal.slice(0, 60)}..."`;
    }
  });
  if (query.length > 8000) query = `${query.slice(0, 8000)}\n... (${query.length} characters in all)`;
  return `${query}\nvariables: ${JSON.stringify(abbreviate(op.variables))}`;
}

function withToString(op: GeneratedOperation): GeneratedOperation {
  return Object.assign(op, { [fc.toStringMethod]: () => `\n${describeOperation(op)}\n` });
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** `arb` with probability `p`, else undefined; shrinking tries undefined first (drops the part). */
function maybe<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | undefined> {
  const weight = Math.round(p * 100);
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 100 - weight }, { arbitrary: arb, weight });
}

/** A GraphQL float literal for any finite number. */
function numberLiteral(n: number): string {
  if (Object.is(n, -0)) return '-0.0';
  return String(n);
}

class Printer {
  private counter = 0;
  private aliases = 0;
  readonly definitions: string[] = [];
  readonly variables: Record<string, unknown> = {};

  /** One variable per VarRef, also when a huge list repeats the same one. */
  private readonly named = new Map<VarRef, string>();

  variable(type: GraphQLInputType, value: unknown): string {
    const name = `v${this.counter++}`;
    this.definitions.push(`$${name}: ${String(type)}`);
    if (value !== undefined) this.variables[name] = toJsonValue(value);
    return `$${name}`;
  }

  literal(value: unknown, type: GraphQLInputType | undefined): string {
    if (value instanceof VarRef) {
      let name = this.named.get(value);
      if (!name) this.named.set(value, (name = this.variable(value.type, value.value)));
      return name;
    }
    if (value === null || value === undefined) return 'null';
    if (type && isNonNullType(type)) return this.literal(value, type.ofType);
    if (type && isListType(type)) {
      return Array.isArray(value) ? `[${value.map((v) => this.literal(v, type.ofType)).join(', ')}]` : this.literal(value, type.ofType);
    }
    if (type && isEnumType(type) && typeof value === 'string' && NAME.test(value) && !['true', 'false', 'null'].includes(value))
      return value;
    if (type && isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
      const fields = type.getFields();
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      return `{${entries.map(([k, v]) => ` ${k}: ${this.literal(v, fields[k]?.type)}`).join(',')} }`;
    }
    switch (typeof value) {
      case 'string':
        // JSON's escapes are a subset of GraphQL's.
        return JSON.stringify(value);
      case 'number':
        return numberLiteral(value);
      case 'boolean':
        return String(value);
      default:
        if (Array.isArray(value)) return `[${value.map((v) => this.literal(v, undefined)).join(', ')}]`;
        return `{${Object.entries(value as Record<string, unknown>)
          .filter(([k]) => NAME.test(k))
          .map(([k, v]) => ` ${k}: ${this.literal(v, undefined)}`)
          .join(',')} }`;
    }
  }

  args(args: ArgPlan[]): string {
    if (!args.length) return '';
    const printed = args.map((a) => `${a.name}: ${a.asVariable ? this.variable(a.type, a.value) : this.literal(a.value, a.type)}`);
    return `(${printed.join(', ')})`;
  }

  selections(selections: SelectionPlan[], indent: string): string {
    const lines = selections.map((s) => {
      if (s.kind === 'fragment') return `${indent}... on ${s.on} {\n${this.selections(s.selections, indent + '  ')}\n${indent}}`;
      const alias = s.alias ? `a${this.aliases++}: ` : '';
      const head = `${indent}${alias}${s.name}${this.args(s.args)}`;
      return s.selections ? `${head} {\n${this.selections(s.selections, indent + '  ')}\n${indent}}` : head;
    });
    return lines.join('\n');
  }
}

/**
 * How an operation's values are drawn:
 * - `realistic`: values a client would send (real slugs, ids and versions, well-formed URLs, emails
 *   and slugs, instants on the forums' days), with now and then one hostile value, so that
 *   mutations get past validation into the code that writes;
 * - `hostile`: every value from the hostile pools as often as from the realistic ones;
 * - `wild`: hostile, and sometimes of the wrong type altogether (refused by GraphQL itself).
 */
export type Mode = 'realistic' | 'hostile' | 'wild';

export interface FuzzerOptions {
  /** Levels of object selections below the root field (connection and edge wrappers are free). */
  maxDepth?: number;
  /**
   * Share of operations that may also hold ill-typed values (null for a non-null type, unknown
   * enum values or input fields, missing required fields, numbers out of Int's range), which
   * GraphQL itself refuses before any resolver runs. The rest are well-typed, so that they reach
   * the resolvers. Default 0.15.
   */
  illTyped?: number;
  /** Share of realistic operations (see Mode). Default 0.4. */
  realistic?: number;
}

/** Types that only wrap others: selecting through them costs no depth. */
function isWrapper(type: GraphQLNamedType): boolean {
  return /(Connection|Edge|PageInfo)$/.test(type.name) || type.name === 'LocalizedText';
}

/**
 * The object type an id or slug argument or input field most likely names, from its name
 * (`sessionId`, `speakerSlug`) or else its owner (`CancelSessionInput.id`, `Query.article(slug)`).
 */
function typeHint(name: string, parent: string, typeNames: string[]): string | undefined {
  const base = name.replace(/(Ids?|Slugs?)$/, '');
  const pool = [...typeNames].sort((a, b) => b.length - a.length);
  if (base && base !== name) {
    const match =
      pool.find((t) => t.toLowerCase() === base.toLowerCase()) ?? pool.find((t) => t.toLowerCase().endsWith(base.toLowerCase()));
    if (match) return match;
  }
  const owner = parent.replace(/^(Mutation|Query)\./, '').toLowerCase();
  return (
    pool.find((t) => owner.includes(t.toLowerCase())) ??
    pool.find((t) => t.startsWith('Session') && owner.includes(t.replace(/^Session/, '').toLowerCase()))
  );
}

/**
 * Builds fast-check arbitraries of whole operations from a schema. Arbitraries are built once
 * per (type, depth) or (input type, name, mode) and reused.
 */
export class SchemaFuzzer {
  private readonly maxDepth: number;
  private readonly illTyped: number;
  private readonly realistic: number;
  private readonly selectionMemo = new Map<string, fc.Arbitrary<SelectionPlan[]>>();
  private readonly inputMemo = new Map<string, fc.Arbitrary<unknown>>();
  private readonly objectTypeNames: string[];

  constructor(
    readonly schema: GraphQLSchema,
    readonly real: RealValues,
    options: FuzzerOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? 3;
    this.illTyped = options.illTyped ?? 0.15;
    this.realistic = options.realistic ?? 0.4;
    this.objectTypeNames = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && t !== schema.getQueryType() && t !== schema.getMutationType())
      .map((t) => t.name);
  }

  rootFields(operationType: 'query' | 'mutation'): string[] {
    const root = operationType === 'query' ? this.schema.getQueryType() : this.schema.getMutationType();
    return root ? Object.keys(root.getFields()) : [];
  }

  /** Operations on the given root fields (default: all of that operation type), one root field each. */
  operation(operationType: 'query' | 'mutation', fieldNames = this.rootFields(operationType)): fc.Arbitrary<GeneratedOperation> {
    const root = (operationType === 'query' ? this.schema.getQueryType() : this.schema.getMutationType())!;
    const fields = root.getFields();
    const perField = fieldNames.map((name) => {
      const field = fields[name];
      if (!field) throw new Error(`no root field ${operationType}.${name}`);
      const wild = Math.round(this.illTyped * 100);
      const realistic = Math.round(this.realistic * 100);
      const inMode = (mode: Mode) => this.fieldArb(field, root.name, 0, mode).map((plan) => ({ plan, mode }));
      const selection = fc.oneof(
        { arbitrary: inMode('realistic'), weight: realistic },
        { arbitrary: inMode('hostile'), weight: 100 - realistic - wild },
        { arbitrary: inMode('wild'), weight: wild },
      );
      return fc.tuple(selection, fc.boolean()).map(([{ plan, mode }, named]) => {
        const printer = new Printer();
        const body = printer.selections([plan], '  ');
        const head = printer.definitions.length ? `(${printer.definitions.join(', ')})` : '';
        const opName = named ? ` Fuzz_${name}` : '';
        return withToString({
          operationType,
          rootField: name,
          mode,
          query: `${operationType}${opName}${head} {\n${body}\n}`,
          variables: printer.variables,
        });
      });
    });
    return fc.oneof(...perField);
  }

  // ---- selections

  private fieldArb(field: GraphQLField<unknown, unknown>, parentName: string, depth: number, mode: Mode): fc.Arbitrary<SelectionPlan> {
    const named = getNamedType(field.type);
    const args = this.argsArb(field.args, `${parentName}.${field.name}`, mode);
    // Now and then a leaf under an alias (which also lets a field appear twice with other arguments).
    const alias = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);
    if (isLeafType(named)) return fc.tuple(args, alias).map(([a, al]) => ({ kind: 'field', name: field.name, args: a, alias: al }));
    const nextDepth = isWrapper(named) ? depth : depth + 1;
    return fc
      .tuple(args, this.selectionArb(named, nextDepth, mode))
      .map(([a, selections]) => ({ kind: 'field', name: field.name, args: a, selections }));
  }

  /** Fields that can be selected at this depth: leaves, and objects while depth remains. */
  private selectable(type: GraphQLObjectType | GraphQLInterfaceType, depth: number): GraphQLField<unknown, unknown>[] {
    return Object.values(type.getFields()).filter((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return true;
      return isWrapper(named) ? depth <= this.maxDepth : depth < this.maxDepth;
    });
  }

  private selectionArb(type: GraphQLNamedType, depth: number, mode: Mode): fc.Arbitrary<SelectionPlan[]> {
    const key = `${type.name}@${depth}/${mode}`;
    const memo = this.selectionMemo.get(key);
    if (memo) return memo;
    // Built eagerly: depth grows at every object level but the wrappers, which do not nest.
    let arb: fc.Arbitrary<SelectionPlan[]>;
    const typename: SelectionPlan = { kind: 'field', name: '__typename', args: [] };
    const fragment = (t: GraphQLObjectType, p: number) =>
      maybe(
        this.selectionArb(t, depth, mode).map((selections): SelectionPlan => ({ kind: 'fragment', on: t.name, selections })),
        p,
      );
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = this.selectable(type, depth);
      const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
      // Added when the random subset has no scalar field, so that resolvers run: one without required arguments.
      const plain = leaves.find((l) => !l.args.some(isRequiredArgument));
      const fallback: SelectionPlan = plain ? { kind: 'field', name: plain.name, args: [] } : typename;
      const chance = Math.min(0.6, Math.max(0.15, 3 / Math.max(1, fields.length)));
      const options = fields.map((f) => maybe(this.fieldArb(f, type.name, depth, mode), chance));
      const fragments = isInterfaceType(type) ? this.schema.getPossibleTypes(type).map((t) => fragment(t, 0.3)) : [];
      arb = fc.tuple(fc.tuple(...options), fc.tuple(...fragments), fc.boolean()).map(([chosen, frags, withTypename]) => {
        const selections = chosen.filter((s): s is SelectionPlan => s !== undefined);
        if (!selections.some((s) => s.kind === 'field' && !s.selections)) selections.unshift(fallback);
        const spread = frags.filter((s): s is SelectionPlan => s !== undefined);
        if (withTypename || spread.length) selections.push(typename);
        return [...selections, ...spread];
      });
    } else if (isUnionType(type)) {
      arb = fc
        .tuple(...type.getTypes().map((t) => fragment(t, 0.6)))
        .map((frags) => [typename, ...frags.filter((s): s is SelectionPlan => s !== undefined)]);
    } else {
      arb = fc.constant([]);
    }
    this.selectionMemo.set(key, arb);
    return arb;
  }

  // ---- arguments and values

  private argsArb(args: readonly GraphQLArgument[], where: string, mode: Mode): fc.Arbitrary<ArgPlan[]> {
    const plans = args.map((arg) => {
      // GraphQL lets a nullable variable fill a non-null argument that has a default (`first: $n`,
      // `$n: Int`), and a client may then send null.
      const nullable = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
      const defaulted = nullable !== arg.type && arg.defaultValue !== undefined;
      const plan = fc
        .tuple(this.valueArb(arg.type, arg.name, where, 0, mode), fc.integer({ min: 0, max: 9 }))
        .map(([value, mode]): ArgPlan =>
          defaulted && mode === 9
            ? { name: arg.name, type: nullable, asVariable: true, value: null }
            : {
                name: arg.name,
                type: arg.type,
                // Mostly variables, as clients send them; literals too.
                asVariable: mode < 6,
                value,
              },
        );
      return isRequiredArgument(arg) ? plan.map((p): ArgPlan | undefined => p) : maybe(plan, 0.5);
    });
    return fc.tuple(...plans).map((list) => list.filter((p): p is ArgPlan => p !== undefined));
  }

  /**
   * A value for an input type, in the operation's mode (see Mode).
   * `name` and `parent` (the argument or input field, and its owner) pick realistic values.
   */
  valueArb(type: GraphQLInputType, name: string, parent: string, depth: number, mode: Mode, small = false): fc.Arbitrary<unknown> {
    const key = `${String(type)}|${name}|${parent}|${depth}|${mode}|${small}`;
    const memo = this.inputMemo.get(key);
    if (memo) return memo;
    let arb: fc.Arbitrary<unknown>;
    if (isNonNullType(type)) {
      arb = this.namedOrListArb(type.ofType, name, parent, depth, mode, small);
    } else {
      arb = fc.oneof(
        { arbitrary: this.namedOrListArb(type, name, parent, depth, mode, small), weight: 12 },
        { arbitrary: fc.constant(null), weight: 1 },
      );
    }
    if (mode === 'wild') {
      const wrong = fc.constantFrom<unknown>('x', 1, 1.5, true, null, [], {}, [1, 'a'], { a: 1 }, ...INT_BEYOND, 'CAMF');
      arb = fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: wrong, weight: 1 });
    }
    this.inputMemo.set(key, arb);
    return arb;
  }

  /**
   * `small`: inside a list, where neither very long strings nor huge lists are drawn, so that one
   * request stays within some megabytes (the body limit refuses most of them anyway).
   */
  private namedOrListArb(
    type: GraphQLInputType,
    name: string,
    parent: string,
    depth: number,
    mode: Mode,
    small: boolean,
  ): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return this.namedOrListArb(type.ofType, name, parent, depth, mode, small);
    if (isListType(type)) {
      const item = this.valueArb(type.ofType, name, parent, depth, mode, true);
      const lists: fc.WeightedArbitrary<unknown>[] = [
        { arbitrary: fc.array(item, { maxLength: 4 }), weight: 12 },
        // A single value where a list is expected: GraphQL coerces it into a list of one.
        { arbitrary: this.valueArb(type.ofType, name, parent, depth, mode, small), weight: 1 },
      ];
      // Huge lists: one value repeated hundreds or thousands of times.
      if (!small)
        lists.push({
          arbitrary: fc.tuple(item, fc.integer({ min: 100, max: 3000 })).map(([v, n]) => Array.from({ length: n }, () => v)),
          weight: 1,
        });
      return fc.oneof(...lists);
    }
    if (isEnumType(type)) {
      const values = fc.constantFrom(...type.getValues().map((v) => v.name));
      return mode === 'wild'
        ? fc.oneof({ arbitrary: values, weight: 4 }, { arbitrary: fc.constantFrom('NOPE', 'admin', 'Admin', ''), weight: 1 })
        : values;
    }
    if (isInputObjectType(type)) return this.inputObjectArb(type, depth, mode, small);
    if (isScalarType(type)) return this.scalarArb(type.name, name, parent, mode, small);
    return fc.constant(null);
  }

  private inputObjectArb(type: GraphQLInputObjectType, depth: number, mode: Mode, small: boolean): fc.Arbitrary<unknown> {
    const fields = Object.values(type.getFields());
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const field of fields) {
      const value = this.valueArb(field.type, field.name, type.name, depth + 1, mode, small);
      // Inside a literal object, a field may itself be a variable of its own type.
      model[field.name] = fc.oneof({ arbitrary: value, weight: 6 }, { arbitrary: value.map((v) => new VarRef(field.type, v)), weight: 1 });
      if (isRequiredInputField(field)) required.push(field.name);
    }
    const record = fc.record(model, { requiredKeys: required });
    if (mode !== 'wild') return record;
    return fc.oneof(
      { arbitrary: record, weight: 6 },
      // An unknown field, or required ones missing.
      { arbitrary: record.map((r) => ({ ...(r as object), notAField: 1 })), weight: 1 },
      {
        arbitrary: fc
          .tuple(record, fc.subarray(required, { minLength: Math.min(1, required.length) }))
          .map(([r, missing]) => Object.fromEntries(Object.entries(r as object).filter(([k]) => !missing.includes(k)))),
        weight: 1,
      },
    );
  }

  private scalarArb(scalar: string, name: string, parent: string, mode: Mode, small: boolean): fc.Arbitrary<unknown> {
    switch (scalar) {
      case 'String':
        return this.stringArb(name, parent, mode, small);
      case 'ID':
        return this.idArb(name, parent, mode, small);
      case 'Int':
        if (mode === 'realistic') {
          const versions = this.real.versions.length ? this.real.versions : [1];
          return name.toLowerCase().includes('version') ? fc.constantFrom(...versions) : fc.integer({ min: 0, max: 20 });
        }
        return mode === 'wild'
          ? fc.oneof({ arbitrary: this.intArb(name), weight: 4 }, { arbitrary: fc.constantFrom(...INT_BEYOND), weight: 1 })
          : this.intArb(name);
      case 'Float':
        return fc.oneof(fc.constantFrom(...FLOAT_EDGES), fc.double({ noNaN: true, noDefaultInfinity: true }));
      case 'Boolean':
        return fc.boolean();
      case 'DateTime': {
        const real = this.real.instants.length ? this.real.instants : ['2025-04-16T05:00:00.000Z'];
        // Real instants (session times, publication times), some moved by minutes or hours.
        const near = fc
          .tuple(
            fc.constantFrom(...real),
            fc.constantFrom(0, 0, 15, -15, 30, 60, -60, 90, 24 * 60, -24 * 60, 400 * 24 * 60, 4000 * 24 * 60),
          )
          .map(([iso, minutes]) => new Date(Date.parse(iso) + minutes * 60_000).toISOString());
        if (mode === 'realistic') {
          // An embargo or an expiry is in the future.
          if (/^(publishAt|expiresAt)$/.test(name))
            return fc.integer({ min: 1, max: 400 * 24 * 60 }).map((m) => new Date(Date.now() + m * 60_000).toISOString());
          return near;
        }
        const good = fc.oneof(
          { arbitrary: fc.constantFrom(...DATE_TIMES), weight: 3 },
          { arbitrary: anyInstant, weight: 1 },
          { arbitrary: near, weight: 2 },
        );
        const bad = fc.oneof(fc.constantFrom(...BAD_DATE_TIMES), this.hostileStringArb(small));
        return mode === 'wild' ? fc.oneof(good, bad) : good;
      }
      case 'LocalDate': {
        const days = this.real.dates.length ? this.real.dates : ['2025-04-16'];
        const nearDay = fc
          .tuple(fc.constantFrom(...days), fc.integer({ min: -3, max: 3 }))
          .map(([day, shift]) => new Date(Date.parse(`${day}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10));
        if (mode === 'realistic') return nearDay;
        const good = fc.oneof(
          { arbitrary: fc.constantFrom(...LOCAL_DATES), weight: 3 },
          { arbitrary: anyInstant.map((s) => s.slice(0, 10)), weight: 1 },
        );
        const bad = fc.oneof(fc.constantFrom(...BAD_LOCAL_DATES), this.hostileStringArb(small));
        return mode === 'wild' ? fc.oneof(good, bad) : good;
      }
      default:
        // JSON, JSONObject and other custom scalars.
        return fc.oneof(fc.jsonValue({ maxDepth: 3 }), this.hostileStringArb(small));
    }
  }

  private hostileStringArb(small: boolean): fc.Arbitrary<string> {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 20 },
      { arbitrary: small ? fc.constantFrom('x'.repeat(300), 'ё'.repeat(300), '🙂'.repeat(300)) : longString, weight: 1 },
      { arbitrary: anyCodeUnits, weight: 4 },
    );
  }

  private stringArb(name: string, parent: string, mode: Mode, small: boolean): fc.Arbitrary<string> {
    const realistic = realisticStrings(name, this.real, typeHint(name, parent, this.objectTypeNames));
    if (mode === 'realistic') {
      // New values where the argument or input field names something to create or rename, known
      // ones elsewhere: the slugs of the type it names first.
      const hint = typeHint(name, parent, this.objectTypeNames);
      const own = name.toLowerCase().includes('slug') && hint ? this.real.slugsByType[hint] : undefined;
      const fresh = wellFormedStrings(name, parent) ?? (own?.length ? fc.constantFrom(...own) : undefined);
      return fc.oneof(
        { arbitrary: fresh ?? fc.constantFrom(...realistic), weight: 30 },
        { arbitrary: fc.constantFrom(...realistic), weight: 8 },
        { arbitrary: this.hostileStringArb(true), weight: 1 },
      );
    }
    return fc.oneof(
      { arbitrary: fc.constantFrom(...realistic), weight: 10 },
      { arbitrary: this.hostileStringArb(small), weight: 8 },
      // A realistic value with something hostile around it.
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...realistic), fc.constantFrom(...HOSTILE_STRINGS), fc.boolean())
          .map(([r, h, before]) => (before ? h + r : r + h)),
        weight: 2,
      },
    );
  }

  private idArb(name: string, parent: string, mode: Mode, small: boolean): fc.Arbitrary<unknown> {
    const all = Object.values(this.real.idsByType).flat();
    const hinted = typeHint(name, parent, this.objectTypeNames);
    const own = (hinted && this.real.idsByType[hinted]) || [];
    if (mode === 'realistic' && own.length)
      return fc.oneof({ arbitrary: fc.constantFrom(...own), weight: 20 }, { arbitrary: fc.constantFrom(...all), weight: 1 });
    // API token ids are plain numbers (revokeApiToken).
    const plain = this.real.idsByType.ApiToken ?? ['1'];
    const choices: fc.WeightedArbitrary<unknown>[] = [
      { arbitrary: fc.constantFrom(...forgedIds(), ...this.real.cursors.slice(0, 5)), weight: 4 },
      {
        arbitrary: fc.constantFrom(...plain, '0', '2147483648', '9007199254740993', '1e3', '0x10'),
        weight: parent === 'Mutation.revokeApiToken' ? 12 : 1,
      },
      // ID variables accept integers too.
      { arbitrary: fc.constantFrom<unknown>(1, 0, -1, 2 ** 31), weight: 1 },
      { arbitrary: this.hostileStringArb(small), weight: 2 },
    ];
    if (all.length) choices.push({ arbitrary: fc.constantFrom(...all), weight: 3 });
    if (own.length) choices.push({ arbitrary: fc.constantFrom(...own), weight: 8 });
    const mutated = mutatedIds(this.real);
    if (mutated.length) choices.push({ arbitrary: fc.constantFrom(...mutated), weight: 2 });
    return fc.oneof(...choices);
  }

  private intArb(name: string): fc.Arbitrary<number> {
    const versions = this.real.versions.length ? this.real.versions : [1];
    const n = name.toLowerCase();
    const edges = fc.constantFrom(...INT_EDGES);
    if (n.includes('version')) {
      return fc.oneof(
        { arbitrary: fc.constantFrom(...versions), weight: 6 },
        { arbitrary: edges, weight: 3 },
        { arbitrary: fc.integer(), weight: 1 },
      );
    }
    if (n === 'first') {
      return fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 6 },
        { arbitrary: edges, weight: 3 },
        { arbitrary: fc.integer(), weight: 1 },
      );
    }
    return fc.oneof(
      { arbitrary: edges, weight: 6 },
      { arbitrary: fc.integer({ min: 0, max: 10 }), weight: 3 },
      { arbitrary: fc.integer(), weight: 1 },
    );
  }
}

/** Variables must be JSON: a VarRef in a value sent as a variable is just its value. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof VarRef) return toJsonValue(value.value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v)]),
    );
  }
  return value;
}
