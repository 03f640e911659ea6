/**
 * A feed generator: what a honeypot or sensor uses to produce a MISP feed with no MISP server, as PyMISP's
 * real-time generator does, without its faults. Items go into the current day's event; every one is checked by
 * the format core first and a bad one is refused with the reason, never written. A flush writes the feed through
 * the export's atomic folder writer (a complete feed, or the previous one, is all anyone ever sees), with the day
 * event's timestamp and its manifest entry moved on so that a MISP which already pulled the event fetches the
 * additions. Only a changed day is laid out again, and only its new items are (see DayEvent).
 *
 * One generator per feed folder at a time (a lock beside it); the library database is not involved.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { typeInfo, validateAttributeValue } from '../../../shared/misp';
import { pythonIsoDateTime } from '../../../shared/feed/event-writer';
import { readEvent } from '../../../shared/feed/event-reader';
import { manifestEntryOf, manifestText } from '../../../shared/feed/feed-json';
import type { EventHead } from '../../../shared/feed/growing-event-text';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { Attribute } from '../../../shared/model/attribute';
import type { Tag } from '../../../shared/model/tag';
import { isDistribution, type Distribution } from '../../../shared/model/levels';
import type { ObjectTemplate } from '../../../shared/misp-objects/template';
import { buildObject, type ObjectFields } from '../../../shared/misp-objects/build-object';
import { openTarget, restoreInterrupted } from '../export/atomic-target';
import { CHECKSUMS_FILE, formatChecksums, sha256Hex } from '../export/checksums';
import { readPreviousFeed } from '../export/previous-feed';
import type { Signer } from '../keys/openpgp-keys';
import { loadObjectTemplates } from '../reference/object-templates';
import { failure, success, type Result } from '../result';
import { DayEvent } from './day-event';
import type { AttributeData, ObjectData } from './generator-items';
import { GeneratorJournal, type JournalRecord } from './generator-journal';
import { acquireLock, lockHolder, type Lock } from './generator-lock';
import {
  dayIn,
  generatorSettingsSchema,
  readSettings,
  readState,
  stateDirOf,
  writeSettings,
  writeState,
  type GeneratorSettings,
  type GeneratorSettingsInput,
  type GeneratorState,
} from './generator-settings';

export type { AttributeData, ObjectData } from './generator-items';

export interface GeneratorOptions {
  /** Unix seconds; tests move time on with it. */
  readonly now?: () => number;
  /** Signs manifest.json and SHA256SUMS at every flush. */
  readonly signer?: Signer | null;
  /** Templates for addObject; by default those of the settings' misp-objects folder, read at open. */
  readonly templates?: ReadonlyMap<string, ObjectTemplate>;
}

export interface Added {
  readonly uuid: string;
  /** The same type and value was already in today's event: its last_seen moved instead. */
  readonly merged: boolean;
}

export interface FlushReport {
  /** Days written anew (usually today alone). */
  readonly days: readonly { readonly date: string; readonly uuid: string; readonly attributes: number; readonly timestamp: number }[];
  readonly events: number;
  readonly ms: number;
}

export interface GeneratorStatus {
  readonly dir: string;
  readonly settings: GeneratorSettings;
  readonly events: number;
  readonly today: { readonly date: string; readonly uuid: string | null; readonly attributes: number; readonly pending: boolean };
  /** Templates loaded; null when only looked at from outside (peek). */
  readonly templates: number | null;
  /** The process writing the feed now, if any. */
  readonly writer: number | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Shared by every attribute without tags: a sensor's day holds a hundred thousand of them. */
const NO_TAGS: readonly Tag[] = Object.freeze([]);

let lastIso: { seconds: number; text: string } | null = null;

/** first_seen/last_seen as PyMISP prints them, from Unix seconds (asked for every item, mostly the same second). */
function isoOf(seconds: number): string {
  if (lastIso?.seconds !== seconds) lastIso = { seconds, text: `${new Date(seconds * 1000).toISOString().slice(0, 19)}+00:00` };
  return lastIso.text;
}

interface FeedOnDisk {
  readonly entries: Map<string, ManifestEntry>;
  readonly sums: Map<string, string>;
  readonly hashLines: Map<string, string>;
}

export class FeedGenerator {
  private readonly days = new Map<string, DayEvent>();
  private flushing: Promise<Result<FlushReport | null>> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly settings: GeneratorSettings,
    private readonly feed: FeedOnDisk,
    private readonly state: GeneratorState,
    private readonly templates: ReadonlyMap<string, ObjectTemplate>,
    private readonly lock: Lock,
    private readonly journal: GeneratorJournal | null,
    private readonly now: () => number,
    private readonly signer: Signer | null,
  ) {}

  /**
   * Makes `dir` a generated feed: its settings beside it, and an empty feed in it (manifest.json, hashes.csv,
   * SHA256SUMS), so a consumer pointed at it from the start sees a valid feed with no events. The folder must be
   * new, empty, or a feed; an existing generator's settings are only replaced with `replace`.
   */
  static async init(userDir: string, input: GeneratorSettingsInput, options: { replace?: boolean } = {}): Promise<Result<GeneratorSettings>> {
    const dir = resolve(userDir);
    const parsed = generatorSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return failure('invalid-input', `${first?.path.join('.') || 'settings'}: ${first?.message ?? 'invalid'}`, parsed.error.issues.map((i) => ({ severity: 'error' as const, code: 'generator.settings', path: i.path.join('.'), message: i.message })));
    }
    if (!options.replace && (await readSettings(dir)).ok) {
      return failure('conflict', `${userDir}: already a generated feed; its settings are kept (init again with --replace to change them)`);
    }
    if (parsed.data.templates) {
      const loaded = await loadObjectTemplates(parsed.data.templates);
      if (!loaded.ok) return failure('not-found', `--templates ${parsed.data.templates}: ${loaded.message}`);
    }
    const exists = await readPreviousFeed(dir);
    if (!exists.ok) return exists;
    if (!exists.value) {
      await mkdir(dirname(dir), { recursive: true });
      const target = await openTarget(dir);
      if (!target.ok) return target;
      const out = target.value;
      const manifest = Buffer.from(manifestText([]), 'utf8');
      await out.append('hashes.csv', '');
      const sums = new Map([['hashes.csv', await out.appendedSha256('hashes.csv')], ['manifest.json', sha256Hex(manifest)]]);
      await out.put('manifest.json', manifest);
      await out.put(CHECKSUMS_FILE, formatChecksums(sums));
      const committed = await out.commit();
      if (!committed.ok) return committed;
    }
    await writeSettings(dir, parsed.data);
    return success(parsed.data);
  }

  /** Opens a feed folder made by `ferry generate init`, resuming today's event and replaying the journal. */
  static async open(userDir: string, options: GeneratorOptions = {}): Promise<Result<FeedGenerator>> {
    const dir = resolve(userDir);
    const settings = await readSettings(dir);
    if (!settings.ok) return settings;
    const lock = await acquireLock(stateDirOf(dir), userDir);
    if (!lock.ok) return lock;
    const opened = await FeedGenerator.openLocked(dir, userDir, settings.value, lock.value, options);
    if (!opened.ok) await lock.value.release();
    return opened;
  }

  private static async openLocked(dir: string, userDir: string, settings: GeneratorSettings, lock: Lock, options: GeneratorOptions): Promise<Result<FeedGenerator>> {
    let templates = options.templates;
    if (!templates && settings.templates) {
      const loaded = await loadObjectTemplates(settings.templates);
      if (!loaded.ok) return failure('not-found', `${userDir}: the object templates given at init cannot be read: ${loaded.message}`);
      templates = loaded.templates;
    }
    // A flush killed between its two renames left the last complete feed beside the folder: put it back first.
    await restoreInterrupted(dir);
    const previous = await readPreviousFeed(dir);
    if (!previous.ok) return previous;
    const feed: FeedOnDisk = {
      entries: new Map(previous.value?.entries ?? []),
      sums: new Map(previous.value?.sums ?? []),
      hashLines: new Map(previous.value?.hashLines ?? []),
    };
    const state = await readState(dir);
    const journal = settings.journal ? await GeneratorJournal.open(stateDirOf(dir)) : null;
    const generator = new FeedGenerator(dir, settings, feed, state, templates ?? new Map(), lock, journal, options.now ?? nowSeconds, options.signer ?? null);
    const resumed = await generator.resumeDay(dayIn(settings.timeZone, generator.now()));
    if (!resumed.ok) return resumed;
    if (journal) generator.replay(await journal.records());
    return success(generator);
  }

  /**
   * Flush on an interval until close (the timer does not keep the process alive). A producer that feeds items
   * in a tight loop should also await flush() itself when one is due: the timer's flush shares the event loop with
   * the producer's input and can be starved by it.
   */
  flushEvery(seconds: number, onError: (error: { message: string }) => void = () => {}): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      void this.flush().then((r) => {
        if (!r.ok) onError(r.error);
      });
    }, seconds * 1000);
    this.timer.unref();
  }

  // ------------------------------------------------------------------------------------------------ items

  addAttribute(type: string, value: string, data: AttributeData = {}): Result<Added> {
    return this.accept(this.now(), { kind: 'attribute', uuid: randomUUID(), type, value, data });
  }

  addObject(template: string, fields: ObjectFields, data: ObjectData = {}): Result<Added> {
    return this.accept(this.now(), { kind: 'object', uuid: randomUUID(), template, fields, data });
  }

  /**
   * A sighting of an attribute of today's event, by uuid or value. MISP feeds carry no sightings, so it shows
   * the way a consumer can see it: the attribute's last_seen and timestamp move on; the count stays here.
   */
  addSighting(valueOrUuid: string): Result<Added> {
    return this.accept(this.now(), { kind: 'sighting', uuid: randomUUID(), target: valueOrUuid });
  }

  /** Checks and adds one item at time `at`, then journals it (the journal holds only what was accepted). */
  private accept(at: number, record: JournalRecord): Result<Added> {
    if (this.closed) return failure('unavailable', `${this.dir}: the generator is closed`);
    const added = this.apply(at, record);
    if (added.ok && this.journal) this.journal.append(at, record);
    return added;
  }

  private apply(at: number, record: JournalRecord): Result<Added> {
    const day = this.dayFor(at);
    switch (record.kind) {
      case 'attribute':
        return this.applyAttribute(day, at, record.uuid, record.type, record.value, record.data);
      case 'object':
        return this.applyObject(day, at, record.uuid, record.template, record.fields, record.data);
      case 'sighting':
        return this.applySighting(day, at, record.target);
      default: {
        const exhaustive: never = record;
        return exhaustive;
      }
    }
  }

  private applyAttribute(day: DayEvent, at: number, uuid: string, type: string, rawValue: unknown, data: AttributeData): Result<Added> {
    const info = typeInfo(type);
    if (!info) return failure('invalid-input', `${JSON.stringify(type)} is not a MISP attribute type`);
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number') return failure('invalid-input', `${type}: the value must be a string`);
    const checked = validateAttributeValue(type, String(rawValue));
    if (!checked.ok) return failure('invalid-input', `${type} ${JSON.stringify(String(rawValue).slice(0, 80))}: ${checked.reason}`);
    const category = data.category ?? info.defaultCategory;
    if (!(info.categories as readonly string[]).includes(category)) {
      return failure('invalid-input', `${type}: ${JSON.stringify(category)} is not one of its categories (${info.categories.join(', ')})`);
    }
    const seen = this.seenOf(data, at);
    if (!seen.ok) return seen;
    const distribution = this.distributionOf(data.distribution);
    if (!distribution.ok) return distribution;
    const value = checked.value;
    const same = this.settings.dedup ? day.findSame(type, value) : undefined;
    if (same) {
      day.replaceAttribute({ ...same, lastSeen: seen.value.lastSeen, timestamp: Math.max(at, same.timestamp) });
      return success({ uuid: same.uuid, merged: true });
    }
    if (day.has(uuid)) return success({ uuid, merged: true });
    const attribute: Attribute = {
      uuid,
      type,
      category,
      value,
      toIds: data.toIds ?? info.defaultToIds,
      comment: data.comment ?? '',
      timestamp: at,
      disableCorrelation: data.disableCorrelation ?? false,
      tags: data.tags ? data.tags.map((name) => ({ name, local: false })) : NO_TAGS,
      firstSeen: seen.value.firstSeen,
      lastSeen: seen.value.lastSeen,
      ...(distribution.value !== undefined ? { distribution: distribution.value } : {}),
    };
    day.addAttribute(attribute);
    return success({ uuid, merged: false });
  }

  private applyObject(day: DayEvent, at: number, uuid: string, name: string, fields: ObjectFields, data: ObjectData): Result<Added> {
    const template = this.templates.get(name);
    if (!template) {
      const where = this.settings.templates ? `in ${this.settings.templates}` : 'loaded (give --templates DIR at init: a misp-objects folder)';
      return failure('invalid-input', `no object template named ${JSON.stringify(name)} ${where}`);
    }
    if (day.has(uuid)) return success({ uuid, merged: true });
    const seen = this.seenOf(data, at);
    if (!seen.ok) return seen;
    const distribution = this.distributionOf(data.distribution);
    if (!distribution.ok) return distribution;
    // Object attribute uuids follow from the object's, so a replayed journal rebuilds the very same object.
    let n = 0;
    const built = buildObject(template, fields, {
      newUuid: () => (n++ === 0 ? uuid : randomUUID()),
      timestamp: at,
      ...(data.comment !== undefined ? { comment: data.comment } : {}),
      ...(distribution.value !== undefined ? { distribution: distribution.value } : {}),
      firstSeen: seen.value.firstSeen,
      lastSeen: seen.value.lastSeen,
    });
    if (!built.ok) return failure('invalid-input', `${name}: ${built.reasons.join('; ')}`);
    day.addObject(built.object);
    return success({ uuid: built.object.uuid, merged: false });
  }

  private applySighting(day: DayEvent, at: number, target: string): Result<Added> {
    const attribute = day.findForSighting(target);
    if (!attribute) return failure('invalid-input', `no attribute with the value or uuid ${JSON.stringify(target.slice(0, 80))} in today's event`);
    day.replaceAttribute({ ...attribute, lastSeen: isoOf(at), timestamp: Math.max(at, attribute.timestamp) });
    this.state.sightings[attribute.uuid] = (this.state.sightings[attribute.uuid] ?? 0) + 1;
    return success({ uuid: attribute.uuid, merged: true });
  }

  private seenOf(data: { readonly firstSeen?: string; readonly lastSeen?: string }, at: number): Result<{ firstSeen: string; lastSeen: string }> {
    const first = data.firstSeen === undefined ? isoOf(at) : pythonIsoDateTime(data.firstSeen);
    const last = data.lastSeen === undefined ? (data.firstSeen === undefined ? isoOf(at) : first) : pythonIsoDateTime(data.lastSeen);
    if (first === undefined) return failure('invalid-input', `first_seen ${JSON.stringify(data.firstSeen)} is not an ISO 8601 time`);
    if (last === undefined) return failure('invalid-input', `last_seen ${JSON.stringify(data.lastSeen)} is not an ISO 8601 time`);
    return success({ firstSeen: first, lastSeen: last });
  }

  private distributionOf(d: number | undefined): Result<Distribution | undefined> {
    if (d === undefined) return success(undefined);
    return isDistribution(d) ? success(d) : failure('invalid-input', `distribution ${d} is not 0-5`);
  }

  // ------------------------------------------------------------------------------------------------- days

  /** The event of the day `at` falls in, started when it has none yet. */
  private dayFor(at: number): DayEvent {
    const date = dayIn(this.settings.timeZone, at);
    const known = this.days.get(date);
    if (known) return known;
    const uuid = this.state.days[date] ?? randomUUID();
    this.state.days[date] = uuid;
    const day = new DayEvent(this.headFor(uuid, date, at));
    this.days.set(date, day);
    return day;
  }

  private headFor(uuid: string, date: string, timestamp: number): EventHead {
    const s = this.settings;
    return {
      uuid,
      info: s.info.replaceAll('{date}', date),
      date,
      timestamp,
      publishTimestamp: timestamp,
      published: true,
      analysis: s.analysis,
      threatLevelId: s.threatLevel,
      distribution: s.distribution,
      extendsUuid: '',
      protected: false,
      orgc: { name: s.org.name, uuid: s.org.uuid },
      tags: s.tags.map((name) => ({ name, local: false })),
    };
  }

  /**
   * Today's event as the folder has it, when it has one: read back through the format core, its items laid out
   * again. Costs the event's size once, at open.
   */
  private async resumeDay(date: string): Promise<Result<void>> {
    const uuid = this.state.days[date] ?? [...this.feed.entries.values()].find((e) => e.date === date && e.info === this.settings.info.replaceAll('{date}', date))?.uuid;
    if (!uuid || !this.feed.entries.has(uuid)) return success(undefined);
    const file = join(this.dir, `${uuid}.json`);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) return failure('unavailable', `${file}: today's event is in the manifest but its file cannot be read`);
    const read = readEvent(text, { file, keepRawValues: true });
    const event = read.value;
    if (!event) return failure('invalid-input', `${file}: today's event cannot be read back: ${read.issues[0]?.message ?? 'not an event'}`);
    this.state.days[date] = uuid;
    const day = new DayEvent({ ...this.headFor(uuid, date, event.timestamp), info: event.info, tags: event.tags, publishTimestamp: event.publishTimestamp });
    for (const a of event.attributes) day.addAttribute(a);
    for (const o of event.objects) day.addObject(o);
    day.flushedVersion = day.version;
    this.days.set(date, day);
    return success(undefined);
  }

  /** Items journaled before a kill and not flushed since; those already in the folder are recognised by uuid. */
  private replay(records: readonly { at: number; record: JournalRecord }[]): void {
    for (const r of records) {
      const day = this.dayFor(r.at);
      if (r.record.kind !== 'sighting' && day.has(r.record.uuid)) continue;
      // A record was checked when it was first accepted; one refused now (templates changed) is dropped, not fatal.
      this.apply(r.at, r.record);
    }
  }

  // ------------------------------------------------------------------------------------------------ flush

  /** Writes every changed day, the manifest, hashes.csv, SHA256SUMS (and signatures); null when nothing changed. */
  async flush(): Promise<Result<FlushReport | null>> {
    // One flush at a time; one asked for meanwhile runs after it (items may have come in since it began).
    const previous = this.flushing;
    const run = (async () => {
      if (previous) await previous;
      return this.flushNow();
    })();
    this.flushing = run;
    try {
      return await run;
    } finally {
      if (this.flushing === run) this.flushing = null;
    }
  }

  private async flushNow(): Promise<Result<FlushReport | null>> {
    const dirty = [...this.days.values()].filter((d) => d.dirty);
    if (dirty.length === 0) return success(null);
    const started = performance.now();
    const now = this.now();
    const journaled = this.journal?.position() ?? 0;
    // Laid out now, synchronously: items added while the files are written go to the next flush.
    const written = dirty.map((day) => {
      const version = day.version;
      const head = day.touch(now);
      const bytes = day.fileChunks();
      return { day, version, head, bytes, sha256: sha256Hex(bytes), hashText: day.hashText() };
    });
    const target = await openTarget(this.dir);
    if (!target.ok) return target;
    const out = target.value;
    try {
      const entries = new Map(this.feed.entries);
      const sums = new Map<string, string>();
      const hashLines = new Map(this.feed.hashLines);
      const fresh = new Map(written.map((w) => [w.head.uuid, w]));
      for (const w of written) {
        entries.set(w.head.uuid, { ...manifestEntryOf({ ...w.head, attributes: [], objects: [], reports: [] }), sha256: w.sha256 });
        hashLines.set(w.head.uuid, w.hashText);
      }
      for (const entry of entries.values()) {
        const name = `${entry.uuid}.json`;
        const mine = fresh.get(entry.uuid);
        if (mine) {
          await out.put(name, mine.bytes);
          sums.set(name, mine.sha256);
        } else {
          await out.adopt(name, join(this.dir, name));
          const sum = this.feed.sums.get(name) ?? entry.sha256;
          if (sum) sums.set(name, sum);
        }
        await out.append('hashes.csv', hashLines.get(entry.uuid) ?? '');
      }
      await out.append('hashes.csv', '');
      sums.set('hashes.csv', await out.appendedSha256('hashes.csv'));
      const manifest = Buffer.from(manifestText(entries.values()), 'utf8');
      sums.set('manifest.json', sha256Hex(manifest));
      await out.put('manifest.json', manifest);
      const checksums = Buffer.from(formatChecksums(sums), 'utf8');
      await out.put(CHECKSUMS_FILE, checksums);
      if (this.signer) {
        for (const [name, bytes] of [['manifest.json.asc', manifest], [`${CHECKSUMS_FILE}.asc`, checksums]] as const) {
          const signature = await this.signer.sign(bytes);
          if (!signature.ok) {
            await out.discard();
            return signature;
          }
          await out.put(name, signature.value);
        }
      }
      const committed = await out.commit();
      if (!committed.ok) return committed;
      this.feed.entries.clear();
      for (const [k, v] of entries) this.feed.entries.set(k, v);
      this.feed.hashLines.clear();
      for (const [k, v] of hashLines) this.feed.hashLines.set(k, v);
      this.feed.sums.clear();
      for (const [k, v] of sums) this.feed.sums.set(k, v);
      for (const w of written) w.day.flushedVersion = w.version;
      await writeState(this.dir, this.state);
      // What was journaled before the layout is in the folder now; what came in during the write stays.
      this.journal?.flushedUpTo(journaled);
      // Past days are done with once written; today's stays for more.
      const today = dayIn(this.settings.timeZone, this.now());
      for (const [date, day] of this.days) if (date !== today && !day.dirty) this.days.delete(date);
      return success({
        days: written.map((w) => ({ date: w.head.date, uuid: w.head.uuid, attributes: w.day.attributeCount, timestamp: w.head.timestamp })),
        events: entries.size,
        ms: performance.now() - started,
      });
    } catch (e) {
      await out.discard();
      return failure('unavailable', `${this.dir}: the flush failed and the feed is as it was: ${(e as Error).message}`);
    }
  }

  status(): GeneratorStatus {
    const date = dayIn(this.settings.timeZone, this.now());
    const day = this.days.get(date);
    return {
      dir: this.dir,
      settings: this.settings,
      events: this.feed.entries.size,
      today: { date, uuid: day?.uuid ?? null, attributes: day?.attributeCount ?? 0, pending: day?.dirty ?? false },
      templates: this.templates.size,
      writer: process.pid,
    };
  }

  /**
   * The status of a generated feed without opening it (no lock taken), so it can be asked while another process
   * writes it: what the folder holds, and whether items wait in the journal.
   */
  static async peek(userDir: string, now: number = nowSeconds()): Promise<Result<GeneratorStatus>> {
    const dir = resolve(userDir);
    const settings = await readSettings(dir);
    if (!settings.ok) return settings;
    // Only a dead writer's set-aside feed is put back (restoreInterrupted leaves a live one's alone).
    await restoreInterrupted(dir);
    const previous = await readPreviousFeed(dir);
    if (!previous.ok) return previous;
    const state = await readState(dir);
    const date = dayIn(settings.value.timeZone, now);
    const uuid = state.days[date];
    let attributes = 0;
    if (uuid && previous.value?.entries.has(uuid)) {
      const text = await readFile(join(dir, `${uuid}.json`), 'utf8').catch(() => null);
      const event = text === null ? null : readEvent(text, { keepRawValues: true }).value;
      attributes = (event?.attributes.length ?? 0) + (event?.objects.reduce((n, o) => n + o.attributes.length, 0) ?? 0);
    }
    const journal = await readFile(join(stateDirOf(dir), 'journal.ndjson'), 'utf8').catch(() => '');
    return success({
      dir,
      settings: settings.value,
      events: previous.value?.entries.size ?? 0,
      today: { date, uuid: uuid && previous.value?.entries.has(uuid) ? uuid : null, attributes, pending: journal.trim() !== '' },
      templates: null,
      writer: await lockHolder(stateDirOf(dir)),
    });
  }

  /** Flushes what is pending and lets the folder go. */
  async close(): Promise<Result<FlushReport | null>> {
    if (this.closed) return success(null);
    if (this.timer) clearInterval(this.timer);
    const flushed = await this.flush();
    this.closed = true;
    await this.journal?.close();
    await this.lock.release();
    return flushed;
  }
}
