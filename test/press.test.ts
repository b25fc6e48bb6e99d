import { ArticleStatus } from '../src/article/article.entity';
import { PUBLIC_BASE_URL, startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** Embeds for press sites: oEmbed cards for public URLs. */
describe('oEmbed', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { ru: 'Казахстан', en: 'Kazakhstan' });
    const aida = make.speaker(em, 'aida', kz);
    const { forum, sessions } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 1, speakers: [aida] });
    const story = make.article(em, 'story', '2025-04-16T06:00:00Z', { forums: [forum], sessions, speakers: [aida] });
    story.title = { ru: 'Медиафорум <script>alert(1)</script> & «кавычки»', en: 'Media forum opens' };
    story.authorName = 'Дана Аменова';
    make.article(em, 'draft', '2025-04-16T06:00:00Z').status = ArticleStatus.DRAFT;
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const oembed = async (params: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${h.url}/oembed?${new URLSearchParams(params)}`, { headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  it('gives a rich, self-contained, escaped card for an article URL that GraphQL returns', async () => {
    const { data } = await h.execute(`{ article(slug: "story") { url } }`);
    expect(data!.article.url).toBe(`${PUBLIC_BASE_URL}/articles/story`);
    const { status, headers, body } = await oembed({ url: data!.article.url, format: 'json' }, { 'accept-language': 'ru' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(headers.get('cache-control')).toBe('public, max-age=60');
    expect(body).toEqual({
      version: '1.0',
      type: 'rich',
      title: 'Медиафорум <script>alert(1)</script> & «кавычки»',
      provider_name: 'Forum Portal',
      provider_url: PUBLIC_BASE_URL,
      author_name: 'Дана Аменова',
      html: expect.any(String),
      width: 480,
      height: 220,
      cache_age: 3600,
    });
    expect(body.html).toContain('Медиафорум &lt;script&gt;alert(1)&lt;/script&gt; &amp; «кавычки»');
    expect(body.html).not.toMatch(/<script|on\w+=/i);
    expect(body.html).toContain(`href="${PUBLIC_BASE_URL}/articles/story"`);
    expect(body.html).toContain('News Example · Дана Аменова · 2025-04-16');
  });

  it('answers in the language asked for and fits maxwidth', async () => {
    const { body } = await oembed({ url: `${PUBLIC_BASE_URL}/articles/story`, lang: 'en', maxwidth: '300' }, { 'accept-language': 'ru' });
    expect(body.title).toBe('Media forum opens');
    expect(body.width).toBe(300);
    expect(body.html).toContain('width:300px');
  });

  it('makes cards for sessions, speakers and forums', async () => {
    const session = await oembed({ url: `${PUBLIC_BASE_URL}/sessions/camf-s1`, lang: 'en' });
    expect(session.status).toBe(200);
    expect(session.body.title).toBe('Session 1');
    expect(session.body.html).toContain('Forum camf · 2025-04-16 09:00–09:45 (Asia/Almaty)');
    expect(session.body.html).toContain('Speaker aida');
    const speaker = await oembed({ url: `${PUBLIC_BASE_URL}/speakers/aida`, lang: 'en' });
    expect(speaker.body.html).toContain('Expert');
    expect(speaker.body.html).toContain('Kazakhstan');
    const forum = await oembed({ url: `${PUBLIC_BASE_URL}/forums/camf`, lang: 'en' });
    expect(forum.body.title).toBe('Forum camf');
  });

  it('answers 404 for URLs that name nothing public, 501 for XML, 400 for bad input', async () => {
    const notFound = {
      errors: [{ message: 'No public article, session, speaker or forum has this URL', extensions: { code: 'NOT_FOUND' } }],
    };
    for (const url of [
      `${PUBLIC_BASE_URL}/articles/draft`,
      `${PUBLIC_BASE_URL}/articles/nope`,
      `${PUBLIC_BASE_URL}/weird/story`,
      'https://elsewhere.example/articles/story',
    ]) {
      expect(await oembed({ url })).toMatchObject({ status: 404, body: notFound });
    }
    expect(await oembed({ url: `${PUBLIC_BASE_URL}/articles/story`, format: 'xml' })).toMatchObject({
      status: 501,
      body: { errors: [{ message: 'Only format=json is supported', extensions: { code: 'NOT_IMPLEMENTED' } }] },
    });
    expect(await oembed({})).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'url is required', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    expect(await oembed({ url: `${PUBLIC_BASE_URL}/articles/story`, lang: 'de' })).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'lang must be one of: kk, ru, en', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
  });
});
