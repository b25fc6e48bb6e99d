import { Migration } from '@mikro-orm/migrations';

/**
 * What a change to each public table can alter, as tags the response cache matches against the
 * tags of what each cached answer read (response-cache.ts):
 * - `kinds`: lists whose membership or order the change may alter. A root list of a kind, or a
 *   lookup by key that found nothing, is tagged with the kind's table name. A link table names
 *   both of its kinds: it changes who belongs to a filtered list of either.
 * - `own`: a `text[]` expression per row `r` naming the row itself (`table:id`); an answer that
 *   read it shows it.
 * - `parents`: `text[]` expressions naming the rows whose lists the row is in (a session's forum,
 *   a participation's session and speaker, everything an article links to): an answer that read
 *   such a list read its parent, but not the rows that join, leave or move in it.
 * - `membership`: for a table whose rows are listed under parents the answers do not otherwise
 *   depend on, the columns that decide where the row is listed and in which order; an update that
 *   changes none of them names no parent. A speaker's new biography concerns the agendas that
 *   show the speaker, not every agenda with someone from the same country. Without it, every
 *   change names the parents (a session's edit concerns its forum in any case).
 */
interface Tags {
  kinds: string;
  own: string;
  parents?: string[];
  membership?: string[];
}

const TABLES: Record<string, Tags> = {
  forum: { kinds: 'forum', own: `array['forum:' || r.id]` },
  forum_country: { kinds: 'forum country', own: `array[]::text[]`, parents: [`array['forum:' || r.forum_id, 'country:' || r.country_id]`] },
  forum_organiser: {
    kinds: 'forum ministry',
    own: `array[]::text[]`,
    parents: [`array['forum:' || r.forum_id, 'ministry:' || r.ministry_id]`],
  },
  country: { kinds: 'country', own: `array['country:' || r.id]` },
  ministry: {
    kinds: 'ministry',
    own: `array['ministry:' || r.id]`,
    parents: [`array['country:' || r.country_id]`],
    membership: ['country_id', 'slug'],
  },
  session: { kinds: 'session', own: `array['session:' || r.id]`, parents: [`array['forum:' || r.forum_id]`] },
  session_participant: {
    kinds: 'session speaker',
    own: `array['session_participant:' || r.id]`,
    parents: [`array['session:' || r.session_id, 'speaker:' || r.speaker_id]`],
  },
  session_change: { kinds: 'session_change', own: `array[]::text[]`, parents: [`array['forum:' || r.forum_id]`] },
  speaker: {
    kinds: 'speaker',
    own: `array['speaker:' || r.id]`,
    parents: [`array['country:' || r.country_id, 'ministry:' || r.ministry_id]`],
    membership: ['country_id', 'ministry_id', 'slug'],
  },
  // Whether an article is public, and when it was published, decide whether and where it shows
  // in the lists of everything it links to, and whether its quotes show (under their sessions
  // and speakers, or by id: so quotes are a kind it changes too). When an article is deleted its
  // links go first, by cascade, and name the same rows.
  article: {
    kinds: 'article quote',
    own: `array['article:' || r.id]`,
    parents: [
      `array(select 'forum:' || l.forum_id from article_forum l where l.article_id = r.id)`,
      `array(select 'session:' || l.session_id from article_session l where l.article_id = r.id)`,
      `array(select 'speaker:' || l.speaker_id from article_speaker l where l.article_id = r.id)`,
      `array(select 'country:' || l.country_id from article_country l where l.article_id = r.id)`,
      `array(select 'ministry:' || l.ministry_id from article_ministry l where l.article_id = r.id)`,
      `array(select 'session:' || q.session_id from quote q where q.article_id = r.id)`,
      `array(select 'speaker:' || q.speaker_id from quote q where q.article_id = r.id)`,
    ],
    membership: ['status', 'published_at'],
  },
  article_forum: { kinds: 'article forum', own: `array[]::text[]`, parents: [`array['article:' || r.article_id, 'forum:' || r.forum_id]`] },
  article_session: {
    kinds: 'article session',
    own: `array[]::text[]`,
    parents: [`array['article:' || r.article_id, 'session:' || r.session_id]`],
  },
  article_speaker: {
    kinds: 'article speaker',
    own: `array[]::text[]`,
    parents: [`array['article:' || r.article_id, 'speaker:' || r.speaker_id]`],
  },
  article_country: {
    kinds: 'article country',
    own: `array[]::text[]`,
    parents: [`array['article:' || r.article_id, 'country:' || r.country_id]`],
  },
  article_ministry: {
    kinds: 'article ministry',
    own: `array[]::text[]`,
    parents: [`array['article:' || r.article_id, 'ministry:' || r.ministry_id]`],
  },
  quote: {
    kinds: 'quote',
    own: `array['quote:' || r.id]`,
    parents: [`array['article:' || r.article_id, 'session:' || r.session_id, 'speaker:' || r.speaker_id]`],
  },
  initiative: { kinds: 'initiative', own: `array['initiative:' || r.id]`, parents: [`array['forum:' || r.forum_id]`] },
  initiative_country: {
    kinds: 'initiative country',
    own: `array[]::text[]`,
    parents: [`array['initiative:' || r.initiative_id, 'country:' || r.country_id]`],
  },
};

/**
 * Columns whose change alone shows in no cached answer: an article's view counter, written on
 * every page view (so "most read" may lag by CACHE_MAX_AGE, as before).
 */
const IGNORED_ON_UPDATE: Record<string, string> = { article: 'view_count' };

const quote = (sql: string) => `'${sql.replaceAll("'", "''")}'`;

export class Migration20261205040000_content_changed_tags extends Migration {
  override async up(): Promise<void> {
    for (const table of Object.keys(TABLES)) {
      this.addSql(`drop trigger if exists content_changed on "${table}";`);
    }
    this.addSql(`drop trigger if exists content_changed_update on "article";`);
    this.addSql(`drop function if exists notify_content_changed();`);

    // Statement-level, with the statement's rows as transition tables: one notification per
    // statement, however many rows. Arguments: the kinds; the columns to ignore on update; the
    // membership columns (space-separated, '' for all); the own tags; then the parent tags.
    // NOTIFY is delivered at commit, identical notifications of one transaction once; a payload
    // too long for NOTIFY (8000 bytes) becomes '*', which clears every answer.
    this.addSql(`create function notify_content_tags() returns trigger language plpgsql as $$
declare
  ignored text[] := string_to_array(nullif(tg_argv[1], ''), ' ');
  membership text[] := string_to_array(nullif(tg_argv[2], ''), ' ');
  own text := tg_argv[3];
  parents text := coalesce(nullif(array_to_string(tg_argv[4:], ' || '), ''), 'array[]::text[]');
  changed text;
  moved text;
  rows_sql text;
  parent_rows_sql text;
  has_rows boolean;
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
  parent_rows_sql := rows_sql;
  if tg_op = 'UPDATE' and membership is not null then
    moved := format('exists (select 1 from old_rows o, new_rows n where o.id = n.id and n.id = x.id and row(%s) is distinct from row(%s))',
      (select string_agg(format('o.%I', c), ', ') from unnest(membership) c), (select string_agg(format('n.%I', c), ', ') from unnest(membership) c));
    parent_rows_sql := format('select * from old_rows x where %s union all select * from new_rows x where %s', moved, moved);
  end if;
  -- No row, or only ignored columns changed: nothing to tell.
  execute format('select exists (%s)', rows_sql) into has_rows;
  if not has_rows then return null; end if;
  execute format(
    'select string_agg(distinct tag, '' '') from (select unnest(%s) tag from (%s) r union all select unnest(%s) from (%s) r) t where tag is not null',
    own, rows_sql, parents, parent_rows_sql) into payload;
  payload := concat_ws(' ', tg_argv[0], payload);
  perform pg_notify('content_changed', case when octet_length(payload) < 8000 then payload else '*' end);
  return null;
end $$;`);
    this.addSql(`create function notify_content_truncated() returns trigger language plpgsql as $$
begin
  perform pg_notify('content_changed', '*');
  return null;
end $$;`);

    for (const [table, { kinds, own, parents, membership }] of Object.entries(TABLES)) {
      const args = [kinds, IGNORED_ON_UPDATE[table] ?? '', (membership ?? []).join(' '), own, ...(parents ?? [])].map(quote).join(', ');
      this.addSql(
        `create trigger content_changed_insert after insert on "${table}" referencing new table as new_rows for each statement execute function notify_content_tags(${args});`,
      );
      this.addSql(
        `create trigger content_changed_update after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function notify_content_tags(${args});`,
      );
      this.addSql(
        `create trigger content_changed_delete after delete on "${table}" referencing old table as old_rows for each statement execute function notify_content_tags(${args});`,
      );
      this.addSql(
        `create trigger content_changed_truncate after truncate on "${table}" for each statement execute function notify_content_truncated();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of Object.keys(TABLES)) {
      for (const event of ['insert', 'update', 'delete', 'truncate'])
        this.addSql(`drop trigger if exists content_changed_${event} on "${table}";`);
    }
    this.addSql(`drop function if exists notify_content_tags();`);
    this.addSql(`drop function if exists notify_content_truncated();`);
    this.addSql(`create function notify_content_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('content_changed', tg_table_name);
  return null;
end $$;`);
    for (const table of Object.keys(TABLES).filter((t) => t !== 'article')) {
      this.addSql(
        `create trigger content_changed after insert or update or delete or truncate on "${table}" for each statement execute function notify_content_changed();`,
      );
    }
    this.addSql(
      `create trigger content_changed after insert or delete or truncate on "article" for each statement execute function notify_content_changed();`,
    );
    this.addSql(
      `create trigger content_changed_update after update on "article" for each row when ((to_jsonb(old) - 'view_count') is distinct from (to_jsonb(new) - 'view_count')) execute function notify_content_changed();`,
    );
  }
}
