import { Migration } from '@mikro-orm/migrations';

/**
 * What a change to each public table can alter, as tags the response cache matches against the
 * tags of what each cached answer read (response-cache.ts):
 * - `kinds`: lists whose membership or order the change may alter. A root list of a kind, or a
 *   lookup by key that found nothing, is tagged with the kind's table name. A link table names
 *   both of its kinds: it changes who belongs to a filtered list of either.
 * - `tags`: one `text[]` expression per row `r`, giving `table:id` of the row itself and of each
 *   row whose lists or fields it changes (the forum of a session, the session and speaker of a
 *   participation, and so on). An answer that read any of those rows is stale.
 */
const TABLES: Record<string, { kinds: string; tags: string[] }> = {
  forum: { kinds: 'forum', tags: [`array['forum:' || r.id, 'country:' || r.host_country_id]`] },
  forum_country: { kinds: 'forum country', tags: [`array['forum:' || r.forum_id, 'country:' || r.country_id]`] },
  forum_organiser: { kinds: 'forum ministry', tags: [`array['forum:' || r.forum_id, 'ministry:' || r.ministry_id]`] },
  country: { kinds: 'country', tags: [`array['country:' || r.id]`] },
  ministry: { kinds: 'ministry', tags: [`array['ministry:' || r.id, 'country:' || r.country_id]`] },
  session: { kinds: 'session', tags: [`array['session:' || r.id, 'forum:' || r.forum_id]`] },
  session_participant: {
    kinds: 'session speaker',
    tags: [`array['session_participant:' || r.id, 'session:' || r.session_id, 'speaker:' || r.speaker_id]`],
  },
  session_change: { kinds: 'session_change', tags: [`array['forum:' || r.forum_id]`] },
  speaker: { kinds: 'speaker', tags: [`array['speaker:' || r.id, 'country:' || r.country_id, 'ministry:' || r.ministry_id]`] },
  // Whether an article is public decides whether it shows in the lists of everything it links
  // to, and whether its quotes show (under their sessions and speakers, or by id): those rows,
  // and quotes as a kind, are tagged too. (When an article is deleted its links go first, by
  // cascade, and tag the same rows.)
  article: {
    kinds: 'article quote',
    tags: [
      `array['article:' || r.id]`,
      `array(select 'forum:' || l.forum_id from article_forum l where l.article_id = r.id)`,
      `array(select 'session:' || l.session_id from article_session l where l.article_id = r.id)`,
      `array(select 'speaker:' || l.speaker_id from article_speaker l where l.article_id = r.id)`,
      `array(select 'country:' || l.country_id from article_country l where l.article_id = r.id)`,
      `array(select 'ministry:' || l.ministry_id from article_ministry l where l.article_id = r.id)`,
      `array(select 'session:' || q.session_id from quote q where q.article_id = r.id)`,
      `array(select 'speaker:' || q.speaker_id from quote q where q.article_id = r.id)`,
    ],
  },
  article_forum: { kinds: 'article forum', tags: [`array['article:' || r.article_id, 'forum:' || r.forum_id]`] },
  article_session: { kinds: 'article session', tags: [`array['article:' || r.article_id, 'session:' || r.session_id]`] },
  article_speaker: { kinds: 'article speaker', tags: [`array['article:' || r.article_id, 'speaker:' || r.speaker_id]`] },
  article_country: { kinds: 'article country', tags: [`array['article:' || r.article_id, 'country:' || r.country_id]`] },
  article_ministry: { kinds: 'article ministry', tags: [`array['article:' || r.article_id, 'ministry:' || r.ministry_id]`] },
  quote: {
    kinds: 'quote',
    tags: [`array['quote:' || r.id, 'article:' || r.article_id, 'session:' || r.session_id, 'speaker:' || r.speaker_id]`],
  },
  initiative: { kinds: 'initiative', tags: [`array['initiative:' || r.id, 'forum:' || r.forum_id]`] },
  initiative_country: { kinds: 'initiative country', tags: [`array['initiative:' || r.initiative_id, 'country:' || r.country_id]`] },
};

/**
 * Columns whose change alone shows in no cached answer: an article's view counter, written on
 * every page view (so "most read" may lag by CACHE_MAX_AGE, as before).
 */
const IGNORED_ON_UPDATE: Record<string, string> = { article: 'view_count' };

const quote = (sql: string) => `'${sql.replaceAll("'", "''")}'`;

export class Migration20261205040000_content_changed_tags extends Migration {

  override async up(): Promise<void> {
    for (const table of [...Object.keys(TABLES), 'article']) {
      this.addSql(`drop trigger if exists content_changed on "${table}";`);
    }
    this.addSql(`drop trigger if exists content_changed_update on "article";`);
    this.addSql(`drop function if exists notify_content_changed();`);

    // Statement-level, with the statement's rows as transition tables: one notification per
    // statement, however many rows. Arguments: the kinds, the columns to ignore on update
    // (space-separated), then the tag expressions. NOTIFY is delivered at commit, identical
    // notifications of one transaction once; a payload too long for NOTIFY (8000 bytes) becomes
    // '*', which clears every answer.
    this.addSql(`create function notify_content_tags() returns trigger language plpgsql as $$
declare
  ignored text[] := string_to_array(nullif(tg_argv[1], ''), ' ');
  tags text := array_to_string(tg_argv[2:], ' || ');
  changed text;
  rows_sql text;
  payload text;
begin
  if tg_op = 'INSERT' then
    rows_sql := 'select * from new_rows';
  elsif tg_op = 'DELETE' then
    rows_sql := 'select * from old_rows';
  elsif ignored is null then
    rows_sql := 'select * from old_rows union all select * from new_rows';
  else
    changed := format('exists (select 1 from old_rows o, new_rows n where o.id = n.id and n.id = x.id and to_jsonb(o) - %L::text[] is distinct from to_jsonb(n) - %L::text[])', ignored, ignored);
    rows_sql := format('select * from old_rows x where %s union all select * from new_rows x where %s', changed, changed);
  end if;
  execute format('select string_agg(distinct tag, '' '') from (%s) r cross join lateral unnest(%s) tag', rows_sql, tags) into payload;
  -- No row, or only ignored columns changed: nothing to tell.
  if payload is null then return null; end if;
  payload := concat_ws(' ', tg_argv[0], payload);
  perform pg_notify('content_changed', case when octet_length(payload) < 8000 then payload else '*' end);
  return null;
end $$;`);
    this.addSql(`create function notify_content_truncated() returns trigger language plpgsql as $$
begin
  perform pg_notify('content_changed', '*');
  return null;
end $$;`);

    for (const [table, { kinds, tags }] of Object.entries(TABLES)) {
      const args = [kinds, IGNORED_ON_UPDATE[table] ?? '', ...tags].map(quote).join(', ');
      this.addSql(`create trigger content_changed_insert after insert on "${table}" referencing new table as new_rows for each statement execute function notify_content_tags(${args});`);
      this.addSql(`create trigger content_changed_update after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function notify_content_tags(${args});`);
      this.addSql(`create trigger content_changed_delete after delete on "${table}" referencing old table as old_rows for each statement execute function notify_content_tags(${args});`);
      this.addSql(`create trigger content_changed_truncate after truncate on "${table}" for each statement execute function notify_content_truncated();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of Object.keys(TABLES)) {
      for (const event of ['insert', 'update', 'delete', 'truncate']) this.addSql(`drop trigger if exists content_changed_${event} on "${table}";`);
    }
    this.addSql(`drop function if exists notify_content_tags();`);
    this.addSql(`drop function if exists notify_content_truncated();`);
    this.addSql(`create function notify_content_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('content_changed', tg_table_name);
  return null;
end $$;`);
    for (const table of Object.keys(TABLES).filter((t) => t !== 'article')) {
      this.addSql(`create trigger content_changed after insert or update or delete or truncate on "${table}" for each statement execute function notify_content_changed();`);
    }
    this.addSql(`create trigger content_changed after insert or delete or truncate on "article" for each statement execute function notify_content_changed();`);
    this.addSql(`create trigger content_changed_update after update on "article" for each row when ((to_jsonb(old) - 'view_count') is distinct from (to_jsonb(new) - 'view_count')) execute function notify_content_changed();`);
  }

}
