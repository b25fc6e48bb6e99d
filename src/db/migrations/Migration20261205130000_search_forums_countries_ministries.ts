import { Migration } from '@mikro-orm/migrations';

export class Migration20261205130000_search_forums_countries_ministries extends Migration {
  override async up(): Promise<void> {
    // search() finds forums (title, city, venue, description), countries (name) and ministries
    // (name, abbreviation) too: the same weighted vectors as articles', one GIN index each.
    this.addSql(
      `create index "forum_search_index" on "forum" using gin ((setweight(to_tsvector('russian', coalesce(title ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(title ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(title ->> 'kk', '')), 'A') || setweight(to_tsvector('russian', coalesce(city ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(city ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(city ->> 'kk', '')), 'B') || setweight(to_tsvector('russian', coalesce(venue ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(venue ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(venue ->> 'kk', '')), 'B') || setweight(to_tsvector('russian', coalesce(description ->> 'ru', '')), 'C') || setweight(to_tsvector('english', coalesce(description ->> 'en', '')), 'C') || setweight(to_tsvector('simple', coalesce(description ->> 'kk', '')), 'C')));`,
    );
    this.addSql(
      `create index "country_search_index" on "country" using gin ((setweight(to_tsvector('russian', coalesce(name ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(name ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(name ->> 'kk', '')), 'A')));`,
    );
    this.addSql(
      `create index "ministry_search_index" on "ministry" using gin ((setweight(to_tsvector('russian', coalesce(name ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(name ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(name ->> 'kk', '')), 'A') || setweight(to_tsvector('russian', coalesce(short_name ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(short_name ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(short_name ->> 'kk', '')), 'A')));`,
    );
  }

  override async down(): Promise<void> {
    for (const table of ['forum', 'country', 'ministry']) this.addSql(`drop index "${table}_search_index";`);
  }
}
