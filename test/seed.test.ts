import { seed } from '../src/db/seed';
import { startHarness, type Harness } from './helpers/harness';

const TABLES = [
  'country',
  'ministry',
  'speaker',
  'forum',
  'forum_country',
  'forum_organiser',
  'session',
  'session_participant',
  'initiative',
  'initiative_country',
  'article',
  'article_forum',
  'article_session',
  'article_speaker',
  'article_country',
  'article_ministry',
  'article_view_day',
  'quote',
];

describe('seed data', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
  });

  afterAll(async () => {
    await h?.close();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = await h.orm.em.getConnection().execute(`select count(*)::int as n from "${table}"`);
      counts[table] = row.n;
    }
    return counts;
  }

  it('loads, and loading it again changes nothing', async () => {
    const first = await rowCounts();
    const [stamp] = await h.orm.em.getConnection().execute('select max(updated_at) as at from speaker');
    await seed(h.orm.em.fork());
    expect(await rowCounts()).toEqual(first);
    const [again] = await h.orm.em.getConnection().execute('select max(updated_at) as at from speaker');
    expect(again.at).toEqual(stamp.at);
    expect(Object.values(first).every((n) => n > 0)).toBe(true);
  });

  // The identifiers the README and client docs promise; not the rest of the seed content.
  it('provides the documented identifiers', async () => {
    const { data, errors } = await h.execute(
      `{
        a: forum(slug: "camf-2022") { edition }
        b: forum(slug: "camf-2025") { edition timeZone }
        speaker(slug: "aida-balaeva") { country { code } quotes { article { slug } } }
        article(slug: "vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane") { viewCount authorName }
        country(code: "KZ") { code }
      }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      a: { edition: 1 },
      b: { edition: 2, timeZone: 'Asia/Almaty' },
      speaker: { country: { code: 'KZ' }, quotes: [{ article: { slug: 'vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane' } }] },
      article: { viewCount: 1571, authorName: 'Дана Аменова' },
      country: { code: 'KZ' },
    });
  });

  it('gives the camf-2025 agenda day by day in Almaty time, in Russian and English', async () => {
    const DAYS = `{ forum(slug: "camf-2025") { days { date sessions { startsAtLocal title titleTranslations { language } } } } }`;
    const ru = await h.execute(DAYS, {}, 'ru');
    const en = await h.execute(DAYS, {}, 'en');
    expect(ru.errors).toBeUndefined();
    const days = ru.data!.forum.days;
    expect(days.map((d: any) => d.date)).toEqual(['2025-04-16', '2025-04-17']);
    for (const day of days) {
      for (const session of day.sessions) {
        expect(session.startsAtLocal.startsWith(day.date)).toBe(true);
        expect(session.startsAtLocal.endsWith('+05:00')).toBe(true);
        expect(session.titleTranslations.language).toBe('RU');
      }
    }
    expect(en.data!.forum.days.flatMap((d: any) => d.sessions.map((s: any) => s.titleTranslations.language))).toEqual(
      days.flatMap((d: any) => d.sessions.map(() => 'EN')),
    );
    expect(days[0].sessions[0].startsAtLocal).toBe('2025-04-16T10:00:00+05:00');
  });

  it('finds the Kazpravda report by another word form, in feeds, most read, coverage and oEmbed', async () => {
    const SLUG = 'vtoroy-centralno-aziatskiy-mediaforum-startoval-v-astane';
    const { data, errors } = await h.execute(
      `{ articles(filter: { query: "медиафорума стартовавшего" }) { nodes { slug } }
         search(query: "медиафорума") { hits { kind node { ... on Article { slug } } } }
         popularArticles(forumSlug: "camf-2025") { views article { slug } }
         speaker(slug: "aida-balaeva") { articles(link: MENTIONS) { nodes { slug url } } }
         forum(slug: "camf-2025") { articles(link: COVERS) { nodes { slug } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.articles.nodes).toEqual([{ slug: SLUG }]);
    expect(data!.search.hits).toContainEqual({ kind: 'ARTICLE', node: { slug: SLUG } });
    expect(data!.popularArticles).toEqual([{ views: 1571, article: { slug: SLUG } }]);
    const url = data!.speaker.articles.nodes[0].url;
    expect(data!.speaker.articles.nodes).toEqual([{ slug: SLUG, url }]);
    expect(data!.forum.articles.nodes).toEqual([{ slug: SLUG }]);

    const feed = (await (await fetch(`${h.url}/forums/camf-2025/feed.json`)).json()) as any;
    expect(feed.items.map((i: any) => i.id)).toEqual([url]);
    const card = (await (
      await fetch(`${h.url}/oembed?${new URLSearchParams({ url })}`, { headers: { 'accept-language': 'ru' } })
    ).json()) as any;
    expect(card.title).toBe('Второй Центрально-Азиатский медиафорум стартовал в Астане');
    expect(card.author_name).toBe('Дана Аменова');
  });
});
