/**
 * A quick look at the head of hashes.csv when a feed is opened for preview or fetch (which do not use it), so that
 * a file MISP would misread — swapped columns, not md5,uuid at all — is reported before it is ever cached.
 */
import { createHashesReader } from '../../../shared/feed/hashes-csv';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { FeedSource } from './feed-source';

const HEAD_BYTES = 256 * 1024;

export async function inspectHashesHead(source: FeedSource, name: string): Promise<Issue[]> {
  const stream = await source.stream(name);
  if (!stream.ok) return [issue('warning', 'hashes.unreadable', name, stream.error.message)];
  let text = '';
  let complete = true;
  try {
    for await (const chunk of stream.value) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length >= HEAD_BYTES) {
        complete = false;
        break;
      }
    }
  } catch (e) {
    return [issue('warning', 'hashes.unreadable', name, (e as Error).message)];
  } finally {
    stream.value.destroy();
  }
  // Only whole lines: the last one may have been cut by the byte limit.
  if (!complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
  const reader = createHashesReader({ file: name, onEntry: () => {} });
  reader.chunk(text);
  const summary = reader.end();
  const issues = [...summary.issues];
  if (summary.entries === 0 && summary.lines > 0) {
    issues.push(issue('warning', 'hashes.unusable', name, 'no line is md5,event_uuid: caching would have to read the events instead'));
  }
  if (!complete && issues.length > 0) {
    issues.push(issue('info', 'hashes.head-only', name, `checked the first ${summary.lines} lines only; caching reads the whole file`));
  }
  return issues;
}
