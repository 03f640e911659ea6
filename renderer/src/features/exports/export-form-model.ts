/**
 * The export form's values (strings and flags, as typed) and their translation to the engine's request. The form
 * keeps what was typed whatever the engine answers; the engine checks every field, and its issue paths say which.
 */
import type { ExportPreset } from '../../app/navigation';
import type { ExportProfile, ExportRequest } from '../../app/types';

export type HashMode = 'pymisp' | 'correlating';

export interface ExportFormValues {
  readonly target: string;
  readonly tags: string;
  readonly orgs: string;
  readonly published: boolean;
  readonly dateFrom: string;
  readonly dateUntil: string;
  readonly localOnly: boolean;
  /** Distribution levels 0..5 that leave. */
  readonly levels: readonly boolean[];
  readonly excludeTypes: string;
  readonly keepLocalTags: boolean;
  readonly hashes: HashMode;
  readonly incremental: boolean;
  /** Fingerprint of an own key, or '' for unsigned. */
  readonly signKey: string;
  readonly passphrase: string;
  /** Set from the Events screen or a profile, not typed: only events from these feeds, only these events. */
  readonly origins: readonly (number | 'local')[];
  readonly events: readonly string[];
  /** What those two mean, in words (empty when neither is set). */
  readonly scope: string;
}

export const EMPTY_FORM: ExportFormValues = {
  target: '',
  tags: '',
  orgs: '',
  published: false,
  dateFrom: '',
  dateUntil: '',
  localOnly: false,
  levels: [true, true, true, true, true, true],
  excludeTypes: '',
  keepLocalTags: false,
  hashes: 'pymisp',
  incremental: false,
  signKey: '',
  passphrase: '',
  origins: [],
  events: [],
  scope: '',
};

/** A new export of what the Events screen showed or had open. */
export function formOfPreset(p: ExportPreset): ExportFormValues {
  return {
    ...EMPTY_FORM,
    tags: p.tag ?? '',
    orgs: p.org ?? '',
    dateFrom: p.dateFrom ?? '',
    dateUntil: p.dateUntil ?? '',
    origins: p.origin !== undefined ? [p.origin] : [],
    events: p.events ?? [],
    scope: p.events !== undefined || p.origin !== undefined ? p.label : '',
  };
}

const words = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The part of the request the live count depends on. */
export function filterOf(v: ExportFormValues): NonNullable<ExportRequest['filter']> {
  return {
    ...(v.tags.trim() ? { tags: v.tags.trim() } : {}),
    ...(v.orgs.trim() ? { orgs: v.orgs.trim() } : {}),
    ...(v.published ? { published: true } : {}),
    ...(v.dateFrom.trim() ? { dateFrom: v.dateFrom.trim() } : {}),
    ...(v.dateUntil.trim() ? { dateUntil: v.dateUntil.trim() } : {}),
    ...(v.localOnly ? { localOnly: true } : {}),
    ...(v.origins.length > 0 ? { origins: [...v.origins] } : {}),
    ...(v.events.length > 0 ? { events: [...v.events] } : {}),
  };
}

export function optionsOf(v: ExportFormValues): NonNullable<ExportRequest['options']> {
  const levels = v.levels.flatMap((on, level) => (on ? [level] : []));
  const excludeTypes = words(v.excludeTypes);
  return {
    keepLocalTags: v.keepLocalTags,
    hashes: v.hashes,
    // All six is the default; say nothing then, so a profile keeps meaning "everything".
    ...(levels.length < 6 ? { distributions: levels } : {}),
    ...(excludeTypes.length > 0 ? { excludeTypes } : {}),
  };
}

export function requestOf(v: ExportFormValues, dryRun: boolean): ExportRequest {
  return {
    target: v.target.trim(),
    filter: filterOf(v),
    options: optionsOf(v),
    incremental: v.incremental,
    dryRun,
    ...(v.signKey ? { sign: { key: v.signKey, passphrase: v.passphrase } } : {}),
  };
}

/** A saved profile back in the form (the passphrase is never saved, so it is asked again). */
export function formOfProfile(p: ExportProfile): ExportFormValues {
  const s = p.settings;
  const levels = s.options.distributions;
  return {
    ...EMPTY_FORM,
    target: s.target,
    tags: s.filter.tags ?? '',
    orgs: s.filter.orgs ?? '',
    published: s.filter.published === true,
    dateFrom: s.filter.dateFrom ?? '',
    dateUntil: s.filter.dateUntil ?? '',
    localOnly: s.filter.localOnly === true,
    levels: [0, 1, 2, 3, 4, 5].map((l) => (levels ? levels.includes(l) : true)),
    excludeTypes: (s.options.excludeTypes ?? []).join(', '),
    keepLocalTags: s.options.keepLocalTags,
    hashes: s.options.hashes,
    incremental: s.incremental,
    signKey: s.signKey ?? '',
    origins: s.filter.origins ?? [],
    events: s.filter.events ?? [],
    scope: s.filter.events || s.filter.origins ? scopeWords(s.filter.events?.length, s.filter.origins?.length) : '',
  };
}

function scopeWords(events: number | undefined, origins: number | undefined): string {
  if (events !== undefined) return `${events} chosen event${events === 1 ? '' : 's'}`;
  return `events of ${origins} feed${origins === 1 ? '' : 's'}`;
}

/** Which form field an engine issue path (`filter/tags`, `target`, `options.distributions`) is about. */
export function fieldOfIssue(path: string): keyof ExportFormValues | null {
  const p = path.replace(/\./g, '/');
  if (p.startsWith('filter/tags')) return 'tags';
  if (p.startsWith('filter/orgs')) return 'orgs';
  if (p.startsWith('filter/dateFrom')) return 'dateFrom';
  if (p.startsWith('filter/dateUntil')) return 'dateUntil';
  if (p.startsWith('target')) return 'target';
  if (p.startsWith('options/distributions')) return 'levels';
  return null;
}
