/*
 * Slugs for speakers created by an import without one. Names are transliterated the way Kazakh
 * and Russian passports spell them (ICAO Doc 9303: Ж zh, Х kh, Ц ts, Щ shch, Й i, Ю iu, Я ia,
 * Қ k, Ғ g, Ң n, Ә a, Ө o, Ұ Ү u, І i, Һ h), so a slug looks like the Latin spelling the person
 * already uses: «Аида Балаева» → aida-balaeva, «Дархан Қыдырәлі» → darkhan-kydyrali.
 * A table of letters is smaller and clearer than a dependency.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
};

/** Longest slug the speaker inputs accept. */
export const MAX_SLUG_LENGTH = 100;

/** Room left for a `-2`, `-3`, ... suffix when a derived slug is already taken. */
const SUFFIX_ROOM = 6;

/** Latin letters for Kazakh and Russian Cyrillic; other text passes through unchanged. */
export function transliterate(text: string): string {
  return [...text.toLowerCase()].map((c) => CYRILLIC[c] ?? c).join('');
}

/**
 * A slug from a name in any of the portal's languages: transliterated, accents dropped
 * (José → jose), apostrophes dropped (O'Neil → oneil), anything else that is not a letter or a
 * digit becomes a hyphen. Empty when nothing usable is left (a name in Chinese characters).
 */
export function slugFromName(name: string): string {
  const slug = transliterate(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’ʼ`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_SLUG_LENGTH - SUFFIX_ROOM) return slug;
  // Cut at a word boundary where there is one, so a long name does not end mid-word.
  const cut = slug.slice(0, MAX_SLUG_LENGTH - SUFFIX_ROOM);
  const boundary = cut.lastIndexOf('-');
  return boundary > 0 ? cut.slice(0, boundary) : cut;
}

/** `base`, or `base-2`, `base-3`, ...: the first that `taken` does not contain. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
