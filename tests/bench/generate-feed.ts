/**
 * Synthetic MISP feeds for the import benchmark, written the way PyMISP's feed generator writes them (sorted keys,
 * integers as strings in events and as numbers in the manifest, hashes.csv with md5 of every value and both halves
 * of composite values). Our own generator rather than Ferry's writer, so a bug in the code under test cannot shape
 * the data it is measured on.
 *
 * Data lives under os.tmpdir()/ferry-bench/data and is reused across runs: a stamp file beside each feed records the
 * generator version, seed and size, and is written last, so an interrupted generation is never mistaken for a
 * finished one.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipFolder } from '../support/zips';
import * as v from './misp-values';
import { Rng } from './rng';

/** Bump whenever the output changes, so stale data on disk is regenerated. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 0x5eed_f00d;

export const BENCH_ROOT = join(tmpdir(), 'ferry-bench');
export const DATA_DIR = join(BENCH_ROOT, 'data');

export type SizeName = 'S' | 'M' | 'L';
export interface FeedSpec {
  readonly events: number;
  readonly attributes: number;
}
export const SIZES: Readonly<Record<SizeName, FeedSpec>> = {
  S: { events: 20, attributes: 10_000 },
  M: { events: 200, attributes: 100_000 },
  L: { events: 2_000, attributes: 1_000_000 },
};

/** The cache benchmark's hashes.csv: as large as the biggest real feed's (CIRCL OSINT, ≈946 MB). */
export const CACHE_SPEC = { lines: 13_500_000, events: 5_000 } as const;
export const CACHE_FEED = 'hashes-13.5M';

export interface FeedStats {
  readonly events: number;
  readonly attributes: number;
  readonly objects: number;
  readonly references: number;
  readonly hashLines: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Event content

type Json = Record<string, unknown>;

interface AttributeKind {
  readonly type: string;
  readonly category: string;
  readonly toIds: boolean;
  readonly value: (rng: Rng) => string;
}

const kind = (type: string, category: string, value: (rng: Rng) => string, toIds = true): AttributeKind => ({ type, category, toIds, value });

/** Top-level attribute mix, weighted like an OSINT feed: network indicators first, then file hashes. */
const ATTRIBUTE_MIX: readonly (readonly [AttributeKind, number])[] = [
  [kind('ip-dst', 'Network activity', v.ipv4), 18],
  [kind('ip-src', 'Network activity', v.ipv4), 6],
  [kind('domain', 'Network activity', v.domain), 14],
  [kind('hostname', 'Network activity', v.hostname), 8],
  [kind('url', 'Network activity', v.url), 16],
  [kind('md5', 'Payload delivery', (r) => r.hex(32)), 8],
  [kind('sha1', 'Payload delivery', (r) => r.hex(40)), 4],
  [kind('sha256', 'Payload delivery', (r) => r.hex(64)), 10],
  [kind('email-src', 'Payload delivery', v.email), 3],
  [kind('filename|md5', 'Payload delivery', (r) => `${v.filename(r)}|${r.hex(32)}`), 4],
  [kind('ip-dst|port', 'Network activity', (r) => `${v.ipv4(r)}|${v.port(r)}`), 5],
  [kind('filename', 'Payload delivery', v.filename), 1],
  [kind('text', 'Other', v.note, false), 3],
];

interface ObjectTemplate {
  readonly name: string;
  readonly uuid: string;
  readonly version: string;
  readonly metaCategory: string;
  readonly description: string;
  /** In template order; a template cut short to fit the attribute budget keeps the first ones. */
  readonly attributes: readonly (readonly [relation: string, kind: AttributeKind])[];
}

// Template uuids and versions of misp-objects (2026-06 snapshot), so the objects look like MISP's own.
const OBJECT_TEMPLATES: readonly ObjectTemplate[] = [
  {
    name: 'file', uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', version: '25', metaCategory: 'file',
    description: 'File object describing a file with meta-information',
    attributes: [
      ['filename', kind('filename', 'Payload delivery', v.filename, false)],
      ['md5', kind('md5', 'Payload delivery', (r) => r.hex(32))],
      ['sha1', kind('sha1', 'Payload delivery', (r) => r.hex(40))],
      ['sha256', kind('sha256', 'Payload delivery', (r) => r.hex(64))],
      ['size-in-bytes', kind('size-in-bytes', 'Other', (r) => String(r.int(2_000, 4_000_000)), false)],
    ],
  },
  {
    name: 'domain-ip', uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', version: '11', metaCategory: 'network',
    description: 'A domain/hostname and IP address seen as a tuple in a specific time frame.',
    attributes: [
      ['domain', kind('domain', 'Network activity', v.domain)],
      ['ip', kind('ip-dst', 'Network activity', v.ipv4)],
    ],
  },
  {
    name: 'url', uuid: '60efb77b-40b5-4c46-871b-ed1ed999fce5', version: '10', metaCategory: 'network',
    description: 'url object describes an url along with its normalized field (like extracted using faup parsing library) and its metadata.',
    attributes: [
      ['url', kind('url', 'Network activity', v.url)],
      ['host', kind('hostname', 'Network activity', v.hostname)],
    ],
  },
];

/** Share of an event's attributes that sit inside objects. */
const OBJECT_SHARE = 0.05;
/** Chance that a value repeats one from an earlier event, so the library has correlations to index, as real feeds do. */
const REUSE_CHANCE = 0.05;

const tag = (name: string, colour: string) => ({ colour, local: false, name, relationship_type: '' });
const TLP_TAGS = [[tag('tlp:white', '#ffffff'), 3], [tag('tlp:clear', '#ffffff'), 3], [tag('tlp:green', '#339900'), 4], [tag('tlp:amber', '#ffc000'), 1]] as const;
const OSINT_TAG = tag('type:OSINT', '#004646');
const GALAXY_TAGS = [
  'misp-galaxy:threat-actor="Sofacy"', 'misp-galaxy:threat-actor="Lazarus Group"', 'misp-galaxy:threat-actor="TA505"',
  'misp-galaxy:malpedia="Emotet"', 'misp-galaxy:malpedia="QakBot"', 'misp-galaxy:malpedia="AgentTesla"', 'misp-galaxy:malpedia="Cobalt Strike"',
  'misp-galaxy:mitre-attack-pattern="Phishing - T1566"', 'misp-galaxy:mitre-attack-pattern="Ingress Tool Transfer - T1105"',
  'misp-galaxy:ransomware="LockBit"', 'misp-galaxy:tool="Mimikatz"',
].map((name) => tag(name, '#0088cc'));
const OTHER_EVENT_TAGS = [tag('osint:source-type="blog-post"', '#00223b'), tag('estimative-language:confidence-in-analytic-judgment="moderate"', '#ffc000')];
const ATTRIBUTE_TAGS = [tag('malware', '#e60000'), tag('phishing', '#cc3300'), tag('kill-chain:Command and Control', '#0071c3'), tag('misp-galaxy:malpedia="Emotet"', '#0088cc')];
const ORG_NAMES = ['CIRCL', 'Botvrij.eu', 'DigitalSide', 'abuse.ch', 'ExampleCERT'];
const FAMILIES = ['Emotet', 'QakBot', 'AgentTesla', 'Cobalt Strike', 'LockBit', 'RedLine', 'AsyncRAT', 'IcedID', 'Formbook', 'Remcos'];
const SUBJECTS = ['campaign', 'infrastructure', 'indicators', 'dropper analysis', 'phishing wave', 'C2 servers'];

const DAY = 86_400;
const FIRST_DAY = Date.UTC(2023, 0, 1) / 1000;

/** Values of earlier events, by type, that later events may repeat. */
class ValuePool {
  private readonly byType = new Map<string, string[]>();
  private fresh: [string, string][] = [];

  constructor(private readonly rng: Rng) {}

  draw(k: AttributeKind): string {
    const old = this.byType.get(k.type);
    if (old && old.length > 0 && this.rng.chance(REUSE_CHANCE)) return this.rng.pick(old);
    const value = k.value(this.rng);
    this.fresh.push([k.type, value]);
    return value;
  }

  /** Only whole earlier events feed the pool: MISP refuses the same value twice in one event. */
  endEvent(): void {
    for (const [type, value] of this.fresh) {
      const list = this.byType.get(type) ?? [];
      if (list.length < 2_000) list.push(value);
      else list[this.rng.int(0, list.length - 1)] = value;
      this.byType.set(type, list);
    }
    this.fresh = [];
  }
}

/** Splits `total` attributes over `events` events of uneven size (0.3× to 1.7× the mean), summing exactly. */
function eventSizes(rng: Rng, spec: FeedSpec): number[] {
  const weights = Array.from({ length: spec.events }, () => 0.3 + 1.4 * rng.float());
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((spec.attributes * w) / sum)));
  let left = spec.attributes - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; left !== 0; i = (i + 1) % sizes.length) {
    const step = left > 0 ? 1 : sizes[i]! > 1 ? -1 : 0;
    sizes[i]! += step;
    left -= step;
  }
  return sizes;
}

interface Built {
  readonly uuid: string;
  readonly doc: { Event: Json };
  readonly manifestEntry: Json;
  /** Values in hashes.csv order: top-level attributes, then each object's attributes. */
  readonly hashed: { type: string; value: string }[];
  readonly objects: number;
  readonly references: number;
}

class EventBuilder {
  private readonly orgs: { name: string; uuid: string }[];

  constructor(private readonly rng: Rng, private readonly pool: ValuePool) {
    this.orgs = ORG_NAMES.map((name) => ({ name, uuid: rng.uuid() }));
  }

  build(attributeCount: number): Built {
    const rng = this.rng;
    const uuid = rng.uuid();
    const day = FIRST_DAY + rng.int(0, 3 * 365) * DAY;
    const date = new Date(day * 1000).toISOString().slice(0, 10);
    const timestamp = day + rng.int(0, 30 * DAY); // events are often updated after their date
    const attrTime = () => String(rng.int(day, timestamp));
    const hashed: Built['hashed'] = [];

    const attribute = (k: AttributeKind, relation: string | null): Json => {
      const value = this.pool.draw(k);
      hashed.push({ type: k.type, value });
      const a: Json = { category: k.category, comment: relation ? '' : v.comment(rng), disable_correlation: false };
      if (relation) a['object_relation'] = relation;
      Object.assign(a, { timestamp: attrTime(), to_ids: k.toIds, type: k.type, uuid: rng.uuid(), value });
      if (!relation && rng.chance(0.03)) a['Tag'] = [rng.pick(ATTRIBUTE_TAGS)];
      return a;
    };

    // Objects first take their share of the budget, so the event holds exactly `attributeCount` attributes.
    let objectBudget = Math.round(attributeCount * OBJECT_SHARE);
    const topLevel = attributeCount - objectBudget;
    const attributes: Json[] = [];
    for (let i = 0; i < topLevel; i++) attributes.push(attribute(rng.weighted(ATTRIBUTE_MIX), null));
    const objects: Json[] = [];
    let referenceCount = 0;
    while (objectBudget > 0) {
      const template = objectBudget >= 2 ? rng.pick(OBJECT_TEMPLATES) : OBJECT_TEMPLATES[0]!;
      const parts = template.attributes.slice(0, objectBudget);
      objectBudget -= parts.length;
      const objectUuid = rng.uuid();
      // A file object points at the network object before it (it talks to it); others point at a top-level indicator.
      const previous = objects[objects.length - 1];
      const target = template.name === 'file' && previous ? (previous['uuid'] as string) : attributes.length > 0 ? (rng.pick(attributes)['uuid'] as string) : null;
      const objectTime = attrTime();
      const references = target
        ? [{ comment: '', object_uuid: objectUuid, referenced_uuid: target, relationship_type: template.name === 'file' ? 'communicates-with' : 'related-to', timestamp: objectTime, uuid: rng.uuid() }]
        : [];
      referenceCount += references.length;
      objects.push({
        comment: '', description: template.description, 'meta-category': template.metaCategory, name: template.name,
        template_uuid: template.uuid, template_version: template.version, timestamp: objectTime, uuid: objectUuid,
        ...(references.length > 0 ? { ObjectReference: references } : {}),
        Attribute: parts.map(([relation, k]) => attribute(k, relation)),
      });
    }
    this.pool.endEvent();

    const tags = [rng.weighted(TLP_TAGS)];
    if (rng.chance(0.7)) tags.push(OSINT_TAG);
    for (let n = rng.int(0, 3); n > 0; n--) tags.push(rng.pick(GALAXY_TAGS));
    if (rng.chance(0.3)) tags.push(rng.pick(OTHER_EVENT_TAGS));
    const uniqueTags = [...new Map(tags.map((t) => [t.name, t])).values()];
    const orgc = rng.pick(this.orgs);
    const info = `OSINT - ${rng.pick(FAMILIES)} ${rng.pick(SUBJECTS)} (${date})`;
    const analysis = rng.int(0, 2);
    const threatLevel = rng.int(1, 4);

    const event: Json = {
      analysis: String(analysis), date, extends_uuid: '', info, protected: false, publish_timestamp: String(timestamp), published: true,
      threat_level_id: String(threatLevel), timestamp: String(timestamp), uuid, Orgc: orgc, Tag: uniqueTags, Attribute: attributes,
      ...(objects.length > 0 ? { Object: objects } : {}),
    };
    const manifestEntry = { Orgc: orgc, Tag: uniqueTags, info, date, analysis, threat_level_id: threatLevel, timestamp };
    return { uuid, doc: { Event: event }, manifestEntry, hashed, objects: objects.length, references: referenceCount };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** Appends lines to a file through a 1 MB buffer: large files are written as they are produced, never held whole. */
class LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    this.lines++;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** hashes.csv values of one attribute: composite values are split and each half hashed, as PyMISP does. */
function hashedParts(type: string, value: string): string[] {
  return type.includes('|') || type === 'malware-sample' ? value.split('|') : [value];
}

/** Writes a complete feed folder (events, manifest.json, hashes.csv) and returns what is in it. */
export function writeFeed(dir: string, spec: FeedSpec, seed: number): FeedStats {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const builder = new EventBuilder(rng, new ValuePool(rng));
  const hashes = new LineWriter(join(dir, 'hashes.csv'));
  const manifest: Json = {};
  let attributes = 0;
  let objects = 0;
  let references = 0;
  for (const size of eventSizes(rng, spec)) {
    const built = builder.build(size);
    // generate.py writes events with json.dumps(indent=2); the indentation is part of the parse cost.
    writeFileSync(join(dir, `${built.uuid}.json`), JSON.stringify(built.doc, null, 2));
    manifest[built.uuid] = built.manifestEntry;
    for (const { type, value } of built.hashed) for (const part of hashedParts(type, value)) hashes.line(`${md5(part)},${built.uuid}`);
    attributes += built.hashed.length;
    objects += built.objects;
    references += built.references;
  }
  hashes.close();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { events: spec.events, attributes, objects, references, hashLines: hashes.lines };
}

/** Zips a feed folder with yazl, the way an analyst's "compress folder" would (entries at the root, deflated). */
export async function zipFeed(dir: string, out: string): Promise<void> {
  const part = `${out}.part`;
  await zipFolder(dir, part);
  renameSync(part, out);
}

/**
 * A feed folder whose weight is all in hashes.csv: `lines` lines of `md5,event_uuid` over `events` events, streamed
 * to disk. The hashes are random hex, not md5s of real values: the cache import cannot tell the difference and it
 * keeps generation fast. Each announced event also gets a small event file, so the folder is a complete, valid feed
 * and the import report measures caching rather than thousands of "event file missing" warnings.
 */
export function writeHashesFeed(dir: string, spec: { lines: number; events: number }, seed: number): FeedStats {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const org = { name: 'ExampleCERT', uuid: rng.uuid() };
  const uuids = Array.from({ length: spec.events }, () => rng.uuid());
  const manifest: Json = {};
  for (const [i, uuid] of uuids.entries()) {
    const timestamp = FIRST_DAY + i * 3_600;
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const info = `Cache benchmark event ${i + 1}`;
    manifest[uuid] = { Orgc: org, Tag: [OSINT_TAG], info, date, analysis: 2, threat_level_id: 4, timestamp };
    const event = {
      analysis: '2', date, extends_uuid: '', info, protected: false, publish_timestamp: String(timestamp), published: true,
      threat_level_id: '4', timestamp: String(timestamp), uuid, Orgc: org, Tag: [OSINT_TAG], Attribute: [],
    };
    writeFileSync(join(dir, `${uuid}.json`), JSON.stringify({ Event: event }, null, 2));
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const hashes = new LineWriter(join(dir, 'hashes.csv'));
  // Events in order with their hashes grouped, as generate.py appends them event by event.
  for (let i = 0; i < spec.lines; i++) hashes.line(`${rng.hex(32)},${uuids[Math.floor((i * spec.events) / spec.lines)]!}`);
  hashes.close();
  return { events: spec.events, attributes: 0, objects: 0, references: 0, hashLines: hashes.lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Reuse across runs

export interface GeneratedFeed {
  readonly dir: string;
  readonly zip: string | null;
  readonly stats: FeedStats;
}

interface Stamp {
  readonly key: string;
  readonly stats: FeedStats;
}

export function feedPaths(name: string) {
  const dir = join(DATA_DIR, name);
  return { dir, zip: `${dir}.zip`, stamp: `${dir}.stamp.json` };
}

function readStamp(path: string, key: string): Stamp | null {
  try {
    const stamp = JSON.parse(readFileSync(path, 'utf8')) as Stamp;
    return stamp.key === key ? stamp : null;
  } catch {
    return null;
  }
}

/** The feed described by `key`, from disk when a matching stamp says it is complete, else freshly written. */
async function ensure(name: string, key: string, withZip: boolean, write: (dir: string) => FeedStats, log: (m: string) => void): Promise<GeneratedFeed> {
  const paths = feedPaths(name);
  const zip = withZip ? paths.zip : null;
  const found = readStamp(paths.stamp, key);
  if (found && existsSync(paths.dir) && (!zip || existsSync(zip))) return { dir: paths.dir, zip, stats: found.stats };
  for (const p of [paths.stamp, paths.dir, paths.zip, `${paths.dir}.part`]) rmSync(p, { recursive: true, force: true });
  log(`generating ${name} in ${paths.dir} …`);
  const started = performance.now();
  const stats = write(`${paths.dir}.part`);
  renameSync(`${paths.dir}.part`, paths.dir);
  if (zip) await zipFeed(paths.dir, zip);
  writeFileSync(paths.stamp, JSON.stringify({ key, stats } satisfies Stamp));
  log(`generated ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir: paths.dir, zip, stats };
}

export function ensureFeed(size: SizeName, seed = DEFAULT_SEED, log: (m: string) => void = () => {}): Promise<GeneratedFeed> {
  const spec = SIZES[size];
  const key = JSON.stringify({ generator: GENERATOR_VERSION, seed, ...spec });
  return ensure(`feed-${size}`, key, true, (dir) => writeFeed(dir, spec, seed), log);
}

export function ensureCacheFeed(seed = DEFAULT_SEED, log: (m: string) => void = () => {}): Promise<GeneratedFeed> {
  const key = JSON.stringify({ generator: GENERATOR_VERSION, seed, ...CACHE_SPEC });
  return ensure(CACHE_FEED, key, false, (dir) => writeHashesFeed(dir, CACHE_SPEC, seed), log);
}
