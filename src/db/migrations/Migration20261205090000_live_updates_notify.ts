import { Migration } from '@mikro-orm/migrations';

export class Migration20261205090000_live_updates_notify extends Migration {
  override async up(): Promise<void> {
    // Live updates (agendaChanged) learn here which forums' agendas moved on: every change to the
    // feed, from any write path or by hand, notifies its forum ids at commit, and a rolled-back
    // change notifies nothing. One notification per forum and statement; the subscriber reads
    // what changed from session_change, since the version it last sent.
    this.addSql(`create function notify_agenda_changed() returns trigger language plpgsql as $$
declare
  changed int;
begin
  for changed in select distinct forum_id from new_rows loop
    perform pg_notify('agenda_changed', changed::text);
  end loop;
  return null;
end $$;`);
    for (const event of ['insert', 'update']) {
      this.addSql(
        `create trigger agenda_changed_${event} after ${event} on "session_change" referencing new table as new_rows for each statement execute function notify_agenda_changed();`,
      );
    }

    // articlePublished: a write that makes an article public (see publicArticle) notifies its id;
    // one that sets a publication time still to come notifies article_embargo, so that each
    // process times the next embargo, which turns an article public with no write at all.
    this.addSql(`create function notify_article_publication() returns trigger language plpgsql as $$
begin
  if new.status <> 'DRAFT' and new.published_at <= now()
     and (tg_op = 'INSERT' or old.status = 'DRAFT' or old.published_at > now()) then
    perform pg_notify('article_published', new.id::text);
  elsif new.status <> 'DRAFT' and new.published_at > now()
     and (tg_op = 'INSERT' or old.status is distinct from new.status or old.published_at is distinct from new.published_at) then
    perform pg_notify('article_embargo', '');
  end if;
  return null;
end $$;`);
    this.addSql(
      `create trigger article_publication after insert or update of status, published_at on "article" for each row execute function notify_article_publication();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists article_publication on "article";`);
    this.addSql(`drop function if exists notify_article_publication();`);
    this.addSql(`drop trigger if exists agenda_changed_insert on "session_change";`);
    this.addSql(`drop trigger if exists agenda_changed_update on "session_change";`);
    this.addSql(`drop function if exists notify_agenda_changed();`);
  }
}
