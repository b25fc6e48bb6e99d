import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Config } from '../config';
import {
  answeredFromCache,
  entityTag,
  latest,
  openCors,
  otherMethods,
  sendError,
  sendRepresentation,
  type Validators,
} from '../shared/http';
import { requestLanguages } from '../shared/i18n';
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

type Kind = 'ics' | 'json' | 'xml';

const CONTENT_TYPES: Record<Kind, string> = {
  ics: 'text/calendar; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

interface ExportRequest {
  em: EntityManager;
  text: AgendaText;
}

/** The router with every export; mount it on the app before the GraphQL endpoint. */
export function exportRouter(orm: MikroORM, { publicBaseUrl }: Pick<Config, 'publicBaseUrl'>): Router {
  const router = Router();

  const forumExport = (file: string, kind: Kind, render: (forum: ExportForum, request: ExportRequest) => Promise<string>) => {
    const path = `/forums/:slug/${file}`;
    router.options(path, openCors);
    router.get(path, openCors, async (req, res) => {
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
      sendRepresentation(res, CONTENT_TYPES[kind], validators, await render(forum, { em, text }));
    });
    // PUT, DELETE, … : a JSON 405, not Express's HTML 404.
    router.all(path, otherMethods('GET', 'HEAD'));
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
  router.options(speakerPath, openCors);
  router.get(speakerPath, openCors, async (req, res) => {
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
    sendRepresentation(
      res,
      CONTENT_TYPES.ics,
      validators,
      renderCalendar({ name: text.text(speaker.fullName) ?? speaker.slug, sessions, forums, text, withForum: true }),
    );
  });
  router.all(speakerPath, otherMethods('GET', 'HEAD'));

  return router;
}
