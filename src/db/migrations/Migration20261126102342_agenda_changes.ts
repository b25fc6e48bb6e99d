import { Migration } from '@mikro-orm/migrations';

export class Migration20261126102342_agenda_changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "session_status" as enum ('SCHEDULED', 'MOVED', 'CANCELLED');`);
    this.addSql(
      `create table "session_change" ("forum_id" int not null, "session_id" int not null, "version" int not null, "removed" boolean not null, constraint "session_change_pkey" primary key ("forum_id", "session_id"));`,
    );
    this.addSql(`create index "session_change_forum_id_version_index" on "session_change" ("forum_id", "version");`);

    this.addSql(
      `alter table "session_change" add constraint "session_change_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "forum" add column "schedule_version" int not null default 0, add column "schedule_changed_at" timestamptz null;`,
    );

    this.addSql(
      `alter table "session" add column "status" "session_status" not null default 'SCHEDULED', add column "revision" int not null default 0;`,
    );

    // The change feed is kept by triggers so that no write path can forget it. A change to a
    // session, to its participants or to a participant's speaker revises the session
    // (session.revision), which bumps its forum's schedule_version and records the session's
    // latest change in session_change; a deleted session leaves a tombstone there.
    this.addSql(`create function session_revise() returns trigger language plpgsql as $$
begin
  if new is distinct from old then
    new.revision := old.revision + 1;
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger session_revise before update on "session" for each row execute function session_revise();`);

    // The forum row lock taken by the update orders concurrent writers, so versions commit in order.
    this.addSql(`create function record_session_change(p_forum int, p_session int, p_removed boolean) returns void language plpgsql as $$
declare
  v int;
begin
  update forum set schedule_version = schedule_version + 1, schedule_changed_at = clock_timestamp()
  where id = p_forum returning schedule_version into v;
  if v is null then
    return; -- the forum itself is being deleted
  end if;
  insert into session_change (forum_id, session_id, version, removed) values (p_forum, p_session, v, p_removed)
  on conflict (forum_id, session_id) do update set version = excluded.version, removed = excluded.removed;
end $$;`);
    this.addSql(`create function session_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform record_session_change(old.forum_id, old.id, true);
    return old;
  end if;
  if tg_op = 'UPDATE' and old.forum_id <> new.forum_id then
    perform record_session_change(old.forum_id, old.id, true);
  end if;
  if tg_op = 'INSERT' or new is distinct from old then
    perform record_session_change(new.forum_id, new.id, false);
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger session_changed after insert or update or delete on "session" for each row execute function session_changed();`,
    );

    // clock_timestamp(), not now(): a second touch in the same transaction must still differ.
    this.addSql(`create function participant_changed() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update "session" set updated_at = clock_timestamp() where id = old.session_id;
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.session_id <> old.session_id) then
    update "session" set updated_at = clock_timestamp() where id = new.session_id;
  end if;
  return null;
end $$;`);
    this.addSql(
      `create trigger participant_changed after insert or update or delete on session_participant for each row execute function participant_changed();`,
    );

    this.addSql(`create function speaker_changed() returns trigger language plpgsql as $$
begin
  if new is distinct from old then
    update "session" set updated_at = clock_timestamp()
    where id in (select session_id from session_participant where speaker_id = new.id);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger speaker_changed after update on speaker for each row execute function speaker_changed();`);

    // Sessions that exist already count as the first change of their forum's agenda.
    this.addSql(`insert into session_change (forum_id, session_id, version, removed) select forum_id, id, 1, false from "session";`);
    this.addSql(`update forum set schedule_version = 1, schedule_changed_at = now() where id in (select forum_id from "session");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists speaker_changed on speaker;`);
    this.addSql(`drop trigger if exists participant_changed on session_participant;`);
    this.addSql(`drop trigger if exists session_changed on "session";`);
    this.addSql(`drop trigger if exists session_revise on "session";`);
    this.addSql(
      `drop function if exists speaker_changed(), participant_changed(), session_changed(), record_session_change(int, int, boolean), session_revise();`,
    );

    this.addSql(`drop table if exists "session_change" cascade;`);

    this.addSql(`alter table "forum" drop column "schedule_version", drop column "schedule_changed_at";`);

    this.addSql(`alter table "session" drop column "status", drop column "revision";`);

    this.addSql(`drop type "session_status";`);
  }
}
