import { Field, InputType } from 'type-graphql';
import { GraphQLLocalDate } from '../shared/date-range';
import { Matches } from 'class-validator';
import { Language } from '../shared/i18n';
import { allOf, anyTranslationMatches, containsPattern } from '../shared/sql-filter';
import type { SqlFilter } from '../shared/sql-loading';
import { SessionKind, SessionStatus } from './session.entity';

@InputType({ description: 'Narrows an agenda; all given conditions must hold.' })
export class SessionFilter {
  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'Only sessions starting on this local date in the forum time zone (YYYY-MM-DD).',
  })
  day?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions of this track, by its name in any language (case-insensitive).' })
  track?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions in this room, by its name in any language (case-insensitive).' })
  room?: string | null;

  @Field(() => SessionKind, { nullable: true, description: 'Only sessions of this kind.' })
  kind?: SessionKind | null;

  @Field(() => SessionStatus, { nullable: true, description: 'Only sessions with this status.' })
  status?: SessionStatus | null;

  @Field(() => String, { nullable: true, description: 'Only sessions this speaker takes part in (their slug).' })
  speakerSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with a participant from this country (ISO 3166-1 alpha-2 code).' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'countryCode must be a two-letter ISO 3166-1 code' })
  countryCode?: string | null;

  @Field(() => Language, { nullable: true, description: 'Only sessions held in this language.' })
  language?: Language | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only sessions whose title, in any language, contains this text (case-insensitive).',
  })
  search?: string | null;
}

const participantWith = (join: string, condition: string) =>
  `exists (select 1 from session_participant sp join speaker s on s.id = sp.speaker_id${join} where sp.session_id = t.id and ${condition})`;

/** The filter as SQL over `session t join forum f` (the agenda loaders' `from`). */
export function sessionFilterSql(filter: SessionFilter | null | undefined): SqlFilter | undefined {
  const sameName = (column: string) => `exists (select 1 from jsonb_each_text(${column}) n where lower(n.value) = lower(?))`;
  return allOf([
    filter?.day && { sql: '(t.starts_at at time zone f.time_zone)::date = ?::date', params: [filter.day] },
    filter?.track && { sql: sameName('t.track'), params: [filter.track] },
    filter?.room && { sql: sameName('t.room'), params: [filter.room] },
    filter?.kind && { sql: 't.kind = ?', params: [filter.kind] },
    filter?.status && { sql: 't.status = ?', params: [filter.status] },
    filter?.speakerSlug && { sql: participantWith('', 's.slug = ?'), params: [filter.speakerSlug] },
    filter?.countryCode && {
      sql: participantWith(' join country c on c.id = s.country_id', 'c.code = ?'),
      params: [filter.countryCode.toUpperCase()],
    },
    filter?.language && { sql: 't.language = ?', params: [filter.language] },
    filter?.search && { sql: anyTranslationMatches('t.title'), params: [containsPattern(filter.search)] },
  ]);
}
