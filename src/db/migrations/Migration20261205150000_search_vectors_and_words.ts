import { Migration } from '@mikro-orm/migrations';

/** Each searchable table: its JSONB translation columns and their weights, as the earlier indexes had them. */
const SEARCHABLE: [table: string, columns: [column: string, weight: string][]][] = [
  [
    'article',
    [
      ['title', 'A'],
      ['lead', 'B'],
      ['body', 'C'],
    ],
  ],
  [
    'speaker',
    [
      ['full_name', 'A'],
      ['position', 'B'],
      ['organisation', 'B'],
    ],
  ],
  [
    'session',
    [
      ['title', 'A'],
      ['description', 'B'],
    ],
  ],
  [
    'forum',
    [
      ['title', 'A'],
      ['city', 'B'],
      ['venue', 'B'],
      ['description', 'C'],
    ],
  ],
  ['country', [['name', 'A']]],
  [
    'ministry',
    [
      ['name', 'A'],
      ['short_name', 'A'],
    ],
  ],
];

/** Russian and English stemmed, Kazakh word by word (PostgreSQL has no Kazakh stemmer). */
const CONFIGS = [
  ['ru', 'russian'],
  ['en', 'english'],
  ['kk', 'simple'],
];

const vector = (columns: [string, string][], row = '') =>
  columns
    .flatMap(([column, weight]) =>
      CONFIGS.map(
        ([language, config]) => `setweight(to_tsvector('${config}', coalesce(${row}${column} ->> '${language}', '')), '${weight}')`,
      ),
    )
    .join(' || ');

export class Migration20261205150000_search_vectors_and_words extends Migration {
  override async up(): Promise<void> {
    // The vector of each row is stored, instead of indexed as an expression: ranking, and the
    // planner's choice between the GIN index and a newest-first scan, then read it instead of
    // parsing and stemming the texts of every candidate again (55 µs a row). A trigger keeps it,
    // on changes of the texts only (a generated column would be recomputed on every update, a
    // view count's too, and MikroORM's schema diff cannot compare its expression).
    for (const [table, columns] of SEARCHABLE) {
      this.addSql(`drop index "${table}_search_index";`);
      this.addSql(`alter table "${table}" add column "search_vector" tsvector null;`);
      this.addSql(`create function "${table}_search_vector"() returns trigger language plpgsql as $$
begin
  new.search_vector := ${vector(columns, 'new.')};
  return new;
end $$;`);
      this.addSql(
        `create trigger "${table}_search_vector" before insert or update of ${columns.map(([column]) => `"${column}"`).join(', ')}` +
          ` on "${table}" for each row execute function "${table}_search_vector"();`,
      );
      // The rows there are, by rewriting the table (a change of the column's "type" with USING):
      // an UPDATE would leave a dead version of every row behind, and fire the tables' triggers,
      // which would announce every row as changed; the article's deferred one would leave
      // trigger events pending, which CREATE INDEX then refuses.
      this.addSql(`alter table "${table}" alter column "search_vector" type tsvector using ${vector(columns)};`);
      this.addSql(`create index "${table}_search_index" on "${table}" using gin ("search_vector");`);
      // The planner's estimates of how common a word is come from the column's statistics.
      this.addSql(`analyze "${table}";`);
    }

    // The vocabulary: every lexeme of every search vector, with a trigram index. A query word
    // that matches nothing as it is typed is looked up here by similarity (pg_trgm, which ships
    // with PostgreSQL, the embedded one included) and searched as the lexemes found: typos, and
    // the forms the stemmers split («Астана» / «Астане»). Numbers are left out (a typo in a
    // number is another number), and words of one or two letters (too few trigrams). Lexemes
    // are only added: one no row has any more costs a lookup that finds nothing.
    this.addSql('create extension if not exists pg_trgm;');
    this.addSql('create table "search_word" ("word" text primary key);');
    this.addSql(`create function search_word_lexemes(vector tsvector) returns setof text language sql immutable parallel safe as $$
  select lexeme from unnest(tsvector_to_array(vector)) lexeme where length(lexeme) between 3 and 60 and lexeme !~ '^[0-9]+$'
$$;`);
    // In lexeme order, so that two writers adding the same new lexemes wait for each other
    // instead of deadlocking. An update adds only the lexemes of rows whose texts changed: most
    // updates change something else (a view count, a status).
    this.addSql(`create function search_words_collect() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into search_word (word)
    select distinct w from new_rows r, search_word_lexemes(r.search_vector) w order by w
    on conflict do nothing;
  else
    insert into search_word (word)
    select distinct w from new_rows r join old_rows o on o.id = r.id, search_word_lexemes(r.search_vector) w
    where r.search_vector is distinct from o.search_vector order by w
    on conflict do nothing;
  end if;
  return null;
end $$;`);
    for (const [table] of SEARCHABLE) {
      this.addSql(
        `create trigger "${table}_search_words_insert" after insert on "${table}" referencing new table as new_rows` +
          ` for each statement execute function search_words_collect();`,
      );
      this.addSql(
        `create trigger "${table}_search_words_update" after update on "${table}" referencing old table as old_rows new table as new_rows` +
          ` for each statement execute function search_words_collect();`,
      );
    }
    // What a load with triggers off (the bench's) calls afterwards too.
    this.addSql(`create function search_words_refresh() returns void language sql as $$
  insert into search_word (word)
  select w from (${SEARCHABLE.map(([table]) => `select search_word_lexemes(search_vector) w from "${table}"`).join(' union ')}) words
  order by w on conflict do nothing
$$;`);
    this.addSql('select search_words_refresh();');
    // Built after the words are in, and without GIN's pending list: words inserted into an index
    // with one wait there, unsorted, and every lookup reads them all until a VACUUM merges them
    // (searches took 22–44 ms instead of 5–7 on the bench dataset). New words are few and come
    // one edit at a time.
    this.addSql('create index "search_word_trigram_index" on "search_word" using gin ("word" gin_trgm_ops) with (fastupdate = off);');
    // Without statistics the planner takes the filled vocabulary for an empty table, and the
    // similarity lookups read every word (searches of hundreds of ms on the bench dataset).
    this.addSql('analyze "search_word";');
  }

  override async down(): Promise<void> {
    for (const [table, columns] of SEARCHABLE) {
      for (const event of ['insert', 'update']) this.addSql(`drop trigger "${table}_search_words_${event}" on "${table}";`);
      this.addSql(`drop index "${table}_search_index";`);
      this.addSql(`drop trigger "${table}_search_vector" on "${table}";`);
      this.addSql(`drop function "${table}_search_vector"();`);
      this.addSql(`alter table "${table}" drop column "search_vector";`);
      this.addSql(`create index "${table}_search_index" on "${table}" using gin ((${vector(columns)}));`);
    }
    this.addSql('drop function search_words_refresh();');
    this.addSql('drop function search_words_collect();');
    this.addSql('drop function search_word_lexemes(tsvector);');
    this.addSql('drop table "search_word";');
  }
}
