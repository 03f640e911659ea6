// The real-world corpus in ../shared/fixtures: every feed and event must read, every known deviation listed
// in fixtures/SOURCES.md must surface as an issue, and what we write must read back the same.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvent } from '../../../shared/feed/event-reader';
import { prepareFeedEvent, writeFeedEvent } from '../../../shared/feed/event-writer';
import { manifestText } from '../../../shared/feed/feed-json';
import { formatHashes, parseHashesCsv } from '../../../shared/feed/hashes-csv';
import { hasErrors, type Issue } from '../../../shared/feed/issues';
import { checkFeedListing, compareWithManifest, parseManifest } from '../../../shared/feed/manifest';
import { allAttributes, countAttributes, type Event } from '../../../shared/model';
import { hasShared, needsShared } from '../../support/shared-data';
import { eventExportFiles, feedDir, feedEventFiles, FEEDS, md5, readEventExport, readFeedFile, type FeedName } from './fixture-files';

function codes(issues: readonly Issue[]): string[] {
  return [...new Set(issues.map((i) => i.code))].sort();
}

function readFeed(feed: FeedName): { events: Map<string, Event>; issues: Issue[] } {
  const events = new Map<string, Event>();
  const issues: Issue[] = [];
  for (const file of feedEventFiles(feed)) {
    const parsed = readEvent(readFeedFile(feed, file), { file });
    issues.push(...parsed.issues);
    if (parsed.value) events.set(file, parsed.value);
  }
  return { events, issues };
}

describe.skipIf(!hasShared)('fixture feeds read' + needsShared, () => {
  const feeds = new Map(hasShared ? FEEDS.map((f) => [f, readFeed(f)] as const) : []);

  it.each(FEEDS)('%s: every event file reads without errors and matches its manifest entry', (feed) => {
    const { events, issues } = feeds.get(feed) ?? { events: new Map(), issues: [] };
    expect(events.size).toBe(feedEventFiles(feed).length);
    expect(hasErrors(issues)).toBe(false);
    const manifest = parseManifest(readFeedFile(feed, 'manifest.json'));
    expect(hasErrors(manifest.issues)).toBe(false);
    expect(manifest.value.entries).toHaveLength(events.size);
    for (const entry of manifest.value.entries) {
      const event = events.get(`${entry.uuid}.json`);
      expect(event, entry.uuid).toBeDefined();
      if (event) expect(compareWithManifest(entry, event)).toEqual([]);
    }
  });

  it('tweetfeed: 365 daily events, 110,682 attributes, no objects', () => {
    const { events } = feeds.get('tweetfeed') ?? { events: new Map<string, Event>() };
    const all = [...events.values()];
    expect(all).toHaveLength(365);
    expect(all.reduce((n, e) => n + countAttributes(e), 0)).toBe(110682);
    expect(all.every((e) => e.objects.length === 0)).toBe(true);
    expect(new Set(all.flatMap((e) => e.attributes.map((a) => a.type)))).toEqual(new Set(['url', 'domain', 'ip-dst', 'sha256', 'md5']));
  });

  it('tweetfeed deviations: string integers and a distribution key in the manifest, hashes for the newest 31 events only', () => {
    const manifest = parseManifest(readFeedFile('tweetfeed', 'manifest.json'));
    expect(codes(manifest.issues)).toEqual(['manifest.extra-field', 'manifest.integers-as-strings']);
    expect(manifest.issues.find((i) => i.code === 'manifest.extra-field')?.message).toMatch(/"distribution"/);
    const hashes = parseHashesCsv(readFeedFile('tweetfeed', 'hashes.csv'));
    expect(hashes.issues).toEqual([]);
    expect(new Set(hashes.value.map((h) => h.eventUuid)).size).toBe(31);
  });

  it('tweetfeed: values MISP would store differently (upper-case domains) are normalised, with a note', () => {
    const { issues } = feeds.get('tweetfeed') ?? { issues: [] };
    expect(codes(issues)).toEqual(['attribute.value-normalised', 'attribute.value-warning']);
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('crowdsec-alerts: 864 ip-src attributes in raw REST exports, swapped hashes.csv, a README in the folder', () => {
    const { events, issues } = feeds.get('crowdsec-alerts') ?? { events: new Map<string, Event>(), issues: [] };
    const all = [...events.values()];
    expect(all.reduce((n, e) => n + countAttributes(e), 0)).toBe(864);
    expect(new Set(all.flatMap((e) => e.attributes.map((a) => a.type)))).toEqual(new Set(['ip-src']));
    expect(issues.filter((i) => i.code === 'event.rest-export')).toHaveLength(3);
    expect(all.every((e) => e.org?.name === 'cyberdefense.blue')).toBe(true);

    const hashes = parseHashesCsv(readFeedFile('crowdsec-alerts', 'hashes.csv'));
    expect(codes(hashes.issues)).toEqual(['hashes.columns-swapped']);
    const manifest = parseManifest(readFeedFile('crowdsec-alerts', 'manifest.json'));
    expect(codes(manifest.issues)).toEqual(['manifest.integers-as-strings', 'manifest.rest-fields']);
    const listing = checkFeedListing(manifest.value, readdirSync(feedDir('crowdsec-alerts')));
    expect(listing.map((i) => [i.code, i.path])).toEqual([['feed.unexpected-file', 'README.md']]);
  });

  it('crowdsec-alerts: the hashes, once unswapped, are md5 of the attribute values', () => {
    const { events } = feeds.get('crowdsec-alerts') ?? { events: new Map<string, Event>() };
    const expected = new Set([...events.values()].flatMap((e) => e.attributes.map((a) => `${md5(a.value)},${e.uuid}`)));
    const got = new Set(parseHashesCsv(readFeedFile('crowdsec-alerts', 'hashes.csv')).value.map((h) => `${h.md5},${h.eventUuid}`));
    expect(got).toEqual(expected);
  });

  it('pymisp-generated-feed: the reference shape reads without a single remark', () => {
    const { issues } = feeds.get('pymisp-generated-feed') ?? { issues: [] };
    expect(issues).toEqual([]);
    expect(parseManifest(readFeedFile('pymisp-generated-feed', 'manifest.json')).issues).toEqual([]);
    expect(parseHashesCsv(readFeedFile('pymisp-generated-feed', 'hashes.csv')).issues).toEqual([]);
    expect(checkFeedListing(parseManifest(readFeedFile('pymisp-generated-feed', 'manifest.json')).value, readdirSync(feedDir('pymisp-generated-feed')))).toEqual([]);
  });
});

describe.skipIf(!hasShared)('fixture MISP exports read' + needsShared, () => {
  const files = hasShared ? eventExportFiles() : [];
  const parsed = new Map(files.map((f) => [f, readEvent(readEventExport(f), { file: f })] as const));

  it('all 12 exports give an event, and only item-level problems', () => {
    expect(files).toHaveLength(12);
    for (const [file, result] of parsed) {
      expect(result.value, file).not.toBeNull();
      expect(hasErrors(result.issues), file).toBe(false);
    }
  });

  it('full REST exports (ids, Org, RelatedEvent, Galaxy) are recognised as such', () => {
    const rest = [...parsed].filter(([, r]) => r.issues.some((i) => i.code === 'event.rest-export')).map(([f]) => f);
    expect(rest).toEqual(['reportlab_galaxy_1.json', 'reportlab_image_event.json', 'reportlab_sighting_1.json']);
  });

  it('galaxy clusters survive as misp-galaxy tags', () => {
    const event = parsed.get('reportlab_galaxy_1.json')?.value;
    const tagged = event && allAttributes(event).flatMap(({ attribute }) => attribute.tags.map((t) => t.name));
    expect(tagged).toContain('misp-galaxy:mitre-malware="ADVSTORESHELL - S0045"');
  });

  it('the one broken value in the corpus (an ssdeep with a line break inside) costs only its attribute', () => {
    const result = parsed.get('reportlab_to_delete2.json');
    const bad = result?.issues.filter((i) => i.severity !== 'info') ?? [];
    expect(bad.map((i) => [i.code, i.path])).toEqual([['attribute.invalid-value', 'reportlab_to_delete2.json#/Event/Object/4/Attribute/4/value']]);
    expect(result?.value?.objects[4]?.attributes).toHaveLength(4);
  });

  it('the 370-attribute event keeps all its attributes', () => {
    expect(parsed.get('reportlab_long_event.json')?.value?.attributes).toHaveLength(370);
  });
});

describe.skipIf(!hasShared)('round trip over the corpus' + needsShared, () => {
  const sources: Array<[string, string]> = hasShared
    ? [
        ...FEEDS.flatMap((feed) => feedEventFiles(feed).map((f): [string, string] => [`${feed}/${f}`, readFeedFile(feed, f)])),
        ...eventExportFiles().map((f): [string, string] => [`pymisp-tests/${f}`, readEventExport(f)]),
      ]
    : [];

  it('read → write → read gives the event as written, and writing again gives the same bytes', () => {
    expect(sources.length).toBe(382);
    for (const [name, text] of sources) {
      const first = readEvent(text).value as Event;
      const written = writeFeedEvent(first, { md5, hashMode: 'pymisp' });
      if (written.status !== 'written') throw new Error(`${name}: ${JSON.stringify(written.issues.slice(0, 3))}`);
      expect(written.issues, name).toEqual([]);
      const again = readEvent(written.value.text);
      expect(again.issues, name).toEqual(again.issues.filter((i) => i.code === 'attribute.value-warning'));
      expect(again.value, name).toEqual(written.value.event);
      const rewritten = writeFeedEvent(again.value as Event, { md5, hashMode: 'pymisp' });
      expect(rewritten.status === 'written' && rewritten.value.text === written.value.text, name).toBe(true);
    }
  });

  it('what a feed carries survives unchanged: events read from PyMISP-shaped files need no preparation', () => {
    for (const file of feedEventFiles('pymisp-generated-feed')) {
      const event = readEvent(readFeedFile('pymisp-generated-feed', file)).value as Event;
      const prepared = prepareFeedEvent(event);
      expect(prepared.status === 'written' && prepared.value).toEqual(event);
    }
  });
});

describe.skipIf(!hasShared)('writing reproduces the PyMISP-generated feed' + needsShared, () => {
  const feed = 'pymisp-generated-feed';
  const manifestSource = hasShared ? readFeedFile(feed, 'manifest.json') : '{}';
  const order = Object.keys(JSON.parse(manifestSource) as object);
  const outputs = order.map((uuid) => {
    const text = readFeedFile(feed, `${uuid}.json`);
    const result = writeFeedEvent(readEvent(text).value as Event, { md5, hashMode: 'pymisp' });
    if (result.status !== 'written') throw new Error(`${uuid} not written`);
    return { text, out: result.value };
  });

  it('event files byte for byte', () => {
    expect(outputs).toHaveLength(2);
    for (const { text, out } of outputs) expect(out.text).toBe(text);
  });

  it('manifest.json byte for byte', () => {
    expect(manifestText(outputs.map((o) => o.out.manifestEntry))).toBe(manifestSource);
  });

  it('hashes.csv byte for byte in pymisp mode', () => {
    expect(formatHashes(outputs.flatMap((o) => o.out.hashes))).toBe(readFeedFile(feed, 'hashes.csv'));
  });

  it('correlating mode writes a subset: no port halves, nothing with correlation disabled', () => {
    const pymisp = new Set(outputs.flatMap((o) => o.out.hashes.map((h) => h.md5)));
    const correlating = outputs.flatMap((o) => {
      const r = writeFeedEvent(o.out.event, { md5 });
      return r.status === 'written' ? r.value.hashes.map((h) => h.md5) : [];
    });
    expect(correlating.every((h) => pymisp.has(h))).toBe(true);
    expect(correlating).not.toContain(md5('443'));
    expect(correlating).not.toContain(md5('Malicious'));
    expect(correlating).toContain(md5('203.0.113.9'));
    expect(new Set(correlating).size).toBe(correlating.length);
  });
});
