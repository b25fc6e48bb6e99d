import { Migration } from '@mikro-orm/migrations';

/** Each searchable table and the JSONB translation columns its words come from. */
const WORDS: [table: string, columns: string[]][] = [
  ['article', ['title', 'lead', 'body']],
  ['speaker', ['full_name', 'position', 'organisation']],
  ['session', ['title', 'description']],
  ['forum', ['title', 'city', 'venue', 'description']],
  ['country', ['name']],
  ['ministry', ['name', 'short_name']],
];

export class Migration20261205140000_search_trigrams extends Migration {
  override async up(): Promise<void> {
    // Trigram similarity (pg_trgm ships with PostgreSQL, the embedded one included) finds typos
    // and the word forms the stemmers miss («Астана» / «Астане», Kazakh endings). It compares a
    // query's words with the distinct words of a row, in every language and in lower case: far
    // shorter than the texts, so the index stays small and a long body cannot dilute a match.
    this.addSql('create extension if not exists pg_trgm;');
    this.addSql(`create function search_words(variadic texts jsonb[]) returns text language sql immutable parallel safe as $$
  select coalesce(string_agg(word, ' '), '') from (
    select distinct word
    from unnest(texts) t, jsonb_each_text(coalesce(t, '{}'::jsonb)) v(language, text), unnest(tsvector_to_array(to_tsvector('simple', v.text))) word
  ) words
$$;`);
    for (const [table, columns] of WORDS) {
      this.addSql(`create index "${table}_words_index" on "${table}" using gin (search_words(${columns.join(', ')}) gin_trgm_ops);`);
    }
  }

  override async down(): Promise<void> {
    for (const [table] of WORDS) this.addSql(`drop index "${table}_words_index";`);
    this.addSql('drop function search_words(variadic jsonb[]);');
  }
}
