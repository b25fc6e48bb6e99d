import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Config } from '../config';
import { createContext } from '../context';
import { Forum } from '../forum/forum.entity';
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
import { availableLanguage, requestLanguages } from '../shared/i18n';
import { feedArticles, feedState, renderJsonFeed, renderRss, type FeedInput } from './feeds';
import { oembedFor, publicUrlProblem } from './oembed';

/** Endpoints for press sites next to /graphql: oEmbed cards and coverage feeds. */
export function pressRouter(
  orm: MikroORM,
  config: Pick<Config, 'publicBaseUrl' | 'cacheMaxAgeSeconds' | 'jwtSecret' | 'accessTokenTtlSeconds'>,
): Router {
  const router = Router();

  router.get('/oembed', openCors, async (req, res, next) => {
    try {
      res.vary('Accept-Language');
      const { url, format, maxwidth } = req.query;
      // Given twice (`format=json&format=json`) is bad input, as for every other parameter: not a
      // request for a format this provider lacks.
      if (format !== undefined && typeof format !== 'string')
        return sendError(res, 400, 'BAD_USER_INPUT', 'format must be given once', { parameter: 'format' });
      // oEmbed: a provider that cannot return the requested format answers 501.
      if (format !== undefined && format !== 'json') return sendError(res, 501, 'NOT_IMPLEMENTED', 'Only format=json is supported');
      if (typeof url !== 'string' || url === '') return sendError(res, 400, 'BAD_USER_INPUT', 'url is required');
      const urlProblem = publicUrlProblem(config.publicBaseUrl, url);
      if (urlProblem) return sendError(res, 400, 'BAD_USER_INPUT', `url ${urlProblem}`, { parameter: 'url' });
      const maxWidth = maxwidth === undefined ? undefined : Number(maxwidth);
      if (maxWidth !== undefined && !(Number.isInteger(maxWidth) && maxWidth > 0)) {
        return sendError(res, 400, 'BAD_USER_INPUT', 'maxwidth must be a positive integer');
      }
      const languages = requestLanguages(req.query.lang, req.get('accept-language'));
      if (!languages) return sendError(res, 400, 'BAD_USER_INPUT', 'lang must be one of: kk, ru, en');
      const ctx = await createContext(orm, { languages, publicBaseUrl: config.publicBaseUrl, auth: config });
      const cacheAge = Math.max(config.cacheMaxAgeSeconds, 60) * 60;
      const embed = await oembedFor(ctx, url, maxWidth, cacheAge);
      if (!embed) return sendError(res, 404, 'NOT_FOUND', 'No public article, session, speaker or forum has this URL');
      res.set('Cache-Control', `public, max-age=${config.cacheMaxAgeSeconds}`).json(embed);
    } catch (error) {
      next(error);
    }
  });
  // A CORS preflight as for the exports; other methods: a JSON 405, not Express's HTML 404.
  router.options('/oembed', openCors);
  router.all('/oembed', otherMethods('GET', 'HEAD'));

  const feed = (file: string, contentType: string, render: (input: FeedInput) => string) => {
    const path = `/forums/:slug/${file}`;
    router.options(path, openCors);
    router.get(path, openCors, async (req, res) => {
      const languages = requestLanguages(req.query.lang, req.get('accept-language'));
      if (!languages) return sendError(res, 400, 'BAD_USER_INPUT', 'lang must be one of: kk, ru, en');
      const { slug } = req.params as { slug: string };
      const em = orm.em.fork();
      const forum = await em.findOne(Forum, { slug });
      if (!forum) return sendError(res, 404, 'NOT_FOUND', `No forum with slug "${slug}"`);
      const state = await feedState(em, forum);
      const validators: Validators = {
        etag: entityTag(`feed-${file}`, [forum.id, forum.updatedAt.toISOString(), state.count, state.changed?.toISOString(), languages]),
        lastModified: latest(state.changed, forum.updatedAt),
        language: availableLanguage(forum.title, languages) ?? languages[0],
      };
      if (answeredFromCache(req, res, validators)) return;
      const self = `${config.publicBaseUrl}/forums/${encodeURIComponent(forum.slug)}/${file}`;
      const articles = await feedArticles(em, forum);
      sendRepresentation(
        res,
        contentType,
        validators,
        render({ forum, articles, languages, publicBaseUrl: config.publicBaseUrl, self, updated: validators.lastModified! }),
      );
    });
    // PUT, DELETE, … : a JSON 405, not Express's HTML 404.
    router.all(path, otherMethods('GET', 'HEAD'));
  };
  feed('feed.xml', 'application/rss+xml; charset=utf-8', renderRss);
  feed('feed.json', 'application/feed+json; charset=utf-8', renderJsonFeed);

  return router;
}
