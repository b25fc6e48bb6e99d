import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';
import { Session, SessionKind } from '../src/session/session.entity';
import { ParticipantRole, SessionParticipant } from '../src/session/session-participant.entity';

/**
 * The read API end to end, through GraphQL against a real PostgreSQL: relations in both
 * directions, the root fields, connections and paging, nulls and bad ids, languages, and the
 * number of SQL statements a nested query runs.
 *
 * The data (built once in beforeAll, never changed by a test):
 *
 *   countries  KZ (has a Kazakh name), UZ, KG (5 speakers, for paging), TJ and TM (statement counts)
 *   ministries kz-mci, kz-mfa (KZ), uz-aim (UZ), tj-min (TJ)
 *   speakers   aida (KZ, kz-mci), bakhyt (KZ), dilshod (UZ, uz-aim), kg-1..kg-5, tj-1, tj-2
 *   forums     camf-2025 (2025-04-16..17, Asia/Almaty; 4 agenda sessions + camf-2025-late at
 *              2025-04-16T20:30Z = 2025-04-17 01:30 local), camf-2024 (1 session),
 *              stats-large (2019-02-01) and stats-small (2019-01-01), no sessions
 *   articles   uz-delegation (2025-04-17, en), camf-opening (2025-04-16), camf-2024-recap (2024),
 *              then 30 + 3 articles of 2019 on stats-large / stats-small
 *   quotes     aida in camf-opening at camf-2025-s1; dilshod in uz-delegation, no session
 *   initiative joint-tv of camf-2025 (KZ, UZ)
 */

/** base64url, as the API encodes global ids and cursors. */
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const slugs = (list: { slug: string }[]) => list.map((item) => item.slug);

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const em = h.orm.em.fork();

  const kz = make.country(em, 'KZ');
  kz.name = { en: 'Kazakhstan', ru: 'Казахстан', kk: 'Қазақстан' };
  const uz = make.country(em, 'UZ');
  const kg = make.country(em, 'KG');
  const tj = make.country(em, 'TJ');
  const tm = make.country(em, 'TM');

  const kzMci = make.ministry(em, kz, 'kz-mci');
  kzMci.name = {
    en: 'Ministry of Culture and Information',
    ru: 'Министерство культуры и информации',
    kk: 'Мәдениет және ақпарат министрлігі',
  };
  kzMci.shortName = { ru: 'МКИ РК', kk: 'МАМ' };
  make.ministry(em, kz, 'kz-mfa');
  const uzAim = make.ministry(em, uz, 'uz-aim');
  const tjMin = make.ministry(em, tj, 'tj-min');

  const aida = make.speaker(em, 'aida', kz, kzMci);
  aida.fullName = { en: 'Aida Balaeva', ru: 'Аида Балаева', kk: 'Аида Балаева' };
  aida.position = { en: 'Minister of Culture and Information', ru: 'Министр культуры и информации', kk: 'Мәдениет және ақпарат министрі' };
  const bakhyt = make.speaker(em, 'bakhyt', kz);
  const dilshod = make.speaker(em, 'dilshod', uz, uzAim);
  for (let i = 1; i <= 5; i += 1) make.speaker(em, `kg-${i}`, kg);
  const tj1 = make.speaker(em, 'tj-1', tj, tjMin);
  const tj2 = make.speaker(em, 'tj-2', tj);

  const camf = make.forumWithAgenda(em, { slug: 'camf-2025', host: kz, sessions: 4, speakers: [aida, dilshod], startDate: '2025-04-16' });
  camf.forum.title = { ...camf.forum.title, kk: 'Орталық Азия медиафорумы' };
  camf.forum.organisers.set([kzMci]);
  camf.forum.countries.set([kz, uz]);
  // Late in the evening of 16 April in UTC, but already 17 April in Astana (UTC+5).
  const late = em.create(Session, {
    slug: 'camf-2025-late',
    forum: camf.forum,
    title: { en: 'Night workshop', ru: 'Ночной воркшоп' },
    kind: SessionKind.WORKSHOP,
    startsAt: new Date('2025-04-16T20:30:00Z'),
    endsAt: new Date('2025-04-16T21:30:00Z'),
    language: 'ru',
  });
  em.create(SessionParticipant, { session: late, speaker: bakhyt, role: ParticipantRole.HOST, position: 1 });

  const camf2024 = make.forumWithAgenda(em, { slug: 'camf-2024', host: kz, sessions: 1, speakers: [bakhyt], startDate: '2024-05-20' });
  camf2024.forum.organisers.set([kzMci]);
  camf2024.forum.countries.set([kz]);

  const statsSmall = make.forumWithAgenda(em, { slug: 'stats-small', host: tj, sessions: 0, speakers: [], startDate: '2019-01-01' }).forum;
  const statsLarge = make.forumWithAgenda(em, { slug: 'stats-large', host: tj, sessions: 0, speakers: [], startDate: '2019-02-01' }).forum;

  make.initiative(em, 'joint-tv', camf.forum, [uz, kz]);

  const [s1, , s3] = camf.sessions;
  const opening = make.article(em, 'camf-opening', '2025-04-16T10:00:00Z', {
    forums: [camf.forum],
    sessions: [s1],
    speakers: [dilshod, aida],
    countries: [uz, kz],
    ministries: [kzMci],
  });
  opening.title = { ...opening.title, kk: 'Медиафорум ашылды' };
  const delegation = make.article(em, 'uz-delegation', '2025-04-17T09:00:00Z', {
    forums: [camf.forum],
    sessions: [s3],
    speakers: [dilshod],
    countries: [uz],
    ministries: [uzAim],
  });
  delegation.language = 'en';
  make.article(em, 'camf-2024-recap', '2024-05-21T12:00:00Z', { forums: [camf2024.forum], speakers: [bakhyt], countries: [kz] });

  // The articles' countries (TM) differ from their speakers' country (TJ): see 'statement counts'.
  const statsLinks = { speakers: [tj1, tj2], countries: [tm], ministries: [tjMin] };
  for (let i = 0; i < 3; i += 1) {
    make.article(em, `stats-small-${i}`, new Date(Date.UTC(2019, 0, 2, 0, i)).toISOString(), { forums: [statsSmall], ...statsLinks });
  }
  for (let i = 0; i < 30; i += 1) {
    make.article(em, `stats-large-${i}`, new Date(Date.UTC(2019, 1, 2, 0, i)).toISOString(), { forums: [statsLarge], ...statsLinks });
  }

  make.quote(em, aida, opening, s1);
  make.quote(em, dilshod, delegation);
  await em.flush();
});

afterAll(async () => {
  await h?.close();
});

/** Runs a query that must succeed and returns its data. */
async function data(query: string, variables?: Record<string, unknown>, acceptLanguage?: string): Promise<any> {
  const result = await h.execute(query, variables, acceptLanguage);
  expect(result.errors).toBeUndefined();
  return result.data;
}

async function sessionId(slug: string): Promise<string> {
  const { forum } = await data(`query($slug: String!) { forum(slug: $slug) { sessions(first: 100) { nodes { id slug } } } }`, {
    slug: slug.replace(/-(s\d+|late)$/, ''),
  });
  return forum.sessions.nodes.find((s: any) => s.slug === slug).id;
}

describe('relations, navigable both ways', () => {
  it('forum → host country, organisers, countries, initiatives (→ countries, forum), articles', async () => {
    const { forum } = await data(
      `query($slug: String!) { forum(slug: $slug) {
        slug title(lang: EN) edition timeZone startDate endDate days { date }
        hostCountry { code }
        organisers { slug }
        countries { code }
        initiatives { slug status title(lang: EN) countries { code } forum { slug } }
        articles { totalCount nodes { slug } }
      } }`,
      { slug: 'camf-2025' },
    );
    expect(forum).toEqual({
      slug: 'camf-2025',
      title: 'Forum camf-2025',
      edition: 1,
      timeZone: 'Asia/Almaty',
      startDate: '2025-04-16',
      endDate: '2025-04-17',
      days: [{ date: '2025-04-16' }, { date: '2025-04-17' }],
      hostCountry: { code: 'KZ' },
      organisers: [{ slug: 'kz-mci' }],
      countries: [{ code: 'KZ' }, { code: 'UZ' }],
      initiatives: [
        {
          slug: 'joint-tv',
          status: 'PROPOSED',
          title: 'Initiative joint-tv',
          countries: [{ code: 'KZ' }, { code: 'UZ' }],
          forum: { slug: 'camf-2025' },
        },
      ],
      articles: { totalCount: 2, nodes: [{ slug: 'uz-delegation' }, { slug: 'camf-opening' }] },
    });
  });

  it('session → forum, participants (role, position, speaker), quotes, articles', async () => {
    const { forum } = await data(
      `query($forum: String!, $first: Int!) { forum(slug: $forum) { sessions(first: $first) { nodes {
        slug kind startsAt endsAt language title(lang: EN)
        forum { slug }
        participants { role position speaker { slug } session { slug } }
        quotes { text(lang: EN) speaker { slug } }
        articles { totalCount nodes { slug } }
      } } } }`,
      { forum: 'camf-2025', first: 1 },
    );
    expect(forum.sessions.nodes).toEqual([
      {
        slug: 'camf-2025-s1',
        kind: 'OPENING',
        startsAt: '2025-04-16T04:00:00.000Z',
        endsAt: '2025-04-16T04:45:00.000Z',
        language: 'ru',
        title: 'Session 1',
        forum: { slug: 'camf-2025' },
        participants: [
          { role: 'MODERATOR', position: 1, speaker: { slug: 'aida' }, session: { slug: 'camf-2025-s1' } },
          { role: 'SPEAKER', position: 2, speaker: { slug: 'dilshod' }, session: { slug: 'camf-2025-s1' } },
        ],
        quotes: [{ text: 'Quote aida', speaker: { slug: 'aida' } }],
        articles: { totalCount: 1, nodes: [{ slug: 'camf-opening' }] },
      },
    ]);
  });

  it('speaker → country, ministry, participations (→ session), quotes, articles', async () => {
    const { aida, bakhyt, dilshod } = await data(
      `fragment S on Speaker {
        slug country { code } ministry { slug }
        participations { role position session { slug } speaker { slug } }
        quotes { text(lang: EN) article { slug } session { slug } }
        articles { totalCount nodes { slug } }
      }
      query($a: String!, $b: String!, $d: String!) { aida: speaker(slug: $a) { ...S } bakhyt: speaker(slug: $b) { ...S } dilshod: speaker(slug: $d) { ...S } }`,
      { a: 'aida', b: 'bakhyt', d: 'dilshod' },
    );
    expect(aida).toEqual({
      slug: 'aida',
      country: { code: 'KZ' },
      ministry: { slug: 'kz-mci' },
      participations: [
        { role: 'MODERATOR', position: 1, session: { slug: 'camf-2025-s1' }, speaker: { slug: 'aida' } },
        { role: 'SPEAKER', position: 2, session: { slug: 'camf-2025-s2' }, speaker: { slug: 'aida' } },
        { role: 'MODERATOR', position: 1, session: { slug: 'camf-2025-s3' }, speaker: { slug: 'aida' } },
        { role: 'SPEAKER', position: 2, session: { slug: 'camf-2025-s4' }, speaker: { slug: 'aida' } },
      ],
      quotes: [{ text: 'Quote aida', article: { slug: 'camf-opening' }, session: { slug: 'camf-2025-s1' } }],
      articles: { totalCount: 1, nodes: [{ slug: 'camf-opening' }] },
    });
    // Time order across forums: the 2024 session, then the late one of 2025.
    expect(bakhyt).toEqual({
      slug: 'bakhyt',
      country: { code: 'KZ' },
      ministry: null,
      participations: [
        { role: 'MODERATOR', position: 1, session: { slug: 'camf-2024-s1' }, speaker: { slug: 'bakhyt' } },
        { role: 'HOST', position: 1, session: { slug: 'camf-2025-late' }, speaker: { slug: 'bakhyt' } },
      ],
      quotes: [],
      articles: { totalCount: 1, nodes: [{ slug: 'camf-2024-recap' }] },
    });
    expect(dilshod.quotes).toEqual([{ text: 'Quote dilshod', article: { slug: 'uz-delegation' }, session: null }]);
    expect(dilshod.articles).toEqual({ totalCount: 2, nodes: [{ slug: 'uz-delegation' }, { slug: 'camf-opening' }] });
  });

  it('country → ministries, speakers (connection), forums, articles', async () => {
    const { kz, uz } = await data(
      `fragment C on Country {
        code ministries { slug } speakers { totalCount nodes { slug } } forums { slug } articles { totalCount nodes { slug } }
      }
      query($kz: String!, $uz: String!) { kz: country(code: $kz) { ...C } uz: country(code: $uz) { ...C } }`,
      { kz: 'KZ', uz: 'UZ' },
    );
    expect(kz).toEqual({
      code: 'KZ',
      ministries: [{ slug: 'kz-mci' }, { slug: 'kz-mfa' }],
      speakers: { totalCount: 2, nodes: [{ slug: 'aida' }, { slug: 'bakhyt' }] },
      forums: [{ slug: 'camf-2025' }, { slug: 'camf-2024' }],
      articles: { totalCount: 2, nodes: [{ slug: 'camf-opening' }, { slug: 'camf-2024-recap' }] },
    });
    expect(uz).toEqual({
      code: 'UZ',
      ministries: [{ slug: 'uz-aim' }],
      speakers: { totalCount: 1, nodes: [{ slug: 'dilshod' }] },
      forums: [{ slug: 'camf-2025' }],
      articles: { totalCount: 2, nodes: [{ slug: 'uz-delegation' }, { slug: 'camf-opening' }] },
    });
  });

  it('ministry → country, speakers, forums organised, articles', async () => {
    const { mci, mfa } = await data(
      `fragment M on Ministry {
        slug kind country { code } speakers { totalCount nodes { slug } } forumsOrganised { slug } articles { totalCount nodes { slug } }
      }
      query($mci: String!, $mfa: String!) { mci: ministry(slug: $mci) { ...M } mfa: ministry(slug: $mfa) { ...M } }`,
      { mci: 'kz-mci', mfa: 'kz-mfa' },
    );
    expect(mci).toEqual({
      slug: 'kz-mci',
      kind: 'MINISTRY',
      country: { code: 'KZ' },
      speakers: { totalCount: 1, nodes: [{ slug: 'aida' }] },
      forumsOrganised: [{ slug: 'camf-2025' }, { slug: 'camf-2024' }],
      articles: { totalCount: 1, nodes: [{ slug: 'camf-opening' }] },
    });
    expect(mfa).toEqual({
      slug: 'kz-mfa',
      kind: 'MINISTRY',
      country: { code: 'KZ' },
      speakers: { totalCount: 0, nodes: [] },
      forumsOrganised: [],
      articles: { totalCount: 0, nodes: [] },
    });
  });

  it('article → forums, sessions, speakers, countries, ministries, quotes (→ speaker, article, session)', async () => {
    const { article } = await data(
      `query($slug: String!) { article(slug: $slug) {
        slug language sourceUrl outletName viewCount publishedAt
        forums { slug } sessions { slug } speakers { slug } countries { code } ministries { slug }
        quotes { text(lang: RU) speaker { slug } article { slug } session { slug } }
      } }`,
      { slug: 'camf-opening' },
    );
    expect(article).toEqual({
      slug: 'camf-opening',
      language: 'ru',
      sourceUrl: 'https://news.example/camf-opening',
      outletName: 'News Example',
      viewCount: 10,
      publishedAt: '2025-04-16T10:00:00.000Z',
      forums: [{ slug: 'camf-2025' }],
      sessions: [{ slug: 'camf-2025-s1' }],
      // Lists come in their documented order, not in the order the links were made.
      speakers: [{ slug: 'aida' }, { slug: 'dilshod' }],
      countries: [{ code: 'KZ' }, { code: 'UZ' }],
      ministries: [{ slug: 'kz-mci' }],
      quotes: [{ text: 'Цитата aida', speaker: { slug: 'aida' }, article: { slug: 'camf-opening' }, session: { slug: 'camf-2025-s1' } }],
    });
  });
});

describe('root fields', () => {
  it('forums: latest first', async () => {
    const { forums } = await data(`query { forums { totalCount nodes { slug startDate } } }`);
    expect(forums).toEqual({
      totalCount: 4,
      nodes: [
        { slug: 'camf-2025', startDate: '2025-04-16' },
        { slug: 'camf-2024', startDate: '2024-05-20' },
        { slug: 'stats-large', startDate: '2019-02-01' },
        { slug: 'stats-small', startDate: '2019-01-01' },
      ],
    });
  });

  it('forum(slug)', async () => {
    const { forum } = await data(`query($slug: String!) { forum(slug: $slug) { slug hostCountry { code } } }`, { slug: 'camf-2024' });
    expect(forum).toEqual({ slug: 'camf-2024', hostCountry: { code: 'KZ' } });
  });

  it('speakers: all by slug, and filtered by country, ministry, forum and name', async () => {
    const query = `query($filter: SpeakerFilter) { speakers(filter: $filter, first: 100) { totalCount nodes { slug } } }`;
    const run = async (filter?: Record<string, unknown>) => {
      const { speakers } = await data(query, { filter });
      expect(speakers.totalCount).toBe(speakers.nodes.length);
      return slugs(speakers.nodes);
    };
    expect(await run()).toEqual(['aida', 'bakhyt', 'dilshod', 'kg-1', 'kg-2', 'kg-3', 'kg-4', 'kg-5', 'tj-1', 'tj-2']);
    expect(await run({ countryCode: 'KZ' })).toEqual(['aida', 'bakhyt']);
    expect(await run({ countryCode: 'uz' })).toEqual(['dilshod']);
    expect(await run({ ministrySlug: 'kz-mci' })).toEqual(['aida']);
    expect(await run({ forumSlug: 'camf-2025' })).toEqual(['aida', 'bakhyt', 'dilshod']);
    expect(await run({ forumSlug: 'camf-2024' })).toEqual(['bakhyt']);
    expect(await run({ search: 'BALAEVA' })).toEqual(['aida']);
    expect(await run({ search: 'Балаев' })).toEqual(['aida']);
    expect(await run({ search: 'dilshod' })).toEqual(['dilshod']);
    expect(await run({ countryCode: 'KZ', forumSlug: 'camf-2024' })).toEqual(['bakhyt']);
    expect(await run({ countryCode: 'KZ', search: 'dilshod' })).toEqual([]);
    expect(await run({ forumSlug: 'no-such-forum' })).toEqual([]);
  });

  // Searching the JSON text would match the language keys: "en" would find every speaker.
  it('speakers(filter: {search}) matches names only, not the language keys of the stored JSON', async () => {
    const { speakers } = await data(`query($search: String) { speakers(filter: { search: $search }) { totalCount nodes { slug } } }`, {
      search: 'en',
    });
    expect(speakers).toEqual({ totalCount: 0, nodes: [] });
  });

  it('speaker(slug)', async () => {
    const { speaker } = await data(`query($slug: String!) { speaker(slug: $slug) { slug fullName(lang: EN) position(lang: EN) } }`, {
      slug: 'aida',
    });
    expect(speaker).toEqual({ slug: 'aida', fullName: 'Aida Balaeva', position: 'Minister of Culture and Information' });
  });

  it('countries: all, by ISO code', async () => {
    const { countries } = await data(`query { countries { code name(lang: EN) } }`);
    expect(countries).toEqual([
      { code: 'KG', name: 'Country KG' },
      { code: 'KZ', name: 'Kazakhstan' },
      { code: 'TJ', name: 'Country TJ' },
      { code: 'TM', name: 'Country TM' },
      { code: 'UZ', name: 'Country UZ' },
    ]);
  });

  it('country(code), in any case', async () => {
    const query = `query($code: String!) { country(code: $code) { code name(lang: EN) } }`;
    expect(await data(query, { code: 'KZ' })).toEqual({ country: { code: 'KZ', name: 'Kazakhstan' } });
    expect(await data(query, { code: 'kz' })).toEqual({ country: { code: 'KZ', name: 'Kazakhstan' } });
    expect(await data(query, { code: 'Uz' })).toEqual({ country: { code: 'UZ', name: 'Country UZ' } });
  });

  it('ministries: all by slug, or of one country (code in any case)', async () => {
    const query = `query($code: String) { ministries(countryCode: $code) { slug country { code } } }`;
    expect(await data(query)).toEqual({
      ministries: [
        { slug: 'kz-mci', country: { code: 'KZ' } },
        { slug: 'kz-mfa', country: { code: 'KZ' } },
        { slug: 'tj-min', country: { code: 'TJ' } },
        { slug: 'uz-aim', country: { code: 'UZ' } },
      ],
    });
    expect(await data(query, { code: 'kz' })).toEqual({
      ministries: [
        { slug: 'kz-mci', country: { code: 'KZ' } },
        { slug: 'kz-mfa', country: { code: 'KZ' } },
      ],
    });
    expect(await data(query, { code: 'UZ' })).toEqual({ ministries: [{ slug: 'uz-aim', country: { code: 'UZ' } }] });
    expect(await data(query, { code: 'KG' })).toEqual({ ministries: [] });
    expect(await data(query, { code: 'XX' })).toEqual({ ministries: [] });
  });

  it('ministry(slug)', async () => {
    const { ministry } = await data(`query($slug: String!) { ministry(slug: $slug) { slug kind name(lang: EN) shortName(lang: RU) } }`, {
      slug: 'kz-mci',
    });
    expect(ministry).toEqual({ slug: 'kz-mci', kind: 'MINISTRY', name: 'Ministry of Culture and Information', shortName: 'МКИ РК' });
  });

  it('articles: newest first, unfiltered', async () => {
    const { articles } = await data(`query { articles(first: 4) { totalCount nodes { slug publishedAt } } }`);
    expect(articles).toEqual({
      totalCount: 36,
      nodes: [
        { slug: 'uz-delegation', publishedAt: '2025-04-17T09:00:00.000Z' },
        { slug: 'camf-opening', publishedAt: '2025-04-16T10:00:00.000Z' },
        { slug: 'camf-2024-recap', publishedAt: '2024-05-21T12:00:00.000Z' },
        { slug: 'stats-large-29', publishedAt: '2019-02-02T00:29:00.000Z' },
      ],
    });
  });

  it('articles: filtered by forum, session, speaker, country, ministry, language and text', async () => {
    const query = `query($filter: ArticleFilter) { articles(filter: $filter, first: 100) { totalCount nodes { slug } } }`;
    const run = async (filter: Record<string, unknown>) => {
      const { articles } = await data(query, { filter });
      expect(articles.totalCount).toBe(articles.nodes.length);
      return slugs(articles.nodes);
    };
    expect(await run({ forumSlug: 'camf-2025' })).toEqual(['uz-delegation', 'camf-opening']);
    expect(await run({ forumSlug: 'camf-2024' })).toEqual(['camf-2024-recap']);
    expect(await run({ sessionId: await sessionId('camf-2025-s3') })).toEqual(['uz-delegation']);
    expect(await run({ sessionId: await sessionId('camf-2025-s1') })).toEqual(['camf-opening']);
    expect(await run({ sessionId: await sessionId('camf-2025-s2') })).toEqual([]);
    expect(await run({ speakerSlug: 'dilshod' })).toEqual(['uz-delegation', 'camf-opening']);
    expect(await run({ speakerSlug: 'bakhyt' })).toEqual(['camf-2024-recap']);
    expect(await run({ countryCode: 'KZ' })).toEqual(['camf-opening', 'camf-2024-recap']);
    expect(await run({ countryCode: 'uz' })).toEqual(['uz-delegation', 'camf-opening']);
    expect(await run({ ministrySlug: 'kz-mci' })).toEqual(['camf-opening']);
    expect(await run({ language: 'en' })).toEqual(['uz-delegation']);
    expect(await run({ query: 'ARTICLE UZ-DELEGATION' })).toEqual(['uz-delegation']);
    expect(await run({ query: 'Лид camf-2024' })).toEqual(['camf-2024-recap']);
    expect(await run({ query: 'Медиафорум ашылды' })).toEqual(['camf-opening']);
    expect(await run({ query: 'stats-small' })).toEqual(['stats-small-2', 'stats-small-1', 'stats-small-0']);
    expect(await run({ query: '%' })).toEqual([]);
    expect(await run({ forumSlug: 'camf-2025', countryCode: 'KZ', language: 'ru' })).toEqual(['camf-opening']);
    expect(await run({ forumSlug: 'camf-2025', language: 'kk' })).toEqual([]);
  });

  // Searching the JSON text would match the language keys: "ru" would find every article.
  it('articles(filter: {query}) matches the text only, not the language keys of the stored JSON', async () => {
    const { articles } = await data(`query($query: String) { articles(filter: { query: $query }) { totalCount nodes { slug } } }`, {
      query: 'ru',
    });
    expect(articles).toEqual({ totalCount: 0, nodes: [] });
  });

  it('article(slug)', async () => {
    const { article } = await data(`query($slug: String!) { article(slug: $slug) { slug title(lang: EN) lead } }`, {
      slug: 'uz-delegation',
    });
    expect(article).toEqual({ slug: 'uz-delegation', title: 'Article uz-delegation', lead: 'Лид uz-delegation' });
  });

  it('node(id) fetches every Node type again by its id', async () => {
    const ids = await data(
      `query($slug: String!) { forum(slug: $slug) {
        id initiatives { id }
        sessions(first: 1) { nodes { id participants { id } quotes { id } } }
        hostCountry { id }
        organisers { id speakers(first: 1) { nodes { id } } }
        articles(first: 1) { nodes { id } }
      } }`,
      { slug: 'camf-2025' },
    );
    const forum = ids.forum;
    const session = forum.sessions.nodes[0];
    const expected: [string, string, Record<string, unknown>][] = [
      ['Forum', forum.id, { slug: 'camf-2025' }],
      ['Initiative', forum.initiatives[0].id, { slug: 'joint-tv' }],
      ['Session', session.id, { slug: 'camf-2025-s1' }],
      ['SessionParticipant', session.participants[0].id, { role: 'MODERATOR', speaker: { slug: 'aida' } }],
      ['Quote', session.quotes[0].id, { text: 'Quote aida' }],
      ['Country', forum.hostCountry.id, { code: 'KZ' }],
      ['Ministry', forum.organisers[0].id, { slug: 'kz-mci' }],
      ['Speaker', forum.organisers[0].speakers.nodes[0].id, { slug: 'aida' }],
      ['Article', forum.articles.nodes[0].id, { slug: 'uz-delegation' }],
    ];
    expect(new Set(expected.map(([, id]) => id)).size).toBe(9);
    for (const [type, id, fields] of expected) {
      const { node } = await data(
        `query($id: ID!) { node(id: $id) {
          __typename id
          ... on Forum { slug } ... on Initiative { slug } ... on Session { slug } ... on Speaker { slug }
          ... on SessionParticipant { role speaker { slug } } ... on Quote { text(lang: EN) }
          ... on Country { code } ... on Ministry { slug } ... on Article { slug }
        } }`,
        { id },
      );
      expect(node).toEqual({ __typename: type, id, ...fields });
    }
  });
});

describe('connections', () => {
  const KG_SPEAKERS = `query($code: String!, $first: Int!, $after: String) { country(code: $code) { speakers(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } } nodes { slug }
  } } }`;

  async function kgPage(first: number, after?: string | null): Promise<any> {
    return (await data(KG_SPEAKERS, { code: 'KG', first, after })).country.speakers;
  }

  it('pages with first/after: edges, nodes, cursors, pageInfo and totalCount', async () => {
    const page1 = await kgPage(2);
    expect(page1).toEqual({
      totalCount: 5,
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: page1.edges[0].cursor, endCursor: page1.edges[1].cursor },
      edges: [
        { cursor: expect.any(String), node: { slug: 'kg-1' } },
        { cursor: expect.any(String), node: { slug: 'kg-2' } },
      ],
      nodes: [{ slug: 'kg-1' }, { slug: 'kg-2' }],
    });
    expect(page1.edges[0].cursor).not.toBe(page1.edges[1].cursor);

    const page2 = await kgPage(2, page1.pageInfo.endCursor);
    expect(slugs(page2.nodes)).toEqual(['kg-3', 'kg-4']);
    expect(page2.edges.map((e: any) => e.node)).toEqual(page2.nodes);
    expect(page2.totalCount).toBe(5);
    expect(page2.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: page2.edges[0].cursor,
      endCursor: page2.edges[1].cursor,
    });

    const page3 = await kgPage(2, page2.pageInfo.endCursor);
    expect(slugs(page3.nodes)).toEqual(['kg-5']);
    expect(page3.totalCount).toBe(5);
    expect(page3.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: page3.edges[0].cursor,
      endCursor: page3.edges[0].cursor,
    });

    // An edge cursor continues after its own item, like endCursor does.
    expect(slugs((await kgPage(10, page2.edges[0].cursor)).nodes)).toEqual(['kg-4', 'kg-5']);

    // Past the end: no edges, but the list still knows its length.
    const past = await kgPage(2, page3.pageInfo.endCursor);
    expect(past).toEqual({
      totalCount: 5,
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      edges: [],
      nodes: [],
    });
  });

  it('pages through the root lists the same way (speakers, forums, articles)', async () => {
    const speakers = await data(
      `query($after: String, $filter: SpeakerFilter) { speakers(first: 3, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage } nodes { slug } } }`,
      { after: b64url('pos:3'), filter: { countryCode: 'KG' } },
    );
    expect(speakers.speakers).toEqual({ totalCount: 5, pageInfo: { hasNextPage: false }, nodes: [{ slug: 'kg-4' }, { slug: 'kg-5' }] });

    const first = await data(`query { forums(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }`);
    expect(first.forums.totalCount).toBe(4);
    expect(slugs(first.forums.nodes)).toEqual(['camf-2025', 'camf-2024']);
    const second = await data(
      `query($after: String) { forums(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { slug } } }`,
      { after: first.forums.pageInfo.endCursor },
    );
    expect(second.forums).toEqual({
      totalCount: 4,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
      nodes: [{ slug: 'stats-large' }, { slug: 'stats-small' }],
    });

    // 36 articles in pages of 10, in the same order as one page of 100.
    const all = slugs((await data(`query { articles(first: 100) { nodes { slug } } }`)).articles.nodes);
    expect(all).toHaveLength(36);
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i += 1) {
      const page: any = (
        await data(
          `query($after: String) { articles(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }`,
          { after },
        )
      ).articles;
      expect(page.totalCount).toBe(36);
      expect(page.pageInfo.hasNextPage).toBe(i < 3);
      paged.push(...slugs(page.nodes));
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  it('first: 0 gives the total count and no edges', async () => {
    expect(await kgPage(0)).toEqual({
      totalCount: 5,
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
      nodes: [],
    });
    const { articles } = await data(`query { articles(first: 0) { totalCount edges { cursor } } }`);
    expect(articles).toEqual({ totalCount: 36, edges: [] });
  });

  it('first: 101 is refused with BAD_USER_INPUT', async () => {
    const result = await h.execute(`query($first: Int!) { articles(first: $first) { totalCount } }`, { first: 101 });
    expect(result).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid argument: first must not be greater than 100',
          locations: [{ line: 1, column: 23 }],
          path: ['articles'],
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'first',
            invalid: [{ field: 'first', problems: ['first must not be greater than 100'] }],
          },
        },
      ],
    });
  });

  it('first: -1 is refused with BAD_USER_INPUT, on nested connections too', async () => {
    const result = await h.execute(
      `query($code: String!, $first: Int!) { country(code: $code) { speakers(first: $first) { totalCount } } }`,
      { code: 'KG', first: -1 },
    );
    expect(result).toEqual({
      data: { country: null },
      errors: [
        {
          message: 'Invalid argument: first must not be less than 0',
          locations: [{ line: 1, column: 62 }],
          path: ['country', 'speakers'],
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'first',
            invalid: [{ field: 'first', problems: ['first must not be less than 0'] }],
          },
        },
      ],
    });
  });

  it('a malformed cursor is refused with BAD_USER_INPUT', async () => {
    const result = await h.execute(`query($after: String) { forums(after: $after) { totalCount } }`, { after: 'nope' });
    expect(result).toEqual({
      data: null,
      errors: [
        {
          message: '"nope" is not a valid cursor',
          locations: [{ line: 1, column: 25 }],
          path: ['forums'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
        },
      ],
    });
    // A well-formed base64url text that is no position is no cursor either.
    const zero = await h.execute(`query($after: String) { forums(after: $after) { totalCount } }`, { after: b64url('pos:0') });
    expect(zero.errors).toEqual([
      {
        message: `"${b64url('pos:0')}" is not a valid cursor`,
        locations: [{ line: 1, column: 25 }],
        path: ['forums'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      },
    ]);
  });

  describe('forum.sessions by day and kind', () => {
    const SESSIONS = `query($forum: String!, $day: LocalDate, $kind: SessionKind) { forum(slug: $forum) { sessions(filter: { day: $day, kind: $kind }, first: 100) {
      totalCount nodes { slug kind startsAt }
    } } }`;

    async function sessions(variables: Record<string, unknown>): Promise<any> {
      return (await data(SESSIONS, { forum: 'camf-2025', ...variables })).forum.sessions;
    }

    it('all sessions in time order without a filter', async () => {
      const all = await sessions({});
      expect(all.totalCount).toBe(5);
      expect(slugs(all.nodes)).toEqual(['camf-2025-s1', 'camf-2025-s2', 'camf-2025-late', 'camf-2025-s3', 'camf-2025-s4']);
    });

    it('day is the local date in the forum time zone (Asia/Almaty, UTC+5)', async () => {
      const first = await sessions({ day: '2025-04-16' });
      expect(first).toEqual({
        totalCount: 2,
        nodes: [
          { slug: 'camf-2025-s1', kind: 'OPENING', startsAt: '2025-04-16T04:00:00.000Z' },
          { slug: 'camf-2025-s2', kind: 'PANEL', startsAt: '2025-04-16T04:01:00.000Z' },
        ],
      });
      // 2025-04-16T20:30Z is 01:30 on 17 April in Astana: it belongs to the second day.
      const second = await sessions({ day: '2025-04-17' });
      expect(second).toEqual({
        totalCount: 3,
        nodes: [
          { slug: 'camf-2025-late', kind: 'WORKSHOP', startsAt: '2025-04-16T20:30:00.000Z' },
          { slug: 'camf-2025-s3', kind: 'PANEL', startsAt: '2025-04-17T04:02:00.000Z' },
          { slug: 'camf-2025-s4', kind: 'PANEL', startsAt: '2025-04-17T04:03:00.000Z' },
        ],
      });
      expect(await sessions({ day: '2025-04-18' })).toEqual({ totalCount: 0, nodes: [] });
    });

    it('kind, alone and with day', async () => {
      expect(slugs((await sessions({ kind: 'PANEL' })).nodes)).toEqual(['camf-2025-s2', 'camf-2025-s3', 'camf-2025-s4']);
      expect(slugs((await sessions({ kind: 'OPENING' })).nodes)).toEqual(['camf-2025-s1']);
      expect(await sessions({ kind: 'PANEL', day: '2025-04-16' })).toEqual({
        totalCount: 1,
        nodes: [{ slug: 'camf-2025-s2', kind: 'PANEL', startsAt: '2025-04-16T04:01:00.000Z' }],
      });
      expect(await sessions({ kind: 'BREAK' })).toEqual({ totalCount: 0, nodes: [] });
    });

    it('pages within a filtered day', async () => {
      const DAY_PAGE = `query($forum: String!, $day: LocalDate, $after: String) { forum(slug: $forum) { sessions(filter: { day: $day }, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { slug }
      } } }`;
      const page1 = await data(DAY_PAGE, { forum: 'camf-2025', day: '2025-04-17', after: null });
      expect(page1.forum.sessions.totalCount).toBe(3);
      expect(slugs(page1.forum.sessions.nodes)).toEqual(['camf-2025-late', 'camf-2025-s3']);
      expect(page1.forum.sessions.pageInfo.hasNextPage).toBe(true);
      const page2 = await data(DAY_PAGE, { forum: 'camf-2025', day: '2025-04-17', after: page1.forum.sessions.pageInfo.endCursor });
      expect(page2.forum.sessions).toEqual({
        totalCount: 3,
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        nodes: [{ slug: 'camf-2025-s4' }],
      });
    });
  });
});

describe('nulls and bad ids', () => {
  it('unknown slugs and codes give null without errors', async () => {
    const result = await h.execute(
      `query($slug: String!, $code: String!) {
        forum(slug: $slug) { slug } speaker(slug: $slug) { slug } country(code: $code) { code }
        ministry(slug: $slug) { slug } article(slug: $slug) { slug }
      }`,
      { slug: 'no-such-thing', code: 'XX' },
    );
    expect(result).toEqual({ data: { forum: null, speaker: null, country: null, ministry: null, article: null } });
  });

  it('an unknown id of a known type, or of an unknown type, gives null without errors', async () => {
    const query = `query($id: ID!) { node(id: $id) { id } }`;
    for (const type of ['Forum', 'Session', 'SessionParticipant', 'Speaker', 'Country', 'Ministry', 'Article', 'Quote', 'Initiative']) {
      expect(await h.execute(query, { id: b64url(`${type}:999999`) })).toEqual({ data: { node: null } });
    }
    expect(await h.execute(query, { id: b64url('Nope:1') })).toEqual({ data: { node: null } });
  });

  it.each([
    ['"!!" (not base64url)', '!!'],
    ['base64 of "Nope" (padding, no type:id)', Buffer.from('Nope').toString('base64')],
    ['base64url of "Forum:abc" (no numeric id)', b64url('Forum:abc')],
    ['base64url of "Forum:0"', b64url('Forum:0')],
    ['base64url of "forum:1" (type in lower case)', b64url('forum:1')],
    ['base64url of "Forum:9999999999" (beyond the integer keys)', b64url('Forum:9999999999')],
  ])('a malformed id %s is refused with BAD_USER_INPUT', async (_name, id) => {
    const result = await h.execute(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(result).toEqual({
      data: { node: null },
      errors: [
        {
          message: `"${id}" is not a valid id`,
          locations: [{ line: 1, column: 19 }],
          path: ['node'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
        },
      ],
    });
  });

  it('articles(filter: {sessionId}) refuses the id of a Speaker, and a malformed id', async () => {
    const { speaker } = await data(`query($slug: String!) { speaker(slug: $slug) { id } }`, { slug: 'aida' });
    const query = `query($id: ID) { articles(filter: { sessionId: $id }) { totalCount } }`;
    expect(await h.execute(query, { id: speaker.id })).toEqual({
      data: null,
      errors: [
        {
          message: `"${speaker.id}" is not the id of a Session`,
          locations: [{ line: 1, column: 18 }],
          path: ['articles'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter.sessionId' },
        },
      ],
    });
    expect(await h.execute(query, { id: '!!' })).toEqual({
      data: null,
      errors: [
        {
          message: '"!!" is not a valid id',
          locations: [{ line: 1, column: 18 }],
          path: ['articles'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
        },
      ],
    });
    // A well-formed Session id that does not exist just matches nothing.
    expect(await h.execute(query, { id: b64url('Session:999999') })).toEqual({ data: { articles: { totalCount: 0 } } });
  });
});

describe('languages', () => {
  const TEXTS = `query($kz: String!, $uz: String!, $forum: String!, $speaker: String!, $ministry: String!, $article: String!) {
    kz: country(code: $kz) { name }
    uz: country(code: $uz) { name }
    forum(slug: $forum) { title city }
    speaker(slug: $speaker) { fullName position }
    ministry(slug: $ministry) { name shortName }
    article(slug: $article) { title lead body }
  }`;
  const TEXT_KEYS = { kz: 'KZ', uz: 'UZ', forum: 'camf-2025', speaker: 'aida', ministry: 'kz-mci', article: 'camf-opening' };

  it('Accept-Language: kk gives Kazakh where present and falls back to ru, then en, where absent', async () => {
    expect(await data(TEXTS, TEXT_KEYS, 'kk')).toEqual({
      kz: { name: 'Қазақстан' },
      uz: { name: 'Страна UZ' },
      forum: { title: 'Орталық Азия медиафорумы', city: 'Астана' },
      speaker: { fullName: 'Аида Балаева', position: 'Мәдениет және ақпарат министрі' },
      ministry: { name: 'Мәдениет және ақпарат министрлігі', shortName: 'МАМ' },
      article: { title: 'Медиафорум ашылды', lead: 'Лид camf-opening', body: null },
    });
  });

  it('falls back in the order of the requested languages by quality, then ru, en, kk', async () => {
    const query = `query($kz: String!, $uz: String!, $mfa: String!) { kz: country(code: $kz) { name } uz: country(code: $uz) { name } ministry(slug: $mfa) { shortName } }`;
    const keys = { kz: 'KZ', uz: 'UZ', mfa: 'kz-mfa' };
    // Kazakh first, English before Russian where there is no Kazakh.
    expect(await data(query, keys, 'en;q=0.8, kk')).toEqual({
      kz: { name: 'Қазақстан' },
      uz: { name: 'Country UZ' },
      ministry: { shortName: 'KZ-MFA' },
    });
    expect(await data(query, keys, 'kk-KZ,en;q=0.9,ru;q=0.5')).toEqual({
      kz: { name: 'Қазақстан' },
      uz: { name: 'Country UZ' },
      ministry: { shortName: 'KZ-MFA' },
    });
    expect(await data(query, keys, 'en-GB')).toEqual({
      kz: { name: 'Kazakhstan' },
      uz: { name: 'Country UZ' },
      ministry: { shortName: 'KZ-MFA' },
    });
    // No header, or only unsupported languages: Russian first.
    expect(await data(query, keys)).toEqual({ kz: { name: 'Казахстан' }, uz: { name: 'Страна UZ' }, ministry: { shortName: 'KZ-MFA' } });
    expect(await data(query, keys, 'de, fr;q=0.5')).toEqual({
      kz: { name: 'Казахстан' },
      uz: { name: 'Страна UZ' },
      ministry: { shortName: 'KZ-MFA' },
    });
    // q=0 means "not this one".
    expect(await data(query, keys, 'kk;q=0, en')).toEqual({
      kz: { name: 'Kazakhstan' },
      uz: { name: 'Country UZ' },
      ministry: { shortName: 'KZ-MFA' },
    });
  });

  it('lang: overrides the header for its field only, and falls back when that language is absent', async () => {
    const result = await data(
      `query($kz: String!, $uz: String!, $mci: String!, $lang: Language) {
        country(code: $kz) { en: name(lang: EN) ru: name(lang: RU) kk: name(lang: KK) header: name variable: name(lang: $lang) }
        uz: country(code: $uz) { kk: name(lang: KK) }
        ministry(slug: $mci) { shortName(lang: EN) }
      }`,
      { kz: 'KZ', uz: 'UZ', mci: 'kz-mci', lang: 'EN' },
      'kk',
    );
    expect(result).toEqual({
      country: { en: 'Kazakhstan', ru: 'Казахстан', kk: 'Қазақстан', header: 'Қазақстан', variable: 'Kazakhstan' },
      // No Kazakh: the header's order (kk, ru, en) takes over.
      uz: { kk: 'Страна UZ' },
      // No English short name: Kazakh, from the header, before Russian.
      ministry: { shortName: 'МАМ' },
    });
  });

  it('*Translations fields give every language, null where absent', async () => {
    const result = await data(
      `query($uz: String!, $forum: String!, $mci: String!, $speaker: String!, $article: String!) {
        country(code: $uz) { nameTranslations { en ru kk } }
        forum(slug: $forum) { titleTranslations { en ru kk } cityTranslations { en ru kk } venueTranslations { en } descriptionTranslations { ru } }
        ministry(slug: $mci) { nameTranslations { en ru kk } shortNameTranslations { en ru kk } }
        speaker(slug: $speaker) { fullNameTranslations { en ru kk } bioTranslations { ru } }
        article(slug: $article) { titleTranslations { en ru kk } leadTranslations { en ru kk } bodyTranslations { ru }
          quotes { textTranslations { en ru kk } } }
        camf2025: forum(slug: $forum) { initiatives { titleTranslations { en ru kk } descriptionTranslations { en } } }
      }`,
      { uz: 'UZ', forum: 'camf-2025', mci: 'kz-mci', speaker: 'bakhyt', article: 'camf-opening' },
      'kk',
    );
    expect(result).toEqual({
      country: { nameTranslations: { en: 'Country UZ', ru: 'Страна UZ', kk: null } },
      forum: {
        titleTranslations: { en: 'Forum camf-2025', ru: 'Форум camf-2025', kk: 'Орталық Азия медиафорумы' },
        cityTranslations: { en: 'Astana', ru: 'Астана', kk: 'Астана' },
        venueTranslations: null,
        descriptionTranslations: null,
      },
      ministry: {
        nameTranslations: {
          en: 'Ministry of Culture and Information',
          ru: 'Министерство культуры и информации',
          kk: 'Мәдениет және ақпарат министрлігі',
        },
        shortNameTranslations: { en: null, ru: 'МКИ РК', kk: 'МАМ' },
      },
      speaker: { fullNameTranslations: { en: 'Speaker bakhyt', ru: 'Спикер bakhyt', kk: null }, bioTranslations: null },
      article: {
        titleTranslations: { en: 'Article camf-opening', ru: 'Статья camf-opening', kk: 'Медиафорум ашылды' },
        leadTranslations: { en: null, ru: 'Лид camf-opening', kk: null },
        bodyTranslations: null,
        quotes: [{ textTranslations: { en: 'Quote aida', ru: 'Цитата aida', kk: null } }],
      },
      camf2025: {
        initiatives: [
          { titleTranslations: { en: 'Initiative joint-tv', ru: 'Инициатива joint-tv', kk: null }, descriptionTranslations: null },
        ],
      },
    });
  });

  it('over HTTP: the accept-language header picks the language and the response varies on it', async () => {
    const body = {
      query: `query($code: String!, $uz: String!) { country(code: $code) { name } uz: country(code: $uz) { name } }`,
      variables: { code: 'KZ', uz: 'UZ' },
    };
    const kk = await h.post(body, { 'accept-language': 'kk' });
    expect(kk.status).toBe(200);
    expect(kk.body).toEqual({ data: { country: { name: 'Қазақстан' }, uz: { name: 'Страна UZ' } } });
    expect(kk.headers.get('vary')).toMatch(/(^|,\s*)accept-language(\s*,|$)/i);

    const en = await h.post(body, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.status).toBe(200);
    expect(en.body).toEqual({ data: { country: { name: 'Kazakhstan' }, uz: { name: 'Country UZ' } } });
    expect(en.headers.get('vary')).toMatch(/(^|,\s*)accept-language(\s*,|$)/i);

    const none = await h.post(body);
    expect(none.body).toEqual({ data: { country: { name: 'Казахстан' }, uz: { name: 'Страна UZ' } } });
  });
});

describe('statement counts', () => {
  const COVERAGE = /* GraphQL */ `
    query Coverage($forum: String!) {
      articles(filter: { forumSlug: $forum }, first: 100) {
        totalCount
        nodes {
          slug
          title
          forums {
            slug
          }
          speakers {
            slug
            country {
              code
            }
          }
          countries {
            code
          }
          ministries {
            slug
          }
        }
      }
    }
  `;

  it('a nested coverage query runs 6 statements for 3 articles and for 30', async () => {
    const small = await h.countStatements(() => h.execute(COVERAGE, { forum: 'stats-small' }));
    const large = await h.countStatements(() => h.execute(COVERAGE, { forum: 'stats-large' }));
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    expect(small.result.data!.articles.totalCount).toBe(3);
    expect(large.result.data!.articles.nodes).toHaveLength(30);
    expect(large.result.data!.articles.nodes[0]).toEqual({
      slug: 'stats-large-29',
      title: 'Статья stats-large-29',
      forums: [{ slug: 'stats-large' }],
      speakers: [
        { slug: 'tj-1', country: { code: 'TJ' } },
        { slug: 'tj-2', country: { code: 'TJ' } },
      ],
      countries: [{ code: 'TM' }],
      ministries: [{ slug: 'tj-min' }],
    });
    // Measured: 6 = the articles page; one each for forums, speakers, countries and ministries
    // (all articles at once); one for the speakers' countries.
    expect(small.statements).toBe(6);
    expect(large.statements).toBe(6);
  });

  /*
   * When a speaker's country is also among the articles' countries, `related()`
   * (src/shared/sql-loading.ts) skips the speakers' country statement if the article-countries
   * statement happened to be mapped into the identity map first. Both statements run at the same
   * time on different connections, so which finishes first is a race: the same query measured 5
   * statements in some runs and 6 in others. Pinning either number would make this suite flaky,
   * so the stats data above avoids the overlap and this test bounds the count and checks the data.
   */
  it('runs 5 or 6 statements, with the same data, when speakers and articles share a country', async () => {
    const { result, statements } = await h.countStatements(() => h.execute(COVERAGE, { forum: 'camf-2025' }));
    expect(result).toEqual({
      data: {
        articles: {
          totalCount: 2,
          nodes: [
            {
              slug: 'uz-delegation',
              title: 'Статья uz-delegation',
              forums: [{ slug: 'camf-2025' }],
              speakers: [{ slug: 'dilshod', country: { code: 'UZ' } }],
              countries: [{ code: 'UZ' }],
              ministries: [{ slug: 'uz-aim' }],
            },
            {
              slug: 'camf-opening',
              title: 'Статья camf-opening',
              forums: [{ slug: 'camf-2025' }],
              speakers: [
                { slug: 'aida', country: { code: 'KZ' } },
                { slug: 'dilshod', country: { code: 'UZ' } },
              ],
              countries: [{ code: 'KZ' }, { code: 'UZ' }],
              ministries: [{ slug: 'kz-mci' }],
            },
          ],
        },
      },
    });
    expect([5, 6]).toContain(statements);
  });
});
