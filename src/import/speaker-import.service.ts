import { OptimisticLockError, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isDeepStrictEqual } from 'node:util';
import { Role } from '../auth/user.entity';
import { organises, requireForum, requireRole } from '../auth/viewer';
import type { Context, Viewer } from '../shared/context';
import { Country } from '../country/country.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { Forum } from '../forum/forum.entity';
import { Ministry } from '../ministry/ministry.entity';
import type { Translations } from '../shared/i18n';
import { write, type WriteScope } from '../shared/write';
import { forumIdsOfSpeakers } from '../speaker/speaker-forums';
import { ArrivalStatus, Speaker, type Link } from '../speaker/speaker.entity';
import { speakerState } from '../speaker/speaker.service';
import { firstFreeSlug, slugFromName } from './slug';
import { checkRow, LANGUAGES, TEXT_FIELDS, type CheckedRow, type FieldError, type TextPatch } from './speaker-import.rows';
import {
  MAX_IMPORT_ROWS,
  SpeakerImportAction,
  type SpeakerImportChange,
  type SpeakerImportReport,
  type SpeakerImportRowResult,
} from './speaker-import.types';

/*
 * Bulk speaker import, for GraphQL (importSpeakers) and HTTP (POST /forums/:slug/speakers/import).
 *
 * Matching: a row is the existing speaker with its externalId, else the one with its email
 * (case-insensitive); otherwise it creates a speaker. A new speaker needs a full name and a
 * country; its slug is the row's, or derived from the English, else Russian, else Kazakh full
 * name (see slug.ts), with -2, -3, ... when that is taken.
 *
 * Who may change whom: the same rule as updateSpeaker. The import is for a forum the viewer
 * organises; a row may update a speaker only when the viewer organises a forum that speaker takes
 * part in or was created for (admins: any). Other matches are errors, which never name the
 * speaker: the match may have been made by a private email.
 *
 * Cost: the candidates for every row are read with a fixed number of statements (forum,
 * speakers by external id / email / slug, countries, ministries, and the forums of those
 * speakers), however many rows there are.
 *
 * Applying is all or nothing, in one transaction: the rows are matched again against the
 * current data inside it, and any row with an error means nothing is written. Updates carry the
 * version they were planned on; if another change to one of those speakers commits meanwhile,
 * the import fails with CONFLICT and rolls back instead of overwriting it.
 */

/** An import row as received: its 1-based number and its fields in any shape (checked here). */
export interface ImportRowSource {
  row: number;
  fields: unknown;
}

type Flat = Record<string, unknown>;

interface Candidates {
  byExternalId: Map<string, Speaker>;
  byEmail: Map<string, Speaker>;
  bySlug: Map<string, Speaker>;
  countries: Map<string, Country>;
  ministries: Map<string, Ministry>;
  /** The forums each loaded speaker takes part in or was created for, by speaker id. */
  forumsOf: Map<number, number[]>;
}

interface PlannedRow {
  result: SpeakerImportRowResult;
  /** The speaker to update (managed), with the version it had when planned and its forums. */
  update?: { speaker: Speaker; version: number; values: Resolved; forumIds: number[] };
  create?: Resolved;
}

/** Everything a speaker will have after the row: for creates, every field. */
interface Resolved {
  slug: string;
  externalId: string | null;
  email: string | null;
  fullName: Translations;
  position: Translations;
  organisation: Translations | null;
  bio: Translations | null;
  country: Country;
  ministry: Ministry | null;
  photoUrl: string | null;
  phone: string | null;
  arrivalStatus: ArrivalStatus;
  internalNotes: string | null;
  links: Link[];
}

/**
 * A speaker's values under their report field names, in report order; for null, those of a
 * speaker not yet created (the base a new speaker's changes are reported against).
 */
function flat(values: Resolved | null): Flat {
  const out: Flat = { externalId: values?.externalId ?? null, email: values?.email ?? null, slug: values?.slug ?? null };
  for (const field of TEXT_FIELDS) for (const language of LANGUAGES) out[`${field}.${language}`] = values?.[field]?.[language] ?? null;
  return Object.assign(out, {
    countryCode: values?.country.code ?? null,
    ministrySlug: values?.ministry?.slug ?? null,
    photoUrl: values?.photoUrl ?? null,
    phone: values?.phone ?? null,
    arrivalStatus: values?.arrivalStatus ?? ArrivalStatus.UNKNOWN,
    internalNotes: values?.internalNotes ?? null,
    links: values?.links ?? [],
  });
}

function current(speaker: Speaker): Resolved {
  return {
    slug: speaker.slug,
    externalId: speaker.externalId ?? null,
    email: speaker.email ?? null,
    fullName: speaker.fullName,
    position: speaker.position,
    organisation: speaker.organisation ?? null,
    bio: speaker.bio ?? null,
    country: speaker.country,
    ministry: speaker.ministry ?? null,
    photoUrl: speaker.photoUrl ?? null,
    phone: speaker.phone ?? null,
    arrivalStatus: speaker.arrivalStatus,
    internalNotes: speaker.internalNotes ?? null,
    links: speaker.links,
  };
}

/** `text` with `patch` applied; null when no language is left. */
function patched(text: Translations | null, patch: TextPatch | null | undefined): Translations | null {
  if (patch === undefined) return text;
  if (patch === null) return null;
  const result: Translations = { ...text };
  for (const language of LANGUAGES) {
    const value = patch[language];
    if (value === null) delete result[language];
    else if (value !== undefined) result[language] = value;
  }
  return Object.keys(result).length > 0 ? result : null;
}

async function loadCandidates(em: EntityManager, rows: CheckedRow[], derivedSlugs: string[]): Promise<Candidates> {
  const values = rows.map((r) => r.values);
  const distinct = (list: (string | null | undefined)[]) => [...new Set(list.filter((v): v is string => Boolean(v)))];
  const externalIds = distinct(values.map((v) => v.externalId));
  const emails = distinct(values.map((v) => v.email));
  const slugs = distinct([...values.map((v) => v.slug), ...derivedSlugs]);
  const codes = distinct(values.map((v) => v.countryCode));
  const ministrySlugs = distinct(values.map((v) => v.ministrySlug));

  const or = [
    externalIds.length > 0 && { externalId: { $in: externalIds } },
    emails.length > 0 && { email: { $in: emails } },
    slugs.length > 0 && { slug: { $in: slugs } },
    // Numbered variants of derived slugs (aida-balaeva-2), so that a new one is free. One `in`
    // list, which PostgreSQL hashes, instead of a `like` per row: 2000 of those took seconds.
    derivedSlugs.length > 0 && { [raw((alias) => `regexp_replace(${alias}.slug, '-[0-9]+$', '')`)]: { $in: distinct(derivedSlugs) } },
  ].filter((c) => c !== false);
  const speakers = or.length > 0 ? await em.find(Speaker, { $or: or }, { populate: ['country', 'ministry'] }) : [];
  const countries = codes.length > 0 ? await em.find(Country, { code: { $in: codes } }) : [];
  const ministries = ministrySlugs.length > 0 ? await em.find(Ministry, { slug: { $in: ministrySlugs } }) : [];

  const ids = speakers.map((s) => s.id);
  const forumsOf = new Map((await forumIdsOfSpeakers(em, ids)).map((forumIds, i) => [ids[i], forumIds]));

  const index = <K>(list: Speaker[], key: (s: Speaker) => K | null | undefined) =>
    new Map(list.flatMap((s) => (key(s) ? [[key(s) as K, s] as const] : [])));
  return {
    byExternalId: index(speakers, (s) => s.externalId),
    byEmail: index(speakers, (s) => s.email),
    bySlug: index(speakers, (s) => s.slug),
    countries: new Map(countries.map((c) => [c.code, c])),
    ministries: new Map(ministries.map((m) => [m.slug, m])),
    forumsOf,
  };
}

/** The name a slug is derived from: English, else Russian, else Kazakh. */
function nameForSlug(fullName: TextPatch | null | undefined): string | null {
  return fullName?.en || fullName?.ru || fullName?.kk || null;
}

/** What each row does, against the data `em` sees now. Reads only. */
async function plan(em: EntityManager, viewer: Viewer, checked: CheckedRow[]): Promise<PlannedRow[]> {
  const valid = checked.filter((r) => r.errors.length === 0);
  const derived = new Map<number, string>();
  for (const r of valid) {
    const name = r.values.slug ? null : nameForSlug(r.values.fullName);
    const slug = name && slugFromName(name);
    if (slug) derived.set(r.row, slug);
  }
  const found = await loadCandidates(em, valid, [...derived.values()]);
  const mayChange = (speaker: Speaker) =>
    viewer.forumIds === 'all' || (found.forumsOf.get(speaker.id) ?? []).some((id) => organises(viewer, id));

  // Slugs that a new speaker may not take: every loaded one, and every one a row names.
  const takenSlugs = new Set([...found.bySlug.keys(), ...valid.flatMap((r) => (r.values.slug ? [r.values.slug] : []))]);
  const firstRow = { externalId: new Map<string, number>(), email: new Map<string, number>(), slug: new Map<string, number>() };
  const speakerRow = new Map<number, number>();

  return checked.map((r): PlannedRow => {
    const errors: FieldError[] = [...r.errors];
    const fail = (speakerSlug: string | null = null): PlannedRow => ({
      result: { row: r.row, action: SpeakerImportAction.ERROR, speakerSlug, changes: [], errors },
    });
    if (errors.length > 0) return fail();
    const v = r.values;

    // The same key twice in one file: the later row is an error.
    for (const key of ['externalId', 'email', 'slug'] as const) {
      const value = v[key];
      if (!value) continue;
      const first = firstRow[key].get(value);
      if (first !== undefined) errors.push({ field: key, message: `${key} "${value}" is also in row ${first}` });
      else firstRow[key].set(value, r.row);
    }

    const byExternalId = v.externalId ? found.byExternalId.get(v.externalId) : undefined;
    const byEmail = v.email ? found.byEmail.get(v.email) : undefined;
    const speaker = byExternalId ?? byEmail;
    if (speaker && !mayChange(speaker)) {
      errors.push({
        field: '',
        message: 'This row matches a speaker of forums you do not organise; an admin or their organisers can change it',
      });
      return fail();
    }
    if (speaker) {
      const earlier = speakerRow.get(speaker.id);
      if (earlier === undefined) speakerRow.set(speaker.id, r.row);
      else if (errors.length === 0) errors.push({ field: '', message: `Speaker "${speaker.slug}" is also matched by row ${earlier}` });
      if (byEmail && byEmail !== speaker) {
        // Without naming that speaker: their email is private.
        errors.push({ field: 'email', message: `email "${v.email}" belongs to another speaker` });
      }
      if (!byExternalId && v.externalId && speaker.externalId) {
        // Matched by email, but the file and the database disagree on who this is.
        errors.push({ field: 'externalId', message: `The speaker with this email ("${speaker.slug}") has another externalId` });
      }
    }
    const slugOwner = v.slug ? found.bySlug.get(v.slug) : undefined;
    if (slugOwner && slugOwner !== speaker) errors.push({ field: 'slug', message: `slug "${v.slug}" belongs to another speaker` });

    const country = v.countryCode ? found.countries.get(v.countryCode) : undefined;
    if (v.countryCode && !country) errors.push({ field: 'countryCode', message: `Unknown country "${v.countryCode}"` });
    const ministry = v.ministrySlug ? found.ministries.get(v.ministrySlug) : undefined;
    if (v.ministrySlug && !ministry) errors.push({ field: 'ministrySlug', message: `Unknown ministry "${v.ministrySlug}"` });

    const before = speaker ? current(speaker) : null;
    const fullName = patched(before?.fullName ?? null, v.fullName);
    if (!speaker) {
      if (!fullName) errors.push({ field: 'fullName', message: 'A new speaker needs a full name in at least one language' });
      if (!v.countryCode) errors.push({ field: 'countryCode', message: 'A new speaker needs a country' });
      if (!v.slug && fullName && !derived.has(r.row)) {
        errors.push({ field: 'slug', message: 'A slug cannot be made from this name; give one' });
      }
    } else if (!fullName) {
      errors.push({ field: 'fullName', message: 'A speaker needs a full name in at least one language' });
    }
    if (errors.length > 0) return fail(speaker?.slug ?? v.slug ?? null);

    let slug = v.slug ?? before?.slug;
    if (!slug) {
      slug = firstFreeSlug(derived.get(r.row)!, takenSlugs);
      takenSlugs.add(slug);
    }
    const keep = <T>(value: T | undefined, old: T | undefined): T | undefined => (value === undefined ? old : value);
    const after: Resolved = {
      slug,
      externalId: keep(v.externalId, before?.externalId) ?? null,
      email: keep(v.email, before?.email) ?? null,
      fullName: fullName!,
      position: patched(before?.position ?? null, v.position) ?? {},
      organisation: patched(before?.organisation ?? null, v.organisation),
      bio: patched(before?.bio ?? null, v.bio),
      country: country ?? before!.country,
      ministry: v.ministrySlug === null ? null : (ministry ?? before?.ministry ?? null),
      photoUrl: keep(v.photoUrl, before?.photoUrl) ?? null,
      phone: keep(v.phone, before?.phone) ?? null,
      arrivalStatus: keep(v.arrivalStatus, before?.arrivalStatus) ?? ArrivalStatus.UNKNOWN,
      internalNotes: keep(v.internalNotes, before?.internalNotes) ?? null,
      links: keep(v.links, before?.links) ?? [],
    };

    const old = flat(before);
    const changes: SpeakerImportChange[] = Object.entries(flat(after))
      .filter(([field, value]) => !isDeepStrictEqual(old[field], value))
      .map(([field, value]) => ({ field, before: before ? old[field] : null, after: value }));
    const action = !speaker ? SpeakerImportAction.CREATE : changes.length > 0 ? SpeakerImportAction.UPDATE : SpeakerImportAction.UNCHANGED;
    return {
      result: { row: r.row, action, speakerSlug: slug, changes, errors: [] },
      create: speaker ? undefined : after,
      update:
        speaker && changes.length > 0
          ? { speaker, version: speaker.version, values: after, forumIds: found.forumsOf.get(speaker.id) ?? [] }
          : undefined,
    };
  });
}

function report(planned: PlannedRow[], dryRun: boolean, applied: boolean): SpeakerImportReport {
  const rows = planned.map((p) => p.result);
  const count = (action: SpeakerImportAction) => rows.filter((r) => r.action === action).length;
  return {
    dryRun,
    applied,
    totals: {
      rows: rows.length,
      created: count(SpeakerImportAction.CREATE),
      updated: count(SpeakerImportAction.UPDATE),
      unchanged: count(SpeakerImportAction.UNCHANGED),
      errors: count(SpeakerImportAction.ERROR),
    },
    rows,
  };
}

/**
 * Writes the planned rows with their audit entries; `em` is inside the import's transaction. A
 * new speaker's entry is filed under the import's forum (which makes the speaker one of its
 * forum's); an update's under that forum and every other forum of the speaker, as updateSpeaker
 * does, so that each forum's organisers see it in their log.
 */
async function apply(em: EntityManager, record: WriteScope['record'], forum: Forum, planned: PlannedRow[]): Promise<void> {
  const entries: {
    speaker: Speaker;
    action: string;
    forumIds: number[];
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }[] = [];
  for (const p of planned) {
    if (p.create) {
      const speaker = em.create(Speaker, p.create);
      entries.push({ speaker, action: 'IMPORT_CREATE', forumIds: [forum.id], before: {}, after: speakerState(p.create) });
    } else if (p.update) {
      const { speaker, values, forumIds } = p.update;
      const [before, after] = [speakerState(speaker), speakerState(values)];
      Object.assign(speaker, values);
      entries.push({ speaker, action: 'IMPORT_UPDATE', forumIds: [...new Set([forum.id, ...forumIds])], before, after });
    }
  }
  // New speakers need their ids before their audit entries can name them.
  await em.flush();
  for (const p of planned) {
    // MikroORM checks versions before a batch update but updates by id alone: a change that
    // commits in between shows as a version more than one ahead.
    if (p.update && p.update.speaker.version !== p.update.version + 1) throw OptimisticLockError.lockFailed(p.update.speaker);
  }
  for (const { speaker, action, forumIds, before, after } of entries) {
    await record({ entityType: 'Speaker', entityId: speaker.id, action, forumIds, before, after });
  }
  await em.flush();
}

/** An import: the forum it is for, its rows, and whether it only reports what it would do. */
export interface SpeakerImport {
  forumSlug: string;
  rows: ImportRowSource[];
  dryRun: boolean;
}

/** Rows as a list gives them, numbered from 1. */
export const numbered = (rows: readonly unknown[]): ImportRowSource[] => rows.map((fields, index) => ({ row: index + 1, fields }));

/**
 * Applies the checked rows of an import, or nothing of them when a row has an error. write()
 * turns a slug, email or externalId taken meanwhile by a concurrent change, or a deadlock, into
 * CONFLICT.
 */
const applyImport = write(
  { roles: [Role.ORGANISER] },
  async ({ em, viewer, record }, { forum, checked }: { forum: Forum; checked: CheckedRow[] }): Promise<SpeakerImportReport> => {
    const planned = await plan(em, viewer, checked);
    if (planned.some((p) => p.result.action === SpeakerImportAction.ERROR)) return report(planned, false, false);
    try {
      await apply(em, record, forum, planned);
    } catch (error) {
      if (error instanceof OptimisticLockError) {
        throw new ConflictError(
          'A speaker in this import was changed by someone else while it was being applied; nothing was written. Run the import again.',
        );
      }
      throw error;
    }
    return report(planned, false, true);
  },
);

/**
 * Checks (dry run) or applies an import for a forum the viewer organises. Row problems are
 * reported per row; problems with the import as a whole are thrown as coded errors.
 */
export async function importSpeakers(ctx: Context, { forumSlug, rows, dryRun }: SpeakerImport): Promise<SpeakerImportReport> {
  const viewer = requireRole(ctx.viewer, Role.ORGANISER);
  if (rows.length === 0) throw new BadUserInputError('The import has no rows');
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new BadUserInputError(
      `An import may have at most ${MAX_IMPORT_ROWS} rows; this one has ${rows.length}. Split it into several imports.`,
    );
  }
  const forum = await ctx.em.findOne(Forum, { slug: forumSlug });
  if (!forum) throw new NotFoundError(`No forum with slug "${forumSlug}"`);
  requireForum(viewer, forum.id);
  // Before the transaction, which need not stay open for this (half a second for 2000 rows).
  const checked = await Promise.all(rows.map((r) => checkRow(r.row, r.fields)));
  if (!dryRun) return applyImport(ctx, { forum, checked });
  // A dry run only reads: no transaction, whose BEGIN and COMMIT the statement count (import.test.ts) would show.
  return report(await plan(ctx.em, viewer, checked), true, false);
}
