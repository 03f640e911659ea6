/**
 * Worker thread: turns event files into prepared events (see prepare-event.ts) so that parsing and validating, about
 * a third of a large import, runs on the second core while the main thread writes to SQLite. Answers are JSON text:
 * one string crosses threads far faster than a structured clone of a million small objects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { issue } from '../../../shared/feed/issues';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import { compileFeedRules, prepareEventText, type ImportItem, type PreparedEvent } from './prepare-event';

export interface ParseRequest {
  readonly id: number;
  readonly uuid: string;
  readonly info: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface ParseResponse {
  readonly id: number;
  /** JSON of ImportItem | PreparedEvent. */
  readonly json: string;
}

const port = parentPort;
if (port) {
  const feed = (workerData as { feed: FeedSettings }).feed;
  const rules = compileFeedRules(feed, []);
  const decoder = new TextDecoder('utf-8');
  port.on('message', (m: ParseRequest) => {
    let result: ImportItem | PreparedEvent;
    try {
      result = prepareEventText({ uuid: m.uuid, info: m.info }, m.fileName, decoder.decode(m.bytes), feed, rules);
    } catch (e) {
      result = { uuid: m.uuid, info: m.info, attributes: 0, outcome: 'rejected', issues: [issue('error', 'import.prepare-failed', m.fileName, String((e as Error).message))] };
    }
    port.postMessage({ id: m.id, json: JSON.stringify(result) } satisfies ParseResponse);
  });
}
