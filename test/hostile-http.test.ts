import fs from 'node:fs';
import net from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { Role } from '../src/auth/user.entity';
import { seed } from '../src/db/seed';
import { PUBLIC_BASE_URL, startHarness, type Harness } from './helpers/harness';

/**
 * The hostile suite for the plain-HTTP endpoints next to /graphql (test/hostile.test.ts covers
 * /graphql): schedule exports, feeds, oEmbed, the speaker import, the probes and unknown paths.
 * Each gets generated junk in its path, query string, headers, method and (for the import) body
 * and credentials. For every request: a status below 500 (oEmbed's 501 for a format it does not
 * make excepted: the oEmbed spec asks for it), a 4xx body that is a coded JSON error, no stack
 * trace, SQL or file path in any body, and the server answering afterwards; and no table changes.
 *
 * Requests that fetch can send go through fetch (the WHATWG URL parser leaves pre-encoded paths
 * alone); the rest (raw bytes in the request target, dot segments fetch would resolve, header
 * values fetch refuses, broken framing) are written as raw HTTP/1.1 on a socket.
 *
 * HOSTILE_HTTP_REPORT=1 prints the requests per endpoint with their statuses;
 * HOSTILE_HTTP_LOG=<file> appends every request with its status and the start of its answer.
 */

// ---------------------------------------------------------------------------------------------
// Sending

interface HostileRequest {
  /** The endpoint it aims at, for the per-endpoint counts. */
  endpoint: string;
  method: string;
  /** The request target exactly as sent: path and query, percent-encoding included. */
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Written on a socket as raw HTTP/1.1 instead of through fetch. */
  raw?: boolean;
  /** Raw only: the whole request, bytes as given (method, target, headers and body ignored). */
  wire?: Buffer;
  /** Raw only: half-close after writing (a truncated body): the server may close without answering. */
  halfClose?: boolean;
  /** Exceptions to the properties, for this request only. */
  check?: Check;
}

interface Answer {
  /** 0 when the connection closed without a response. */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A raw HTTP/1.1 request: `head` is encoded as `encoding` (latin1 puts code points < 256 as single bytes). */
function wire(
  method: string,
  target: string,
  headers: Record<string, string> | [string, string][],
  body?: string | Buffer,
  encoding: BufferEncoding = 'utf8',
): Buffer {
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  const names = new Set(entries.map(([name]) => name.toLowerCase()));
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...entries.map(([n, v]) => `${n}: ${v}`)];
  const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  if (bytes && !names.has('content-length') && !names.has('transfer-encoding')) lines.push(`Content-Length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, encoding), bytes ?? Buffer.alloc(0)]);
}

/** Status line, headers and (de-chunked) body of a raw response; 1xx interim responses skipped. */
function parseRaw(data: Buffer): Answer {
  let rest = data;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return { status: 0, headers: {}, body: rest };
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body = rest.subarray(end + 4);
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const lineEnd = body.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
        if (!(size > 0)) break;
        parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    }
    return { status, headers, body };
  }
}

function sendRaw(port: number, bytes: Buffer, halfClose = false): Promise<Answer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
    // A request the server neither answers nor closes: give up (reported as status 0).
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    // ECONNRESET/EPIPE when the server answers early and closes: what it sent is in `chunks`.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRaw(Buffer.concat(chunks)));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Checking

/** Patterns that must never be in a body: stack frames, source paths, SQL text, PostgreSQL errors. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /(?:\n|\\n)\s*at \S+ \(|\bat (?:async )?\S+ \((?:\/|node:|file:)/],
  ['file path', /\/work\/|node_modules|\b(?:src|dist|test)\/[\w./-]+\.[tj]s\b|\.ts:\d+/],
  [
    'SQL',
    /\b(?:select|insert\s+into|delete\s+from|update)\b[^\n]{0,300}?\b(?:from|values|set|where)\b[^\n]{0,300}?(?:\$\d|\\?"\w+\\?"\.|\bas\s+\\?"?\w)/i,
  ],
  [
    'PostgreSQL error',
    /invalid byte sequence|syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|relation \\?"\w+\\?" does not exist|SQLSTATE|\bQueryFailedError|DriverException|knex/i,
  ],
];

interface Check {
  /** 501 is allowed: oEmbed's answer to a format it does not make, which the oEmbed spec asks for. */
  allow501?: boolean;
  /** The connection may close without an answer: the client sent half a request and hung up. */
  mayDrop?: boolean;
}

/** What is wrong with one answer, as lines for the failure list. */
function problems(request: HostileRequest, answer: Answer, check: Check = {}): string[] {
  const found: string[] = [];
  const text = answer.body.toString('utf8');
  if (answer.status === 0) {
    if (!check.mayDrop) found.push('no answer');
    return found;
  }
  if (answer.status >= 500 && !(answer.status === 501 && check.allow501)) found.push(`status ${answer.status}`);
  if (answer.status >= 400 && request.method !== 'HEAD' && text.length > 0) {
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      found.push('a 4xx/5xx body that is not JSON');
    }
    if (body !== undefined) {
      const errors = body?.errors;
      const shaped =
        Array.isArray(errors) &&
        errors.length > 0 &&
        errors.every((e: any) => typeof e?.message === 'string' && typeof e?.extensions?.code === 'string');
      if (!shaped) found.push('an error body that is not { errors: [{ message, extensions: { code } }] }');
    }
  }
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) found.push(`${what} in the body`);
  return found.map((p) => `${p}: ${show(request)} -> ${answer.status} ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
}

function show(r: HostileRequest): string {
  const headers = r.headers
    ? ` ${JSON.stringify(r.headers)
        .replace(/Bearer [\w.-]{40,}/g, 'Bearer <token>')
        .slice(0, 160)}`
    : '';
  const body = r.body !== undefined ? ` body(${r.body.length}) ${JSON.stringify(r.body.toString().slice(0, 60))}` : '';
  if (r.wire)
    return `raw ${JSON.stringify(
      r.wire
        .subarray(0, 400)
        .toString('latin1')
        .replace(/Bearer [\w.-]{40,}/g, 'Bearer <token>'),
    )}`;
  return `${r.raw ? 'raw ' : ''}${r.method} ${r.target.slice(0, 160)}${headers}${body}`;
}

// ---------------------------------------------------------------------------------------------
// Junk

/** A small seeded generator, so that the random bodies are the same on every run. */
function randomBytesSeeded(length: number, seed: number): Buffer {
  let state = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Path segments (in a slug's place) as sent: pre-encoded, which fetch's URL parser keeps as they are. */
const PATH_JUNK = [
  'camf%002025',
  'a%00b',
  '%00',
  '%01',
  '%1F',
  '%7F',
  '%0A',
  '%0D%0Aset-cookie:%20x=1',
  '%09',
  '%1B%5B31m',
  '%zz',
  '%',
  '%e',
  'camf%2',
  '%C0%AE',
  '%C0%AE%C0%AE%C0%AF',
  '%ED%A0%80',
  '%ED%B0%80',
  '%ED%A0%80%ED%B0%80',
  '%C3%28',
  '%E2%82',
  '%F4%90%80%80',
  '%FF%FE',
  '%EF%BF%BF',
  '%EF%BF%BD',
  '%EF%BB%BFcamf-2025',
  'x'.repeat(201),
  'x'.repeat(5000),
  '%41'.repeat(3000),
  'a%2Fb',
  '%2F',
  '%2F%2F',
  '%5C..%5C',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%F0%9F%99%82',
  '%F0%9F%99%82'.repeat(150),
  '%D7%A9%D7%9C%D7%95%D7%9D',
  '%D9%85%D8%B1%D8%AD%D8%A8%D8%A7',
  '%E2%80%AEevil',
  '%E2%80%8F',
  '%CC%81%CC%81%CC%81',
  "'%20OR%20'1'='1",
  "camf-2025'--",
  '1;DROP%20TABLE%20speaker',
  "camf-2025'%20UNION%20SELECT%201--",
  '%22%20OR%20%22%22=%22',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '$%7B7*7%7D%7B%7B7*7%7D%7D',
  '%25s%25n%25x',
  '%2500',
  'CAMF-2025',
  'camf-2025%20',
  '%20camf-2025',
  'camf-2025;x=1',
  'camf-2025.ics',
  '',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0',
  '-1',
];

/** Path segments only a socket can carry: raw bytes (UTF-8 unless noted) and dot segments fetch would resolve. */
const RAW_PATH_JUNK: { segment: string; encoding?: BufferEncoding }[] = [
  { segment: '..' },
  { segment: '.' },
  { segment: '%2e%2e' },
  { segment: '..\\..\\' },
  { segment: 'a b' },
  { segment: 'a\u0000b' },
  { segment: 'a\u0001b' },
  { segment: 'a\tb' },
  { segment: 'a\u007fb' },
  { segment: 'camf-2025\u00ff', encoding: 'latin1' },
  { segment: '\u00c0\u00ae', encoding: 'latin1' },
  { segment: '🙂' },
  { segment: 'שלום' },
  { segment: 'медиа' },
  { segment: "'OR'1'='1" },
  { segment: 'a"b<c>{d}|e^f`g' },
  { segment: 'a#b' },
  { segment: 'a?lang=xx' },
];

/** Query strings, appended to a good path. */
const QUERY_JUNK = [
  'lang=ru&lang=en',
  'lang[]=x',
  'lang[a]=b',
  'lang=',
  'lang',
  '=',
  '&&&',
  '=&=&=',
  `lang=${'x'.repeat(3000)}`,
  `lang=${'x'.repeat(1990)}`,
  `${'k'.repeat(3000)}=1`,
  'lang=%00',
  'lang=ru%00',
  'x%00=1',
  '%00',
  'lang=%0D%0A',
  'lang=%zz',
  '%zz=1',
  'lang=%C0%AE',
  'lang=%ED%A0%80',
  'lang=%FF',
  'unknown=1',
  'utm_source=x&fbclid=y',
  'lang=RU',
  'lang=ru-RU',
  'lang=kk',
  'lang=en;q=1',
  'lang=xx',
  'lang=%F0%9F%99%82',
  'lang=%D7%A9',
  "lang='%20OR%201=1--",
  '__proto__=x',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  'toString=1&hasOwnProperty=1&valueOf=1',
  Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&'),
  'lang=ru#fragment',
];

/** Headers on a good GET; `etag` stands for the endpoint's real ETag. */
function headerJunk(etag: string): Record<string, string>[] {
  return [
    { 'if-none-match': '"\u00ff\u00fe\u00fd"' },
    { 'if-none-match': `"\u00ff${'x'.repeat(1000)}"` },
    { 'if-none-match': '*' },
    { 'if-none-match': 'W/' },
    { 'if-none-match': ','.repeat(2000) },
    { 'if-none-match': `${etag}, "\u00ff"` },
    { 'if-none-match': `W/${etag}` },
    { 'if-none-match': `${etag}junk` },
    { 'if-none-match': `"${'x'.repeat(8000)}"` },
    { 'if-none-match': '"a", W/"b", *, garbage' },
    { 'if-modified-since': 'garbage' },
    { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    { 'if-modified-since': 'Fri, 31 Dec 9999 23:59:59 GMT' },
    { 'if-modified-since': '-1' },
    { 'if-modified-since': '1e309' },
    { 'if-modified-since': '\u00ff\u00fe' },
    { 'if-modified-since': 'x'.repeat(8000) },
    { 'if-none-match': '', 'if-modified-since': '' },
    { 'if-match': '"x"', 'if-unmodified-since': 'garbage', 'if-range': 'junk', range: 'bytes=junk' },
    { range: 'bytes=0-10' },
    { 'accept-language': 'xx' },
    { 'accept-language': '*;q=0' },
    { 'accept-language': 'ru;q=abc, en;q=-1, kk;q=1e309' },
    { 'accept-language': 'en;q=NaN' },
    { 'accept-language': ','.repeat(8000) },
    { 'accept-language': `kk-${'x'.repeat(8000)}` },
    { 'accept-language': Array.from({ length: 2000 }, () => 'ru;q=0.5').join(',') },
    { 'accept-language': '\u00ff\u00fe;q=1' },
    { 'accept-language': ';;;;==' },
    { accept: 'application/xml;q=junk, */*;q=-1' },
    { 'x-request-id': '\u00ff'.repeat(100) },
    { 'x-request-id': 'x'.repeat(1000) },
    { 'x-forwarded-for': 'junk, ::1, 999.999.999.999' },
    { authorization: 'Bearer garbage' },
    { cookie: `a=${'x'.repeat(4000)}` },
    { 'content-type': 'application/json' },
    { 'x-junk': 'x'.repeat(20_000) },
    Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h${i}`, 'v'])),
  ];
}

/** Header lines only a socket can send: bytes fetch refuses in a header value, or broken lines. */
const RAW_HEADER_JUNK: [string, string][][] = [
  [['If-None-Match', '"\u0000"']],
  [['If-None-Match', '"🙂"']],
  [['If-Modified-Since', 'Thu, 01 Jan 1970\u0000']],
  [['Accept-Language', 'ru\u0001']],
  [['Accept-Language', 'қаз, русский;q=0.5']],
  [['X Bad Name', '1']],
  [['X-Folded', 'a\r\n b']],
  [['Expect', '100-continue']],
  [['Expect', 'junk']],
  [['Transfer-Encoding', 'chunked']],
];

const RAW_METHODS = ['TRACE', 'FOO', 'M-SEARCH', 'PROPFIND'];
const WRONG_METHODS = ['PUT', 'DELETE', 'PATCH'];

// ---------------------------------------------------------------------------------------------

describe('hostile requests to the plain-HTTP endpoints', () => {
  let h: Harness;
  let port: number;
  let organiser: string;
  let editor: string;
  let otherOrganiser: string;
  let expired: string;
  const etags: Record<string, string> = {};

  const GET_ENDPOINTS = [
    { endpoint: '/forums/:slug/agenda.ics', path: (slug: string) => `/forums/${slug}/agenda.ics`, good: 'camf-2025' },
    { endpoint: '/forums/:slug/schedule.json', path: (slug: string) => `/forums/${slug}/schedule.json`, good: 'camf-2025' },
    { endpoint: '/forums/:slug/schedule.xml', path: (slug: string) => `/forums/${slug}/schedule.xml`, good: 'camf-2025' },
    { endpoint: '/speakers/:slug/agenda.ics', path: (slug: string) => `/speakers/${slug}/agenda.ics`, good: 'aida-balaeva' },
    { endpoint: '/forums/:slug/feed.xml', path: (slug: string) => `/forums/${slug}/feed.xml`, good: 'camf-2025' },
    { endpoint: '/forums/:slug/feed.json', path: (slug: string) => `/forums/${slug}/feed.json`, good: 'camf-2025' },
  ];
  const IMPORT = '/forums/:slug/speakers/import';
  const importPath = (slug = 'camf-2025', query = 'dryRun=true') => `/forums/${slug}/speakers/import${query ? `?${query}` : ''}`;
  const ARTICLE = `${PUBLIC_BASE_URL}/articles/vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane`;

  beforeAll(async () => {
    h = await startHarness();
    port = Number(new URL(h.url).port);
    await seed(h.orm.em.fork());
    // Users are created now, before the first fingerprint.
    organiser = await h.signIn(Role.ORGANISER, ['camf-2025']);
    editor = await h.signIn(Role.EDITOR, ['camf-2025']);
    otherOrganiser = await h.signIn(Role.ORGANISER, ['camf-2022']);
    // Signed with the server's own secret, but long expired.
    expired = `Bearer ${await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('forum-portal')
      .setSubject('1')
      .setIssuedAt(1_000_000)
      .setExpirationTime(1_000_060)
      .sign(h.config.jwtSecret)}`;
    for (const e of GET_ENDPOINTS) {
      const response = await fetch(`${h.url}${e.path(e.good)}`);
      expect(response.status).toBe(200);
      etags[e.endpoint] = response.headers.get('etag')!;
      await response.arrayBuffer();
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  /**
   * Row count and an md5 over every row of every table of the database, the tables listed from
   * the catalog (so a table added later is covered without touching this test).
   */
  async function fingerprint(): Promise<Record<string, string>> {
    const connection = h.orm.em.getConnection();
    const tables: { name: string }[] = await connection.execute(
      `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await connection.execute(
        `select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f from ${name} t`,
      );
      result[name] = row.f;
    }
    return result;
  }

  async function send(r: HostileRequest): Promise<Answer> {
    if (r.raw || r.wire) {
      return sendRaw(port, r.wire ?? wire(r.method, r.target, r.headers ?? {}, r.body), r.halfClose);
    }
    // A Buffer goes as its bytes (a Uint8Array), with no content type of fetch's own.
    const body = typeof r.body === 'string' || r.body === undefined ? r.body : new Uint8Array(r.body);
    const response = await fetch(`${h.url}${r.target}`, { method: r.method, headers: r.headers, body, redirect: 'manual' });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  const json = (answer: Answer) => JSON.parse(answer.body.toString('utf8'));

  // -------------------------------------------------------------------------------------------
  // Pinned answers

  it.each(['agenda.ics', 'schedule.json', 'schedule.xml', 'feed.xml', 'feed.json'])(
    'answers 400 for a NUL in the forum slug of %s',
    async (file) => {
      const answer = await send({ endpoint: file, method: 'GET', target: `/forums/camf%002025/${file}` });
      expect(answer.status).toBe(400);
      expect(json(answer)).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'BAD_USER_INPUT', parameter: 'path:2' } }],
      });
    },
  );

  it('answers 400 for a NUL in a speaker slug', async () => {
    const answer = await send({ endpoint: 'speaker', method: 'GET', target: '/speakers/a%00b/agenda.ics' });
    expect(answer.status).toBe(400);
    expect(json(answer).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', parameter: 'path:2' });
  });

  it('answers 400 for a NUL in the slug of an oEmbed URL, however it is encoded', async () => {
    // As a browser's address bar would send it: %00 decodes to NUL in the parameter itself.
    const plain = await send({ endpoint: 'oembed', method: 'GET', target: `/oembed?url=${PUBLIC_BASE_URL}/articles/a%00b` });
    expect(plain.status).toBe(400);
    expect(json(plain).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', parameter: 'url' });
    // Properly encoded: the parameter is the URL `…/articles/a%00b`, whose slug decodes to NUL.
    for (const slug of ['a%00b', 'a%zzb', 'a%ED%A0%80b', 'x'.repeat(300)]) {
      const encoded = await send({
        endpoint: 'oembed',
        method: 'GET',
        target: `/oembed?url=${encodeURIComponent(`${PUBLIC_BASE_URL}/articles/${slug}`)}`,
      });
      expect([slug, encoded.status, json(encoded).errors[0].extensions]).toEqual([slug, 400, { code: 'BAD_USER_INPUT', parameter: 'url' }]);
    }
  });

  it('reports a NUL cell of a CSV dry run as a row error naming the field, and writes nothing', async () => {
    const before = await fingerprint();
    for (const dryRun of ['true', 'false']) {
      const answer = await send({
        endpoint: IMPORT,
        method: 'POST',
        target: importPath('camf-2025', `dryRun=${dryRun}`),
        headers: { authorization: organiser, 'content-type': 'text/csv' },
        body: 'full_name_ru,full_name_en,country\nНовый\u0000Спикер,New Speaker,KZ\n',
      });
      expect(answer.status).toBe(200);
      const report = json(answer);
      expect(report).toMatchObject({ dryRun: dryRun === 'true', applied: false, totals: { rows: 1, errors: 1 } });
      expect(report.rows[0]).toMatchObject({ row: 1, action: 'ERROR' });
      expect(report.rows[0].errors).toContainEqual({ field: 'fullName.ru', message: expect.stringContaining('control character') });
    }
    // The JSON form carries what UTF-8 cannot: a lone surrogate.
    const surrogate = await send({
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      headers: { authorization: organiser, 'content-type': 'application/json' },
      body: '{"rows":[{"fullName":{"ru":"a\\ud800b"},"countryCode":"KZ"}]}',
    });
    expect(surrogate.status).toBe(200);
    expect(json(surrogate).rows[0].errors).toContainEqual({ field: 'fullName.ru', message: expect.stringContaining('surrogate') });
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses imports without the right credentials before reading them, and writes nothing', async () => {
    const before = await fingerprint();
    const body = 'full_name_ru,country\nНовый Спикер,KZ\n';
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, 'UNAUTHENTICATED'],
      [
        `Bearer ${await new SignJWT({ role: 'ADMIN' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('forum-portal')
          .setSubject('1')
          .sign(new TextEncoder().encode('f'.repeat(32)))}`,
        401,
        'UNAUTHENTICATED',
      ],
      [`Bearer fpt_${'A'.repeat(43)}`, 401, 'UNAUTHENTICATED'],
      [expired, 401, 'UNAUTHENTICATED'],
      [editor, 403, 'FORBIDDEN'],
      [otherOrganiser, 403, 'FORBIDDEN'],
    ];
    for (const [authorization, status, code] of cases) {
      const answer = await send({
        endpoint: IMPORT,
        method: 'POST',
        target: importPath('camf-2025', 'dryRun=false'),
        headers: { 'content-type': 'text/csv', ...(authorization ? { authorization } : {}) },
        body,
      });
      expect([authorization?.slice(0, 30), answer.status, json(answer).errors[0].extensions.code]).toEqual([
        authorization?.slice(0, 30),
        status,
        code,
      ]);
    }
    expect(await fingerprint()).toEqual(before);
  });

  // -------------------------------------------------------------------------------------------
  // The flood

  function* requests(): Generator<HostileRequest> {
    // Exports and feeds.
    for (const e of GET_ENDPOINTS) {
      const good = e.path(e.good);
      const endpoint = e.endpoint;
      for (const segment of PATH_JUNK) yield { endpoint, method: 'GET', target: e.path(segment) };
      for (const segment of PATH_JUNK.slice(0, 12)) yield { endpoint, method: 'HEAD', target: e.path(segment) };
      for (const { segment, encoding } of RAW_PATH_JUNK) {
        yield { endpoint, method: 'GET', target: e.path(segment), raw: true, wire: wire('GET', e.path(segment), {}, undefined, encoding) };
      }
      for (const query of QUERY_JUNK) yield { endpoint, method: 'GET', target: `${good}?${query}` };
      for (const headers of headerJunk(etags[endpoint])) yield { endpoint, method: 'GET', target: good, headers };
      for (const headers of RAW_HEADER_JUNK) {
        yield {
          endpoint,
          method: 'GET',
          target: good,
          raw: true,
          wire: wire('GET', good, headers, headers.some(([n]) => n === 'Transfer-Encoding') ? '5\r\nhello\r\nzz\r\n' : undefined),
        };
      }
      for (const method of WRONG_METHODS)
        yield { endpoint, method, target: good, headers: { 'content-type': 'text/csv' }, body: 'full_name_ru,country\nX,KZ\n' };
      yield { endpoint, method: 'POST', target: good, headers: { 'content-type': 'application/json' }, body: '{"rows":[]}' };
      yield { endpoint, method: 'HEAD', target: good };
      yield { endpoint, method: 'HEAD', target: good, headers: { 'if-none-match': etags[endpoint] } };
      yield { endpoint, method: 'OPTIONS', target: good };
      yield {
        endpoint,
        method: 'OPTIONS',
        target: good,
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'DELETE',
          'access-control-request-headers': 'x-junk, authorization',
        },
      };
      yield { endpoint, method: 'OPTIONS', target: e.path('camf%002025') };
      for (const method of RAW_METHODS) yield { endpoint, method, target: good, raw: true };
      // A body on a GET, and a GET body with a lying length.
      yield { endpoint, method: 'GET', target: good, raw: true, headers: { 'content-type': 'application/json' }, body: '{"junk":' };
      yield { endpoint, method: 'GET', target: good, raw: true, wire: wire('GET', good, { 'Content-Length': 'abc' }, 'xyz') };
    }

    // oEmbed.
    const oembed = '/oembed';
    const urlParam = (url: string) => `url=${encodeURIComponent(url)}`;
    const OEMBED_URLS = [
      ARTICLE,
      `${PUBLIC_BASE_URL}/articles/a%00b`,
      `${PUBLIC_BASE_URL}/articles/a%zzb`,
      `${PUBLIC_BASE_URL}/articles/%ED%A0%80`,
      `${PUBLIC_BASE_URL}/articles/%C0%AE`,
      `${PUBLIC_BASE_URL}/articles/${'x'.repeat(1900)}`,
      `${PUBLIC_BASE_URL}/articles/${'%F0%9F%99%82'.repeat(100)}`,
      `${PUBLIC_BASE_URL}/articles/a%2Fb`,
      `${PUBLIC_BASE_URL}/articles/..`,
      `${PUBLIC_BASE_URL}/articles/%2e%2e%2f%2e%2e%2fapp_user`,
      `${PUBLIC_BASE_URL}/articles/${encodeURIComponent("'; drop table article; --")}`,
      `${PUBLIC_BASE_URL}/articles/${encodeURIComponent('" OR ""="')}`,
      `${PUBLIC_BASE_URL}/speakers/aida-balaeva`,
      `${PUBLIC_BASE_URL}/speakers/aida-balaeva/`,
      `${PUBLIC_BASE_URL}/speakers/aida-balaeva?x=%00#%00`,
      `${PUBLIC_BASE_URL}/forums/camf-2025`,
      `${PUBLIC_BASE_URL}/sessions/camf-2025-ministers-meeting`,
      `${PUBLIC_BASE_URL}/sessions/%E2%80%AE`,
      `${PUBLIC_BASE_URL}/users/1`,
      `${PUBLIC_BASE_URL}/`,
      `${PUBLIC_BASE_URL}`,
      `${PUBLIC_BASE_URL}/../forums/camf-2025`,
      `${PUBLIC_BASE_URL}@evil.example/articles/x`,
      'https://evil.example/articles/x',
      'HTTPS://PORTAL.EXAMPLE/articles/x',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '//portal.example/articles/x',
      'x'.repeat(1999),
      'x'.repeat(2001),
      '',
      ' ',
      '🙂',
      'שלום',
    ];
    for (const url of OEMBED_URLS) {
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(url)}` };
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(url)}&format=json&maxwidth=300&lang=kk` };
    }
    // Unencoded, as typed: the query parser decodes %00 in the parameter itself.
    yield { endpoint: oembed, method: 'GET', target: `${oembed}?url=${PUBLIC_BASE_URL}/articles/a%00b` };
    yield { endpoint: oembed, method: 'GET', target: `${oembed}?url=${PUBLIC_BASE_URL}/articles/a%zzb` };
    // The oEmbed spec asks for 501 when the provider cannot give the format asked for; only then.
    for (const format of ['xml', 'XML', 'JSON', '']) {
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}&format=${format}`, check: { allow501: true } };
    }
    for (const format of ['json%00', 'json&format=json', 'json&format=xml', 'x'.repeat(3000)]) {
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}&format=${format}` };
    }
    yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}&format[]=json` };
    for (const maxwidth of [
      '-1',
      '0',
      '1',
      '1e309',
      '-1e309',
      '1e3',
      'NaN',
      'Infinity',
      '0x10',
      ' 5 ',
      '',
      '3.5',
      '9007199254740993',
      '99999999999999999999999',
      'abc',
      '1&maxwidth=2',
      '%00',
    ]) {
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}&maxwidth=${maxwidth}` };
    }
    for (const query of QUERY_JUNK) yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}&${query}` };
    for (const query of ['url=a&url=b', 'url[]=x', 'url[a]=b', 'url', 'url=', '', 'maxheight=-1', `url=${ARTICLE}&url=${ARTICLE}`]) {
      yield { endpoint: oembed, method: 'GET', target: `${oembed}?${query}` };
    }
    for (const headers of headerJunk('"x"')) yield { endpoint: oembed, method: 'GET', target: `${oembed}?${urlParam(ARTICLE)}`, headers };
    for (const headers of RAW_HEADER_JUNK) {
      const target = `${oembed}?${urlParam(ARTICLE)}`;
      yield {
        endpoint: oembed,
        method: 'GET',
        target,
        raw: true,
        wire: wire('GET', target, headers, headers.some(([n]) => n === 'Transfer-Encoding') ? '0\r\n\r\n' : undefined),
      };
    }
    for (const { segment, encoding } of RAW_PATH_JUNK) {
      const target = `${oembed}?url=${segment}`;
      yield { endpoint: oembed, method: 'GET', target, raw: true, wire: wire('GET', target, {}, undefined, encoding) };
    }
    for (const method of [...WRONG_METHODS, 'POST'])
      yield { endpoint: oembed, method, target: `${oembed}?${urlParam(ARTICLE)}`, body: 'x' };
    yield { endpoint: oembed, method: 'HEAD', target: `${oembed}?${urlParam(ARTICLE)}` };
    yield { endpoint: oembed, method: 'OPTIONS', target: `${oembed}?${urlParam(ARTICLE)}` };
    yield {
      endpoint: oembed,
      method: 'OPTIONS',
      target: oembed,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    };
    for (const method of RAW_METHODS) yield { endpoint: oembed, method, target: `${oembed}?${urlParam(ARTICLE)}`, raw: true };
    for (const path of ['/oembed/', '/oembed/x', '/oembed%00', '/OEMBED', '/oembed.json'])
      yield { endpoint: oembed, method: 'GET', target: `${path}?${urlParam(ARTICLE)}` };

    // The import.
    const CSV_OK = 'full_name_ru,full_name_en,country\nТест Тестов,Test Testov,KZ\n';
    const JSON_OK = JSON.stringify({ rows: [{ fullName: { ru: 'Тест Тестов', en: 'Test Testov' }, countryCode: 'KZ' }] });
    const csvHeader = 'full_name_ru,country';
    const BODIES: { name: string; type?: string; body: string | Buffer; headers?: Record<string, string> }[] = [
      // Content types.
      { name: 'csv', type: 'text/csv', body: CSV_OK },
      { name: 'json', type: 'application/json', body: JSON_OK },
      { name: 'text/plain', type: 'text/plain', body: CSV_OK },
      { name: 'application/xml', type: 'application/xml', body: '<rows><row/></rows>' },
      { name: 'no content type', body: Buffer.from(CSV_OK) },
      {
        name: 'multipart',
        type: 'multipart/form-data; boundary=x',
        body: `--x\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\nContent-Type: text/csv\r\n\r\n${CSV_OK}\r\n--x--\r\n`,
      },
      { name: 'form', type: 'application/x-www-form-urlencoded', body: 'rows=1&dryRun=false' },
      { name: 'type junk', type: 'text/csv;;;=;', body: CSV_OK },
      { name: 'type case', type: 'TEXT/CSV; Charset=UTF-8', body: CSV_OK },
      { name: 'type quoted charset', type: 'text/csv; charset="utf-8"', body: CSV_OK },
      { name: 'type wildcard', type: '*/*', body: CSV_OK },
      { name: 'type json-ish', type: 'application/json-patch+json', body: JSON_OK },
      { name: 'type excel', type: 'application/vnd.ms-excel', body: CSV_OK },
      { name: 'type two', type: 'text/csv, application/json', body: CSV_OK },
      // Charsets.
      { name: 'latin1', type: 'text/csv; charset=latin1', body: Buffer.from('full_name_ru,country\nJos\u00e9 \u00ff,KZ\n', 'latin1') },
      {
        name: 'utf-16',
        type: 'text/csv; charset=utf-16',
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV_OK, 'utf16le')]),
      },
      {
        name: 'utf-16 lone surrogate',
        type: 'text/csv; charset=utf-16le',
        body: Buffer.concat([
          Buffer.from('full_name_ru,country\nA', 'utf16le'),
          Buffer.from([0x00, 0xd8]),
          Buffer.from('B,KZ\n', 'utf16le'),
        ]),
      },
      { name: 'utf-16 odd length', type: 'text/csv; charset=utf-16', body: Buffer.from([0x41, 0x00, 0x42]) },
      { name: 'utf-7', type: 'text/csv; charset=utf-7', body: 'full_name_ru,country\n+AAA-x,KZ\n' },
      { name: 'bogus charset', type: 'text/csv; charset=x-bogus', body: CSV_OK },
      { name: 'json latin1', type: 'application/json; charset=latin1', body: JSON_OK },
      { name: 'json utf-16', type: 'application/json; charset=utf-16', body: Buffer.from(JSON_OK, 'utf16le') },
      { name: 'json utf-32', type: 'application/json; charset=utf-32', body: JSON_OK },
      // Encodings.
      { name: 'gzip junk', type: 'text/csv', body: 'this is not gzip', headers: { 'content-encoding': 'gzip' } },
      { name: 'gzip real', type: 'text/csv', body: gzipSync(CSV_OK), headers: { 'content-encoding': 'gzip' } },
      {
        name: 'gzip truncated',
        type: 'application/json',
        body: gzipSync(JSON_OK).subarray(0, 20),
        headers: { 'content-encoding': 'gzip' },
      },
      {
        name: 'gzip bomb',
        type: 'text/csv',
        body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x61)),
        headers: { 'content-encoding': 'gzip' },
      },
      { name: 'deflate junk', type: 'text/csv', body: 'not deflate', headers: { 'content-encoding': 'deflate' } },
      { name: 'deflate real', type: 'application/json', body: deflateSync(JSON_OK), headers: { 'content-encoding': 'deflate' } },
      { name: 'br junk', type: 'text/csv', body: 'not brotli', headers: { 'content-encoding': 'br' } },
      { name: 'encoding junk', type: 'text/csv', body: CSV_OK, headers: { 'content-encoding': 'x-junk' } },
      { name: 'encoding twice', type: 'text/csv', body: gzipSync(gzipSync(CSV_OK)), headers: { 'content-encoding': 'gzip, gzip' } },
      // Binary.
      { name: 'random bytes csv', type: 'text/csv', body: randomBytesSeeded(4096, 1) },
      { name: 'random bytes json', type: 'application/json', body: randomBytesSeeded(4096, 2) },
      {
        name: 'png csv',
        type: 'text/csv',
        body: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytesSeeded(256, 3)]),
      },
      { name: 'png json', type: 'application/json', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
      { name: 'xlsx as csv', type: 'text/csv', body: Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), randomBytesSeeded(128, 4)]) },
      // JSON shapes.
      { name: 'json truncated', type: 'application/json', body: '{"rows":[{"fullName":{"ru":"X"' },
      { name: 'json null', type: 'application/json', body: 'null' },
      { name: 'json array', type: 'application/json', body: '[]' },
      { name: 'json array of rows', type: 'application/json', body: '[{"fullName":{"ru":"X"},"countryCode":"KZ"}]' },
      { name: 'json string', type: 'application/json', body: '"rows"' },
      { name: 'json number', type: 'application/json', body: '1e999' },
      { name: 'json empty', type: 'application/json', body: '' },
      { name: 'json rows object', type: 'application/json', body: '{"rows":{}}' },
      { name: 'json rows null', type: 'application/json', body: '{"rows":null}' },
      { name: 'json rows string', type: 'application/json', body: '{"rows":"x"}' },
      { name: 'json rows empty', type: 'application/json', body: '{"rows":[]}' },
      { name: 'json dryRun in body', type: 'application/json', body: '{"rows":[],"dryRun":false}' },
      { name: 'json rows of scalars', type: 'application/json', body: '{"rows":[null,1,"x",[],true,{}]}' },
      {
        name: 'json wrong types',
        type: 'application/json',
        body: JSON.stringify({
          rows: [
            { fullName: 5, email: [1], slug: {}, countryCode: 1, phone: true, links: 'x', arrivalStatus: {}, internalNotes: [['x']] },
            { fullName: { ru: 5, en: ['x'], kk: { a: 1 } }, position: [], bio: 'x', countryCode: ['KZ'], ministrySlug: { $ne: null } },
            {
              fullName: { ru: 'X' },
              countryCode: 'KZ',
              links: [null, 1, { title: { a: 1 }, url: ['x'] }, { title: 'x', url: 'javascript:alert(1)' }],
            },
            { fullName: { ru: 'X' }, countryCode: 'KZ', externalId: 1e308, email: 'a@b.c', arrivalStatus: 'ARRIVED\u0000' },
            { fullName: null, slug: null, countryCode: null },
          ],
        }),
      },
      {
        name: 'json unknown keys',
        type: 'application/json',
        body: '{"rows":[{"fullName":{"ru":"X","de":"Y"},"countryCode":"KZ","password":"x","role":"ADMIN","id":1,"version":0}]}',
      },
      {
        name: 'json prototype keys',
        type: 'application/json',
        body: '{"rows":[{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"fullName":{"ru":"X","__proto__":"y","toString":"z"},"countryCode":"KZ","hasOwnProperty":1}]}',
      },
      { name: 'json lone high surrogate', type: 'application/json', body: '{"rows":[{"fullName":{"ru":"a\\ud800b"},"countryCode":"KZ"}]}' },
      {
        name: 'json lone low surrogate',
        type: 'application/json',
        body: '{"rows":[{"fullName":{"ru":"\\udc00"},"email":"\\udfff@x.kz","countryCode":"KZ"}]}',
      },
      {
        name: 'json NUL',
        type: 'application/json',
        body: '{"rows":[{"fullName":{"ru":"a\\u0000b"},"slug":"a\\u0000","countryCode":"K\\u0000"}]}',
      },
      {
        name: 'json control',
        type: 'application/json',
        body: '{"rows":[{"fullName":{"ru":"a\\u0007b\\u001b[31m"},"bio":{"ru":"line\\nline\\u007f"},"countryCode":"KZ"}]}',
      },
      { name: 'json NUL key', type: 'application/json', body: '{"rows":[{"full\\u0000Name":{"ru":"X"},"countryCode":"KZ"}]}' },
      {
        name: 'json long string',
        type: 'application/json',
        body: JSON.stringify({ rows: [{ fullName: { ru: 'Я'.repeat(500_000) }, countryCode: 'KZ' }] }),
      },
      { name: 'json deep nesting', type: 'application/json', body: `{"rows":[${'['.repeat(5000)}${']'.repeat(5000)}]}` },
      { name: 'json deeper nesting', type: 'application/json', body: `{"rows":[${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}]}` },
      {
        name: 'json 2001 rows',
        type: 'application/json',
        body: JSON.stringify({ rows: Array.from({ length: 2001 }, () => ({ fullName: { ru: 'X' }, countryCode: 'KZ' })) }),
      },
      { name: 'json BOM', type: 'application/json', body: `\uFEFF${JSON_OK}` },
      { name: 'json duplicate keys', type: 'application/json', body: '{"rows":[],"rows":[{"fullName":{"ru":"X"},"countryCode":"KZ"}]}' },
      { name: 'json too large', type: 'application/json', body: `{"rows":["${'x'.repeat(3 * 1024 * 1024)}"]}` },
      // CSV content.
      { name: 'csv NUL cell', type: 'text/csv', body: `${csvHeader}\nA\u0000B,KZ\n` },
      {
        name: 'csv control chars',
        type: 'text/csv',
        body: 'full_name_ru,position_ru,country\nA\u0001B,C\u001b[31mD,KZ\nE\u007fF,G\bH,KZ\n',
      },
      {
        name: 'csv lone surrogate bytes',
        type: 'text/csv',
        body: Buffer.concat([Buffer.from(`${csvHeader}\nA`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('B,KZ\n')]),
      },
      {
        name: 'csv overlong utf-8',
        type: 'text/csv',
        body: Buffer.concat([Buffer.from(`${csvHeader}\nA`), Buffer.from([0xc0, 0xae]), Buffer.from(',KZ\n')]),
      },
      { name: 'csv unclosed quote', type: 'text/csv', body: `${csvHeader}\n"abc,KZ\n` },
      { name: 'csv stray quotes', type: 'text/csv', body: `${csvHeader}\na"b"c,KZ\n` },
      { name: 'csv quote after quoted', type: 'text/csv', body: `${csvHeader}\n"a"b,KZ\n` },
      { name: 'csv quote in header', type: 'text/csv', body: '"full_name_ru,country\nA,KZ\n' },
      { name: 'csv header only', type: 'text/csv', body: `${csvHeader}\n` },
      { name: 'csv header only, no newline', type: 'text/csv', body: csvHeader },
      { name: 'csv empty', type: 'text/csv', body: '' },
      { name: 'csv blank lines', type: 'text/csv', body: '\n\n\r\n  \n' },
      { name: 'csv separators only', type: 'text/csv', body: ',,,\n,,,\n' },
      { name: 'csv 10000 columns', type: 'text/csv', body: `${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\nx\n` },
      { name: 'csv 10000 known columns', type: 'text/csv', body: `${Array(10_000).fill('country').join(',')}\nKZ\n` },
      { name: 'csv 10000 cells', type: 'text/csv', body: `${csvHeader}\n${Array(10_000).fill('x').join(',')}\n` },
      { name: 'csv too few cells', type: 'text/csv', body: 'full_name_ru,country,email\nA\n' },
      { name: 'csv long cell', type: 'text/csv', body: `${csvHeader}\n${'Я'.repeat(300_000)},KZ\n` },
      { name: 'csv long multi-line bio', type: 'text/csv', body: `full_name_ru,bio_ru,country\nA,"${'строка\n'.repeat(20_000)}",KZ\n` },
      { name: 'csv BOM', type: 'text/csv', body: `\uFEFF${CSV_OK}` },
      { name: 'csv two BOMs', type: 'text/csv', body: `\uFEFF\uFEFF${CSV_OK}` },
      { name: 'csv CRLF', type: 'text/csv', body: CSV_OK.replace(/\n/g, '\r\n') },
      { name: 'csv CR', type: 'text/csv', body: CSV_OK.replace(/\n/g, '\r') },
      { name: 'csv mixed line ends', type: 'text/csv', body: 'full_name_ru,country\r\nA,KZ\nB,KZ\rC,KZ\r\n' },
      { name: 'csv semicolons', type: 'text/csv', body: 'full_name_ru;full_name_en;country\nТест;Test;KZ\n' },
      { name: 'csv semicolons with commas', type: 'text/csv', body: 'full_name_ru;position_ru;country\n"Тест, Т.";"Глава; отдел";KZ\n' },
      { name: 'csv mixed separators', type: 'text/csv', body: 'full_name_ru;country,email\nA;KZ,a@b.c\n' },
      { name: 'csv tabs', type: 'text/csv', body: 'full_name_ru\tcountry\nA\tKZ\n' },
      { name: 'csv unknown column', type: 'text/csv', body: `${csvHeader},password\nA,KZ,x\n` },
      { name: 'csv repeated column', type: 'text/csv', body: 'country,country\nKZ,KZ\n' },
      { name: 'csv NUL in header', type: 'text/csv', body: 'full_name_ru\u0000,country\nA,KZ\n' },
      { name: 'csv header case', type: 'text/csv', body: 'FULL_NAME_RU,Country\nA,KZ\n' },
      { name: 'csv __proto__ column', type: 'text/csv', body: '__proto__,constructor,country\nx,y,KZ\n' },
      { name: 'csv formulas', type: 'text/csv', body: `${csvHeader},internal_notes\n"=HYPERLINK(""http://x"")",KZ,@SUM(A1)\n` },
      { name: 'csv SQL', type: 'text/csv', body: `${csvHeader},email\n'; drop table speaker; --,KZ,x@y.z' or '1'='1\n` },
      { name: 'csv emoji and RTL', type: 'text/csv', body: 'full_name_ru,full_name_en,country\n🙂🙂,שלום \u202Eevil,KZ\n' },
      { name: 'csv quoted newline', type: 'text/csv', body: 'full_name_ru,bio_ru,country\nA,"line1\nline2",KZ\n' },
      {
        name: 'csv bad values',
        type: 'text/csv',
        body: 'full_name_ru,country,ministry,arrival_status,email,photo_url,phone\nA,ZZ,nope,SOON,not-an-email,javascript:x,call me\n',
      },
      { name: 'csv existing speaker', type: 'text/csv', body: 'slug,full_name_ru,country\naida-balaeva,Другая,KZ\n' },
      { name: 'csv 2001 rows', type: 'text/csv', body: `${csvHeader}\n${'X,KZ\n'.repeat(2001)}` },
    ];

    const AUTH: [string, string | undefined][] = [
      ['none', undefined],
      ['empty', ''],
      [
        'forged JWT',
        `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"ADMIN","sub":"1","iss":"forum-portal"}').toString('base64url')}.${'A'.repeat(43)}`,
      ],
      [
        'alg none JWT',
        `Bearer eyJhbGciOiJub25lIn0.${Buffer.from('{"role":"ADMIN","sub":"1","iss":"forum-portal"}').toString('base64url')}.`,
      ],
      ['forged API token', `Bearer fpt_${randomBytesSeeded(32, 5).toString('base64url')}`],
      ['expired JWT', expired],
      ['editor', editor],
      ['organiser of another forum', otherOrganiser],
      ['basic', 'Basic Zm9vOmJhcg=='],
      ['bare bearer', 'Bearer'],
      ['long bearer', `Bearer ${'e'.repeat(5000)}`],
      ['bearer with space', 'Bearer a b'],
      ['colon after the scheme', organiser.replace('Bearer ', 'Bearer:')],
      ['two tokens', `${organiser}, ${editor}`],
    ];

    // Credentials that must not get in, with real bodies and dryRun=false too.
    for (const [, authorization] of AUTH) {
      for (const query of ['dryRun=false', '', 'dryRun=true']) {
        for (const b of BODIES.slice(0, 3)) {
          yield {
            endpoint: IMPORT,
            method: 'POST',
            target: importPath('camf-2025', query),
            headers: { ...(b.type ? { 'content-type': b.type } : {}), ...(authorization !== undefined ? { authorization } : {}) },
            body: b.body,
          };
        }
      }
    }
    // The organiser: every body, in a dry run.
    for (const b of BODIES) {
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target: importPath(),
        headers: { ...(b.type ? { 'content-type': b.type } : {}), authorization: organiser, ...b.headers },
        body: b.body,
      };
    }
    // The worst bodies without credentials: refused before anything is read.
    for (const b of BODIES.filter((x) => /gzip|random|png|too large|nesting|10000/.test(x.name))) {
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target: importPath('camf-2025', 'dryRun=false'),
        headers: { ...(b.type ? { 'content-type': b.type } : {}), ...b.headers },
        body: b.body,
      };
    }
    // The organiser, with junk in the query and the path.
    for (const query of [
      'dryRun=maybe',
      'dryRun=',
      'dryRun',
      'dryRun=TRUE',
      'dryRun=yes',
      'dryRun=2',
      'dryRun=true&dryRun=false',
      'dryRun[]=true',
      'dryRun[a]=1',
      'dryRun=%00',
      `dryRun=${'x'.repeat(3000)}`,
      'dryRun=true&forumSlug=camf-2022',
      ...QUERY_JUNK.slice(0, 20).map((q) => `dryRun=true&${q}`),
    ]) {
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target: importPath('camf-2025', query),
        headers: { 'content-type': 'text/csv', authorization: organiser },
        body: CSV_OK,
      };
    }
    for (const slug of [...PATH_JUNK, 'camf-2022']) {
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target: importPath(slug),
        headers: { 'content-type': 'text/csv', authorization: organiser },
        body: CSV_OK,
      };
    }
    for (const { segment, encoding } of RAW_PATH_JUNK) {
      const target = importPath(segment);
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target,
        raw: true,
        wire: wire('POST', target, { 'Content-Type': 'text/csv', Authorization: organiser }, CSV_OK, encoding),
      };
    }
    // Framing fetch will not produce: lying lengths, broken chunks, bytes fetch refuses in headers.
    const rawImport = (headers: [string, string][], body: string | Buffer | undefined, halfClose = false): HostileRequest => ({
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      raw: true,
      wire: wire('POST', importPath(), [['Content-Type', 'text/csv'], ['Authorization', organiser], ...headers], body),
      halfClose,
    });
    yield rawImport([['Content-Length', '5']], CSV_OK);
    yield { ...rawImport([['Content-Length', '1000']], CSV_OK, true), check: { mayDrop: true } };
    yield rawImport([['Content-Length', 'abc']], CSV_OK);
    yield rawImport([['Content-Length', '-1']], CSV_OK);
    yield rawImport([['Content-Length', '99999999999999999999']], CSV_OK);
    yield rawImport(
      [
        ['Content-Length', String(CSV_OK.length)],
        ['Content-Length', '3'],
      ],
      CSV_OK,
    );
    yield rawImport(
      [
        ['Content-Length', String(Buffer.byteLength(CSV_OK))],
        ['Transfer-Encoding', 'chunked'],
      ],
      CSV_OK,
    );
    yield rawImport([['Transfer-Encoding', 'chunked']], 'zz\r\nfull_name_ru\r\n0\r\n\r\n');
    yield rawImport([['Transfer-Encoding', 'chunked']], `${Buffer.byteLength(CSV_OK).toString(16)}\r\n${CSV_OK}\r\n0\r\n\r\n`);
    yield { ...rawImport([['Transfer-Encoding', 'chunked']], '100\r\nfull_name_ru', true), check: { mayDrop: true } };
    yield rawImport([['Transfer-Encoding', 'gzip, chunked']], '0\r\n\r\n');
    yield rawImport([['Expect', '100-continue']], CSV_OK);
    yield rawImport([['Expect', 'junk']], CSV_OK);
    yield {
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      raw: true,
      wire: wire(
        'POST',
        importPath(),
        [
          ['Content-Type', 'text/csv'],
          ['Authorization', 'Bearer \u0000'],
        ],
        CSV_OK,
      ),
    };
    yield {
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      raw: true,
      wire: wire(
        'POST',
        importPath(),
        [
          ['Content-Type', 'text/csv'],
          ['Authorization', 'Bearer 🙂'],
        ],
        CSV_OK,
      ),
    };
    yield {
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      raw: true,
      wire: wire(
        'POST',
        importPath(),
        [
          ['Content-Type', 'text/csv; charset=\u00ff'],
          ['Authorization', organiser],
        ],
        CSV_OK,
        'latin1',
      ),
    };
    yield {
      endpoint: IMPORT,
      method: 'POST',
      target: importPath(),
      raw: true,
      wire: wire(
        'POST',
        importPath(),
        [
          ['Content-Type', 'text/csv'],
          ['Authorization', organiser],
          ['Accept-Language', 'ru\u0000'],
        ],
        CSV_OK,
      ),
    };
    // Methods.
    for (const method of ['GET', 'HEAD', ...WRONG_METHODS]) {
      yield {
        endpoint: IMPORT,
        method,
        target: importPath(),
        headers: { authorization: organiser, ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-type': 'text/csv' }) },
        body: method === 'GET' || method === 'HEAD' ? undefined : CSV_OK,
      };
    }
    yield { endpoint: IMPORT, method: 'OPTIONS', target: importPath() };
    yield {
      endpoint: IMPORT,
      method: 'OPTIONS',
      target: importPath(),
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-junk' },
    };
    for (const method of RAW_METHODS)
      yield { endpoint: IMPORT, method, target: importPath(), raw: true, headers: { Authorization: organiser } };
    for (const headers of headerJunk('"x"').slice(20)) {
      yield {
        endpoint: IMPORT,
        method: 'POST',
        target: importPath(),
        headers: { 'content-type': 'text/csv', ...headers, authorization: organiser },
        body: CSV_OK,
      };
    }

    // Probes.
    for (const probe of ['/healthz', '/readyz']) {
      yield { endpoint: probe, method: 'GET', target: probe };
      yield { endpoint: probe, method: 'HEAD', target: probe };
      yield { endpoint: probe, method: 'OPTIONS', target: probe };
      for (const method of [...WRONG_METHODS, 'POST'])
        yield { endpoint: probe, method, target: probe, body: '{}', headers: { 'content-type': 'application/json' } };
      for (const method of RAW_METHODS) yield { endpoint: probe, method, target: probe, raw: true };
      for (const query of QUERY_JUNK) yield { endpoint: probe, method: 'GET', target: `${probe}?${query}` };
      for (const headers of headerJunk('"x"')) yield { endpoint: probe, method: 'GET', target: probe, headers };
      for (const headers of RAW_HEADER_JUNK.slice(0, 7))
        yield { endpoint: probe, method: 'GET', target: probe, raw: true, wire: wire('GET', probe, headers) };
      for (const suffix of ['/', '/x', '%00', '%zz', '.json', '/..', ';x'])
        yield { endpoint: probe, method: 'GET', target: `${probe}${suffix}` };
    }

    // Unknown paths.
    const unknown = 'unknown paths';
    const UNKNOWN_PATHS = [
      '/',
      '/nope',
      '/forums',
      '/forums/',
      '/forums/camf-2025',
      '/forums/camf-2025/',
      '/forums/camf-2025/agenda.ical',
      '/forums/camf-2025/agenda.ics/extra',
      '/forums/camf-2025/speakers',
      '/forums/camf-2025/speakers/import/x',
      '/speakers/aida-balaeva',
      '/speakers/aida-balaeva/schedule.json',
      '/%00',
      '/%zz',
      '/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/.env',
      '/.git/config',
      '/admin',
      '/wp-login.php',
      '/index.php?page=../../etc/passwd%00',
      '/cgi-bin/%2e%2e/%2e%2e/bin/sh',
      `/${'x'.repeat(5000)}`,
      `/${'a/'.repeat(2000)}`,
      '/%F0%9F%99%82',
      '/favicon.ico',
      '/robots.txt',
      '/graphq',
      '/GRAPHQL',
    ];
    for (const path of UNKNOWN_PATHS) {
      yield { endpoint: unknown, method: 'GET', target: path };
      yield { endpoint: unknown, method: 'POST', target: path, headers: { 'content-type': 'application/json' }, body: '{"rows":[]}' };
      yield { endpoint: unknown, method: 'DELETE', target: path };
    }
    for (const path of ['/', '/nope', '/forums/camf-2025']) {
      yield { endpoint: unknown, method: 'HEAD', target: path };
      yield { endpoint: unknown, method: 'OPTIONS', target: path };
      yield { endpoint: unknown, method: 'PUT', target: path, body: 'x' };
      yield { endpoint: unknown, method: 'PATCH', target: path, body: 'x' };
    }
    for (const target of [
      '*',
      '/../../etc/passwd',
      '/a\u00ffb',
      'http://evil.example/forums/camf-2025/agenda.ics',
      '//forums/camf-2025/agenda.ics',
      '/forums//agenda.ics',
      'forums/camf-2025/agenda.ics',
    ]) {
      yield { endpoint: unknown, method: 'GET', target, raw: true, wire: wire('GET', target, {}, undefined, 'latin1') };
    }
    // Not HTTP at all, and an HTTP version the server does not speak.
    yield { endpoint: unknown, method: 'GET', target: '/', raw: true, wire: Buffer.from('\u0000\u0001\u0002garbage\r\n\r\n', 'latin1') };
    yield {
      endpoint: unknown,
      method: 'GET',
      target: '/',
      raw: true,
      wire: Buffer.from('GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n'),
    };
    yield { endpoint: unknown, method: 'GET', target: '/', raw: true, wire: Buffer.from('GET /healthz\r\n\r\n'), check: { mayDrop: true } };
  }

  it('answers every hostile request below 500 with a coded error, leaks nothing, keeps serving and writes nothing', async () => {
    const before = await fingerprint();
    const all = [...requests()];
    const counts = new Map<string, number>();
    for (const r of all) counts.set(r.endpoint, (counts.get(r.endpoint) ?? 0) + 1);
    /** Statuses per endpoint, for the report. */
    const statuses = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    const started = Date.now();

    // A few requests at a time, as clients would send them; nothing here writes, so order does not matter.
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const index = next;
        next += 1;
        const r = all[index];
        let answer: Answer;
        const sentAt = Date.now();
        try {
          answer = await send(r);
        } catch (error) {
          failures.push(`not sent (${(error as Error).message}; ${(error as { cause?: Error }).cause?.message ?? ''}): ${show(r)}`);
          continue;
        }
        failures.push(...problems(r, answer, r.check));
        if (process.env.HOSTILE_HTTP_LOG)
          fs.appendFileSync(
            process.env.HOSTILE_HTTP_LOG,
            `${answer.status} ${Date.now() - sentAt}ms ${show(r)} => ${answer.body.toString('utf8').slice(0, 160).replace(/\s+/g, ' ')}\n`,
          );
        const seen = statuses.get(r.endpoint) ?? new Map<number, number>();
        statuses.set(r.endpoint, seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1));
        if (r.endpoint === IMPORT && answer.status === 200) {
          let applied: unknown = 'not JSON';
          try {
            applied = json(answer).applied;
          } catch {
            // reported below as not applied === false
          }
          if (applied !== false) failures.push(`an import answered 200 with applied ${JSON.stringify(applied)}: ${show(r)}`);
        }
        // The server keeps answering: a probe after every 100 requests.
        if (index % 100 === 99) {
          const probe = await fetch(`${h.url}/healthz`);
          if (probe.status !== 200) failures.push(`healthz ${probe.status} after request ${index}: ${show(r)}`);
          await probe.arrayBuffer();
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));

    if (process.env.HOSTILE_HTTP_REPORT) {
      const line = ([e, n]: [string, number]) =>
        `${String(n).padStart(5)}  ${e}  (${[...(statuses.get(e) ?? [])]
          .sort(([a], [b]) => a - b)
          .map(([s, k]) => `${s}: ${k}`)
          .join(', ')})`;
      console.log(`${all.length} requests in ${Date.now() - started} ms\n${[...counts].map(line).join('\n')}`);
    }
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(1500);
    for (const e of [...GET_ENDPOINTS.map((x) => x.endpoint), '/oembed', IMPORT, '/healthz', '/readyz', 'unknown paths'])
      expect(counts.get(e) ?? 0).toBeGreaterThanOrEqual(50);

    // Still serving, with the same answers as before the flood.
    for (const e of GET_ENDPOINTS) {
      const response = await fetch(`${h.url}${e.path(e.good)}`);
      expect([e.endpoint, response.status, response.headers.get('etag')]).toEqual([e.endpoint, 200, etags[e.endpoint]]);
      await response.arrayBuffer();
    }
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    const oembed = await fetch(`${h.url}/oembed?url=${encodeURIComponent(ARTICLE)}`);
    expect(oembed.status).toBe(200);
    await oembed.arrayBuffer();
    expect(await fingerprint()).toEqual(before);
  }, 120_000);
});
