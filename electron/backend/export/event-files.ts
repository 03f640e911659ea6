/**
 * One stored event, from its rows to what the feed gets of it: its file's bytes, its manifest entry, its
 * hashes.csv lines and its checksum. Pure but for hashing, so it runs the same on an export worker thread
 * (export-worker.ts) as on the engine's own.
 */
import { hash } from 'node:crypto';
import { writeFeedEvent } from '../../../shared/feed/event-writer';
import type { HashMode } from '../../../shared/feed/event-hashes';
import { formatHashLine } from '../../../shared/feed/hashes-csv';
import type { Issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { Event } from '../../../shared/model/event';
import type { Distribution } from '../../../shared/model/levels';
import { eventFromRows, type EventRows } from '../db/queries/event-load';

/** The writing options, as plain data (they cross to a worker). */
export interface FileOptions {
  readonly keepLocalTags: boolean;
  readonly hashMode: HashMode;
  /** Absent: every level. */
  readonly validDistributions?: readonly Distribution[];
  readonly excludeTypes: readonly string[];
}

export type EventFiles =
  | { readonly status: 'skipped'; readonly uuid: string }
  | { readonly status: 'invalid'; readonly uuid: string; readonly info: string; readonly issues: readonly Issue[] }
  | {
      readonly status: 'written';
      readonly uuid: string;
      readonly fileName: string;
      readonly bytes: Uint8Array;
      readonly sha256: string;
      readonly manifestEntry: ManifestEntry;
      /** Its hashes.csv lines, with their newlines. */
      readonly hashLines: string;
      readonly hashCount: number;
      readonly attributes: number;
      readonly issues: readonly Issue[];
    };

// One-shot hashing: a Hash object per value costs more than the digest itself, and hashes.csv has one per value.
const md5 = (text: string) => hash('md5', text, 'hex');

/** The event without the excluded attribute types; an object left with no attribute goes too (MISP refuses it). */
export function withoutTypes(event: Event, types: ReadonlySet<string>): Event {
  if (types.size === 0) return event;
  const keep = (a: { readonly type: string }) => !types.has(a.type);
  return {
    ...event,
    attributes: event.attributes.filter(keep),
    objects: event.objects.flatMap((o) => {
      const attributes = o.attributes.filter(keep);
      return attributes.length === 0 && o.attributes.length > 0 ? [] : [{ ...o, attributes }];
    }),
  };
}

export function eventFiles(event: Event, options: FileOptions): EventFiles {
  const result = writeFeedEvent(withoutTypes(event, new Set(options.excludeTypes)), {
    md5,
    keepLocalTags: options.keepLocalTags,
    hashMode: options.hashMode,
    // Stored values passed the format core's checks when they were imported or typed (see FeedWriteOptions).
    valuesChecked: true,
    ...(options.validDistributions ? { validDistributions: options.validDistributions } : {}),
  });
  switch (result.status) {
    case 'skipped':
      return { status: 'skipped', uuid: event.uuid };
    case 'invalid':
      return { status: 'invalid', uuid: event.uuid, info: event.info, issues: result.issues };
    case 'written': {
      const files = result.value;
      const bytes = Buffer.from(files.text, 'utf8');
      let hashLines = '';
      for (const h of files.hashes) hashLines += formatHashLine(h);
      return {
        status: 'written',
        uuid: event.uuid,
        fileName: files.fileName,
        bytes,
        sha256: hash('sha256', bytes, 'hex'),
        manifestEntry: files.manifestEntry,
        hashLines,
        hashCount: files.hashes.length,
        attributes: files.event.attributes.length + files.event.objects.reduce((n, o) => n + o.attributes.length, 0),
        issues: result.issues,
      };
    }
    default: {
      const exhaustive: never = result;
      return exhaustive;
    }
  }
}

export function eventFilesFromRows(rows: EventRows, options: FileOptions): EventFiles {
  return eventFiles(eventFromRows(rows).event, options);
}
