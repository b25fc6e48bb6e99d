import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Response } from 'express';
import type { Config } from '../config';
import { createContext } from '../context';
import { requestLanguages } from '../shared/i18n';
import { oembedFor } from './oembed';

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Endpoints for press sites next to /graphql: oEmbed cards (feeds come alongside). */
export function pressRouter(orm: MikroORM, config: Pick<Config, 'publicBaseUrl' | 'cacheMaxAgeSeconds'>): Router {
  const router = Router();

  router.get('/oembed', async (req, res, next) => {
    try {
      res.set('Access-Control-Allow-Origin', '*').vary('Accept-Language');
      const { url, format, maxwidth } = req.query;
      // oEmbed: a provider that cannot return the requested format answers 501.
      if (format !== undefined && format !== 'json') return fail(res, 501, 'NOT_IMPLEMENTED', 'Only format=json is supported');
      if (typeof url !== 'string' || url === '') return fail(res, 400, 'BAD_USER_INPUT', 'url is required');
      const maxWidth = maxwidth === undefined ? undefined : Number(maxwidth);
      if (maxWidth !== undefined && !(Number.isInteger(maxWidth) && maxWidth > 0)) {
        return fail(res, 400, 'BAD_USER_INPUT', 'maxwidth must be a positive integer');
      }
      const languages = requestLanguages(req.query.lang, req.get('accept-language'));
      if (!languages) return fail(res, 400, 'BAD_USER_INPUT', 'lang must be one of: kk, ru, en');
      const ctx = createContext(orm, { languages, publicBaseUrl: config.publicBaseUrl });
      const cacheAge = Math.max(config.cacheMaxAgeSeconds, 60) * 60;
      const embed = await oembedFor(ctx, url, maxWidth, cacheAge);
      if (!embed) return fail(res, 404, 'NOT_FOUND', 'No public article, session, speaker or forum has this URL');
      res.set('Cache-Control', `public, max-age=${config.cacheMaxAgeSeconds}`).json(embed);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
