/**
 * One day's event of a generated feed, held in memory while the generator runs: its items, their laid-out text
 * (GrowingEventText), their hashes.csv lines and the indexes that dedup and sightings look things up by. Items
 * only ever come in checked (feed-generator.ts validates them), so nothing here judges a value.
 */
import { hash } from 'node:crypto';
import { pymispParts } from '../../../shared/feed/event-hashes';
import { GrowingEventText, type EventHead } from '../../../shared/feed/growing-event-text';
import type { Attribute } from '../../../shared/model/attribute';
import { readAttribute } from '../../../shared/feed/event-reader-items';
import { IssueLog } from '../../../shared/feed/issue-log';
import type { MispObject } from '../../../shared/model/object';

const md5 = (text: string) => hash('md5', text, 'hex');

/** Text appended piece by piece, held as a few large strings. */
class TextChunks {
  private readonly done: string[] = [];
  private current = '';
  private pieces = 0;

  push(text: string): void {
    this.current += text;
    if (++this.pieces % 1024 === 0) {
      // Reading a character makes V8 flatten the rope of a thousand pieces into one string, and the pieces go.
      this.current.charCodeAt(0);
      this.done.push(this.current);
      this.current = '';
    }
  }

  text(): string {
    return this.done.join('') + this.current;
  }
}

export class DayEvent {
  /**
   * No model copy of the items is kept: their laid-out bytes are the record, and the rare attribute that changes
   * (dedup, a sighting) is read back from them. Per attribute only its type stays, for dedup (types are interned).
   */
  private readonly types: string[] = [];
  private readonly typeNames = new Map<string, string>();
  private objectAttributes = 0;
  private readonly text = new GrowingEventText();
  /**
   * Places of top-level attributes by value (the value strings are the attributes' own, so the index adds no
   * strings): a number for the usual one attribute, a list when several types share a value.
   */
  private readonly byValue = new Map<string, number | number[]>();
  private readonly byUuid = new Map<string, number>();
  /** Uuids of objects and their attributes: taken, so a replayed journal does not add them twice. */
  private readonly objectUuids = new Set<string>();
  /** hashes.csv lines, gathered into strings of about a thousand lines (one string per line costs its header). */
  private readonly attributeHashLines = new TextChunks();
  private readonly objectHashLines = new TextChunks();
  /** Bumped by every change; a flush writes the day when it differs from what was last written. */
  version = 0;
  flushedVersion = 0;

  constructor(
    private head: EventHead,
  ) {}

  get uuid(): string {
    return this.head.uuid;
  }

  get attributeCount(): number {
    return this.types.length + this.objectAttributes;
  }

  get dirty(): boolean {
    return this.version !== this.flushedVersion;
  }

  has(uuid: string): boolean {
    return this.byUuid.has(uuid) || this.objectUuids.has(uuid);
  }

  private placesOf(value: string): readonly number[] {
    const places = this.byValue.get(value);
    return places === undefined ? [] : typeof places === 'number' ? [places] : places;
  }

  /** The attribute at `place`, read back from its bytes. */
  private attributeAt(place: number): Attribute {
    const log = new IssueLog('generator', 1);
    const a = readAttribute(this.text.attributeJsonAt(place), '', { log, keepRawValues: true, fallbackTimestamp: this.head.timestamp, claimed: new Map() }, false);
    if (!a) throw new Error(`DayEvent: attribute ${place} cannot be read back`);
    return a;
  }

  /** The top-level attribute with this type and value, for dedup. */
  findSame(type: string, value: string): Attribute | undefined {
    for (const place of this.placesOf(value)) if (this.types[place] === type) return this.attributeAt(place);
    return undefined;
  }

  /** A top-level attribute by uuid, or else by value (the first one added with it). */
  findForSighting(valueOrUuid: string): Attribute | undefined {
    const place = this.byUuid.get(valueOrUuid.toLowerCase()) ?? this.placesOf(valueOrUuid)[0];
    return place === undefined ? undefined : this.attributeAt(place);
  }

  addAttribute(a: Attribute): void {
    const place = this.text.addAttribute(a);
    let type = this.typeNames.get(a.type);
    if (type === undefined) this.typeNames.set(a.type, (type = a.type));
    this.types.push(type);
    this.byUuid.set(a.uuid, place);
    const before = this.byValue.get(a.value);
    this.byValue.set(a.value, before === undefined ? place : typeof before === 'number' ? [before, place] : [...before, place]);
    this.attributeHashLines.push(this.linesOf([a]));
    this.version++;
  }

  /** A changed copy of an attribute already here (same uuid, type and value: its hashes.csv lines stay). */
  replaceAttribute(a: Attribute): void {
    const place = this.byUuid.get(a.uuid);
    if (place === undefined) throw new Error(`DayEvent: no attribute ${a.uuid}`);
    this.text.setAttribute(place, a);
    this.version++;
  }

  addObject(o: MispObject): void {
    this.text.addObject(o);
    this.objectAttributes += o.attributes.length;
    this.objectUuids.add(o.uuid);
    for (const a of o.attributes) this.objectUuids.add(a.uuid);
    this.objectHashLines.push(this.linesOf(o.attributes));
    this.version++;
  }

  /**
   * PyMISP's hashes.csv lines (md5 of each value, composite parts apart), as the export writes them by default;
   * event-hashes.ts's rule, without building an event per item a sensor sends.
   */
  private linesOf(attributes: readonly Attribute[]): string {
    let out = '';
    for (const a of attributes) {
      for (const part of pymispParts(a.type, a.value)) out += `${md5(part)},${this.head.uuid}\n`;
    }
    return out;
  }

  /** The event's head for the next file: its timestamps moved past anything a consumer already pulled. */
  touch(now: number): EventHead {
    const timestamp = Math.max(now, this.head.timestamp + 1);
    this.head = { ...this.head, timestamp, publishTimestamp: timestamp };
    return this.head;
  }

  /** The event file as it stands, UTF-8, in pieces to write one after the other. */
  fileChunks(): Uint8Array[] {
    return this.text.chunks(this.head);
  }

  /** hashes.csv lines: top-level attributes first, then object attributes, as PyMISP orders them. */
  hashText(): string {
    return this.attributeHashLines.text() + this.objectHashLines.text();
  }
}
