import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { Role } from '../auth/user.entity';
import { requireRole } from '../auth/viewer';
import type { Config } from '../config';
import { createContext } from '../context';
import { BadUserInputError } from '../errors';
import { isDatabaseUnavailable } from '../db/unavailable';
import { logger } from '../logger';
import { otherMethods, sendError, type HttpErrorCode } from '../shared/http';
import { languagePreference } from '../shared/i18n';
import { parseSpeakerCsv } from './speaker-import.csv';
import { importSpeakers, numbered, type ImportRowSource } from './speaker-import.service';
import { IMPORT_BODY_LIMIT } from './speaker-import.types';

/*
 * POST /forums/:slug/speakers/import?dryRun=true|false — importSpeakers over plain HTTP, for
 * files bigger than a GraphQL request may be. The body is `text/csv` (columns in
 * speaker-import.csv.ts) or `application/json` (`{ "rows": [SpeakerImportRow, ...] }`); the
 * answer is the SpeakerImportReport as JSON. `Authorization: Bearer <token>` as for GraphQL.
 * Errors are GraphQL-shaped, `{ errors: [{ message, extensions: { code } }] }`, with the codes
 * GraphQL uses and the matching HTTP status.
 */

const STATUS: Partial<Record<HttpErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** A body-parser failure as the error this endpoint answers with. */
function bodyError(error: { type?: string }): { status: number; message: string } {
  switch (error.type) {
    case 'entity.too.large':
      return { status: 413, message: `The import is larger than ${IMPORT_BODY_LIMIT}; split it into several files` };
    case 'entity.parse.failed':
      return { status: 400, message: 'The body is not valid JSON' };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, message: 'The body must be UTF-8 text, uncompressed or gzip/deflate' };
    default:
      return { status: 400, message: 'The body cannot be read' };
  }
}

const parsers: Record<'csv' | 'json', RequestHandler> = {
  csv: express.text({ type: 'text/csv', limit: IMPORT_BODY_LIMIT, defaultCharset: 'utf-8' }),
  json: express.json({ type: 'application/json', limit: IMPORT_BODY_LIMIT }),
};

function readBody(req: Request, res: Response, kind: 'csv' | 'json'): Promise<void> {
  // body-parser hands over http-errors' Error objects (with status and type) or nothing.
  return new Promise((resolve, reject) => parsers[kind](req, res, (error?: unknown) => (error ? reject(error as Error) : resolve())));
}

function dryRunOf(value: unknown): boolean {
  if (value === undefined || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new BadUserInputError('dryRun must be true or false');
}

function rowsOfJson(body: unknown): ImportRowSource[] {
  const rows = (body as { rows?: unknown })?.rows;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(rows)) {
    throw new BadUserInputError('The JSON body must be { "rows": [ ... ] }');
  }
  const extra = Object.keys(body).filter((key) => key !== 'rows');
  if (extra.length > 0) throw new BadUserInputError(`Unknown key "${extra[0]}" in the JSON body; dryRun goes in the query string`);
  return numbered(rows as unknown[]);
}

/** The import endpoint; mount it before /graphql. */
export function importRouter(orm: MikroORM, config: Pick<Config, 'publicBaseUrl' | 'jwtSecret' | 'accessTokenTtlSeconds'>): Router {
  const router = Router();
  const path = '/forums/:slug/speakers/import';
  // Any origin, as for /graphql: the caller proves who it is with a bearer token, not a cookie.
  const allowCors = cors({ origin: '*', methods: ['POST'], allowedHeaders: ['Authorization', 'Content-Type'], maxAge: 86_400 });
  router.options(path, allowCors);
  router.post(path, allowCors, async (req, res) => {
    try {
      const dryRun = dryRunOf(req.query.dryRun);
      const kind = req.is('application/json') ? 'json' : req.is('text/csv') ? 'csv' : null;
      if (!kind) return sendError(res, 415, 'BAD_USER_INPUT', 'Send the import as text/csv or application/json');
      // Who is asking is settled before a large body is read.
      const ctx = await createContext(orm, {
        languages: languagePreference(req.get('accept-language')),
        publicBaseUrl: config.publicBaseUrl,
        authorization: req.get('authorization'),
        auth: config,
      });
      requireRole(ctx.viewer, Role.ORGANISER);
      try {
        await readBody(req, res, kind);
      } catch (error) {
        const { status, message } = bodyError(error as { type?: string });
        return sendError(res, status, 'BAD_USER_INPUT', message);
      }
      const rows = kind === 'csv' ? parseSpeakerCsv(typeof req.body === 'string' ? req.body : '') : rowsOfJson(req.body);
      const { slug } = req.params as { slug: string };
      const report = await importSpeakers(ctx, { forumSlug: slug, rows, dryRun });
      res.set('Cache-Control', 'no-store').json(report);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code) : '';
      if (Object.hasOwn(STATUS, code))
        return sendError(res, STATUS[code as HttpErrorCode]!, code as HttpErrorCode, (error as Error).message);
      // The app's error handler answers an unavailable database with 503 and Retry-After.
      if (isDatabaseUnavailable(error)) throw error;
      logger.error({ err: error }, 'speaker import failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  });
  // GET, PUT, DELETE, … : a JSON 405, not Express's HTML 404.
  router.all(path, otherMethods('POST'));
  return router;
}
