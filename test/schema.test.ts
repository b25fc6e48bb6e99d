import fs from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { getSchema, SCHEMA_FILE } from '../src/schema';
import { resolveFieldsDirectly } from '../src/shared/direct-resolvers';
import { printSdl } from '../src/shared/print-schema';
import { seed } from '../src/db/seed';
import { startHarness, type Harness } from './helpers/harness';

describe('schema', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await getSchema();
  });

  it('matches the committed schema/schema.graphql (run `npm run schema` after changing the API)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSdl(schema));
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('resolves directly every field whose type-graphql resolver would only pass the call on (src/shared/direct-resolvers.ts)', () => {
    const direct = resolveFieldsDirectly(schema);
    expect(direct).toEqual(
      expect.arrayContaining([
        'Session.id',
        'Session.title',
        'Session.titleTranslations',
        'Session.participants',
        'SessionParticipant.speaker',
        'Speaker.country',
        'Speaker.ministry',
      ]),
    );
    // What is left to type-graphql takes arguments that it converts or validates, or (LocalizedText)
    // has a plain object as its parent. A new field that quietly takes the slow path shows up here.
    const left = Object.values(schema.getTypeMap()).flatMap((type) =>
      isObjectType(type) &&
      !type.name.startsWith('__') &&
      type !== schema.getQueryType() &&
      type !== schema.getMutationType() &&
      type !== schema.getSubscriptionType()
        ? Object.values(type.getFields())
            .filter((field) => field.resolve && !direct.includes(`${type.name}.${field.name}`))
            .map((field) => `${type.name}.${field.name}`)
        : [],
    );
    expect(left.sort()).toEqual(
      [
        'Article.related',
        'Country.articles',
        'Country.speakers',
        'Forum.articles',
        'Forum.rooms',
        'Forum.sessions',
        'Forum.tracks',
        'LocalizedText.language',
        'LocalizedText.text',
        'Ministry.articles',
        'Ministry.speakers',
        'Session.articles',
        'Session.endsAtLocal',
        'Session.startsAtLocal',
        'Speaker.articles',
      ].sort(),
    );
    // Plain properties have no resolver at all: graphql-jit reads them inline.
    expect((schema.getType('SessionParticipant') as GraphQLObjectType).getFields().role.resolve).toBeUndefined();
  });
});

describe('migrations', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('match the entities: a freshly migrated database needs no new migration', async () => {
    expect(await h.orm.getMigrator().checkMigrationNeeded()).toBe(false);
  });
});

describe('the search migration on a database that has data', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('fills the vectors and the vocabulary of the rows there are, and leaves their triggers on', async () => {
    const migrator = h.orm.getMigrator();
    await migrator.down({ to: 'Migration20261205130000_search_forums_countries_ministries' });
    // The article's deferred webhook trigger once made the index refuse: «pending trigger events».
    await migrator.up();
    const connection = h.orm.em.getConnection();
    const [{ empty }] = await connection.execute(`select count(*)::int as empty from article where search_vector is null`);
    expect(empty).toBe(0);
    const hits = async (query: string) =>
      ((await h.execute(`query($q: String!) { search(query: $q) { hits { kind } } }`, { q: query })).data!.search as { hits: unknown[] })
        .hits.length;
    // A typo: found through the vocabulary the migration filled.
    expect(await hits('медиафорун')).toBeGreaterThan(0);
    // The triggers work on: a new word in a title is found, by itself and with a typo.
    await connection.execute(`update article set title = title || '{"en": "Zhetysu"}' where id = (select min(id) from article)`);
    expect(await hits('Zhetysu')).toBe(1);
    expect(await hits('Zhetisu')).toBe(1);
  });

  it('refills the vocabulary with the listed lexemes of every vector, as the triggers collect them', async () => {
    const connection = h.orm.em.getConnection();
    const tables = ['article', 'speaker', 'session', 'forum', 'country', 'ministry'];
    const expected = await connection.execute<{ w: string }[]>(
      `select w from (${tables.map((table) => `select search_word_lexemes(search_vector) w from "${table}"`).join(' union ')}) x order by w`,
    );
    await connection.execute('truncate search_word');
    await connection.execute('select search_words_refresh()');
    const words = await connection.execute<{ word: string }[]>('select word from search_word order by word');
    expect(expected.length).toBeGreaterThan(300);
    expect(words.map((row) => row.word)).toEqual(expected.map((row) => row.w));
  });
});
