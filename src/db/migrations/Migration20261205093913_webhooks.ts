import { Migration } from '@mikro-orm/migrations';

export class Migration20261205093913_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook" ("id" serial primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "url" text not null, "events" text[] not null, "secret" varchar(255) not null, "owner_id" int not null, "consecutive_failures" int not null default 0, "failing" boolean not null default false);`,
    );
    this.addSql(`create index "webhook_owner_id_index" on "webhook" ("owner_id");`);

    this.addSql(
      `create table "webhook_forum" ("webhook_id" int not null, "forum_id" int not null, constraint "webhook_forum_pkey" primary key ("webhook_id", "forum_id"));`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" bigserial primary key, "webhook_id" int not null, "event_id" varchar(255) not null, "event_type" text check ("event_type" in ('SESSION_CHANGED', 'SCHEDULE_CHANGED', 'ARTICLE_PUBLISHED', 'SPEAKER_CHANGED')) not null, "payload" jsonb not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz null default now(), "last_attempt_at" timestamptz null, "last_status" int null, "last_error" text null, "log" jsonb not null default '[]', "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "webhook_delivery_next_attempt_at_index" on "webhook_delivery" ("next_attempt_at");`);
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_event_id_unique" unique ("webhook_id", "event_id");`,
    );

    this.addSql(
      `alter table "webhook" add constraint "webhook_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_forum" add constraint "webhook_forum_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_forum" add constraint "webhook_forum_forum_id_foreign" foreign key ("forum_id") references "forum" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on update cascade on delete cascade;`,
    );

    // The outbox: triggers write each event's deliveries in the transaction of the change, so that
    // a change made through any write path or by SQL by hand is delivered, and a rolled-back one
    // is not. Payloads carry ids, slugs and versions only: a receiver reads the rest through the
    // API with its own rights. webhook-id (event_id) is the same for every webhook of one event.
    this.addSql(`create function global_id(type text, id bigint) returns text language sql immutable as $$
  select rtrim(translate(encode(convert_to(type || ':' || id, 'UTF8'), 'base64'), '+/', '-_'), '=')
$$;`);
    this
      .addSql(`create function enqueue_webhook_event(p_type text, p_event_id text, p_forum_ids int[], p_data jsonb) returns void language plpgsql as $$
begin
  insert into webhook_delivery (webhook_id, event_id, event_type, payload)
  select w.id, p_event_id, p_type, jsonb_build_object(
      'type', p_type,
      'timestamp', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', p_data)
  from webhook w
  where p_type = any(w.events)
    and (not exists (select 1 from webhook_forum f where f.webhook_id = w.id)
         or exists (select 1 from webhook_forum f where f.webhook_id = w.id and f.forum_id = any(p_forum_ids)))
  on conflict (webhook_id, event_id) do nothing;
  if found then
    perform pg_notify('webhook_delivery', '');
  end if;
end $$;`);

    // SESSION_CHANGED, one per session and schedule version (session_change keeps the latest).
    this.addSql(`create function webhook_session_changed() returns trigger language plpgsql as $$
begin
  perform enqueue_webhook_event('SESSION_CHANGED', 'SESSION_CHANGED:' || new.forum_id || ':' || new.session_id || ':' || new.version,
    array[new.forum_id], jsonb_build_object(
      'forumSlug', (select slug from forum where id = new.forum_id),
      'sessionId', global_id('Session', new.session_id),
      'version', new.version,
      'removed', new.removed));
  return null;
end $$;`);
    this.addSql(
      `create trigger webhook_session_changed after insert or update on "session_change" for each row execute function webhook_session_changed();`,
    );

    // SCHEDULE_CHANGED, one per forum and statement, with the version it reached.
    this.addSql(`create function webhook_schedule_changed() returns trigger language plpgsql as $$
declare
  f record;
begin
  for f in select distinct r.forum_id, forum.slug, forum.schedule_version from new_rows r join forum on forum.id = r.forum_id loop
    perform enqueue_webhook_event('SCHEDULE_CHANGED', 'SCHEDULE_CHANGED:' || f.forum_id || ':' || f.schedule_version,
      array[f.forum_id], jsonb_build_object('forumSlug', f.slug, 'version', f.schedule_version));
  end loop;
  return null;
end $$;`);
    for (const event of ['insert', 'update']) {
      this.addSql(
        `create trigger webhook_schedule_changed_${event} after ${event} on "session_change" referencing new table as new_rows for each statement execute function webhook_schedule_changed();`,
      );
    }

    // ARTICLE_PUBLISHED when a write makes an article public; checked at commit (deferred), when
    // the article's forum links of the same transaction exist. Embargoes that lift are enqueued
    // by the server process that times them (enqueue_article_published; the event id is the same
    // whichever process does it).
    this
      .addSql(`create function enqueue_article_published(p_id int, p_slug text, p_published_at timestamptz) returns void language plpgsql as $$
begin
  perform enqueue_webhook_event('ARTICLE_PUBLISHED', 'ARTICLE_PUBLISHED:' || p_id || ':' || extract(epoch from p_published_at),
    coalesce((select array_agg(forum_id) from article_forum where article_id = p_id), array[]::int[]),
    jsonb_build_object(
      'articleId', global_id('Article', p_id),
      'slug', p_slug,
      'publishedAt', to_char(p_published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'forumSlugs', coalesce((select jsonb_agg(f.slug order by f.slug) from article_forum af join forum f on f.id = af.forum_id where af.article_id = p_id), '[]'::jsonb)));
end $$;`);
    this.addSql(`create function webhook_article_published() returns trigger language plpgsql as $$
begin
  if new.status <> 'DRAFT' and new.published_at <= now()
     and (tg_op = 'INSERT' or old.status = 'DRAFT' or old.published_at > now()) then
    perform enqueue_article_published(new.id, new.slug, new.published_at);
  end if;
  return null;
end $$;`);
    this.addSql(
      `create constraint trigger webhook_article_published after insert or update on "article" deferrable initially deferred for each row execute function webhook_article_published();`,
    );

    // SPEAKER_CHANGED, once per transaction that changes the speaker, to the forums it belongs to
    // (its sessions', and the one it was created for: see speaker-forums.ts).
    this.addSql(`create function webhook_speaker_changed() returns trigger language plpgsql as $$
begin
  if (to_jsonb(old) - 'version' - 'updated_at') is not distinct from (to_jsonb(new) - 'version' - 'updated_at') then
    return null;
  end if;
  perform enqueue_webhook_event('SPEAKER_CHANGED', 'SPEAKER_CHANGED:' || new.id || ':' || txid_current(),
    coalesce((select array_agg(distinct forum_id) from (
      select s.forum_id from session_participant sp join session s on s.id = sp.session_id where sp.speaker_id = new.id
      union select a.forum_id from audit_entry a where a.entity_type = 'Speaker' and a.entity_id = new.id and a.action in ('CREATE', 'IMPORT_CREATE') and a.forum_id is not null
    ) f), array[]::int[]),
    jsonb_build_object('speakerId', global_id('Speaker', new.id), 'slug', new.slug));
  return null;
end $$;`);
    this.addSql(
      `create trigger webhook_speaker_changed after update on "speaker" for each row execute function webhook_speaker_changed();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists webhook_speaker_changed on "speaker";`);
    this.addSql(`drop trigger if exists webhook_article_published on "article";`);
    this.addSql(`drop trigger if exists webhook_schedule_changed_insert on "session_change";`);
    this.addSql(`drop trigger if exists webhook_schedule_changed_update on "session_change";`);
    this.addSql(`drop trigger if exists webhook_session_changed on "session_change";`);
    for (const fn of [
      'webhook_speaker_changed()',
      'webhook_article_published()',
      'enqueue_article_published(int, text, timestamptz)',
      'webhook_schedule_changed()',
      'webhook_session_changed()',
      'enqueue_webhook_event(text, text, int[], jsonb)',
      'global_id(text, bigint)',
    ]) {
      this.addSql(`drop function if exists ${fn};`);
    }
    this.addSql(`alter table "webhook_forum" drop constraint "webhook_forum_webhook_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_webhook_id_foreign";`);

    this.addSql(`drop table if exists "webhook" cascade;`);

    this.addSql(`drop table if exists "webhook_forum" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
