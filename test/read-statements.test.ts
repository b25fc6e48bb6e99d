import { ReferenceKind } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { isObjectType } from 'graphql';
import { Client } from 'pg';
import { Country } from '../src/country/country.entity';
import { ormOptions } from '../src/db/mikro-orm.config';
import { createLoaders, LOADER_NAMES } from '../src/loaders';
import { getSchema } from '../src/schema';
import { Language } from '../src/shared/i18n';
import { Projection, useProjection, type ColumnMode, type EntityProjection } from '../src/shared/projection';
import { onOneConnection, unseen, type RunStatement } from '../src/shared/sql-loading';
import { startHarness, type Harness } from './helpers/harness';
import * as make from './factories';

/*
 * The read path writes its SQL at run time, from each request's projection (src/shared/
 * projection.ts). Every loader's statement is run here against the migrated schema: with every
 * column as stored (no projection), and with every column selected and every JSON column reduced
 * to one language, so that a column, table or expression the schema does not have fails here
 * rather than in front of a user.
 */
describe('statements of the read path', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A key of the kind each loader takes, by its name. */
  function keyOf(name: string): unknown {
    if (name === 'relatedArticles') return { article: 1, first: 3 };
    if (/PageBy/.test(name)) return { parent: 1, page: { offset: 0, limit: 5 } };
    if (/By(Slug|Code)$/.test(name)) return 'x';
    if (/By[A-Za-z]*Id$/.test(name)) return 1;
    throw new Error(`no key for loader ${name}: teach keyOf`);
  }

  async function runEveryLoader(em: EntityManager): Promise<string[]> {
    const ran: string[] = [];
    const loaders = createLoaders(em);
    for (const name of LOADER_NAMES) {
      await expect((loaders[name] as { load(key: unknown): Promise<unknown> }).load(keyOf(name))).resolves.toBeDefined();
      ran.push(name);
    }
    return ran;
  }

  /** Every column of every entity, the JSON ones reduced to one language. */
  function everyColumnLocal(): Projection {
    const byEntity = new Map<string, EntityProjection>();
    for (const meta of Object.values(h.orm.getMetadata().getAll())) {
      if (meta.abstract || meta.embeddable || !meta.tableName) continue;
      const props = new Map<string, ColumnMode>();
      for (const prop of meta.props) {
        const column =
          prop.persist !== false &&
          prop.fieldNames?.length &&
          (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE);
        if (column) props.set(prop.name, prop.columnTypes?.[0] === 'jsonb' ? 'local' : 'raw');
      }
      byEntity.set(meta.className, { props, key: `every column of ${meta.className}` });
    }
    return new Projection(byEntity, [Language.KK, Language.EN, Language.RU]);
  }

  it('runs every loader against the migrated schema, with every column as stored and with texts reduced to one language', async () => {
    const asStored = await runEveryLoader(h.orm.em.fork());
    const em = h.orm.em.fork();
    useProjection(em, everyColumnLocal());
    const reduced = await runEveryLoader(em);
    expect(reduced).toEqual(asStored);
    expect(asStored.length).toBeGreaterThanOrEqual(40);
  });

  it('selects only what an answer shows: an agenda reads no description or biography, and each text in one language', async () => {
    const em = h.orm.em.fork();
    const kz = make.country(em, 'KZ', { en: 'Kazakhstan', ru: 'Казахстан', kk: 'Қазақстан' });
    make.forumWithAgenda(em, { slug: 'projected', host: kz, sessions: 2, speakers: [make.speaker(em, 'projected-speaker', kz)] });
    await em.flush();
    const texts: string[] = [];
    const original = Client.prototype.query;
    Client.prototype.query = function capture(this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      texts.push(typeof config === 'string' ? config : (config?.text ?? ''));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    let answer;
    try {
      answer = await h.post(
        {
          query:
            '{ forum(slug: "projected") { title sessions { nodes { title participants { role speaker { fullName country { name } } } } } } }',
        },
        { 'accept-language': 'kk' },
      );
    } finally {
      Client.prototype.query = original;
    }
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.forum.sessions.nodes[0].participants[0].speaker.country.name).toBe('Қазақстан');
    const sql = texts.join('\n');
    expect(texts.length).toBe(3);
    for (const column of ['"description"', 's."bio"', 's."position"', '"room"', '"internal_notes"', '.*'])
      expect([column, sql.includes(column)]).toEqual([column, false]);
    // Each text in the reader's language first, reduced in SQL: the speaker's name, the country's.
    expect(sql).toContain(`when coalesce(s."full_name"->>'kk', '') <> ''`);
    expect(sql).toContain(`when coalesce(c."name"->>'kk', '') <> ''`);
  });

  it('has every @Reads name an entity and its properties', async () => {
    const schema = await getSchema();
    const declared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const reads = field.extensions?.reads as Record<string, string[]> | undefined;
        for (const [entity, props] of Object.entries(reads ?? {})) {
          const meta = h.orm.getMetadata().find(entity);
          expect([`${type.name}.${field.name}`, entity, Boolean(meta)]).toEqual([`${type.name}.${field.name}`, entity, true]);
          for (const prop of props)
            expect([`${type.name}.${field.name}`, `${entity}.${prop}`, prop in meta!.properties]).toEqual([
              `${type.name}.${field.name}`,
              `${entity}.${prop}`,
              true,
            ]);
          declared.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(declared).toEqual(expect.arrayContaining(['Forum.days', 'Session.startsAtLocal', 'Query.agendaChanges']));
  });

  it("reads inside a write's transaction through that transaction's connection", async () => {
    await h.orm.em
      .fork()
      .transactional(async (tx) => {
        tx.create(Country, { code: 'ZZ', name: { en: 'Not yet committed' } });
        await tx.flush();
        const loaders = createLoaders(tx);
        // Another connection would not see the row, nor could a pool of one give it.
        expect((await loaders.countryByCode.load('ZZ'))?.name).toEqual({ en: 'Not yet committed' });
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(await createLoaders(h.orm.em.fork()).countryByCode.load('ZZ')).toBeNull();
  });

  describe('onOneConnection and unseen values', () => {
    // One connection, whose prepared statements pg_prepared_statements lists.
    let orm: MikroORM;
    const plansOf = (run: RunStatement, statement: string) =>
      run('select generic_plans, custom_plans from pg_prepared_statements where statement = $1', [statement]);

    beforeAll(async () => {
      orm = await MikroORM.init(ormOptions(h.databaseUrl, 5000, 1));
    });

    afterAll(async () => {
      await orm?.close();
    });

    it('runs its statements on one connection, outside any transaction', async () => {
      const em = orm.em.fork();
      const seen = await onOneConnection(em, async (run) => [
        ...(await run('select pg_backend_pid() as pid, now()::text as started', [])),
        ...(await run('select pg_backend_pid() as pid, now()::text as started', [])),
      ]);
      expect(seen[0].pid).toBe(seen[1].pid);
      // now() is when the transaction started: each statement is a transaction of its own.
      expect(seen[0].started).not.toBe(seen[1].started);
    });

    it('lets PostgreSQL keep a generic plan from the sixth run of a statement whose values are unseen', async () => {
      const em = orm.em.fork();
      // (`= any((select …))` would compare with each row of the subquery: the cast makes it a value.)
      const probe = `select id from country where code = any(${unseen('$1', 'text[]')}::text[]) /* unseen probe */`;
      const plans = await onOneConnection(em, async (run) => {
        // Lists of other lengths, which a custom plan would estimate from.
        for (let i = 0; i < 8; i += 1) await run(probe, [Array.from({ length: 1 + i * 20 }, (_, j) => `X${j}`)]);
        return plansOf(run, probe);
      });
      expect(plans).toEqual([{ generic_plans: '3', custom_plans: '5' }]);
    });

    it("runs inside a write's transaction on its connection", async () => {
      const seen = await orm.em.fork().transactional(async (tx) => {
        tx.create(Country, { code: 'ZX', name: { en: 'Not yet committed' } });
        await tx.flush();
        return onOneConnection(tx, (run) => run("select code from country where code = 'ZX'", []));
      });
      expect(seen).toEqual([{ code: 'ZX' }]);
    });
  });
});
