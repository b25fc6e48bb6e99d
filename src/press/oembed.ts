import type { Context } from '../shared/context';
import { pick } from '../shared/i18n';
import { parsePublicUrl, publicUrl } from '../shared/public-urls';
import { related } from '../shared/sql-loading';
import { SLUG_TEXT, textProblem } from '../shared/text-rules';
import { toZonedIso } from '../shared/time';
import { escapeHtml } from './html';

/** An oEmbed 1.0 `rich` response (https://oembed.com, section 2.3.4). */
export interface OEmbedRich {
  version: '1.0';
  type: 'rich';
  title: string;
  provider_name: string;
  provider_url: string;
  author_name?: string;
  html: string;
  width: number;
  height: number;
  cache_age: number;
}

export const CARD_WIDTH = 480;
export const CARD_HEIGHT = 220;
export const MIN_WIDTH = 200;

/**
 * Why the slug in a URL of ours breaks the text rules, as the end of a sentence ("has a slug
 * that contains a control character"), or null. checkUrlText sees only the `url` parameter, in
 * which the slug is still percent-encoded (`…/articles/a%00b`): decoded, it would reach SQL, and
 * PostgreSQL refuses a NUL with an error (a 500). As for a slug in the path, breaking the rules
 * is bad input (400); only a well-formed slug that names nothing is 404.
 */
export function publicUrlProblem(base: string, url: string): string | null {
  if (!url.startsWith(`${base}/`)) return null;
  const segment = /^[a-z]+\/([^/?#]+)/.exec(url.slice(base.length + 1))?.[1];
  if (segment === undefined) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(segment);
  } catch {
    return 'has a slug that is not valid percent-encoded UTF-8';
  }
  const problem = textProblem(slug, SLUG_TEXT);
  return problem && `has a slug that ${problem}`;
}

interface Card {
  title: string;
  lines: string[];
  author?: string;
  url: string;
}

/**
 * The card for a public URL, or null when it names nothing public. Self-contained HTML: inline
 * styles, every text escaped, no scripts, so that a publisher can paste it into any page.
 */
export async function oembedFor(ctx: Context, url: string, maxWidth: number | undefined, cacheAge: number): Promise<OEmbedRich | null> {
  const target = parsePublicUrl(ctx.publicBaseUrl, url);
  if (!target) return null;
  const card = await cardFor(ctx, target.kind, target.slug);
  if (!card) return null;
  const width = Math.max(MIN_WIDTH, Math.min(CARD_WIDTH, maxWidth ?? CARD_WIDTH));
  const html =
    `<blockquote class="forum-portal-card" style="box-sizing:border-box;width:${width}px;max-width:100%;margin:0;padding:16px;` +
    'border:1px solid #d0d7de;border-radius:8px;font-family:system-ui,sans-serif;line-height:1.4;background:#fff;color:#1f2328">' +
    `<a href="${escapeHtml(card.url)}" style="font-weight:600;font-size:16px;color:#0b57d0;text-decoration:none">${escapeHtml(card.title)}</a>` +
    card.lines.map((line) => `<p style="margin:8px 0 0;font-size:14px">${escapeHtml(line)}</p>`).join('') +
    '</blockquote>';
  return {
    version: '1.0',
    type: 'rich',
    title: card.title,
    provider_name: 'Forum Portal',
    provider_url: ctx.publicBaseUrl,
    ...(card.author ? { author_name: card.author } : {}),
    html,
    width,
    height: CARD_HEIGHT,
    cache_age: cacheAge,
  };
}

async function cardFor(ctx: Context, kind: string, slug: string): Promise<Card | null> {
  const { loaders, languages, publicBaseUrl } = ctx;
  const text = (value: Parameters<typeof pick>[0]) => pick(value, undefined, languages) ?? '';
  switch (kind) {
    case 'article': {
      const article = await loaders.articleBySlug.load(slug);
      if (!article) return null;
      return {
        title: text(article.title),
        lines: [
          text(article.lead),
          [article.outletName, article.authorName, article.publishedAt.toISOString().slice(0, 10)].filter(Boolean).join(' · '),
        ].filter(Boolean),
        author: article.authorName ?? undefined,
        url: publicUrl(publicBaseUrl, 'article', article.slug),
      };
    }
    case 'session': {
      const session = await loaders.sessionBySlug.load(slug);
      if (!session) return null;
      const [forum, participants] = await Promise.all([
        related(session.forum, loaders.forumById),
        loaders.participantsBySessionId.load(session.id),
      ]);
      const [start, end] = [toZonedIso(session.startsAt, forum.timeZone), toZonedIso(session.endsAt, forum.timeZone)];
      return {
        title: text(session.title),
        lines: [
          `${text(forum.title)} · ${start.slice(0, 10)} ${start.slice(11, 16)}–${end.slice(11, 16)} (${forum.timeZone})`,
          participants.map((p) => text(p.speaker.fullName)).join(', '),
          session.status === 'CANCELLED' ? '✕ CANCELLED' : '',
        ].filter(Boolean),
        url: publicUrl(publicBaseUrl, 'session', session.slug),
      };
    }
    case 'speaker': {
      const speaker = await loaders.speakerBySlug.load(slug);
      if (!speaker) return null;
      const country = await related(speaker.country, loaders.countryById);
      return {
        title: text(speaker.fullName),
        lines: [text(speaker.position), text(country.name)].filter(Boolean),
        url: publicUrl(publicBaseUrl, 'speaker', speaker.slug),
      };
    }
    case 'forum': {
      const forum = await loaders.forumBySlug.load(slug);
      if (!forum) return null;
      return {
        title: text(forum.title),
        lines: [`${text(forum.city)} · ${forum.startDate} – ${forum.endDate}`, text(forum.description)].filter(Boolean),
        url: publicUrl(publicBaseUrl, 'forum', forum.slug),
      };
    }
    default:
      return null;
  }
}
