import { Migration } from '@mikro-orm/migrations';

export class Migration20261205025225_api_token_narrowed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_token" add column "narrowed" boolean not null default false;`);
    // A token that lost all its forums to deletions before this column can't be told from one
    // made for all forums; those that still hold one are narrowed.
    this.addSql(
      `update "api_token" set "narrowed" = true where exists (select 1 from "api_token_forum" where "api_token_id" = "api_token"."id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_token" drop column "narrowed";`);
  }
}
