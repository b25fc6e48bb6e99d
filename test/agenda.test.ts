import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/**
 * The nested agenda (forum → sessions → participants → speaker → country and ministry) must run
 * a fixed number of SQL statements however long the agenda is: forum, sessions, and participants
 * joined with their speakers, countries and ministries.
 */
const AGENDA = /* GraphQL */ `
  query Agenda($slug: String!, $first: Int) {
    forum(slug: $slug) {
      title
      sessions(first: $first) {
        totalCount
        edges {
          node {
            title
            startsAt
            startsAtLocal
            participants {
              role
              speaker {
                fullName
                country {
                  code
                  name
                }
                ministry {
                  slug
                  shortName
                }
              }
            }
          }
        }
      }
    }
  }
`;

describe('nested agenda query', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ');
    const uz = make.country(em, 'UZ');
    const mci = make.ministry(em, kz, 'kz-mci');
    const speakers = Array.from({ length: 40 }, (_, i) => make.speaker(em, `speaker-${i}`, i % 2 ? uz : kz, i % 3 === 0 ? mci : undefined));
    make.forumWithAgenda(em, { slug: 'small', host: kz, sessions: 5, speakers });
    make.forumWithAgenda(em, { slug: 'large', host: kz, sessions: 500, speakers });
    await em.flush();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('returns sessions in time order with their participants, speakers, countries and ministries', async () => {
    const { data, errors } = await h.execute(AGENDA, { slug: 'small', first: 10 }, 'en');
    expect(errors).toBeUndefined();
    const sessions = data!.forum.sessions;
    expect(sessions.totalCount).toBe(5);
    expect(sessions.edges.map((e: any) => e.node.title)).toEqual(['Session 1', 'Session 2', 'Session 3', 'Session 4', 'Session 5']);
    expect(sessions.edges[0].node.startsAt).toBe('2025-04-16T04:00:00.000Z');
    expect(sessions.edges[0].node.startsAtLocal).toBe('2025-04-16T09:00:00+05:00');
    expect(sessions.edges[0].node.participants).toEqual([
      {
        role: 'MODERATOR',
        speaker: {
          fullName: 'Speaker speaker-0',
          country: { code: 'KZ', name: 'Country KZ' },
          ministry: { slug: 'kz-mci', shortName: 'KZ-MCI' },
        },
      },
      {
        role: 'SPEAKER',
        speaker: { fullName: 'Speaker speaker-1', country: { code: 'UZ', name: 'Country UZ' }, ministry: null },
      },
    ]);
  });

  it('runs 3 statements for a forum of 5 sessions and for one of 500', async () => {
    const small = await h.countStatements(() => h.execute(AGENDA, { slug: 'small', first: 100 }));
    const large = await h.countStatements(() => h.execute(AGENDA, { slug: 'large', first: 100 }));
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    expect(small.result.data!.forum.sessions.edges).toHaveLength(5);
    expect(large.result.data!.forum.sessions.edges).toHaveLength(100);
    expect(large.result.data!.forum.sessions.totalCount).toBe(500);
    // forum, one page of sessions, participants joined with their speakers, countries and ministries.
    expect(small.statements).toBe(3);
    expect(large.statements).toBe(3);
  });

  it('answers a document too large to compile the same through graphql-js, in the same statements', async () => {
    // src/executor.ts compiles documents up to 2,000 characters with graphql-jit; a comment makes
    // this one longer without changing what it asks.
    const large = `# ${'padding '.repeat(300)}\n${AGENDA}`;
    const compiled = await h.countStatements(() => h.execute(AGENDA, { slug: 'small', first: 100 }));
    const interpreted = await h.countStatements(() => h.execute(large, { slug: 'small', first: 100 }));
    expect(compiled.result.errors).toBeUndefined();
    expect(interpreted.result).toEqual(compiled.result);
    expect(interpreted.statements).toBe(compiled.statements);
  });

  it('pages through all 500 sessions with the same statement count per page', async () => {
    const titles: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const { result, statements } = await h.countStatements(() =>
        h.execute(
          `query($after: String) { forum(slug: "large") { sessions(first: 100, after: $after) {
             pageInfo { hasNextPage endCursor } edges { node { title participants { speaker { country { code } ministry { slug } } } } } } } }`,
          { after },
        ),
      );
      expect(statements).toBe(3);
      const connection: any = result.data!.forum.sessions;
      titles.push(...connection.edges.map((e: any) => e.node.title));
      expect(connection.pageInfo.hasNextPage).toBe(page < 4);
      after = connection.pageInfo.endCursor;
    }
    expect(titles).toHaveLength(500);
    expect(new Set(titles).size).toBe(500);
  });
});
