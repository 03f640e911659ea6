/**
 * Everything about one event that needs no database: parse, check against its manifest entry, shape it by the feed's
 * settings, apply the feed's rules. Pure, so it can run on a worker thread (parse-worker.ts) while the main thread
 * writes the previous events.
 */
import { readEvent } from '../../../shared/feed/event-reader';
import { applyFeedSettings } from '../../../shared/feed/feed-import';
import { compileEventFilter, feedRulesToFilterSpec, subjectFromEvent, type CompiledEventFilter } from '../../../shared/feed/filters';
import { hasErrors, issue, type Issue } from '../../../shared/feed/issues';
import type { Event } from '../../../shared/model/event';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { ImportReport } from './import-log';

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
