import { Language, localize, type Translations } from '../shared/i18n';
import { ParticipantRole } from '../session/session-participant.entity';
import { SessionStatus } from '../session/session.entity';
import type { ExportForum, ExportParticipant, ExportSession } from './agenda-data';

/*
 * The text the exports show, in the reader's language: the data's own translations (with the
 * usual fallback), plus the few fixed words the exports add themselves.
 */

type Label = Record<Language, string>;

const CANCELLED: Label = { en: 'Cancelled', ru: 'Отменено', kk: 'Өтпейді' };
const CANCELLED_NOTE: Label = {
  en: 'Cancelled: this session does not take place.',
  ru: 'Отменено: эта сессия не состоится.',
  kk: 'Өтпейді: бұл сессия өткізілмейді.',
};
const MAIN_HALL: Label = { en: 'Main hall', ru: 'Главный зал', kk: 'Негізгі зал' };
const AUDIENCE: Label = { en: 'Audience', ru: 'Аудитория', kk: 'Аудитория' };
const ROLES: Record<ParticipantRole, Label> = {
  [ParticipantRole.SPEAKER]: { en: 'Speaker', ru: 'Спикер', kk: 'Спикер' },
  [ParticipantRole.MODERATOR]: { en: 'Moderator', ru: 'Модератор', kk: 'Модератор' },
  [ParticipantRole.PANELIST]: { en: 'Panelist', ru: 'Участник панели', kk: 'Панель қатысушысы' },
  [ParticipantRole.KEYNOTE]: { en: 'Keynote speaker', ru: 'Основной докладчик', kk: 'Негізгі баяндамашы' },
  [ParticipantRole.HOST]: { en: 'Host', ru: 'Ведущий', kk: 'Жүргізуші' },
};

// C0 controls (but tab and newlines), DEL and lone surrogates: not allowed in XML 1.0 nor in
// iCalendar TEXT, and never meant in a title.
const UNPRINTABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe for every export format: no control characters, `\n` line ends, trimmed. */
export function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNPRINTABLE, '').trim();
}

/** Reads the agenda in one language preference. */
export class AgendaText {
  constructor(readonly preference: readonly Language[]) {}

  /** The language of the fixed words: the reader's first choice. */
  get language(): Language {
    return this.preference[0];
  }

  /** The text in the preferred language that has it, cleaned; null when there is none. */
  text(translations: Translations | null | undefined): string | null {
    const value = localize(translations, this.preference);
    const cleaned = value === null ? null : clean(value);
    return cleaned ? cleaned : null;
  }

  /** The language `translations` is read in, as `text` picks it; the reader's first choice when there is no text. */
  languageOf(translations: Translations | null | undefined): Language {
    return this.preference.find((language) => translations?.[language]) ?? this.language;
  }

  forumTitle(forum: ExportForum): string {
    return this.text(forum.title) ?? forum.slug;
  }

  /** The session title, with a `[Cancelled]` marker in front for a cancelled session. */
  sessionTitle(session: ExportSession): string {
    const title = this.text(session.title) ?? session.slug;
    return session.status === SessionStatus.CANCELLED ? `[${CANCELLED[this.language]}] ${title}` : title;
  }

  /** The room; sessions without one are in the venue, or in a "Main hall" when the venue is unknown. */
  roomName(session: ExportSession, forum: ExportForum): string {
    return this.text(session.room) ?? this.text(forum.venue) ?? MAIN_HALL[this.language];
  }

  /** Room, venue and city, without repeats: "Hall A, Congress Centre, Astana". */
  location(session: ExportSession, forum: ExportForum): string {
    const parts = [this.text(session.room), this.text(forum.venue), this.text(forum.city)].filter((p): p is string => !!p);
    return [...new Set(parts)].join(', ');
  }

  speakerName(participant: Pick<ExportParticipant, 'fullName' | 'slug'>): string {
    return this.text(participant.fullName) ?? participant.slug;
  }

  /** "Moderator: Aida Balaeva, Minister of Culture and Information", one line per participant. */
  participantLines(session: ExportSession): string[] {
    return session.participants.map((p) => {
      const position = this.text(p.position);
      return `${ROLES[p.role][this.language]}: ${this.speakerName(p)}${position ? `, ${position}` : ''}`;
    });
  }

  /** The cancellation note, for the description of a cancelled session. */
  statusNote(session: ExportSession): string | null {
    return session.status === SessionStatus.CANCELLED ? CANCELLED_NOTE[this.language] : null;
  }

  audienceLine(session: ExportSession): string | null {
    const audience = this.text(session.audience);
    return audience ? `${AUDIENCE[this.language]}: ${audience}` : null;
  }
}

/** Paragraphs joined by blank lines, empty ones left out; null when nothing is left. */
export function paragraphs(...parts: (string | null | undefined)[]): string | null {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length ? kept.join('\n\n') : null;
}
