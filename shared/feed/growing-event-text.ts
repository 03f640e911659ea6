/**
 * The file of an event that only grows — a feed generator's day event — kept so that adding an item costs the
 * item, not the event: each attribute and object is laid out once, when it is added or changed, and the file is
 * those pieces put together under the event's own fields. The bytes are exactly what feedEventText gives for the
 * same event (tests hold it to that), so a generated feed reads like an exported one.
 *
 * The pieces are UTF-8 bytes packed into large blocks, not strings: a hundred thousand small strings cost V8 several
 * times their length, and the file is written as bytes anyway.
 *
 * Only events without reports, cryptographic keys or analyst data are built this way: those lists would follow
 * Object, and a generator never makes them.
 */
import type { Attribute } from '../model/attribute';
import type { Event, Orgc } from '../model/event';
import type { MispObject } from '../model/object';
import { attributeJson, feedEventJson, objectJson } from './feed-json';
import { pyJsonDumps, type PyJson } from './py-json';

/** An item's lines inside `{"Event": {"Attribute": [ … ]}}`: three levels of two spaces. */
const ITEM_INDENT = '      ';

function itemText(json: PyJson): string {
  return ITEM_INDENT + pyJsonDumps(json, 2).replace(/\n/g, `\n${ITEM_INDENT}`);
}

/** The event's own fields, tags and creator org, without items. */
export type EventHead = Omit<Event, 'attributes' | 'objects' | 'reports'> & { readonly orgc: Orgc };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const BLOCK = 1 << 20;

/**
 * Items' bytes appended into 1 MiB blocks, each followed by the `,\n` that separates it from the next, so that
 * items added one after another lie side by side and the file is a few large runs of memory, written and hashed
 * without being copied together. Each item is found again by block, start and length (separator included).
 */
class Pieces {
  private readonly blocks: Uint8Array[] = [];
  private used = BLOCK;
  private readonly where: number[] = [];

  get count(): number {
    return this.where.length / 3;
  }

  private store(text: string): [number, number, number] {
    const item = `${text},\n`;
    for (;;) {
      const block = this.blocks[this.blocks.length - 1];
      if (block && this.used < block.length) {
        const { read, written } = encoder.encodeInto(item, block.subarray(this.used));
        if (read === item.length) {
          const start = this.used;
          this.used += written;
          return [this.blocks.length - 1, start, written];
        }
      }
      // Three bytes per UTF-16 unit is the most UTF-8 can need.
      this.blocks.push(new Uint8Array(Math.max(BLOCK, item.length * 3)));
      this.used = 0;
    }
  }

  add(text: string): number {
    this.where.push(...this.store(text));
    return this.count - 1;
  }

  /** A piece changed: its new bytes go at the end of the blocks; the old ones are left unused. */
  set(place: number, text: string): void {
    const [block, start, length] = this.store(text);
    this.where[place * 3] = block;
    this.where[place * 3 + 1] = start;
    this.where[place * 3 + 2] = length;
  }

  /** One item's text as laid out (indented, without its separator). */
  textAt(place: number): string {
    const block = this.blocks[this.where[place * 3]!]!;
    const start = this.where[place * 3 + 1]!;
    return decoder.decode(block.subarray(start, start + this.where[place * 3 + 2]! - SEPARATOR_BYTES));
  }

  /** The items in order as runs of adjacent memory, without the last item's separator. */
  runs(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let block = -1;
    let start = 0;
    let end = 0;
    const last = this.where.length - 3;
    for (let i = 0; i <= last; i += 3) {
      const b = this.where[i]!;
      const s = this.where[i + 1]!;
      const e = s + this.where[i + 2]! - (i === last ? SEPARATOR_BYTES : 0);
      if (b === block && s === end) {
        end = e;
        continue;
      }
      if (block >= 0) out.push(this.blocks[block]!.subarray(start, end));
      block = b;
      start = s;
      end = e;
    }
    if (block >= 0) out.push(this.blocks[block]!.subarray(start, end));
    return out;
  }
}

const SEPARATOR_BYTES = 2;
const ATTRIBUTES_OPEN = encoder.encode(',\n    "Attribute": [\n');
const OBJECTS_OPEN = encoder.encode(',\n    "Object": [\n');
const LIST_CLOSE = encoder.encode('\n    ]');
const EVENT_CLOSE = '\n  }\n}';

export class GrowingEventText {
  private readonly attributes = new Pieces();
  private readonly objects = new Pieces();

  get attributeCount(): number {
    return this.attributes.count;
  }

  /** Lays out a new attribute; returns its place, for setAttribute. */
  addAttribute(a: Attribute): number {
    return this.attributes.add(itemText(attributeJson(a)));
  }

  /** The attribute at `place` changed (a later sighting moved its last_seen). */
  setAttribute(place: number, a: Attribute): void {
    this.attributes.set(place, itemText(attributeJson(a)));
  }

  addObject(o: MispObject): void {
    this.objects.add(itemText(objectJson(o)));
  }

  /** The feed JSON of the attribute at `place`, read back from its bytes (a caller that keeps no model copy). */
  attributeJsonAt(place: number): unknown {
    return JSON.parse(this.attributes.textAt(place));
  }

  /**
   * The whole file under `head`, as UTF-8 pieces to write one after the other (views of the items' blocks, not
   * copies): what feedEventText writes for the head with these items.
   */
  chunks(head: EventHead): Uint8Array[] {
    const shell = pyJsonDumps(feedEventJson({ ...head, attributes: [], objects: [], reports: [] }), 2);
    // The shell ends with the event's Tag list, then "\n  }\n}"; the item lists go between.
    if (!shell.endsWith(EVENT_CLOSE)) throw new Error('GrowingEventText: the event layout is not the one expected');
    const out = [encoder.encode(shell.slice(0, -EVENT_CLOSE.length))];
    for (const [pieces, open] of [
      [this.attributes, ATTRIBUTES_OPEN],
      [this.objects, OBJECTS_OPEN],
    ] as const) {
      if (pieces.count === 0) continue;
      out.push(open, ...pieces.runs(), LIST_CLOSE);
    }
    out.push(encoder.encode(EVENT_CLOSE));
    return out;
  }

  /** The file as one string (tests, small events). */
  text(head: EventHead): string {
    return this.chunks(head).map((c) => decoder.decode(c)).join('');
  }
}
