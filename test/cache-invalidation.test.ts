import { Client } from 'pg';
import { Role } from '../src/auth/user.entity';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

interface Answer {
  cache: string | null;
  body: any;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The response cache drops only the answers a write made stale (issue: invalidation by what a
 * response read). Two forums share nothing: camf (Kazakhstan) is written to, tash (Uzbekistan) is
 * the control. For every kind of write, through the API (where the API can make it) and by plain
 * SQL from another connection, as another process, an import or an operator would: the cached
 * answer that read the changed data shows the change at once, and the same question about tash is
 * still answered from the cache.
 */
describe('response cache invalidation by what an answer read', () => {
  let h: Harness;
  let sql: Client;
  let admin: string;
  let organiser: string;
  let editor: string;
  /** Gives each write a value no earlier write used. */
  let counter = 0;
  const next = (label: string) => `${label} ${++counter}`;

  beforeAll(async () => {
    h = await startHarness({ env: { RESPONSE_CACHE_MB: '8' } });
    const em = h.orm.em.fork();
    for (const [code, forumSlug, speakerSlugs] of [
      ['KZ', 'camf', ['aida', 'bolat']],
      ['UZ', 'tash', ['zara', 'yusuf']],
    ] as const) {
      const country = make.country(em, code, { en: `Country ${code}` });
      const ministry = make.ministry(em, country, `${code.toLowerCase()}-mci`);
      const speakers = speakerSlugs.map((slug) => make.speaker(em, slug, country, ministry));
      const { forum, sessions } = make.forumWithAgenda(em, { slug: forumSlug, host: country, sessions: 2, speakers });
      forum.countries.set([country]);
      forum.organisers.set([ministry]);
      const article = make.article(em, `${forumSlug}-news`, '2025-04-16T10:00:00Z', {
        forums: [forum],
        sessions: [sessions[0]],
        speakers: [speakers[0]],
        countries: [country],
        ministries: [ministry],
      });
      make.quote(em, speakers[0], article, sessions[0]);
      make.initiative(em, `${forumSlug}-initiative`, forum, [country]);
    }
    await em.flush();
    admin = await h.signIn(Role.ADMIN);
    organiser = await h.signIn(Role.ORGANISER, ['camf']);
    editor = await h.signIn(Role.EDITOR);
    sql = new Client({ connectionString: h.databaseUrl });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await h?.close();
  });

  async function ask(query: string): Promise<Answer> {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    expect([query, body.errors]).toEqual([query, undefined]);
    return { cache: response.headers.get('x-cache'), body: body.data };
  }

  /** Asks twice: the second answer must come from the cache. */
  async function cached(query: string): Promise<Answer> {
    await ask(query);
    const answer = await ask(query);
    expect([query, answer.cache]).toEqual([query, 'HIT']);
    return answer;
  }

  /** A mutation, as a signed-in user; its answer comes after the cache has seen its changes. */
  async function mutate(authorization: string, query: string, variables: Record<string, unknown>): Promise<any> {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  /** Runs `write` between cached answers of `dependent` and `unrelated` questions, and checks both after. */
  async function expectInvalidation(
    how: 'api' | 'sql',
    { dependent, unrelated }: { dependent: string[]; unrelated: string[] },
    write: () => Promise<unknown>,
  ): Promise<void> {
    const before = new Map<string, unknown>();
    for (const query of [...dependent, ...unrelated]) before.set(query, (await cached(query)).body);
    await write();
    for (const query of dependent) {
      // Through the API the next request must see the change; a plain SQL write is seen when its
      // notification arrives, which takes milliseconds.
      let answer = await ask(query);
      for (const until = Date.now() + 2000; how === 'sql' && answer.cache === 'HIT' && Date.now() < until; answer = await ask(query))
        await sleep(10);
      expect([how, query, answer.cache]).toEqual([how, query, 'MISS']);
      expect(answer.body).not.toEqual(before.get(query));
    }
    for (const query of unrelated) {
      const answer = await ask(query);
      expect([how, query, answer.cache]).toEqual([how, query, 'HIT']);
      expect(answer.body).toEqual(before.get(query));
    }
  }

  const idOf = async (query: string, path: (data: any) => string) => path((await ask(query)).body);
  const forumId = (slug: string) => idOf(`{ forum(slug: "${slug}") { id } }`, (d) => d.forum.id);
  const session = async (forum: string) =>
    (await mutateRead(`{ forum(slug: "${forum}") { sessions(first: 1) { nodes { id version } } } }`)).forum.sessions.nodes[0] as {
      id: string;
      version: number;
    };
  const speaker = async (slug: string) =>
    (await mutateRead(`{ speaker(slug: "${slug}") { id version } }`)).speaker as { id: string; version: number };
  /** Reads as the admin: never cached, so it never disturbs the answers under test. */
  const mutateRead = (query: string) => mutate(admin, query, {});

  const agenda = (forum: string) =>
    `{ forum(slug: "${forum}") { sessions(first: 10) { nodes { title participants { role speaker { fullName country { name } ministry { name } } } } } } }`;

  it('a forum, and the countries it links to: their own answers, not the other forum’s', async () => {
    const questions = {
      dependent: ['{ forum(slug: "camf") { title } }', '{ country(code: "KZ") { forums { title } } }'],
      unrelated: ['{ forum(slug: "tash") { title } }', '{ country(code: "UZ") { forums { title } } }'],
    };
    const id = await forumId('camf');
    const UPDATE = 'mutation($input: UpdateForumInput!) { updateForum(input: $input) { title } }';
    await expectInvalidation('api', questions, () => mutate(admin, UPDATE, { input: { id, title: { en: next('Forum') } } }));
    await expectInvalidation('sql', questions, () =>
      sql.query(`update forum set title = jsonb_build_object('en', $1::text) where slug = 'camf'`, [next('Forum')]),
    );

    // camf now takes Uzbekistan in too; tash is untouched.
    const links = {
      dependent: ['{ forum(slug: "camf") { countries { code } } }', '{ country(code: "UZ") { forums { slug } } }'],
      // Not its countries: Uzbekistan's row names its forums, and camf is about to join them.
      unrelated: ['{ forum(slug: "tash") { title } }', '{ country(code: "KZ") { code } }'],
    };
    await expectInvalidation('api', links, () => mutate(admin, UPDATE, { input: { id, countryCodes: ['KZ', 'UZ'] } }));
    await expectInvalidation('sql', links, () =>
      sql.query(
        `delete from forum_country where forum_id = (select id from forum where slug = 'camf') and country_id = (select id from country where code = 'UZ')`,
      ),
    );
  });

  it('a session: the agenda of its forum', async () => {
    const questions = {
      dependent: [agenda('camf'), '{ speaker(slug: "aida") { participations { session { title } } } }'],
      unrelated: [agenda('tash')],
    };
    const { id, version } = await session('camf');
    await expectInvalidation('api', questions, () =>
      mutate(organiser, 'mutation($input: UpdateSessionInput!) { updateSession(input: $input) { title } }', {
        input: { id, expectedVersion: version, title: { en: next('Session') } },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(`update session set title = jsonb_build_object('en', $1::text) where slug = 'camf-s1'`, [next('Session')]),
    );
  });

  it('a participation: the agenda and the speaker', async () => {
    const questions = {
      dependent: [agenda('camf'), '{ speaker(slug: "aida") { participations { role } } }'],
      unrelated: [agenda('tash'), '{ speaker(slug: "zara") { participations { role } } }'],
    };
    const participant = (await mutateRead('{ forum(slug: "camf") { sessions(first: 1) { nodes { participants { id role } } } } }')).forum
      .sessions.nodes[0].participants[0];
    await expectInvalidation('api', questions, () =>
      mutate(organiser, 'mutation($input: ChangeParticipantRoleInput!) { changeParticipantRole(input: $input) { role } }', {
        input: { id: participant.id, role: participant.role === 'HOST' ? 'MODERATOR' : 'HOST' },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(
        `update session_participant set role = (case role when 'SPEAKER' then 'PANELIST' else 'SPEAKER' end)::participant_role where speaker_id = (select id from speaker where slug = 'aida')`,
      ),
    );
  });

  it('a speaker: every agenda they appear in and their own page; their country’s lists only when they join or leave it', async () => {
    const questions = {
      dependent: [agenda('camf'), '{ speaker(slug: "aida") { fullName } }'],
      // bolat is from Kazakhstan too: what reads the country does not depend on aida's name.
      unrelated: [agenda('tash'), '{ speaker(slug: "zara") { fullName } }', '{ speaker(slug: "bolat") { fullName country { name } } }'],
    };
    const { id, version } = await speaker('aida');
    await expectInvalidation('api', questions, () =>
      mutate(organiser, 'mutation($input: UpdateSpeakerInput!) { updateSpeaker(input: $input) { version } }', {
        input: { id, expectedVersion: version, fields: { fullName: { en: next('Aida') } } },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(`update speaker set full_name = jsonb_build_object('en', $1::text) where slug = 'aida'`, [next('Aida')]),
    );

    // Moving to Uzbekistan, aida leaves one country's list and joins the other's.
    const moved = {
      dependent: ['{ country(code: "KZ") { speakers { nodes { slug } } } }', '{ country(code: "UZ") { speakers { nodes { slug } } } }'],
      // Not tash's agenda: it shows Uzbekistan, whose speakers aida joins.
      unrelated: ['{ forum(slug: "tash") { title } }', '{ speaker(slug: "zara") { fullName } }'],
    };
    await expectInvalidation('sql', moved, () =>
      sql.query(`update speaker set country_id = (select id from country where code = 'UZ') where slug = 'aida'`),
    );
    await expectInvalidation('sql', moved, () =>
      sql.query(`update speaker set country_id = (select id from country where code = 'KZ') where slug = 'aida'`),
    );
  });

  it('a country and a ministry (no API writes them): what shows them', async () => {
    const countryQuestions = {
      dependent: [agenda('camf'), '{ forum(slug: "camf") { hostCountry { name } } }'],
      unrelated: [agenda('tash'), '{ forum(slug: "tash") { hostCountry { name } } }'],
    };
    await expectInvalidation('sql', countryQuestions, () =>
      sql.query(`update country set name = jsonb_build_object('en', $1::text) where code = 'KZ'`, [next('Kazakhstan')]),
    );
    const ministryQuestions = {
      dependent: [agenda('camf'), '{ ministries(countryCode: "KZ") { name } }', '{ forum(slug: "camf") { organisers { name } } }'],
      unrelated: [agenda('tash'), '{ ministries(countryCode: "UZ") { name } }', '{ forum(slug: "tash") { organisers { name } } }'],
    };
    await expectInvalidation('sql', ministryQuestions, () =>
      sql.query(`update ministry set name = jsonb_build_object('en', $1::text) where slug = 'kz-mci'`, [next('Ministry')]),
    );
  });

  it('an article and its links: every forum, session, speaker, country and ministry it links to', async () => {
    const lists = (forum: string, session: string, speakerSlug: string, code: string, ministry: string) => [
      `{ forum(slug: "${forum}") { articles { nodes { title } } } }`,
      `{ forum(slug: "${forum}") { sessions(first: 1) { nodes { slug articles { nodes { title } } } } } }`,
      `{ speaker(slug: "${speakerSlug}") { articles { nodes { title } } } }`,
      `{ country(code: "${code}") { articles { nodes { title } } } }`,
      `{ ministry(slug: "${ministry}") { articles { nodes { title } } } }`,
      `{ article(slug: "${forum}-news") { title } }`,
    ];
    const questions = {
      dependent: lists('camf', 'camf-s1', 'aida', 'KZ', 'kz-mci'),
      unrelated: lists('tash', 'tash-s1', 'zara', 'UZ', 'uz-mci'),
    };
    const id = (await ask('{ article(slug: "camf-news") { id } }')).body.article.id;
    await expectInvalidation('api', questions, () =>
      mutate(editor, 'mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { title } }', {
        input: { id, title: { en: next('Article') } },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(`update article set title = jsonb_build_object('en', $1::text) where slug = 'camf-news'`, [next('Article')]),
    );

    // A new link: the speaker who now appears in it.
    const links = {
      dependent: ['{ speaker(slug: "bolat") { articles { nodes { slug } } } }'],
      unrelated: ['{ speaker(slug: "yusuf") { articles { nodes { slug } } } }'],
    };
    await expectInvalidation('api', links, () =>
      mutate(editor, 'mutation($input: SetArticleLinksInput!) { setArticleLinks(input: $input) { slug } }', {
        input: { id, speakers: [{ slug: 'aida' }, { slug: 'bolat' }] },
      }),
    );
    await expectInvalidation('sql', links, () =>
      sql.query(`delete from article_speaker where speaker_id = (select id from speaker where slug = 'bolat')`),
    );

    // Unpublished, it leaves every list it was in.
    const unpublished = {
      dependent: lists('camf', 'camf-s1', 'aida', 'KZ', 'kz-mci').slice(0, 5),
      unrelated: lists('tash', 'tash-s1', 'zara', 'UZ', 'uz-mci'),
    };
    await expectInvalidation('api', unpublished, () =>
      mutate(editor, 'mutation($input: ArticleIdInput!) { unpublishArticle(input: $input) { status } }', { input: { id } }),
    );
    await expectInvalidation('sql', unpublished, () => sql.query(`update article set status = 'PUBLISHED' where slug = 'camf-news'`));
  });

  it('a quote: its speaker and session', async () => {
    const questions = {
      dependent: [
        '{ speaker(slug: "aida") { quotes { text } } }',
        '{ forum(slug: "camf") { sessions(first: 1) { nodes { quotes { text } } } } }',
      ],
      unrelated: [
        '{ speaker(slug: "zara") { quotes { text } } }',
        '{ forum(slug: "tash") { sessions(first: 1) { nodes { quotes { text } } } } }',
      ],
    };
    const id = (await ask('{ speaker(slug: "aida") { quotes { id } } }')).body.speaker.quotes[0].id;
    await expectInvalidation('api', questions, () =>
      mutate(editor, 'mutation($input: UpdateQuoteInput!) { updateQuote(input: $input) { text } }', {
        input: { id, text: { en: next('Quote') } },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(
        `update quote set text = jsonb_build_object('en', $1::text) where speaker_id = (select id from speaker where slug = 'aida')`,
        [next('Quote')],
      ),
    );
  });

  it('an initiative (no API writes it): its forum', async () => {
    const questions = {
      dependent: ['{ forum(slug: "camf") { initiatives { title countries { code } } } }'],
      // Without its countries: camf's initiative is about to name Uzbekistan too.
      unrelated: ['{ forum(slug: "tash") { initiatives { title } } }'],
    };
    await expectInvalidation('sql', questions, () =>
      sql.query(`update initiative set title = jsonb_build_object('en', $1::text) where slug = 'camf-initiative'`, [next('Initiative')]),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(
        `insert into initiative_country (initiative_id, country_id) select i.id, c.id from initiative i, country c where i.slug = 'camf-initiative' and c.code = 'UZ'`,
      ),
    );
  });

  it('lists of a whole kind, and lookups that found nothing, change with any row of the kind', async () => {
    const questions = {
      dependent: [
        '{ speakers(first: 50) { nodes { slug } } }',
        '{ speaker(slug: "newcomer") { slug } }',
        '{ search(query: "newcomer") { hits { kind } } }',
      ],
      unrelated: [agenda('tash'), '{ forum(slug: "tash") { title } }'],
    };
    await expectInvalidation('api', questions, () =>
      mutate(organiser, 'mutation($input: CreateSpeakerInput!) { createSpeaker(input: $input) { slug } }', {
        input: {
          forumSlug: 'camf',
          fields: { slug: 'newcomer', fullName: { en: 'Newcomer' }, position: { en: 'Guest' }, countryCode: 'KZ' },
        },
      }),
    );
    await expectInvalidation('sql', questions, () =>
      sql.query(`update speaker set slug = 'someone', full_name = '{"en": "Someone"}' where slug = 'newcomer'`),
    );
  });
});
