import { Migration } from '@mikro-orm/migrations';

export class Migration20261205090000_agenda_changed_notify extends Migration {
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
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists agenda_changed_insert on "session_change";`);
    this.addSql(`drop trigger if exists agenda_changed_update on "session_change";`);
    this.addSql(`drop function if exists notify_agenda_changed();`);
  }
}
