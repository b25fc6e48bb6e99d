import { Migration } from '@mikro-orm/migrations';

export class Migration20261126103046_press_coverage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "article_status" as enum ('DRAFT', 'SCHEDULED', 'PUBLISHED');`);
    this.addSql(`create type "link_kind" as enum ('COVERS', 'MENTIONS');`);
    this.addSql(
      `create table "article_view_day" ("article_id" int not null, "day" date not null, "views" int not null, constraint "article_view_day_pkey" primary key ("article_id", "day"));`,
    );

    this.addSql(
      `alter table "article_view_day" add constraint "article_view_day_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "article" add column "status" "article_status" not null default 'PUBLISHED';`);
    this.addSql(
      `create index "article_search_index" on "article" using gin ((setweight(to_tsvector('russian', coalesce(title ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(title ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(title ->> 'kk', '')), 'A') || setweight(to_tsvector('russian', coalesce(lead ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(lead ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(lead ->> 'kk', '')), 'B') || setweight(to_tsvector('russian', coalesce(body ->> 'ru', '')), 'C') || setweight(to_tsvector('english', coalesce(body ->> 'en', '')), 'C') || setweight(to_tsvector('simple', coalesce(body ->> 'kk', '')), 'C')));`,
    );

    this.addSql(`alter table "article_country" add column "kind" "link_kind" not null default 'MENTIONS';`);
    this.addSql(`create index "article_country_country_id_index" on "article_country" ("country_id");`);

    this.addSql(`alter table "article_forum" add column "kind" "link_kind" not null default 'MENTIONS';`);
    this.addSql(`create index "article_forum_forum_id_index" on "article_forum" ("forum_id");`);

    this.addSql(`alter table "article_ministry" add column "kind" "link_kind" not null default 'MENTIONS';`);
    this.addSql(`create index "article_ministry_ministry_id_index" on "article_ministry" ("ministry_id");`);

    this.addSql(
      `create index "session_search_index" on "session" using gin ((setweight(to_tsvector('russian', coalesce(title ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(title ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(title ->> 'kk', '')), 'A') || setweight(to_tsvector('russian', coalesce(description ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(description ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(description ->> 'kk', '')), 'B')));`,
    );

    this.addSql(`alter table "article_session" add column "kind" "link_kind" not null default 'MENTIONS';`);
    this.addSql(`create index "article_session_session_id_index" on "article_session" ("session_id");`);

    this.addSql(
      `create index "speaker_search_index" on "speaker" using gin ((setweight(to_tsvector('russian', coalesce(full_name ->> 'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(full_name ->> 'en', '')), 'A') || setweight(to_tsvector('simple', coalesce(full_name ->> 'kk', '')), 'A') || setweight(to_tsvector('russian', coalesce(position ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(position ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(position ->> 'kk', '')), 'B') || setweight(to_tsvector('russian', coalesce(organisation ->> 'ru', '')), 'B') || setweight(to_tsvector('english', coalesce(organisation ->> 'en', '')), 'B') || setweight(to_tsvector('simple', coalesce(organisation ->> 'kk', '')), 'B')));`,
    );

    this.addSql(`alter table "article_speaker" add column "kind" "link_kind" not null default 'MENTIONS';`);
    this.addSql(`create index "article_speaker_speaker_id_index" on "article_speaker" ("speaker_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "article_view_day" cascade;`);

    this.addSql(`drop index "article_search_index";`);
    this.addSql(`alter table "article" drop column "status";`);

    this.addSql(`drop index "article_country_country_id_index";`);
    this.addSql(`alter table "article_country" drop column "kind";`);

    this.addSql(`drop index "article_forum_forum_id_index";`);
    this.addSql(`alter table "article_forum" drop column "kind";`);

    this.addSql(`drop index "article_ministry_ministry_id_index";`);
    this.addSql(`alter table "article_ministry" drop column "kind";`);

    this.addSql(`drop index "article_session_session_id_index";`);
    this.addSql(`alter table "article_session" drop column "kind";`);

    this.addSql(`drop index "article_speaker_speaker_id_index";`);
    this.addSql(`alter table "article_speaker" drop column "kind";`);

    this.addSql(`drop index "session_search_index";`);

    this.addSql(`drop index "speaker_search_index";`);

    this.addSql(`drop type "article_status";`);
    this.addSql(`drop type "link_kind";`);
  }
}
