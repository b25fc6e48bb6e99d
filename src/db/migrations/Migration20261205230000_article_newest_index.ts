import { Migration } from '@mikro-orm/migrations';

/**
 * Articles newest first (`published_at desc, id desc`, NEWEST_FIRST) in full from one index: with
 * `published_at` alone, the rows of each instant were sorted by id above it, and a search reading
 * articles newest first until enough match copied every row it kept into that sort
 * (newestMatchesSql).
 */
export class Migration20261205230000_article_newest_index extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index "article_published_at_id_index" on "article" ("published_at", "id");');
    this.addSql('drop index "article_published_at_index";');
  }

  override async down(): Promise<void> {
    this.addSql('create index "article_published_at_index" on "article" ("published_at");');
    this.addSql('drop index "article_published_at_id_index";');
  }
}
