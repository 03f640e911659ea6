/**
 * Everything about one event that needs no database: parse, check against its manifest entry, shape it by the feed's
 * settings, apply the feed's rules. Pure, so it can run on a worker thread (parse-worker.ts) while the main thread
 * writes the previous events.
 */
import { readEvent, streamEvent, type EventItemSink } from '../../../shared/feed/event-reader';
import { applyFeedSettings } from '../../../shared/feed/feed-import';
import { compileEventFilter, feedRulesToFilterSpec, subjectFromEvent, type CompiledEventFilter } from '../../../shared/feed/filters';
import { hasErrors, issue, type Issue } from '../../../shared/feed/issues';
import type { Attribute } from '../../../shared/model/attribute';
import type { Event } from '../../../shared/model/event';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { MispObject } from '../../../shared/model/object';
import type { ImportReport } from '../db/queries/import-runs';

export type ImportItem = ImportReport['items'][number];

/** An event read, checked and shaped by the feed's settings, ready to be written. */
export interface PreparedEvent {
  readonly event: Event;
  readonly fileName: string;
  readonly base: { uuid: string; info: string; attributes: number };
  readonly issues: readonly Issue[];
}

export interface EntryRef {
  readonly uuid: string;
  readonly info: string;
}

export function compileFeedRules(feed: FeedSettings, issues: Issue[]): CompiledEventFilter {
  const spec = feedRulesToFilterSpec(feed.rules, 'feed.rules');
  issues.push(...spec.issues);
  return compileEventFilter(spec.value);
}

/** An ImportItem when the event goes no further (rejected, filtered), else the prepared event. */
export function prepareEventText(entry: EntryRef, fileName: string, text: string, feed: FeedSettings, rules: CompiledEventFilter): ImportItem | PreparedEvent {
  const base = { uuid: entry.uuid, info: entry.info, attributes: 0 };
  // Unless the feed keeps each event's own distribution (5), MISP sets every item to 5: done while reading.
  const parsed = readEvent(text, { file: fileName, ...(feed.distribution !== 5 ? { itemDistribution: 5 as const } : {}) });
  const issues = [...parsed.issues];
  if (!parsed.value || hasErrors(issues)) return { ...base, outcome: 'rejected', issues };
  if (parsed.value.uuid !== entry.uuid) {
    issues.push(issue('error', 'feed.uuid-mismatch', `${fileName}#/Event/uuid`, `the file holds event ${parsed.value.uuid}, not ${entry.uuid}`));
    return { ...base, outcome: 'rejected', issues };
  }
  const event = applyFeedSettings(parsed.value, feed);
  if (!rules.isEmpty && !rules.matches(subjectFromEvent(event))) return { ...base, outcome: 'filtered', issues };
  return { event, fileName, base, issues };
}

export function isPrepared(x: ImportItem | PreparedEvent): x is PreparedEvent {
  return 'event' in x;
}

/**
 * An event checked up to its items (see prepareEventStream): what goes in the event row is known, the attributes,
 * objects and reports are still to be read, one by one.
 */
export interface PreparedStream {
  /** The event shaped by the feed's settings, with empty `attributes`, `objects` and `reports`. */
  readonly header: Event;
  readonly fileName: string;
  readonly base: { uuid: string; info: string; attributes: number };
  /**
   * Hands the items to `sink` in document order, shaped by the feed's settings like applyFeedSettings shapes a
   * whole event, and returns the event's issues (the same as prepareEventText's for the same text). Once only.
   */
  readItems(sink: EventItemSink): Issue[];
}

const INHERIT = 5 as const;
const inheritAttribute = (a: Attribute): Attribute => (a.distribution === INHERIT ? a : { ...a, distribution: INHERIT });
const inheritObject = (o: MispObject): MispObject =>
  o.distribution === INHERIT && o.attributes.every((a) => a.distribution === INHERIT) ? o : { ...o, distribution: INHERIT, attributes: o.attributes.map(inheritAttribute) };

/**
 * prepareEventText for large events: the same decisions (rejected, filtered, or prepared) and the same issues, but
 * the items are not collected into a model event: readItems hands them over as they are validated, and the parsed
 * JSON is released item by item. `text` is a function so that the caller need not hold the text: it is freed once
 * parsed. (A rejected or filtered event still has its items read, for their issues.)
 */
export function prepareEventStream(entry: EntryRef, fileName: string, text: () => string, feed: FeedSettings, rules: CompiledEventFilter): ImportItem | PreparedStream {
  const base = { uuid: entry.uuid, info: entry.info, attributes: 0 };
  const parsed = streamEvent(text, { file: fileName, ...(feed.distribution !== 5 ? { itemDistribution: 5 as const } : {}) });
  const stream = parsed.value;
  const ignore: EventItemSink = { attribute: () => {}, object: () => {}, report: () => {} };
  if (!stream) return { ...base, outcome: 'rejected', issues: [...parsed.issues] };
  if (stream.header.uuid !== entry.uuid) {
    const issues = stream.readItems(ignore);
    issues.push(issue('error', 'feed.uuid-mismatch', `${fileName}#/Event/uuid`, `the file holds event ${stream.header.uuid}, not ${entry.uuid}`));
    return { ...base, outcome: 'rejected', issues };
  }
  // applyFeedSettings on an event without items shapes the event's own fields; the items are shaped as they come,
  // the way its inheritAll would (only when the feed does not keep the event's own distribution).
  const header = applyFeedSettings(stream.header, feed);
  const inherit = !(feed.distribution === INHERIT && stream.header.distribution !== undefined);
  if (!rules.isEmpty && !rules.matches(subjectFromEvent(header))) return { ...base, outcome: 'filtered', issues: stream.readItems(ignore) };
  return {
    header,
    fileName,
    base,
    readItems: (sink) =>
      stream.readItems(
        inherit
          ? { attribute: (a) => sink.attribute(inheritAttribute(a)), object: (o) => sink.object(inheritObject(o)), report: (r) => sink.report(r) }
          : sink,
      ),
  };
}
