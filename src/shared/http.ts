import { createHash } from 'node:crypto';
import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';
import type { Language } from './i18n';
import { SLUG_TEXT, textProblem, URL_TEXT } from './text-rules';

/*
 * What the plain-HTTP endpoints next to /graphql (exports, feeds, oEmbed) share: JSON errors,
 * open CORS, and conditional GET with ETag and Last-Modified.
 */

export type HttpErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_SERVER_ERROR';

/** A GraphQL-shaped JSON error that no cache keeps; `details` go into `extensions` (e.g. `parameter`). */
export function sendError(
  res: Response,
  status: number,
  code: HttpErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): void {
  res.set('Cache-Control', 'no-store');
  res.status(status).json({ errors: [{ message, extensions: { ...details, code } }] });
}

/**
 * Every other method on a path that has routes: 405 with `Allow` (RFC 9110 §15.5.6) as a JSON
 * error, where Express would fall through to its HTML 404 page (which also echoes the path). A
 * plain OPTIONS (no CORS preflight route on the path) gets 204 and `Allow`, as Express answers it.
 * Mount with `router.all(path, …)` after the path's own routes.
 */
export function otherMethods(...allowed: string[]): RequestHandler {
  const allow = [...allowed, 'OPTIONS'].join(', ');
  return (req, res) => {
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendError(res, 405, 'METHOD_NOT_ALLOWED', `This path answers ${allowed.join(' and ')} only`);
  };
}

/**
 * The text check (text-rules.ts) for the plain-HTTP endpoints: every path segment (a slug at
 * most) and every query parameter (a URL at most, for oEmbed), before any route reads them.
 * Breaking a rule is bad input, 400, even in a lookup key, as GraphQL answers BAD_USER_INPUT for
 * it; only a well-formed key that matches nothing is 404. /graphql checks its own arguments.
 */
export const checkUrlText: RequestHandler = (req, res, next) => {
  if (req.path === '/graphql' || req.path.startsWith('/graphql/')) return next();
  const segments = req.path.split('/');
  for (const [index, segment] of segments.entries()) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return sendError(res, 400, 'BAD_USER_INPUT', `Path segment ${index} is not valid percent-encoded UTF-8`, {
        parameter: `path:${index}`,
      });
    }
    const problem = textProblem(text, SLUG_TEXT);
    if (problem) return sendError(res, 400, 'BAD_USER_INPUT', `Path segment ${index} ${problem}`, { parameter: `path:${index}` });
  }
  for (const [name, value] of Object.entries(req.query)) {
    const problem = [name, ...[value].flat()].map((text) => (typeof text === 'string' ? textProblem(text, URL_TEXT) : null)).find(Boolean);
    if (problem)
      return sendError(res, 400, 'BAD_USER_INPUT', `Query parameter "${name.slice(0, 100)}" ${problem}`, { parameter: name.slice(0, 100) });
  }
  next();
};

/**
 * Open to any site: the data is public, and widgets, apps and CMSs run on other origins. ETag is
 * exposed so that browser scripts can make conditional requests themselves.
 */
export const openCors: RequestHandler = cors({ origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag'], maxAge: 86_400 });

export interface Validators {
  etag: string;
  lastModified: Date | null;
  /** The language the representation is in. */
  language: Language;
}

/** Bump when an output changes for the same data (a new field, a fix), so caches drop old copies. */
const FORMAT_REVISION = 1;

/** A strong entity tag: a readable prefix, then a hash of everything the content depends on. */
export function entityTag(prefix: string, parts: unknown[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([FORMAT_REVISION, ...parts]))
    .digest('base64url')
    .slice(0, 22);
  return `"${prefix}-${hash}"`;
}

export function latest(...dates: (Date | null | undefined)[]): Date | null {
  return dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
}

/**
 * RFC 9110 §13.1.2–13.1.3 for GET: If-None-Match decides when present (weak comparison, `*`
 * matches any representation); only without it does If-Modified-Since count.
 */
function notModified(req: Request, validators: Validators): boolean {
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(validators.etag));
  }
  const ifModifiedSince = req.get('if-modified-since');
  if (ifModifiedSince && validators.lastModified) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(validators.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function setValidators(res: Response, validators: Validators): void {
  res.set('ETag', validators.etag);
  if (validators.lastModified) res.set('Last-Modified', validators.lastModified.toUTCString());
  // Caches keep a copy but ask every time (a 304 costs one small statement), so an edit shows at once.
  res.set('Cache-Control', 'public, no-cache');
  res.set('Content-Language', validators.language);
  res.vary('Accept-Language');
}

/** Answers 304 and returns true when the client's copy is current. */
export function answeredFromCache(req: Request, res: Response, validators: Validators): boolean {
  if (!notModified(req, validators)) return false;
  setValidators(res, validators);
  res.status(304).end();
  return true;
}

/** The representation with its validators: set only now, so that a failure on the way is not cached as them. */
export function sendRepresentation(res: Response, contentType: string, validators: Validators, body: string): void {
  setValidators(res, validators);
  res.set('Content-Type', contentType);
  res.send(body);
}
