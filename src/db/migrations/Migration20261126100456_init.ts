import { Migration } from '@mikro-orm/migrations';

export class Migration20261126100456_init extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "initiative_status" as enum ('PROPOSED', 'UNDER_CONSIDERATION', 'LAUNCHED');`);
    this.addSql(`create type "ministry_kind" as enum ('MINISTRY', 'STATE_AGENCY');`);
    this.addSql(
      `create type "session_kind" as enum ('OPENING', 'MINISTERIAL_MEETING', 'PLENARY', 'PANEL', 'MASTER_CLASS', 'WORKSHOP', 'BREAK', 'OTHER');`,
    );
    this.addSql(`create type "participant_role" as enum ('SPEAKER', 'MODERATOR', 'PANELIST', 'KEYNOTE', 'HOST');`);
    this.addSql(
      `create table "article" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "title" jsonb not null, "lead" jsonb null, "body" jsonb null, "source_url" text not null, "outlet_name" varchar(255) not null, "outlet_url" text null, "author_name" varchar(255) null, "author_title" varchar(255) null, "photo_credit" varchar(255) null, "language" varchar(16) not null, "published_at" timestamptz not null, "view_count" int not null default 0);`,
    );
    this.addSql(`alter table "article" add constraint "article_slug_unique" unique ("slug");`);
    this.addSql(`create index "article_published_at_index" on "article" ("published_at");`);

    this.addSql(
      `create table "country" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(2) not null, "name" jsonb not null);`,
    );
    this.addSql(`alter table "country" add constraint "country_code_unique" unique ("code");`);

    this.addSql(
      `create table "article_country" ("article_id" int not null, "country_id" int not null, constraint "article_country_pkey" primary key ("article_id", "country_id"));`,
    );

    this.addSql(
      `create table "forum" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "title" jsonb not null, "edition" int not null, "city" jsonb not null, "venue" jsonb null, "host_country_id" int not null, "time_zone" varchar(255) not null, "start_date" date not null, "end_date" date not null, "participant_count" int null, "description" jsonb null, "website" text null);`,
    );
    this.addSql(`alter table "forum" add constraint "forum_slug_unique" unique ("slug");`);
    this.addSql(`create index "forum_host_country_id_index" on "forum" ("host_country_id");`);

    this.addSql(
      `create table "article_forum" ("article_id" int not null, "forum_id" int not null, constraint "article_forum_pkey" primary key ("article_id", "forum_id"));`,
    );

    this.addSql(
      `create table "forum_country" ("forum_id" int not null, "country_id" int not null, constraint "forum_country_pkey" primary key ("forum_id", "country_id"));`,
    );

    this.addSql(
      `create table "initiative" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "forum_id" int not null, "title" jsonb not null, "description" jsonb null, "status" "initiative_status" not null);`,
    );
    this.addSql(`alter table "initiative" add constraint "initiative_slug_unique" unique ("slug");`);
    this.addSql(`create index "initiative_forum_id_index" on "initiative" ("forum_id");`);

    this.addSql(
      `create table "initiative_country" ("initiative_id" int not null, "country_id" int not null, constraint "initiative_country_pkey" primary key ("initiative_id", "country_id"));`,
    );

    this.addSql(
      `create table "ministry" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "kind" "ministry_kind" not null, "country_id" int not null, "name" jsonb not null, "short_name" jsonb null, "website" text null);`,
    );
    this.addSql(`alter table "ministry" add constraint "ministry_slug_unique" unique ("slug");`);
    this.addSql(`create index "ministry_country_id_index" on "ministry" ("country_id");`);

    this.addSql(
      `create table "forum_organiser" ("forum_id" int not null, "ministry_id" int not null, constraint "forum_organiser_pkey" primary key ("forum_id", "ministry_id"));`,
    );

    this.addSql(
      `create table "article_ministry" ("article_id" int not null, "ministry_id" int not null, constraint "article_ministry_pkey" primary key ("article_id", "ministry_id"));`,
    );

    this.addSql(
      `create table "session" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "forum_id" int not null, "title" jsonb not null, "description" jsonb null, "kind" "session_kind" not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "room" jsonb null, "track" jsonb null, "language" varchar(16) not null, "audience" jsonb null);`,
    );
    this.addSql(`alter table "session" add constraint "session_slug_unique" unique ("slug");`);
    this.addSql(`create index "session_forum_id_starts_at_index" on "session" ("forum_id", "starts_at");`);

    this.addSql(
      `create table "article_session" ("article_id" int not null, "session_id" int not null, constraint "article_session_pkey" primary key ("article_id", "session_id"));`,
    );

    this.addSql(
      `create table "speaker" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "slug" varchar(255) not null, "full_name" jsonb not null, "position" jsonb not null, "bio" jsonb null, "photo_url" text null, "country_id" int not null, "ministry_id" int null, "organisation" jsonb null, "links" jsonb not null default '[]');`,
    );
    this.addSql(`alter table "speaker" add constraint "speaker_slug_unique" unique ("slug");`);
    this.addSql(`create index "speaker_country_id_index" on "speaker" ("country_id");`);
    this.addSql(`create index "speaker_ministry_id_index" on "speaker" ("ministry_id");`);

    this.addSql(
      `create table "session_participant" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "session_id" int not null, "speaker_id" int not null, "role" "participant_role" not null, "position" int not null);`,
    );
    this.addSql(`create index "session_participant_speaker_id_index" on "session_participant" ("speaker_id");`);
    this.addSql(
      `alter table "session_participant" add constraint "session_participant_session_id_speaker_id_role_unique" unique ("session_id", "speaker_id", "role");`,
    );

    this.addSql(
      `create table "quote" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "text" jsonb not null, "speaker_id" int not null, "article_id" int not null, "session_id" int null);`,
    );
    this.addSql(`create index "quote_speaker_id_index" on "quote" ("speaker_id");`);
    this.addSql(`create index "quote_article_id_index" on "quote" ("article_id");`);
    this.addSql(`create index "quote_session_id_index" on "quote" ("session_id");`);

    this.addSql(
      `create table "article_speaker" ("article_id" int not null, "speaker_id" int not null, constraint "article_speaker_pkey" primary key ("article_id", "speaker_id"));`,
    );

    this.addSql(
      `alter table "article_country" add constraint "article_country_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "article_country" add constraint "article_country_country_id_foreign" foreign key ("country_id") references "country" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "forum" add constraint "forum_host_country_id_foreign" foreign key ("host_country_id") references "country" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "article_forum" add constraint "article_forum_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "article_forum" add constraint "article_forum_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "forum_country" add constraint "forum_country_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "forum_country" add constraint "forum_country_country_id_foreign" foreign key ("country_id") references "country" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "initiative" add constraint "initiative_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "initiative_country" add constraint "initiative_country_initiative_id_foreign" foreign key ("initiative_id") references "initiative" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "initiative_country" add constraint "initiative_country_country_id_foreign" foreign key ("country_id") references "country" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "ministry" add constraint "ministry_country_id_foreign" foreign key ("country_id") references "country" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "forum_organiser" add constraint "forum_organiser_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "forum_organiser" add constraint "forum_organiser_ministry_id_foreign" foreign key ("ministry_id") references "ministry" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "article_ministry" add constraint "article_ministry_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "article_ministry" add constraint "article_ministry_ministry_id_foreign" foreign key ("ministry_id") references "ministry" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "session" add constraint "session_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "article_session" add constraint "article_session_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "article_session" add constraint "article_session_session_id_foreign" foreign key ("session_id") references "session" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "speaker" add constraint "speaker_country_id_foreign" foreign key ("country_id") references "country" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "speaker" add constraint "speaker_ministry_id_foreign" foreign key ("ministry_id") references "ministry" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "session_participant" add constraint "session_participant_session_id_foreign" foreign key ("session_id") references "session" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "session_participant" add constraint "session_participant_speaker_id_foreign" foreign key ("speaker_id") references "speaker" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "quote" add constraint "quote_speaker_id_foreign" foreign key ("speaker_id") references "speaker" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "quote" add constraint "quote_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "quote" add constraint "quote_session_id_foreign" foreign key ("session_id") references "session" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "article_speaker" add constraint "article_speaker_article_id_foreign" foreign key ("article_id") references "article" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "article_speaker" add constraint "article_speaker_speaker_id_foreign" foreign key ("speaker_id") references "speaker" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "article_country" drop constraint "article_country_article_id_foreign";`);

    this.addSql(`alter table "article_forum" drop constraint "article_forum_article_id_foreign";`);

    this.addSql(`alter table "article_ministry" drop constraint "article_ministry_article_id_foreign";`);

    this.addSql(`alter table "article_session" drop constraint "article_session_article_id_foreign";`);

    this.addSql(`alter table "quote" drop constraint "quote_article_id_foreign";`);

    this.addSql(`alter table "article_speaker" drop constraint "article_speaker_article_id_foreign";`);

    this.addSql(`alter table "article_country" drop constraint "article_country_country_id_foreign";`);

    this.addSql(`alter table "forum" drop constraint "forum_host_country_id_foreign";`);

    this.addSql(`alter table "forum_country" drop constraint "forum_country_country_id_foreign";`);

    this.addSql(`alter table "initiative_country" drop constraint "initiative_country_country_id_foreign";`);

    this.addSql(`alter table "ministry" drop constraint "ministry_country_id_foreign";`);

    this.addSql(`alter table "speaker" drop constraint "speaker_country_id_foreign";`);

    this.addSql(`alter table "article_forum" drop constraint "article_forum_forum_id_foreign";`);

    this.addSql(`alter table "forum_country" drop constraint "forum_country_forum_id_foreign";`);

    this.addSql(`alter table "initiative" drop constraint "initiative_forum_id_foreign";`);

    this.addSql(`alter table "forum_organiser" drop constraint "forum_organiser_forum_id_foreign";`);

    this.addSql(`alter table "session" drop constraint "session_forum_id_foreign";`);

    this.addSql(`alter table "initiative_country" drop constraint "initiative_country_initiative_id_foreign";`);

    this.addSql(`alter table "forum_organiser" drop constraint "forum_organiser_ministry_id_foreign";`);

    this.addSql(`alter table "article_ministry" drop constraint "article_ministry_ministry_id_foreign";`);

    this.addSql(`alter table "speaker" drop constraint "speaker_ministry_id_foreign";`);

    this.addSql(`alter table "article_session" drop constraint "article_session_session_id_foreign";`);

    this.addSql(`alter table "session_participant" drop constraint "session_participant_session_id_foreign";`);

    this.addSql(`alter table "quote" drop constraint "quote_session_id_foreign";`);

    this.addSql(`alter table "session_participant" drop constraint "session_participant_speaker_id_foreign";`);

    this.addSql(`alter table "quote" drop constraint "quote_speaker_id_foreign";`);

    this.addSql(`alter table "article_speaker" drop constraint "article_speaker_speaker_id_foreign";`);

    this.addSql(`drop table if exists "article" cascade;`);

    this.addSql(`drop table if exists "country" cascade;`);

    this.addSql(`drop table if exists "article_country" cascade;`);

    this.addSql(`drop table if exists "forum" cascade;`);

    this.addSql(`drop table if exists "article_forum" cascade;`);

    this.addSql(`drop table if exists "forum_country" cascade;`);

    this.addSql(`drop table if exists "initiative" cascade;`);

    this.addSql(`drop table if exists "initiative_country" cascade;`);

    this.addSql(`drop table if exists "ministry" cascade;`);

    this.addSql(`drop table if exists "forum_organiser" cascade;`);

    this.addSql(`drop table if exists "article_ministry" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`drop table if exists "article_session" cascade;`);

    this.addSql(`drop table if exists "speaker" cascade;`);

    this.addSql(`drop table if exists "session_participant" cascade;`);

    this.addSql(`drop table if exists "quote" cascade;`);

    this.addSql(`drop table if exists "article_speaker" cascade;`);

    this.addSql(`drop type "initiative_status";`);
    this.addSql(`drop type "ministry_kind";`);
    this.addSql(`drop type "session_kind";`);
    this.addSql(`drop type "participant_role";`);
  }
}
