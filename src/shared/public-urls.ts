/**
 * The portal's public page of each kind of object, under PUBLIC_BASE_URL: what oEmbed accepts,
 * what feeds link to, and what the `url` fields return.
 */
export const PUBLIC_PATHS = {
  article: 'articles',
  session: 'sessions',
  speaker: 'speakers',
  forum: 'forums',
} as const;

export type PublicKind = keyof typeof PUBLIC_PATHS;

export function publicUrl(base: string, kind: PublicKind, slug: string): string {
  return `${base}/${PUBLIC_PATHS[kind]}/${encodeURIComponent(slug)}`;
}

/** The object a public URL names, or null when the URL is not one of ours. */
export function parsePublicUrl(base: string, url: string): { kind: PublicKind; slug: string } | null {
  if (!url.startsWith(`${base}/`)) return null;
  const match = /^([a-z]+)\/([^/?#]+)\/?(?:[?#].*)?$/.exec(url.slice(base.length + 1));
  if (!match) return null;
  const kind = (Object.keys(PUBLIC_PATHS) as PublicKind[]).find((k) => PUBLIC_PATHS[k] === match[1]);
  if (!kind) return null;
  try {
    return { kind, slug: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}
