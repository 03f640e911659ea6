/**
 * The add/edit feed form as plain strings and booleans (what the controls hold), converted to the engine's feed
 * settings on submit, and the engine's refusal mapped back onto the field it is about.
 */
import type { IpcError } from '../../../../shared/ipc/envelope';
import type { FeedSettings, NewFeedInput } from '../../app/types';

export const SOURCE_FORMATS = [
  { value: 'misp', label: 'MISP feed' },
  { value: 'freetext', label: 'Freetext parsed feed' },
  { value: 'csv', label: 'Simple CSV parsed feed' },
] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number]['value'];

export const INPUT_SOURCES = [
  { value: 'local', label: 'Local' },
  { value: 'network', label: 'Network' },
] as const;
export type InputSource = (typeof INPUT_SOURCES)[number]['value'];

/** MISP's feed form: 5 keeps the distribution each event carries. */
export const FEED_DISTRIBUTIONS = [
  { value: '0', label: 'Your organisation only' },
  { value: '1', label: 'This community only' },
  { value: '2', label: 'Connected communities' },
  { value: '3', label: 'All communities' },
  { value: '4', label: 'Sharing group' },
  { value: '5', label: 'Inherit event' },
] as const;
export type FeedDistributionValue = (typeof FEED_DISTRIBUTIONS)[number]['value'];

export interface FeedFormValues {
  name: string;
  provider: string;
  sourceFormat: SourceFormat;
  inputSource: InputSource;
  url: string;
  distribution: FeedDistributionValue;
  sharingGroupId: string;
  tagName: string;
  tagColour: string;
  enabled: boolean;
  cachingEnabled: boolean;
  lookupVisible: boolean;
  tagsOr: string;
  tagsNot: string;
  orgsOr: string;
  orgsNot: string;
  csvValueColumns: string;
  csvDelimiter: string;
  excludeRegex: string;
  publish: boolean;
  overrideIds: boolean;
  fixedEvent: boolean;
  deltaMerge: boolean;
}

export type FeedField = keyof FeedFormValues;

/** A new feed: local by default (the usual case on an air-gapped workstation), otherwise MISP's defaults. */
export function emptyFeedForm(): FeedFormValues {
  return {
    name: '',
    provider: '',
    sourceFormat: 'misp',
    inputSource: 'local',
    url: '',
    distribution: '0',
    sharingGroupId: '',
    tagName: '',
    tagColour: '#0088cc',
    enabled: true,
    cachingEnabled: false,
    lookupVisible: false,
    tagsOr: '',
    tagsNot: '',
    orgsOr: '',
    orgsNot: '',
    csvValueColumns: '',
    csvDelimiter: ',',
    excludeRegex: '',
    publish: false,
    overrideIds: false,
    fixedEvent: false,
    deltaMerge: false,
  };
}

const lines = (list: readonly string[]) => list.join('\n');

export function formFromSettings(s: FeedSettings): FeedFormValues {
  return {
    name: s.name,
    provider: s.provider,
    sourceFormat: s.sourceFormat,
    inputSource: s.inputSource,
    url: s.url,
    distribution: String(s.distribution) as FeedDistributionValue,
    sharingGroupId: s.sharingGroupId === null ? '' : String(s.sharingGroupId),
    tagName: s.defaultTag?.name ?? '',
    tagColour: s.defaultTag?.colour ?? '#0088cc',
    enabled: s.enabled,
    cachingEnabled: s.cachingEnabled,
    lookupVisible: s.lookupVisible,
    tagsOr: lines(s.rules.tags.or),
    tagsNot: lines(s.rules.tags.not),
    orgsOr: lines(s.rules.orgs.or),
    orgsNot: lines(s.rules.orgs.not),
    csvValueColumns: s.settings.csv.valueColumns.join(','),
    csvDelimiter: s.settings.csv.delimiter,
    excludeRegex: s.settings.excludeRegex,
    publish: s.publish,
    overrideIds: s.overrideIds,
    fixedEvent: s.fixedEvent,
    deltaMerge: s.deltaMerge,
  };
}

/** One name per line (commas also separate), blanks dropped. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Column numbers as typed; anything that is not a number is passed on as NaN for the engine to refuse by name. */
function columns(text: string): number[] {
  return splitNames(text).map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

/**
 * The settings the form stands for. `base` is the feed being edited: what the form does not show (time filters,
 * headers, MISP ids) is carried over untouched.
 */
export function settingsFromForm(v: FeedFormValues, base?: FeedSettings): NewFeedInput {
  const sharingGroup = v.sharingGroupId.trim();
  return {
    name: v.name,
    provider: v.provider,
    url: v.url,
    sourceFormat: v.sourceFormat,
    inputSource: v.inputSource,
    distribution: Number(v.distribution),
    sharingGroupId: sharingGroup === '' ? null : Number(sharingGroup),
    defaultTag:
      v.tagName.trim() === ''
        ? null
        : { name: v.tagName.trim(), colour: v.tagColour, exportable: base?.defaultTag?.exportable ?? true, hideTag: base?.defaultTag?.hideTag ?? false },
    enabled: v.enabled,
    cachingEnabled: v.cachingEnabled,
    lookupVisible: v.lookupVisible,
    rules: {
      ...(base?.rules ?? { urlParams: {} }),
      tags: { or: splitNames(v.tagsOr), not: splitNames(v.tagsNot) },
      orgs: { or: splitNames(v.orgsOr), not: splitNames(v.orgsNot) },
    },
    settings: {
      disableCorrelation: base?.settings.disableCorrelation ?? false,
      unpublishEvent: base?.settings.unpublishEvent ?? false,
      csv: { valueColumns: columns(v.csvValueColumns), delimiter: v.csvDelimiter },
      excludeRegex: v.excludeRegex,
    },
    publish: v.publish,
    overrideIds: v.overrideIds,
    fixedEvent: v.fixedEvent,
    deltaMerge: v.deltaMerge,
  };
}

/** Settings paths (as the engine names them in its messages) → the form field that holds them. */
const FIELD_OF_PATH: readonly (readonly [string, FeedField])[] = [
  ['defaultTag.colour', 'tagColour'],
  ['defaultTag', 'tagName'],
  ['rules.tags.or', 'tagsOr'],
  ['rules.tags.not', 'tagsNot'],
  ['rules.orgs.or', 'orgsOr'],
  ['rules.orgs.not', 'orgsNot'],
  ['rules', 'tagsOr'],
  ['settings.csv.valueColumns', 'csvValueColumns'],
  ['settings.csv.delimiter', 'csvDelimiter'],
  ['settings.excludeRegex', 'excludeRegex'],
  ...(['name', 'provider', 'url', 'sourceFormat', 'inputSource', 'distribution', 'sharingGroupId', 'enabled', 'cachingEnabled',
    'lookupVisible', 'publish', 'overrideIds', 'fixedEvent', 'deltaMerge'] as const).map((f) => [f, f] as const),
];

function fieldOfPath(path: string): FeedField | null {
  const p = path.replace(/^changes\./, '');
  for (const [prefix, field] of FIELD_OF_PATH) if (p === prefix || p.startsWith(`${prefix}.`)) return field;
  return null;
}

/**
 * Which field an engine error is about, and what to say there. The engine writes `<where>: <path>: <message>`
 * (`feeds.add: url: a feed needs a url or path`, `feed "x": sharingGroupId: distribution 4 needs a sharing group`).
 */
export function fieldError(error: IpcError): { field: FeedField; message: string } | null {
  if (error.code === 'conflict' && /a feed named/.test(error.message)) return { field: 'name', message: error.message };
  const parts = error.message.split(': ');
  for (let i = parts.length - 2; i >= 0; i--) {
    const field = fieldOfPath(parts[i]!);
    if (field) return { field, message: parts.slice(i + 1).join(': ') };
  }
  return null;
}
