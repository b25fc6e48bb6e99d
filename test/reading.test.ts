import { ArticleStatus } from '../src/article/article.entity';
import { Country } from '../src/country/country.entity';
import { Forum } from '../src/forum/forum.entity';
import { Speaker } from '../src/speaker/speaker.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/** Most read, read also and the archive: the blocks a press site puts around an article. */
describe('reading blocks', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    const uz = make.country(em, 'UZ');
    const [aida, bek] = [make.speaker(em, 'aida', kz), make.speaker(em, 'bek', uz)];
    const { forum, sessions } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida, bek] });
    const other = make.forumWithAgenda(em, { slug: 'other', host: uz, sessions: 1, speakers: [bek] }).forum;
    // In Asia/Almaty (UTC+5) the 2025-04-16T20:00Z article is on the 17th.
    make.article(em, 'main', '2025-04-16T06:00:00Z', { forums: [forum], sessions: [sessions[0]], speakers: [aida], countries: [kz] });
    make.article(em, 'same-session', '2025-04-16T20:00:00Z', { forums: [forum], sessions: [sessions[0]] });
    make.article(em, 'same-speaker', '2025-04-17T08:00:00Z', { speakers: [aida], countries: [kz] });
    make.article(em, 'same-country', '2025-05-02T08:00:00Z', { countries: [kz] });
    make.article(em, 'unrelated', '2025-05-03T08:00:00Z', { forums: [other], countries: [uz] });
    const draft = make.article(em, 'draft', '2025-04-16T09:00:00Z', { forums: [forum], sessions: [sessions[0]] });
    draft.status = ArticleStatus.DRAFT;
    const embargoed = make.article(em, 'embargoed', '2099-01-01T00:00:00Z', { forums: [forum], sessions: [sessions[0]] });
    embargoed.status = ArticleStatus.SCHEDULED;
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  const VIEW = `mutation($slug: String!) { recordArticleView(slug: $slug) }`;

  it('counts 100 concurrent views exactly, and refuses unpublished articles', async () => {
    const before = (await h.execute(`{ article(slug: "main") { viewCount } }`)).data!.article.viewCount;
    const results = await Promise.all(Array.from({ length: 100 }, () => h.post({ query: VIEW, variables: { slug: 'main' } })));
    expect(results.every((r) => r.status === 200 && !r.body.errors)).toBe(true);
    const totals = results.map((r) => r.body.data.recordArticleView).sort((a: number, b: number) => a - b);
    expect(totals).toEqual(Array.from({ length: 100 }, (_, i) => before + i + 1));
    expect((await h.execute(`{ article(slug: "main") { viewCount } }`)).data!.article.viewCount).toBe(before + 100);

    for (const slug of ['draft', 'embargoed', 'nope']) {
      expect(await h.execute(VIEW, { slug })).toEqual({
        data: null,
        errors: [
          {
            message: `No published article "${slug}"`,
            locations: [{ line: 1, column: 28 }],
            path: ['recordArticleView'],
            extensions: { code: 'NOT_FOUND' },
          },
        ],
      });
    }
  });

  it('ranks most read by views in a window, per forum', async () => {
    for (let i = 0; i < 3; i += 1) await h.execute(VIEW, { slug: 'same-speaker' });
    await h.execute(VIEW, { slug: 'unrelated' });
    const POPULAR = `query($forum: String, $since: DateTime, $first: Int) { popularArticles(forumSlug: $forum, since: $since, first: $first) { views article { slug } } }`;
    const all = await h.execute(POPULAR, { first: 3 });
    // The factory gives every article 10 stored views; today's views come on top.
    expect(all.data!.popularArticles).toEqual([
      { views: 110, article: { slug: 'main' } },
      { views: 13, article: { slug: 'same-speaker' } },
      { views: 11, article: { slug: 'unrelated' } },
    ]);
    const today = new Date(Date.now() - 60_000).toISOString();
    expect((await h.execute(POPULAR, { since: today })).data!.popularArticles).toEqual([
      { views: 100, article: { slug: 'main' } },
      { views: 3, article: { slug: 'same-speaker' } },
      { views: 1, article: { slug: 'unrelated' } },
    ]);
    expect((await h.execute(POPULAR, { forum: 'camf', since: today })).data!.popularArticles).toEqual([
      { views: 100, article: { slug: 'main' } },
    ]);
    const tooMany = await h.execute(POPULAR, { first: 51 });
    expect(tooMany.errors![0]).toEqual({
      message: 'first must be between 1 and 50',
      locations: [{ line: 1, column: 56 }],
      path: ['popularArticles'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
  });

  it('suggests related articles by what they share, never unpublished ones, in one statement for many', async () => {
    const { result, statements } = await h.countStatements(() =>
      h.execute(`{ articles(first: 10) { nodes { slug related(first: 3) { slug } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const related = Object.fromEntries(result.data!.articles.nodes.map((n: any) => [n.slug, n.related.map((r: any) => r.slug)]));
    expect(related).toEqual({
      unrelated: [],
      'same-country': ['same-speaker', 'main'],
      'same-speaker': ['main', 'same-country'],
      'same-session': ['main'],
      // main shares a session with same-session (4 + forum 2), a speaker and country with same-speaker (3 + 1).
      main: ['same-session', 'same-speaker', 'same-country'],
    });
    expect(statements).toBe(2);
  });

  it('counts the archive per year, month and day in the forum time zone', async () => {
    const { data } = await h.execute(`{ camf: articleArchive(forumSlug: "camf") { year count months { month count days { date count } } }
      all: articleArchive { year count months { month count } } none: articleArchive(forumSlug: "nope") { year } }`);
    expect(data!.camf).toEqual([
      {
        year: 2025,
        count: 2,
        months: [
          {
            month: 4,
            count: 2,
            days: [
              { date: '2025-04-17', count: 1 },
              { date: '2025-04-16', count: 1 },
            ],
          },
        ],
      },
    ]);
    expect(data!.all).toEqual([
      {
        year: 2025,
        count: 5,
        months: [
          { month: 5, count: 2 },
          { month: 4, count: 3 },
        ],
      },
    ]);
    expect(data!.none).toEqual([]);
  });

  it('hides drafts and embargoed articles everywhere', async () => {
    const { data } = await h.execute(`{ draft: article(slug: "draft") { slug } embargoed: article(slug: "embargoed") { slug }
      articles(first: 50) { totalCount } forum(slug: "camf") { articles { totalCount } sessions(first: 1) { nodes { articles { totalCount } } } } }`);
    expect(data).toEqual({
      draft: null,
      embargoed: null,
      articles: { totalCount: 5 },
      forum: { articles: { totalCount: 2 }, sessions: { nodes: [{ articles: { totalCount: 2 } }] } },
    });
  });

  it('filters articles by publication window, as the archive links do', async () => {
    const WINDOW = `query($from: DateTime, $to: DateTime) { articles(filter: { publishedFrom: $from, publishedTo: $to }) { totalCount nodes { slug } } }`;
    const { data } = await h.execute(WINDOW, { from: '2025-04-16T00:00:00Z', to: '2025-04-17T00:00:00Z' });
    expect(data!.articles).toEqual({ totalCount: 2, nodes: [{ slug: 'same-session' }, { slug: 'main' }] });
    const may = await h.execute(WINDOW, { from: '2025-05-01T00:00:00Z' });
    expect(may.data!.articles.nodes.map((n: any) => n.slug)).toEqual(['unrelated', 'same-country']);
  });

  it('runs 4 statements for forum → latest 20 articles → speakers and countries, at any coverage size', async () => {
    const COVERAGE = `query($slug: String!) { forum(slug: $slug) { articles(first: 20) { nodes { title lead publishedAt authorName
      speakers { fullName } countries { code name } } } } }`;
    const small = await h.countStatements(() => h.execute(COVERAGE, { slug: 'camf' }));
    const em = h.orm.em.fork();
    const forum = await em.findOneOrFail(Forum, { slug: 'other' });
    const speakers = await em.find(Speaker, {});
    const countries = await em.find(Country, {});
    for (let i = 0; i < 40; i += 1) make.article(em, `bulk-${i}`, '2025-06-01T00:00:00Z', { forums: [forum], speakers, countries });
    await em.flush();
    const large = await h.countStatements(() => h.execute(COVERAGE, { slug: 'other' }));
    expect(small.result.data!.forum.articles.nodes).toHaveLength(2);
    expect(large.result.data!.forum.articles.nodes).toHaveLength(20);
    expect(large.result.data!.forum.articles.nodes[0].speakers).toHaveLength(2);
    expect(small.statements).toBe(4);
    expect(large.statements).toBe(4);
  });
});
