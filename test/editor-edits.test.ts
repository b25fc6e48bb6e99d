import { Role } from '../src/auth/user.entity';
import { fromGlobalId, toGlobalId } from '../src/shared/global-id';
import { startHarness, type GraphQLResult, type Harness } from './helpers/harness';
import * as make from './factories';

/** Editors' article, link and quote mutations, and admins' forum mutations, through GraphQL. */
describe('editor and admin edits', () => {
  let h: Harness;
  let editor: string;
  let admin: string;
  let organiser: string;
  let sessionIds: string[];

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан' });
    const uz = make.country(em, 'UZ', { en: 'Uzbekistan', ru: 'Узбекистан' });
    make.country(em, 'TJ');
    const mci = make.ministry(em, kz, 'kz-mci');
    make.ministry(em, uz, 'uz-aip');
    const aida = make.speaker(em, 'aida', kz, mci);
    const bek = make.speaker(em, 'bek', uz);
    const { sessions } = make.forumWithAgenda(em, { slug: 'camf', host: kz, sessions: 2, speakers: [aida, bek] });
    await em.flush();
    sessionIds = sessions.map((s) => toGlobalId('Session', s.id));
    editor = await h.signIn(Role.EDITOR);
    admin = await h.signIn(Role.ADMIN);
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Errors without their source locations, which depend on the query text. */
  const errorsOf = (result: GraphQLResult) =>
    result.errors?.map((error) => {
      const { locations: _locations, ...rest } = error as typeof error & { locations?: unknown };
      return rest;
    });
  const invalid = (path: string, field: string, problem: string) => [
    {
      message: `Invalid argument: ${problem}`,
      path: [path],
      extensions: { code: 'BAD_USER_INPUT', field, invalid: [{ field, problems: [problem] }] },
    },
  ];
  /** Refused by the text rules before anything runs (src/text-gate.ts): no path, the argument named. */
  const refusedText = (field: string, problem: string) => [
    { message: `Field "${field}" of argument "input" ${problem}`, extensions: { code: 'BAD_USER_INPUT', argument: 'input', field } },
  ];
  const coded = (path: string, code: string, message: string, field?: string) => [
    { message, path: [path], extensions: field === undefined ? { code } : { code, field } },
  ];
  const dbId = (globalId: string) => fromGlobalId(globalId).id;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const ARTICLE_FIELDS = 'id slug status publishedAt title lead body sourceUrl outletName outletUrl authorName language';
  const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { ${ARTICLE_FIELDS} } }`;
  const UPDATE_ARTICLE = `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { ${ARTICLE_FIELDS} } }`;
  const PUBLISH = `mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug status publishedAt } }`;
  const SCHEDULE = `mutation($input: ScheduleArticleInput!) { scheduleArticle(input: $input) { slug status publishedAt } }`;
  const UNPUBLISH = `mutation($input: ArticleIdInput!) { unpublishArticle(input: $input) { slug status publishedAt } }`;
  const DELETE_ARTICLE = `mutation($input: ArticleIdInput!) { deleteArticle(input: $input) }`;
  const SET_LINKS = `mutation($input: SetArticleLinksInput!) {
    setArticleLinks(input: $input) { slug forums { slug } sessions { slug } speakers { slug } countries { code } ministries { slug } }
  }`;
  const PUBLIC_ARTICLE = `query($slug: String!) { article(slug: $slug) { slug status } }`;
  const ARTICLE_COUNT = `{ articles { totalCount } }`;
  const AUDIT = `query($filter: AuditFilter) { auditLog(filter: $filter) { nodes { action entityType entityId actorEmail forum { slug } changes } } }`;

  const articleInput = (slug: string, extra: Record<string, unknown> = {}) => ({
    slug,
    title: { ru: `Заголовок ${slug}`, en: `Headline ${slug}` },
    sourceUrl: `https://news.example/${slug}`,
    outletName: 'News Example',
    language: 'ru',
    ...extra,
  });

  async function createArticle(
    slug: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; status: string; publishedAt: string }> {
    const result = await h.execute(CREATE_ARTICLE, { input: articleInput(slug, extra) }, undefined, editor);
    expect(result.errors).toBeUndefined();
    return result.data!.createArticle;
  }

  const publicArticle = async (slug: string) => (await h.execute(PUBLIC_ARTICLE, { slug })).data!.article;
  const publicCount = async () => (await h.execute(ARTICLE_COUNT)).data!.articles.totalCount as number;
  const tableCount = async (table: string) =>
    Number((await h.orm.em.getConnection().execute(`select count(*)::int as n from "${table}"`))[0].n);

  describe('roles', () => {
    it('lets editors and admins write articles; organisers are FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
      const anonymous = await h.execute(CREATE_ARTICLE, { input: articleInput('role-anon') });
      expect(anonymous.data).toBeNull();
      expect(errorsOf(anonymous)).toEqual(coded('createArticle', 'UNAUTHENTICATED', 'Sign in to do this'));

      const byOrganiser = await h.execute(CREATE_ARTICLE, { input: articleInput('role-organiser') }, undefined, organiser);
      expect(errorsOf(byOrganiser)).toEqual(coded('createArticle', 'FORBIDDEN', 'This needs the EDITOR or ADMIN role'));

      const byEditor = await h.execute(CREATE_ARTICLE, { input: articleInput('role-editor') }, undefined, editor);
      expect(byEditor.errors).toBeUndefined();
      expect(byEditor.data!.createArticle).toMatchObject({ slug: 'role-editor', status: 'DRAFT' });

      const byAdmin = await h.execute(CREATE_ARTICLE, { input: articleInput('role-admin') }, undefined, admin);
      expect(byAdmin.errors).toBeUndefined();

      const id = byEditor.data!.createArticle.id;
      for (const [query, input] of [
        [UPDATE_ARTICLE, { id, outletName: 'X' }],
        [PUBLISH, { id }],
        [UNPUBLISH, { id }],
        [DELETE_ARTICLE, { id }],
        [SET_LINKS, { id, forums: [] }],
      ] as const) {
        const result = await h.execute(query, { input }, undefined, organiser);
        expect(result.errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
      }
      expect(await tableCount('article')).toBeGreaterThanOrEqual(2);
      expect((await h.execute(`{ articles(filter: { query: "role" }) { totalCount } }`)).data!.articles.totalCount).toBe(0);
    });

    it('keeps forums to admins: editors and organisers are FORBIDDEN', async () => {
      const CREATE = `mutation($input: CreateForumInput!) { createForum(input: $input) { slug } }`;
      const input = forumInput('role-forum');
      expect(errorsOf(await h.execute(CREATE, { input }, undefined, editor))).toEqual(
        coded('createForum', 'FORBIDDEN', 'This needs the ADMIN role'),
      );
      expect(errorsOf(await h.execute(CREATE, { input }, undefined, organiser))).toEqual(
        coded('createForum', 'FORBIDDEN', 'This needs the ADMIN role'),
      );
      expect(errorsOf(await h.execute(CREATE, { input }))).toEqual(coded('createForum', 'UNAUTHENTICATED', 'Sign in to do this'));
      expect((await h.execute(CREATE, { input }, undefined, admin)).data).toEqual({ createForum: { slug: 'role-forum' } });
    });
  });

  describe('article input', () => {
    it('refuses each malformed field with BAD_USER_INPUT naming it, and writes nothing', async () => {
      const before = await tableCount('article');
      const cases: [Record<string, unknown>, string, string][] = [
        [{ slug: 'Not A Slug' }, 'slug', 'slug must be lower-case letters, digits and single hyphens'],
        [{ slug: 'double--hyphen' }, 'slug', 'slug must be lower-case letters, digits and single hyphens'],
        [{ sourceUrl: 'javascript:alert(1)' }, 'sourceUrl', 'sourceUrl must be an http(s) URL'],
        [{ sourceUrl: 'ftp://news.example/a' }, 'sourceUrl', 'sourceUrl must be an http(s) URL'],
        [{ outletUrl: 'javascript:alert(1)//https://x.example' }, 'outletUrl', 'outletUrl must be an http(s) URL'],
        [{ title: {} }, 'title', 'title needs text in at least one language'],
        [{ title: { ru: '   ' } }, 'title', 'title needs text in at least one language'],
        [{ title: { ru: 'Заголовок', kk: '' } }, 'title.kk', 'kk must be longer than or equal to 1 characters'],
        [{ outletName: '' }, 'outletName', 'outletName must be longer than or equal to 1 characters'],
        [{ language: 'Russian' }, 'language', 'language must be a BCP 47 code such as ru, kk or en-GB'],
      ];
      for (const [change, field, problem] of cases) {
        const result = await h.execute(CREATE_ARTICLE, { input: { ...articleInput('valid-slug'), ...change } }, undefined, editor);
        expect({ change, errors: errorsOf(result) }).toEqual({ change, errors: invalid('createArticle', field, problem) });
      }
      const tooLong: [Record<string, unknown>, string, string][] = [
        [{ slug: 'a'.repeat(201) }, 'slug', 'is longer than 200 characters'],
        [{ lead: { en: 'x'.repeat(2001) } }, 'lead.en', 'is longer than 2,000 characters'],
        [{ authorName: 'x'.repeat(201) }, 'authorName', 'is longer than 200 characters'],
      ];
      for (const [change, field, problem] of tooLong) {
        const result = await h.execute(CREATE_ARTICLE, { input: { ...articleInput('valid-slug'), ...change } }, undefined, editor);
        expect({ change, errors: errorsOf(result) }).toEqual({ change, errors: refusedText(field, problem) });
      }
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const timeCases: [Record<string, unknown>, string][] = [
        [{ status: 'SCHEDULED' }, 'A scheduled article needs publishedAt, when its embargo lifts'],
        [{ status: 'SCHEDULED', publishedAt: anHourAgo }, 'publishedAt of a scheduled article must be in the future'],
        [{ status: 'PUBLISHED', publishedAt: inAnHour }, 'publishedAt of a published article cannot be in the future; schedule it instead'],
      ];
      for (const [change, message] of timeCases) {
        const result = await h.execute(CREATE_ARTICLE, { input: articleInput('valid-slug', change) }, undefined, editor);
        expect(errorsOf(result)).toEqual(coded('createArticle', 'BAD_USER_INPUT', message, 'publishedAt'));
      }
      expect(await tableCount('article')).toBe(before);
    });

    it('refuses nulls for required fields on update, clears optional ones, and answers NOT_FOUND for unknown ids', async () => {
      const { id } = await createArticle('update-me', { lead: { ru: 'Лид' }, authorName: 'Дана' });
      expect(errorsOf(await h.execute(UPDATE_ARTICLE, { input: { id, slug: null } }, undefined, editor))).toEqual(
        invalid('updateArticle', 'slug', 'slug cannot be null; leave it out to keep it'),
      );
      expect(errorsOf(await h.execute(UPDATE_ARTICLE, { input: { id, title: null } }, undefined, editor))).toEqual(
        invalid('updateArticle', 'title', 'title cannot be null; leave it out to keep it'),
      );
      expect(errorsOf(await h.execute(UPDATE_ARTICLE, { input: { id, sourceUrl: 'javascript:alert(1)' } }, undefined, editor))).toEqual(
        invalid('updateArticle', 'sourceUrl', 'sourceUrl must be an http(s) URL'),
      );

      const updated = await h.execute(
        UPDATE_ARTICLE,
        { input: { id, lead: null, authorName: null, title: { en: 'New headline' }, body: { ru: 'Текст' } } },
        'en',
        editor,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateArticle).toMatchObject({
        slug: 'update-me',
        title: 'New headline',
        lead: null,
        authorName: null,
        body: 'Текст',
      });

      const unknown = toGlobalId('Article', 999_999);
      expect(errorsOf(await h.execute(UPDATE_ARTICLE, { input: { id: unknown, outletName: 'X' } }, undefined, editor))).toEqual(
        coded('updateArticle', 'NOT_FOUND', `No article with id "${unknown}"`),
      );
      for (const query of [PUBLISH, UNPUBLISH, DELETE_ARTICLE]) {
        expect((await h.execute(query, { input: { id: unknown } }, undefined, editor)).errors![0].extensions).toEqual({
          code: 'NOT_FOUND',
        });
      }
      const forumId = toGlobalId('Forum', 1);
      expect(errorsOf(await h.execute(UPDATE_ARTICLE, { input: { id: forumId } }, undefined, editor))).toEqual(
        coded('updateArticle', 'BAD_USER_INPUT', 'id must be an id of type Article, not Forum', 'id'),
      );
      expect(errorsOf(await h.execute(PUBLISH, { input: { id: 'not an id' } }, undefined, editor))).toEqual(
        coded('publishArticle', 'BAD_USER_INPUT', '"not an id" is not a valid id', 'id'),
      );
    });
  });

  describe('lifecycle', () => {
    it('lists drafts and embargoed articles to editors and admins only, most recently edited first', async () => {
      const UNPUBLISHED = `query($first: Int) { unpublishedArticles(first: $first) { totalCount nodes { slug status } } }`;
      const draft = await createArticle('unpublished-draft');
      const embargoed = await createArticle('unpublished-embargoed');
      const publishAt = new Date(Date.now() + 3_600_000).toISOString();
      expect((await h.execute(SCHEDULE, { input: { id: embargoed.id, publishAt } }, undefined, editor)).errors).toBeUndefined();
      const published = await createArticle('unpublished-published');
      expect((await h.execute(PUBLISH, { input: { id: published.id } }, undefined, editor)).errors).toBeUndefined();
      // Edited last, so listed first.
      expect(
        (await h.execute(UPDATE_ARTICLE, { input: { id: draft.id, outletName: 'Edited' } }, undefined, editor)).errors,
      ).toBeUndefined();

      for (const viewer of [editor, admin]) {
        const listed = await h.execute(UNPUBLISHED, { first: 100 }, undefined, viewer);
        expect(listed.errors).toBeUndefined();
        const slugs = listed.data!.unpublishedArticles.nodes.map((n: { slug: string }) => n.slug);
        expect(slugs.slice(0, 2)).toEqual(['unpublished-draft', 'unpublished-embargoed']);
        expect(slugs).not.toContain('unpublished-published');
        expect(listed.data!.unpublishedArticles.totalCount).toBe(slugs.length);
      }
      expect(errorsOf(await h.execute(UNPUBLISHED, {}, undefined, organiser))).toEqual(
        coded('unpublishedArticles', 'FORBIDDEN', 'This needs the EDITOR or ADMIN role'),
      );
      expect(errorsOf(await h.execute(UNPUBLISHED, {}))).toEqual(coded('unpublishedArticles', 'UNAUTHENTICATED', 'Sign in to do this'));
    });

    it('shows an article to the public only while published, and lifts an embargo by itself', async () => {
      const publicBefore = await publicCount();
      const draft = await createArticle('lifecycle');
      expect(draft.status).toBe('DRAFT');
      expect(await publicArticle('lifecycle')).toBeNull();
      expect(await publicCount()).toBe(publicBefore);

      // Editors see the draft they edit: the mutation returns it.
      const edited = await h.execute(UPDATE_ARTICLE, { input: { id: draft.id, outletName: 'Kazpravda.kz' } }, undefined, editor);
      expect(edited.data!.updateArticle).toMatchObject({ slug: 'lifecycle', status: 'DRAFT', outletName: 'Kazpravda.kz' });

      const past = await h.execute(
        SCHEDULE,
        { input: { id: draft.id, publishAt: new Date(Date.now() - 1000).toISOString() } },
        undefined,
        editor,
      );
      expect(errorsOf(past)).toEqual(
        coded('scheduleArticle', 'BAD_USER_INPUT', 'publishAt of a scheduled article must be in the future', 'publishAt'),
      );

      const publishAt = new Date(Date.now() + 2000);
      const scheduled = await h.execute(SCHEDULE, { input: { id: draft.id, publishAt: publishAt.toISOString() } }, undefined, editor);
      expect(scheduled.data!.scheduleArticle).toEqual({ slug: 'lifecycle', status: 'SCHEDULED', publishedAt: publishAt.toISOString() });
      expect(await publicArticle('lifecycle')).toBeNull();
      expect(await publicCount()).toBe(publicBefore);

      await sleep(publishAt.getTime() - Date.now() + 300);
      expect(await publicArticle('lifecycle')).toEqual({ slug: 'lifecycle', status: 'SCHEDULED' });
      expect(await publicCount()).toBe(publicBefore + 1);

      const unpublished = await h.execute(UNPUBLISH, { input: { id: draft.id } }, undefined, editor);
      expect(unpublished.data!.unpublishArticle).toEqual({ slug: 'lifecycle', status: 'DRAFT', publishedAt: publishAt.toISOString() });
      expect(await publicArticle('lifecycle')).toBeNull();
      expect(await publicCount()).toBe(publicBefore);

      // Published again: the time it first went public is kept.
      const published = await h.execute(PUBLISH, { input: { id: draft.id } }, undefined, editor);
      expect(published.data!.publishArticle).toEqual({ slug: 'lifecycle', status: 'PUBLISHED', publishedAt: publishAt.toISOString() });
      expect(await publicArticle('lifecycle')).toEqual({ slug: 'lifecycle', status: 'PUBLISHED' });
      expect(await publicCount()).toBe(publicBefore + 1);

      const log = await h.execute(AUDIT, { filter: { entityType: 'Article', entityId: dbId(draft.id) } }, undefined, admin);
      expect(log.data!.auditLog.nodes.map((n: { action: string }) => n.action)).toEqual([
        'PUBLISH',
        'UNPUBLISH',
        'SCHEDULE',
        'UPDATE',
        'CREATE',
      ]);
      expect(log.data!.auditLog.nodes[3].changes).toEqual({ outletName: { before: 'News Example', after: 'Kazpravda.kz' } });
      expect(log.data!.auditLog.nodes[2].changes).toEqual({
        status: { before: 'DRAFT', after: 'SCHEDULED' },
        publishedAt: { before: draft.publishedAt, after: publishAt.toISOString() },
      });
    });

    it('publishes at once: now for a draft without a time or an embargoed article, the given time otherwise', async () => {
      const noTime = await createArticle('publish-now');
      await sleep(20);
      const started = Date.now();
      const published = (await h.execute(PUBLISH, { input: { id: noTime.id } }, undefined, editor)).data!.publishArticle;
      expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(started);
      expect(Date.parse(published.publishedAt)).toBeGreaterThan(Date.parse(noTime.publishedAt));

      const embargoed = await createArticle('embargo-lifted', {
        status: 'SCHEDULED',
        publishedAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(await publicArticle('embargo-lifted')).toBeNull();
      const lifted = (await h.execute(PUBLISH, { input: { id: embargoed.id } }, undefined, editor)).data!.publishArticle;
      expect(Date.parse(lifted.publishedAt)).toBeLessThanOrEqual(Date.now());
      expect(await publicArticle('embargo-lifted')).toEqual({ slug: 'embargo-lifted', status: 'PUBLISHED' });

      const outletTime = '2025-04-16T06:00:00.000Z';
      const fromOutlet = await createArticle('outlet-time', { publishedAt: outletTime });
      expect((await h.execute(PUBLISH, { input: { id: fromOutlet.id } }, undefined, editor)).data!.publishArticle.publishedAt).toBe(
        outletTime,
      );

      const corrected = await h.execute(PUBLISH, { input: { id: fromOutlet.id, publishedAt: '2025-04-17T06:00:00Z' } }, undefined, editor);
      expect(corrected.data!.publishArticle.publishedAt).toBe('2025-04-17T06:00:00.000Z');
      const future = await h.execute(
        PUBLISH,
        { input: { id: fromOutlet.id, publishedAt: new Date(Date.now() + 3_600_000).toISOString() } },
        undefined,
        editor,
      );
      expect(errorsOf(future)).toEqual(
        coded(
          'publishArticle',
          'BAD_USER_INPUT',
          'publishedAt of a published article cannot be in the future; schedule it instead',
          'publishedAt',
        ),
      );
      const futureUpdate = await h.execute(
        UPDATE_ARTICLE,
        { input: { id: fromOutlet.id, publishedAt: new Date(Date.now() + 3_600_000).toISOString() } },
        undefined,
        editor,
      );
      expect(futureUpdate.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'publishedAt' });
      expect((await publicArticle('outlet-time'))?.slug).toBe('outlet-time');
    });

    it('deletes an article with its quotes and links, and records it', async () => {
      const { id } = await createArticle('to-delete', { status: 'PUBLISHED' });
      await h.execute(SET_LINKS, { input: { id, forums: [{ slug: 'camf', kind: 'COVERS' }] } }, undefined, editor);
      const quote = await h.execute(
        `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { id } }`,
        { input: { articleId: id, speakerSlug: 'aida', text: { ru: 'Цитата' } } },
        undefined,
        editor,
      );
      const quoteId = quote.data!.createQuote.id;
      expect(await h.execute(DELETE_ARTICLE, { input: { id } }, undefined, editor)).toEqual({ data: { deleteArticle: id } });
      expect(await publicArticle('to-delete')).toBeNull();
      expect((await h.execute(`query($id: ID!) { node(id: $id) { id } }`, { id: quoteId })).data!.node).toBeNull();
      const log = await h.execute(AUDIT, { filter: { entityType: 'Article', entityId: dbId(id) } }, undefined, admin);
      expect(log.data!.auditLog.nodes[0]).toMatchObject({
        action: 'DELETE',
        forum: { slug: 'camf' },
        changes: { slug: { before: 'to-delete', after: null } },
      });
      expect(errorsOf(await h.execute(DELETE_ARTICLE, { input: { id } }, undefined, editor))).toEqual(
        coded('deleteArticle', 'NOT_FOUND', `No article with id "${id}"`),
      );
    });
  });

  describe('conflicts', () => {
    it('answers CONFLICT on slug for a taken slug, writes nothing, and the rest of the request still works', async () => {
      const { id } = await createArticle('taken');
      const other = await createArticle('other');
      const [articles, audits] = [await tableCount('article'), await tableCount('audit_entry')];
      const duplicate = await h.execute(CREATE_ARTICLE, { input: articleInput('taken') }, undefined, editor);
      expect(duplicate.data).toBeNull();
      expect(errorsOf(duplicate)).toEqual(coded('createArticle', 'CONFLICT', 'Another record already has this slug', 'slug'));
      const renamed = await h.execute(UPDATE_ARTICLE, { input: { id: other.id, slug: 'taken' } }, undefined, editor);
      expect(errorsOf(renamed)).toEqual(coded('updateArticle', 'CONFLICT', 'Another record already has this slug', 'slug'));
      expect([await tableCount('article'), await tableCount('audit_entry')]).toEqual([articles, audits]);

      // The failures are not left behind: the next write goes through.
      expect((await h.execute(UPDATE_ARTICLE, { input: { id, slug: 'taken-renamed' } }, undefined, editor)).data!.updateArticle.slug).toBe(
        'taken-renamed',
      );
      expect((await h.execute(CREATE_ARTICLE, { input: articleInput('taken') }, undefined, editor)).data!.createArticle.slug).toBe('taken');
    });
  });

  describe('links', () => {
    it('replaces the given lists with their kinds, visible from the other side, and leaves the others', async () => {
      const { id } = await createArticle('linked', { status: 'PUBLISHED' });
      const result = await h.execute(
        SET_LINKS,
        {
          input: {
            id,
            forums: [{ slug: 'camf', kind: 'COVERS' }],
            sessions: [{ id: sessionIds[0], kind: 'COVERS' }, { id: sessionIds[1] }],
            speakers: [
              { slug: 'aida', kind: 'COVERS' },
              { slug: 'bek', kind: 'MENTIONS' },
            ],
            countries: [{ code: 'kz', kind: 'MENTIONS' }],
            ministries: [{ slug: 'kz-mci', kind: 'COVERS' }],
          },
        },
        undefined,
        editor,
      );
      expect(result).toEqual({
        data: {
          setArticleLinks: {
            slug: 'linked',
            forums: [{ slug: 'camf' }],
            sessions: [{ slug: 'camf-s1' }, { slug: 'camf-s2' }],
            speakers: [{ slug: 'aida' }, { slug: 'bek' }],
            countries: [{ code: 'KZ' }],
            ministries: [{ slug: 'kz-mci' }],
          },
        },
      });

      const fromForum = (link: string) =>
        h.execute(`query($link: LinkKind) { forum(slug: "camf") { articles(link: $link) { nodes { slug } } } }`, { link });
      const fromSpeaker = (slug: string, link: string) =>
        h.execute(`query($slug: String!, $link: LinkKind) { speaker(slug: $slug) { articles(link: $link) { totalCount } } }`, {
          slug,
          link,
        });
      expect((await fromForum('COVERS')).data!.forum.articles.nodes).toEqual([{ slug: 'linked' }]);
      expect((await fromForum('MENTIONS')).data!.forum.articles.nodes).toEqual([]);
      expect((await fromSpeaker('aida', 'COVERS')).data!.speaker.articles.totalCount).toBe(1);
      expect((await fromSpeaker('bek', 'COVERS')).data!.speaker.articles.totalCount).toBe(0);
      expect((await fromSpeaker('bek', 'MENTIONS')).data!.speaker.articles.totalCount).toBe(1);

      // Only forums given: their kind changes, the other lists stay; an empty list removes.
      const changed = await h.execute(
        SET_LINKS,
        { input: { id, forums: [{ slug: 'camf', kind: 'MENTIONS' }], countries: [] } },
        undefined,
        editor,
      );
      expect(changed.data!.setArticleLinks).toMatchObject({
        forums: [{ slug: 'camf' }],
        speakers: [{ slug: 'aida' }, { slug: 'bek' }],
        countries: [],
      });
      expect((await fromForum('COVERS')).data!.forum.articles.nodes).toEqual([]);
      expect((await fromForum('MENTIONS')).data!.forum.articles.nodes).toEqual([{ slug: 'linked' }]);

      const log = await h.execute(AUDIT, { filter: { entityType: 'Article', entityId: dbId(id) } }, undefined, admin);
      expect(log.data!.auditLog.nodes[0]).toEqual({
        action: 'LINK',
        entityType: 'Article',
        entityId: dbId(id),
        actorEmail: expect.stringMatching(/^editor-\d+@test\.example$/),
        forum: { slug: 'camf' },
        changes: {
          forums: { before: [{ slug: 'camf', kind: 'COVERS' }], after: [{ slug: 'camf', kind: 'MENTIONS' }] },
          countries: { before: [{ code: 'KZ', kind: 'MENTIONS' }], after: [] },
        },
      });
      // The organiser of the forum reads the article's entries in their forum's log.
      const theirs = await h.execute(AUDIT, { filter: { entityType: 'Article', entityId: dbId(id) } }, undefined, organiser);
      expect(theirs.data!.auditLog.nodes.map((n: { action: string }) => n.action)).toEqual(['LINK', 'LINK']);
    });

    it('refuses unknown, repeated or malformed targets naming the field, and changes no list', async () => {
      const { id } = await createArticle('links-refused', { status: 'PUBLISHED' });
      await h.execute(SET_LINKS, { input: { id, speakers: [{ slug: 'aida', kind: 'COVERS' }] } }, undefined, editor);
      const links = await tableCount('article_speaker');
      const cases: [Record<string, unknown>, string, string][] = [
        [{ forums: [{ slug: 'camf' }, { slug: 'nope' }] }, 'forums.1.slug', 'Unknown forum "nope"'],
        [{ forums: [{ slug: 'camf' }, { slug: 'camf', kind: 'COVERS' }] }, 'forums.1.slug', 'The forum "camf" is listed twice'],
        [{ sessions: [{ id: toGlobalId('Session', 999_999) }] }, 'sessions.0.id', `Unknown session "${toGlobalId('Session', 999_999)}"`],
        [{ sessions: [{ id: 'garbage' }] }, 'sessions.0.id', '"garbage" is not a valid id'],
        [{ speakers: [{ slug: 'bek' }, { slug: 'ghost' }] }, 'speakers.1.slug', 'Unknown speaker "ghost"'],
        [{ countries: [{ code: 'QQ' }] }, 'countries.0.code', 'Unknown country "QQ"'],
        [{ ministries: [{ slug: 'none' }] }, 'ministries.0.slug', 'Unknown ministry "none"'],
      ];
      for (const [lists, field, message] of cases) {
        // Valid speaker changes ride along: they must not be applied either.
        const result = await h.execute(SET_LINKS, { input: { id, speakers: [{ slug: 'bek' }], ...lists } }, undefined, editor);
        expect({ lists, errors: errorsOf(result) }).toEqual({ lists, errors: coded('setArticleLinks', 'BAD_USER_INPUT', message, field) });
      }
      const badCode = await h.execute(SET_LINKS, { input: { id, countries: [{ code: 'KAZ' }] } }, undefined, editor);
      expect(errorsOf(badCode)).toEqual(refusedText('countries.0.code', 'is longer than 2 characters'));
      const notLetters = await h.execute(SET_LINKS, { input: { id, countries: [{ code: 'K1' }] } }, undefined, editor);
      expect(errorsOf(notLetters)).toEqual(invalid('setArticleLinks', 'countries.0.code', 'code must be a two-letter ISO 3166-1 code'));
      expect(await tableCount('article_speaker')).toBe(links);
      const state = await h.execute(`{ article(slug: "links-refused") { speakers { slug } forums { slug } } }`);
      expect(state.data!.article).toEqual({ speakers: [{ slug: 'aida' }], forums: [] });
    });
  });

  describe('quotes', () => {
    const QUOTE_FIELDS = 'id text speaker { slug } session { slug } article { slug status }';
    const CREATE_QUOTE = `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { ${QUOTE_FIELDS} } }`;
    const UPDATE_QUOTE = `mutation($input: UpdateQuoteInput!) { updateQuote(input: $input) { ${QUOTE_FIELDS} } }`;
    const DELETE_QUOTE = `mutation($input: QuoteIdInput!) { deleteQuote(input: $input) }`;

    it('adds, changes and deletes quotations, also of drafts, with audit entries in the article forum', async () => {
      const { id: articleId } = await createArticle('quoted');
      await h.execute(SET_LINKS, { input: { id: articleId, forums: [{ slug: 'camf', kind: 'COVERS' }] } }, undefined, editor);
      expect(
        errorsOf(
          await h.execute(CREATE_QUOTE, { input: { articleId, speakerSlug: 'aida', text: { ru: 'Привет' } } }, undefined, organiser),
        ),
      ).toEqual(coded('createQuote', 'FORBIDDEN', 'This needs the EDITOR or ADMIN role'));

      const created = await h.execute(
        CREATE_QUOTE,
        { input: { articleId, speakerSlug: 'aida', sessionId: sessionIds[0], text: { ru: 'Привет', en: 'Hello' } } },
        'en',
        editor,
      );
      expect(created.errors).toBeUndefined();
      const quote = created.data!.createQuote;
      expect(quote).toEqual({
        id: expect.any(String),
        text: 'Hello',
        speaker: { slug: 'aida' },
        session: { slug: 'camf-s1' },
        article: { slug: 'quoted', status: 'DRAFT' },
      });

      const updated = await h.execute(UPDATE_QUOTE, { input: { id: quote.id, speakerSlug: 'bek', sessionId: null } }, 'ru', editor);
      expect(updated.data!.updateQuote).toEqual({
        id: quote.id,
        text: 'Привет',
        speaker: { slug: 'bek' },
        session: null,
        article: { slug: 'quoted', status: 'DRAFT' },
      });

      expect(await h.execute(DELETE_QUOTE, { input: { id: quote.id } }, undefined, editor)).toEqual({ data: { deleteQuote: quote.id } });
      expect(errorsOf(await h.execute(DELETE_QUOTE, { input: { id: quote.id } }, undefined, editor))).toEqual(
        coded('deleteQuote', 'NOT_FOUND', `No quote with id "${quote.id}"`),
      );

      const log = await h.execute(AUDIT, { filter: { entityType: 'Quote', entityId: dbId(quote.id) } }, undefined, admin);
      expect(log.data!.auditLog.nodes).toEqual([
        expect.objectContaining({ action: 'DELETE', forum: { slug: 'camf' } }),
        expect.objectContaining({
          action: 'UPDATE',
          forum: { slug: 'camf' },
          changes: { speaker: { before: 'aida', after: 'bek' }, session: { before: 'camf-s1', after: null } },
        }),
        expect.objectContaining({ action: 'CREATE', forum: { slug: 'camf' } }),
      ]);
    });

    it('refuses unknown speakers, sessions and articles, and empty text', async () => {
      const { id: articleId } = await createArticle('quote-errors');
      const input = { articleId, speakerSlug: 'aida', text: { ru: 'Текст' } };
      const quotes = await tableCount('quote');
      expect(errorsOf(await h.execute(CREATE_QUOTE, { input: { ...input, speakerSlug: 'ghost' } }, undefined, editor))).toEqual(
        coded('createQuote', 'BAD_USER_INPUT', 'Unknown speaker "ghost"', 'speakerSlug'),
      );
      expect(errorsOf(await h.execute(CREATE_QUOTE, { input: { ...input, sessionId: articleId } }, undefined, editor))).toEqual(
        coded('createQuote', 'BAD_USER_INPUT', 'sessionId must be an id of type Session, not Article', 'sessionId'),
      );
      const missing = toGlobalId('Article', 999_999);
      expect(errorsOf(await h.execute(CREATE_QUOTE, { input: { ...input, articleId: missing } }, undefined, editor))).toEqual(
        coded('createQuote', 'NOT_FOUND', `No article with id "${missing}"`),
      );
      expect(errorsOf(await h.execute(CREATE_QUOTE, { input: { ...input, text: { en: ' ' } } }, undefined, editor))).toEqual(
        invalid('createQuote', 'text', 'text needs text in at least one language'),
      );
      expect(await tableCount('quote')).toBe(quotes);
    });
  });

  function forumInput(slug: string, extra: Record<string, unknown> = {}) {
    return {
      slug,
      title: { ru: `Форум ${slug}`, en: `Forum ${slug}` },
      edition: 3,
      city: { ru: 'Ташкент', en: 'Tashkent' },
      hostCountryCode: 'uz',
      timeZone: 'Asia/Tashkent',
      startDate: '2026-05-12',
      endDate: '2026-05-13',
      ...extra,
    };
  }

  describe('forums', () => {
    const FORUM_FIELDS =
      'id slug title edition city venue timeZone startDate endDate participantCount website hostCountry { code } organisers { slug } countries { code }';
    const CREATE_FORUM = `mutation($input: CreateForumInput!) { createForum(input: $input) { ${FORUM_FIELDS} } }`;
    const UPDATE_FORUM = `mutation($input: UpdateForumInput!) { updateForum(input: $input) { ${FORUM_FIELDS} } }`;
    const DELETE_FORUM = `mutation($input: ForumIdInput!) { deleteForum(input: $input) }`;

    it('creates, changes and deletes a forum, each with an audit entry in that forum', async () => {
      const created = await h.execute(
        CREATE_FORUM,
        {
          input: forumInput('camf-2026', {
            timeZone: 'asia/tashkent',
            venue: { en: 'Congress Hall' },
            participantCount: 0,
            website: 'https://camf.example',
            organiserSlugs: ['uz-aip', 'kz-mci'],
            countryCodes: ['uz', 'KZ', 'kz'],
          }),
        },
        'en',
        admin,
      );
      expect(created.errors).toBeUndefined();
      const forum = created.data!.createForum;
      expect(forum).toEqual({
        id: expect.any(String),
        slug: 'camf-2026',
        title: 'Forum camf-2026',
        edition: 3,
        city: 'Tashkent',
        venue: 'Congress Hall',
        timeZone: 'Asia/Tashkent',
        startDate: '2026-05-12',
        endDate: '2026-05-13',
        participantCount: 0,
        website: 'https://camf.example',
        hostCountry: { code: 'UZ' },
        organisers: expect.arrayContaining([{ slug: 'uz-aip' }, { slug: 'kz-mci' }]),
        countries: [{ code: 'KZ' }, { code: 'UZ' }],
      });
      expect((await h.execute(`{ forum(slug: "camf-2026") { slug } }`)).data!.forum).toEqual({ slug: 'camf-2026' });

      const updated = await h.execute(
        UPDATE_FORUM,
        { input: { id: forum.id, venue: null, endDate: '2026-05-14', countryCodes: ['TJ'], participantCount: 1200 } },
        'en',
        admin,
      );
      expect(updated.data!.updateForum).toMatchObject({
        venue: null,
        endDate: '2026-05-14',
        countries: [{ code: 'TJ' }],
        participantCount: 1200,
        slug: 'camf-2026',
      });

      expect(await h.execute(DELETE_FORUM, { input: { id: forum.id } }, undefined, admin)).toEqual({ data: { deleteForum: forum.id } });
      expect((await h.execute(`{ forum(slug: "camf-2026") { slug } }`)).data!.forum).toBeNull();

      const log = await h.execute(AUDIT, { filter: { entityType: 'Forum', entityId: dbId(forum.id) } }, undefined, admin);
      const [deleted, update, create] = log.data!.auditLog.nodes;
      expect(deleted).toMatchObject({ action: 'DELETE', forum: null, changes: { slug: { before: 'camf-2026', after: null } } });
      expect(update.action).toBe('UPDATE');
      expect(update.changes).toEqual({
        venue: { before: { en: 'Congress Hall' }, after: null },
        endDate: { before: '2026-05-13', after: '2026-05-14' },
        countries: { before: ['KZ', 'UZ'], after: ['TJ'] },
        participantCount: { before: 0, after: 1200 },
      });
      // The forum's own entries lost their forum with it; the creation recorded it while it existed.
      expect(create).toMatchObject({
        action: 'CREATE',
        changes: { slug: { before: null, after: 'camf-2026' }, hostCountry: { before: null, after: 'UZ' } },
      });
    });

    it('refuses each malformed field with BAD_USER_INPUT naming it, and writes nothing', async () => {
      const [forums, audits] = [await tableCount('forum'), await tableCount('audit_entry')];
      const cases: [Record<string, unknown>, string, string][] = [
        [{ slug: 'CAMF 2026' }, 'slug', 'slug must be lower-case letters, digits and single hyphens'],
        [{ title: { en: ' ' } }, 'title', 'title needs text in at least one language'],
        [{ edition: 0 }, 'edition', 'edition must not be less than 1'],
        [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', 'timeZone must be an IANA time zone such as Asia/Almaty'],
        [{ timeZone: '+05:00' }, 'timeZone', 'timeZone must be an IANA time zone such as Asia/Almaty'],
        [{ endDate: '2026-05-11' }, 'endDate', 'endDate cannot be before startDate'],
        [{ participantCount: -1 }, 'participantCount', 'participantCount must not be less than 0'],
        [{ website: 'javascript:alert(1)' }, 'website', 'website must be an http(s) URL'],
        [{ hostCountryCode: 'U1' }, 'hostCountryCode', 'hostCountryCode must be a two-letter ISO 3166-1 code'],
        [{ countryCodes: ['KZ', 'K1'] }, 'countryCodes', 'country codes must be two-letter ISO 3166-1 codes'],
      ];
      for (const [change, field, problem] of cases) {
        const result = await h.execute(CREATE_FORUM, { input: forumInput('bad-forum', change) }, undefined, admin);
        expect({ change, errors: errorsOf(result) }).toEqual({ change, errors: invalid('createForum', field, problem) });
      }
      const tooLongCode = await h.execute(CREATE_FORUM, { input: forumInput('bad-forum', { hostCountryCode: 'UZB' }) }, undefined, admin);
      expect(errorsOf(tooLongCode)).toEqual(refusedText('hostCountryCode', 'is longer than 2 characters'));
      const unknown: [Record<string, unknown>, string, string][] = [
        [{ hostCountryCode: 'QQ' }, 'hostCountryCode', 'Unknown country "QQ"'],
        [{ countryCodes: ['KZ', 'QQ'] }, 'countryCodes.1', 'Unknown country "QQ"'],
        [{ organiserSlugs: ['nobody'] }, 'organiserSlugs.0', 'Unknown ministry "nobody"'],
      ];
      for (const [change, field, message] of unknown) {
        const result = await h.execute(CREATE_FORUM, { input: forumInput('bad-forum', change) }, undefined, admin);
        expect(errorsOf(result)).toEqual(coded('createForum', 'BAD_USER_INPUT', message, field));
      }
      const badDate = await h.execute(CREATE_FORUM, { input: forumInput('bad-forum', { startDate: '2026-02-30' }) }, undefined, admin);
      expect(badDate.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect([await tableCount('forum'), await tableCount('audit_entry')]).toEqual([forums, audits]);
    });

    it('checks dates against the kept ones on update, answers CONFLICT for a taken slug and for a forum with sessions', async () => {
      const camf = (await h.execute(`{ forum(slug: "camf") { id startDate } }`)).data!.forum;
      const before = await h.execute(UPDATE_FORUM, { input: { id: camf.id, endDate: '2025-01-01' } }, undefined, admin);
      expect(errorsOf(before)).toEqual(
        coded('updateForum', 'BAD_USER_INPUT', `endDate (2025-01-01) cannot be before startDate (${camf.startDate})`, 'endDate'),
      );
      expect(errorsOf(await h.execute(UPDATE_FORUM, { input: { id: camf.id, timeZone: null } }, undefined, admin))).toEqual(
        invalid('updateForum', 'timeZone', 'timeZone cannot be null; leave it out to keep it'),
      );

      const other = (await h.execute(CREATE_FORUM, { input: forumInput('other-forum') }, undefined, admin)).data!.createForum;
      expect(errorsOf(await h.execute(CREATE_FORUM, { input: forumInput('camf') }, undefined, admin))).toEqual(
        coded('createForum', 'CONFLICT', 'Another record already has this slug', 'slug'),
      );
      expect(
        errorsOf(await h.execute(UPDATE_FORUM, { input: { id: other.id, slug: 'camf', countryCodes: ['TJ'] } }, undefined, admin)),
      ).toEqual(coded('updateForum', 'CONFLICT', 'Another record already has this slug', 'slug'));
      expect((await h.execute(`{ forum(slug: "other-forum") { countries { code } } }`)).data!.forum).toEqual({ countries: [] });

      expect(errorsOf(await h.execute(DELETE_FORUM, { input: { id: camf.id } }, undefined, admin))).toEqual(
        coded('deleteForum', 'CONFLICT', 'The forum has 2 session(s) and 0 initiative(s); delete them first'),
      );
      expect((await h.execute(`{ forum(slug: "camf") { slug } }`)).data!.forum).toEqual({ slug: 'camf' });
      const missing = toGlobalId('Forum', 999_999);
      expect(errorsOf(await h.execute(DELETE_FORUM, { input: { id: missing } }, undefined, admin))).toEqual(
        coded('deleteForum', 'NOT_FOUND', `No forum with id "${missing}"`),
      );
      expect(errorsOf(await h.execute(DELETE_FORUM, { input: { id: camf.id } }, undefined, editor))).toEqual(
        coded('deleteForum', 'FORBIDDEN', 'This needs the ADMIN role'),
      );
    });
  });
});
