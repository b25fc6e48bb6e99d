import fs from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { getSchema, SCHEMA_FILE } from '../src/schema';
import { resolveLocalizedFieldsDirectly } from '../src/shared/localized-fields';
import { printSdl } from '../src/shared/print-schema';
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

  it('resolves every localized text field by a direct call of its method (src/shared/localized-fields.ts)', () => {
    // The fields that take `lang`: each must be found, or it silently goes back to the slow path.
    const withLang = Object.values(schema.getTypeMap()).flatMap((type) =>
      isObjectType(type) ? Object.values(type.getFields()).filter((f) => f.args.some((a) => a.name === 'lang')).map((f) => `${type.name}.${f.name}`) : [],
    );
    const direct = resolveLocalizedFieldsDirectly(schema);
    expect(direct).toEqual(expect.arrayContaining(['Session.title', 'Speaker.fullName', 'Speaker.position', 'Country.name', 'Ministry.shortName', 'Article.title', 'Article.lead']));
    // Fields of resolver classes, not methods of the type: LocalizedText's (their root is a plain
    // translations object) and the forum's rooms and tracks (loaded from the database).
    expect(withLang.filter((f) => !direct.includes(f)).sort()).toEqual(['Forum.rooms', 'Forum.tracks', 'LocalizedText.language', 'LocalizedText.text']);
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
