import { Migration } from '@mikro-orm/migrations';

export class Migration20261126105016_organisers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "arrival_status" as enum ('UNKNOWN', 'INVITED', 'CONFIRMED', 'TRAVELLING', 'ARRIVED', 'CANCELLED');`);
    this.addSql(`create type "user_role" as enum ('ADMIN', 'ORGANISER', 'EDITOR');`);
    this.addSql(
      `create table "app_user" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "email" varchar(255) not null, "password_hash" varchar(255) not null, "role" "user_role" not null, "display_name" varchar(255) null, "disabled_at" timestamptz null);`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(
      `create table "audit_entry" ("id" serial primary key, "at" timestamptz not null default now(), "actor_id" int null, "actor_email" varchar(255) not null, "entity_type" varchar(255) not null, "entity_id" int not null, "action" varchar(255) not null, "forum_id" int null, "changes" jsonb not null);`,
    );
    this.addSql(`create index "audit_entry_entity_type_entity_id_index" on "audit_entry" ("entity_type", "entity_id");`);
    this.addSql(`create index "audit_entry_forum_id_id_index" on "audit_entry" ("forum_id", "id");`);

    this.addSql(
      `create table "api_token" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" int not null, "name" varchar(255) not null, "secret_hash" varchar(64) not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null);`,
    );
    this.addSql(`create index "api_token_user_id_index" on "api_token" ("user_id");`);
    this.addSql(`alter table "api_token" add constraint "api_token_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(
      `create table "api_token_forum" ("api_token_id" int not null, "forum_id" int not null, constraint "api_token_forum_pkey" primary key ("api_token_id", "forum_id"));`,
    );

    this.addSql(
      `create table "user_forum" ("user_id" int not null, "forum_id" int not null, constraint "user_forum_pkey" primary key ("user_id", "forum_id"));`,
    );

    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "api_token_forum" add constraint "api_token_forum_api_token_id_foreign" foreign key ("api_token_id") references "api_token" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_token_forum" add constraint "api_token_forum_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "user_forum" add constraint "user_forum_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "user_forum" add constraint "user_forum_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "session" add column "version" int not null default 1;`);

    this.addSql(
      `alter table "speaker" add column "external_id" varchar(255) null, add column "email" varchar(255) null, add column "phone" varchar(255) null, add column "internal_notes" text null, add column "arrival_status" "arrival_status" not null default 'UNKNOWN', add column "version" int not null default 1;`,
    );
    this.addSql(`alter table "speaker" add constraint "speaker_external_id_unique" unique ("external_id");`);
    this.addSql(`alter table "speaker" add constraint "speaker_email_unique" unique ("email");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_actor_id_foreign";`);

    this.addSql(`alter table "api_token" drop constraint "api_token_user_id_foreign";`);

    this.addSql(`alter table "user_forum" drop constraint "user_forum_user_id_foreign";`);

    this.addSql(`alter table "api_token_forum" drop constraint "api_token_forum_api_token_id_foreign";`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "audit_entry" cascade;`);

    this.addSql(`drop table if exists "api_token" cascade;`);

    this.addSql(`drop table if exists "api_token_forum" cascade;`);

    this.addSql(`drop table if exists "user_forum" cascade;`);

    this.addSql(`alter table "session" drop column "version";`);

    this.addSql(`alter table "speaker" drop constraint "speaker_external_id_unique";`);
    this.addSql(`alter table "speaker" drop constraint "speaker_email_unique";`);
    this.addSql(
      `alter table "speaker" drop column "external_id", drop column "email", drop column "phone", drop column "internal_notes", drop column "arrival_status", drop column "version";`,
    );

    this.addSql(`drop type "arrival_status";`);
    this.addSql(`drop type "user_role";`);
  }
}
