import { Migration } from '@mikro-orm/migrations';

/**
 * Tables whose rows can appear in a public GraphQL response. Not here: article_view_day (written on
 * every page view: counting views must not flush response caches, so "most read" may lag by
 * CACHE_MAX_AGE), users, API tokens and the audit log (never public).
 */
const PUBLIC_TABLES = [
  'forum',
  'forum_country',
  'forum_organiser',
  'country',
  'ministry',
  'session',
  'session_participant',
  'session_change',
  'speaker',
  'article_forum',
  'article_session',
  'article_speaker',
  'article_country',
  'article_ministry',
  'quote',
  'initiative',
  'initiative_country',
];

export class Migration20261126121008_content_changed_notify extends Migration {
  override async up(): Promise<void> {
    // Every server process LISTENs on content_changed and drops its response cache on any
    // notification (response-cache.ts). Triggers, not application code, so that every write path
    // (another process, imports, seeds, SQL by hand) is seen; NOTIFY is delivered at commit, and
    // identical notifications of one transaction are sent once.
    this.addSql(`create function notify_content_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('content_changed', tg_table_name);
  return null;
end $$;`);
    for (const table of PUBLIC_TABLES) {
      this.addSql(
        `create trigger content_changed after insert or update or delete or truncate on "${table}" for each statement execute function notify_content_changed();`,
      );
    }
    // An article's view counter (recordArticleView) changes on every page view, so an update of
    // article notifies only when something besides view_count changed.
    this.addSql(
      `create trigger content_changed after insert or delete or truncate on "article" for each statement execute function notify_content_changed();`,
    );
    this.addSql(
      `create trigger content_changed_update after update on "article" for each row when ((to_jsonb(old) - 'view_count') is distinct from (to_jsonb(new) - 'view_count')) execute function notify_content_changed();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists content_changed_update on "article";`);
    for (const table of [...PUBLIC_TABLES, 'article']) {
      this.addSql(`drop trigger if exists content_changed on "${table}";`);
    }
    this.addSql(`drop function if exists notify_content_changed();`);
  }
}
