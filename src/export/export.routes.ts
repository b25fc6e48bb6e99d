import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../config';
import { requestLanguages, type Language } from '../shared/i18n';
import { publicUrl } from '../shared/public-urls';
import { loadForum, loadForumSessions, loadSpeaker, loadSpeakerSessions, type ExportForum } from './agenda-data';
import { AgendaText } from './agenda-text';
import { buildSchedule, renderC3vocJson } from './c3voc';
import { renderFrabXml } from './frab';
import { renderCalendar } from './ical';

/*
 * Schedule exports over plain HTTP, for calendar apps and schedule apps that poll:
 *   GET /forums/:slug/agenda.ics      iCalendar (RFC 5545)
 *   GET /forums/:slug/schedule.json   c3voc schedule JSON
 *   GET /forums/:slug/schedule.xml    frab schedule XML
 *   GET /speakers/:slug/agenda.ics    one speaker's sessions, across forums
 * in the language of `?lang=kk|ru|en`, else of Accept-Language, with the portal's fallback.
 *
 * Each response carries an ETag derived from what its content depends on (the forum's schedule
 * version, which database triggers bump with every change to its sessions, participants and
 * their speakers; the forum row; the language), so a conditional request costs one small
 * statement and a 304, without loading the agenda.
 */

/** Bump when the output changes for the same data (a new field, a fix), so caches drop old copies. */
const FORMAT_REVISION = 1;

const CACHE_CONTROL = 'public, max-age=60';

type Kind = 'ics' | 'json' | 'xml';

const CONTENT_TYPES: Record<Kind, string> = {
  ics: 'text/calendar; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

interface ExportRequest {
  em: EntityManager;
  req: Request;
  text: AgendaText;
}

interface Validators {
  etag: string;
  lastModified: Date | null;
  /** The language the response is in (of the forum title, or of the speaker's name). */
  language: Language;
}

function sendError(res: Response, status: number, code: 'BAD_USER_INPUT' | 'NOT_FOUND', message: string): void {
  res.set('Cache-Control', 'no-store');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** The reader's languages: `?lang` first when given, then Accept-Language, then the fallback order; null for a bad `?lang`. */

/** A strong entity tag: a readable prefix, then a hash of everything the content depends on. */
function entityTag(prefix: string, parts: unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify([FORMAT_REVISION, ...parts])).digest('base64url').slice(0, 22);
  return `"${prefix}-${hash}"`;
}

function latest(...dates: (Date | null)[]): Date | null {
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
  res.set('Cache-Control', CACHE_CONTROL);
  res.set('Content-Language', validators.language);
  res.vary('Accept-Language');
}

/** Answers 304 and returns true when the client's copy is current. */
function answeredFromCache(req: Request, res: Response, validators: Validators): boolean {
  if (!notModified(req, validators)) return false;
  setValidators(res, validators);
  res.status(304).end();
  return true;
}

/** The export, with its validators: set only now, so that a failure on the way is not cached as them. */
function send(res: Response, kind: Kind, validators: Validators, body: string): void {
  setValidators(res, validators);
  res.set('Content-Type', CONTENT_TYPES[kind]);
  res.send(body);
}

/** The router with every export; mount it on the app before the GraphQL endpoint. */
export function exportRouter(orm: MikroORM, { publicBaseUrl }: Pick<Config, 'publicBaseUrl'>): Router {
  const router = Router();
  // Open to any site: the data is public, and schedule widgets and apps run on other origins.
  // ETag is exposed so that browser scripts can make conditional requests themselves.
  const open: RequestHandler = cors({ origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag'], maxAge: 86_400 });

  const forumExport = (file: string, kind: Kind, render: (forum: ExportForum, request: ExportRequest) => Promise<string>) => {
    const path = `/forums/:slug/${file}`;
    router.options(path, open);
    router.get(path, open, async (req, res) => {
      const preference = requestLanguages(req.query.lang, req.get('accept-language'));
      if (!preference) return sendError(res, 400, 'BAD_USER_INPUT', 'lang must be one of: kk, ru, en');
      const em = orm.em.fork();
      const { slug } = req.params as { slug: string };
      const forum = await loadForum(em, slug);
      if (!forum) return sendError(res, 404, 'NOT_FOUND', `No forum with slug "${slug}"`);
      const text = new AgendaText(preference);
      const validators: Validators = {
        etag: entityTag(`${kind}-v${forum.scheduleVersion}`, [
          file,
          forum.id,
          forum.scheduleVersion,
          forum.updatedAt.toISOString(),
          preference,
        ]),
        // The schedule's last change, or the forum's own when that is later (its title is in every export).
        lastModified: latest(forum.scheduleChangedAt, forum.updatedAt),
        language: text.languageOf(forum.title),
      };
      if (answeredFromCache(req, res, validators)) return;
      send(res, kind, validators, await render(forum, { em, req, text }));
    });
  };

  // Sessions are read after the forum row: a change in between gives a newer body under the
  // older ETag, which the next request replaces (never a stale body under a new ETag).
  forumExport('agenda.ics', 'ics', async (forum, { em, text }) => {
    const sessions = await loadForumSessions(em, forum.id);
    return renderCalendar({
      name: text.forumTitle(forum),
      description: text.text(forum.description),
      sessions,
      forums: new Map([[forum.id, forum]]),
      text,
    });
  });

  const schedule = async (forum: ExportForum, { em, text }: ExportRequest) => {
    const sessions = await loadForumSessions(em, forum.id);
    return buildSchedule(forum, sessions, text, (slug) => publicUrl(publicBaseUrl, 'session', slug));
  };
  forumExport('schedule.json', 'json', async (forum, request) => renderC3vocJson(await schedule(forum, request)));
  forumExport('schedule.xml', 'xml', async (forum, request) => renderFrabXml(await schedule(forum, request)));

  const speakerPath = '/speakers/:slug/agenda.ics';
  router.options(speakerPath, open);
  router.get(speakerPath, open, async (req, res) => {
    const preference = requestLanguages(req.query.lang, req.get('accept-language'));
    if (!preference) return sendError(res, 400, 'BAD_USER_INPUT', 'lang must be one of: kk, ru, en');
    const em = orm.em.fork();
    const { slug } = req.params as { slug: string };
    const speaker = await loadSpeaker(em, slug);
    if (!speaker) return sendError(res, 404, 'NOT_FOUND', `No speaker with slug "${slug}"`);
    const text = new AgendaText(preference);
    // The calendar changes with the speaker's row and with the schedule of every forum they
    // speak at (their sessions, co-speakers, and their own removal from a session all bump it).
    // No Last-Modified: it could go back in time when the speaker leaves the forum that changed
    // last, and If-Modified-Since would then keep a stale calendar.
    const validators: Validators = {
      etag: entityTag('ics-speaker', [
        speaker.id,
        speaker.updatedAt.toISOString(),
        speaker.fullName,
        speaker.forums.map((f) => [f.id, f.scheduleVersion, f.updatedAt.toISOString()]),
        preference,
      ]),
      lastModified: null,
      language: text.languageOf(speaker.fullName),
    };
    if (answeredFromCache(req, res, validators)) return;
    const forums = new Map(speaker.forums.map((f) => [f.id, f]));
    // A session added at another forum since the speaker row was read waits for the next request
    // (its forum changes the ETag then).
    const sessions = (await loadSpeakerSessions(em, speaker.id)).filter((s) => forums.has(s.forumId));
    send(res, 'ics', validators, renderCalendar({ name: text.text(speaker.fullName) ?? speaker.slug, sessions, forums, text, withForum: true }));
  });

  return router;
}
