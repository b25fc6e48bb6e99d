import { ReferenceKind } from '@mikro-orm/core';
import { seed } from '../src/db/seed';
import { isReadRow, isUnloadedReference, toReadRow } from '../src/shared/read-rows';
import { query } from '../src/shared/sql-loading';
import { startHarness, type Harness } from './helpers/harness';

/*
 * The read path turns rows into read-only instances (src/shared/read-rows.ts) instead of managed
 * entities. Every resolver and export reads those, so each must carry exactly what `em.map`
 * gives: the same values of the same types in every property, for every table of the seed data.
 */
describe('read rows', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await seed(h.orm.em.fork());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('carry the values em.map gives, for every entity and row of the seed data', async () => {
    const checked: string[] = [];
    for (const meta of Object.values(h.orm.getMetadata().getAll())) {
      if (meta.abstract || meta.embeddable || !meta.tableName || meta.primaryKeys.length !== 1 || meta.primaryKeys[0] !== 'id') continue;
      const em = h.orm.em.fork();
      const rows = await query(em, `select * from "${meta.tableName}" order by id`, []);
      for (const row of rows) {
        const managed = em.fork().map(meta.class, { ...row }) as Record<string, unknown>;
        const read = toReadRow(em.fork(), meta.class, row) as Record<string, unknown>;
        expect(read).toBeInstanceOf(meta.class);
        expect(isReadRow(read)).toBe(true);
        for (const prop of meta.props) {
          if (prop.lazy) {
            // A lazy column (a search vector) is never read into a row: reading it is a bug.
            expect(() => read[prop.name]).toThrow('was not selected');
          } else if (prop.kind === ReferenceKind.SCALAR && prop.persist !== false) {
            expect({ [prop.name]: read[prop.name] }).toEqual({ [prop.name]: managed[prop.name] });
          } else if (prop.kind === ReferenceKind.MANY_TO_ONE) {
            const target = read[prop.name] as { id: number } | null;
            const expected = managed[prop.name] as { id: number } | null;
            expect({ [prop.name]: target?.id ?? null }).toEqual({ [prop.name]: expected?.id ?? null });
            if (target) expect(isUnloadedReference(target)).toBe(true);
          }
        }
      }
      if (rows.length > 0) checked.push(meta.className);
    }
    // The seed data reaches every table the public API reads.
    expect(checked).toEqual(
      expect.arrayContaining([
        'Forum',
        'Session',
        'SessionParticipant',
        'Speaker',
        'Country',
        'Ministry',
        'Article',
        'Quote',
        'Initiative',
      ]),
    );
  });
});
