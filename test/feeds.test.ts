import Parser from 'rss-parser';
import { ArticleStatus } from '../src/article/article.entity';
import { PUBLIC_BASE_URL, startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** A forum's coverage feeds, parsed back as a CMS would. */
describe('coverage feeds', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    const { forum } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [make.speaker(em, 'aida', kz)] });
    const other = make.forumWithAgenda(em, { slug: 'other', host: kz, sessions: 1, speakers: [make.speaker(em, 'bek', kz)] }).forum;
    for (let i = 1; i <= 55; i += 1) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      make.article(em, `a${i}`, `2025-03-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`, { forums: [forum] });
    }
    const special = make.article(em, 'special', '2025-04-20T10:00:00Z', { forums: [forum] });
    special.title = { ru: 'Форум & <медиа> «открыт»', en: 'Forum & <media> open' };
    special.authorName = 'Дана Аменова';
    make.article(em, 'draft', '2025-04-21T10:00:00Z', { forums: [forum] }).status = ArticleStatus.DRAFT;
    make.article(em, 'other-forum', '2025-04-22T10:00:00Z', { forums: [other] });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { headers });

  it('serves RSS 2.0 that a feed parser reads: newest 50 published, escaped, linked to public pages', async () => {
    const response = await get('/forums/camf/feed.xml', { 'accept-language': 'ru' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const feed = await new Parser({ customFields: { item: ['dc:creator'] } }).parseString(await response.text());
    expect(feed.title).toBe('Форум camf');
    expect(feed.link).toBe(`${PUBLIC_BASE_URL}/forums/camf`);
    expect(feed.items).toHaveLength(50);
    expect(feed.items[0]).toMatchObject({
      title: 'Форум & <медиа> «открыт»',
      link: `${PUBLIC_BASE_URL}/articles/special`,
      guid: `${PUBLIC_BASE_URL}/articles/special`,
      pubDate: 'Sun, 20 Apr 2025 10:00:00 GMT',
      content: 'Лид special',
      'dc:creator': 'Дана Аменова',
    });
    const dates = feed.items.map((i) => Date.parse(i.pubDate!));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(feed.items.map((i) => i.link)).not.toContain(`${PUBLIC_BASE_URL}/articles/draft`);
    expect(feed.items.map((i) => i.link)).not.toContain(`${PUBLIC_BASE_URL}/articles/other-forum`);
  });

  it('serves JSON Feed 1.1 with the fields the spec requires, in the language asked for', async () => {
    const response = await get('/forums/camf/feed.json?lang=en');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect(response.headers.get('content-language')).toBe('en');
    const feed = (await response.json()) as any;
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Forum camf',
      home_page_url: `${PUBLIC_BASE_URL}/forums/camf`,
      feed_url: `${PUBLIC_BASE_URL}/forums/camf/feed.json`,
      language: 'en',
    });
    expect(feed.items).toHaveLength(50);
    expect(feed.items[0]).toEqual({
      id: `${PUBLIC_BASE_URL}/articles/special`,
      url: `${PUBLIC_BASE_URL}/articles/special`,
      external_url: 'https://news.example/special',
      title: 'Forum & <media> open',
      summary: 'Лид special',
      content_text: 'Лид special',
      date_published: '2025-04-20T10:00:00.000Z',
      date_modified: expect.any(String),
      authors: [{ name: 'Дана Аменова' }],
      language: 'en',
    });
    // Every item has an id and content, as JSON Feed 1.1 requires.
    expect(feed.items.every((i: any) => typeof i.id === 'string' && typeof i.content_text === 'string')).toBe(true);
  });

  it('answers a conditional request with 304 until coverage changes, including an embargo lifting', async () => {
    const first = await get('/forums/camf/feed.json');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('last-modified')).toBeTruthy();
    const again = await get('/forums/camf/feed.json', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // A scheduled article whose embargo has just lifted changes the feed.
    const em = h.orm.em.fork();
    const kz = await em.findOneOrFail('Forum', { slug: 'camf' });
    const embargoed = make.article(em, 'embargoed', new Date(Date.now() - 1000).toISOString(), { forums: [kz as any] });
    embargoed.status = ArticleStatus.SCHEDULED;
    await em.flush();
    const changed = await get('/forums/camf/feed.json', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as any).items[0].id).toBe(`${PUBLIC_BASE_URL}/articles/embargoed`);
  });

  it('answers 404 for an unknown forum and 400 for a bad language', async () => {
    const missing = await get('/forums/nope/feed.xml');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: 'No forum with slug "nope"', extensions: { code: 'NOT_FOUND' } }] });
    const bad = await get('/forums/camf/feed.json?lang=de');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: [{ message: 'lang must be one of: kk, ru, en', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('runs 3 statements (forum, validators, the 50 newest) for a forum with 57 articles', async () => {
    const { statements } = await h.countStatements(() => get('/forums/camf/feed.json'));
    expect(statements).toBe(3);
  });
});
