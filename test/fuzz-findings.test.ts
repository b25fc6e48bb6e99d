import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { Role } from '../src/auth/user.entity';
import { seed } from '../src/db/seed';
import { formatError } from '../src/errors';
import { startHarness, type Harness } from './helpers/harness';

/**
 * What the schema fuzzer (test/fuzz.test.ts) found, each as its smallest case: every one of these
 * was an INTERNAL_SERVER_ERROR. The fuzzer meets them only now and then; these meet them always.
 */
describe('fuzz findings', () => {
  let h: Harness;
  let editor: string;
  const article = Buffer.from('Article:1').toString('base64url');

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
    editor = await h.signIn(Role.EDITOR);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('more than 50 bad variable values are all BAD_USER_INPUT (graphql-js stops at 50 with an uncoded error)', async () => {
    const response = await h.post({
      query: 'mutation($v: SetArticleLinksInput!) { setArticleLinks(input: $v) { id } }',
      variables: { v: { id: article, countries: Array.from({ length: 51 }, () => 1) } },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.length).toBeGreaterThan(50);
    expect(new Set(response.body.errors.map((e: any) => e.extensions.code))).toEqual(new Set(['BAD_USER_INPUT']));
  });

  it.each([
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 0 in UTC', '0001-01-01T00:00:00+05:00'],
    ['year 10000 in UTC', '9999-12-31T23:59:59-05:00'],
  ])('refuses an instant PostgreSQL cannot store (%s) as BAD_USER_INPUT', async (_, instant) => {
    for (const [query, authorization] of [
      ['mutation($v: DateTime) { publishArticle(input: { id: "%ID", publishedAt: $v }) { id } }', editor],
      ['mutation($v: DateTime!) { scheduleArticle(input: { id: "%ID", publishAt: $v }) { id } }', editor],
      ['mutation($v: DateTime) { createApiToken(input: { name: "x", expiresAt: $v }) { id } }', editor],
      ['query($v: DateTime) { nowAndNext(forumSlug: "camf-2025", at: $v) { at } }', undefined],
    ] as const) {
      const response = await h.post(
        { query: query.replace('%ID', article), variables: { v: instant } },
        authorization ? { authorization } : {},
      );
      expect({ query, status: response.status, codes: response.body.errors?.map((e: any) => e.extensions.code) }).toEqual({
        query,
        status: 400,
        codes: ['BAD_USER_INPUT'],
      });
    }
    // As a literal, the same value fails validation.
    const literal = await h.post({ query: `{ nowAndNext(forumSlug: "camf-2025", at: "${instant}") { at } }` });
    expect(literal.body.errors.map((e: any) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses the local date 0000-01-01 as BAD_USER_INPUT', async () => {
    const response = await h.post({
      query: 'query($d: LocalDate) { forum(slug: "camf-2025") { sessions(filter: { day: $d }) { totalCount } } }',
      variables: { d: '0000-01-01' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    const edges = await h.post({
      query:
        'query($a: LocalDate, $b: LocalDate) { forum(slug: "camf-2025") { a: sessions(filter: { day: $a }) { totalCount } b: sessions(filter: { day: $b }) { totalCount } } }',
      variables: { a: '0001-01-01', b: '9999-12-31' },
    });
    expect(edges.body).toEqual({ data: { forum: { a: { totalCount: 0 }, b: { totalCount: 0 } } } });
  });

  it("answers a quote's article when the article is no longer public (an editor's mutation returns it)", async () => {
    const response = await h.post(
      { query: `mutation { unpublishArticle(input: { id: "${article}" }) { status quotes { article { slug status } } } }` },
      { authorization: editor },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.unpublishArticle.status).toBe('DRAFT');
    expect(response.body.data.unpublishArticle.quotes.length).toBeGreaterThan(0);
    for (const quote of response.body.data.unpublishArticle.quotes) expect(quote.article.status).toBe('DRAFT');
    // The public still sees neither the draft nor its quotes.
    const speaker = await h.post({ query: '{ speaker(slug: "aida-balaeva") { quotes { article { slug } } } }' });
    expect(speaker.body).toEqual({ data: { speaker: { quotes: [] } } });
  });

  it('formatError survives a validator that throws instead of reporting (it logs it as unexpected)', () => {
    // type-graphql puts what class-validator threw in validationErrors: here validator.js's URIError.
    const crashed = new ArgumentValidationError(new URIError('URI malformed') as never);
    const error = new GraphQLError(crashed.message, { originalError: crashed, path: ['createUser'] });
    const formatted = formatError({ message: crashed.message, path: ['createUser'], extensions: { code: 'BAD_USER_INPUT' } }, error);
    expect(formatted).toMatchObject({
      message: 'Internal server error',
      path: ['createUser'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
