import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inThreadPreparer, workerPreparer } from '../../electron/backend/import/event-preparer';
import { compileFeedRules, isPrepared } from '../../electron/backend/import/prepare-event';
import { newFeedSettings } from '../../shared/model/feed-settings';
import { eventJson, testUuid } from '../support/feed-builder';

const feed = newFeedSettings({ name: 'f', provider: 'p', url: '/x' });
const rules = compileFeedRules(feed, []);
const uuid = testUuid(1);
const bytes = Buffer.from(JSON.stringify(eventJson({ uuid, attributes: [{ uuid: testUuid(2), value: '192.0.2.1' }] })));

describe('preparing events off the main thread', () => {
  it('the worker gives the same prepared event as this thread', async () => {
    const worker = workerPreparer(feed, rules);
    const local = inThreadPreparer(feed, rules);
    const [a, b] = await Promise.all([worker.prepare({ uuid, info: 'x' }, 'e.json', bytes), local.prepare({ uuid, info: 'x' }, 'e.json', bytes)]);
    await worker.close();
    expect(isPrepared(a)).toBe(true);
    expect(a).toEqual(b);
  });

  it('a worker that cannot start leaves the work to this thread; nothing is lost', async () => {
    const broken = workerPreparer(feed, rules, join(__dirname, 'no-such-worker.cjs'));
    const results = await Promise.all([1, 2, 3].map(() => broken.prepare({ uuid, info: 'x' }, 'e.json', bytes)));
    await broken.close();
    expect(results.every(isPrepared)).toBe(true);
  });

  it('a bad file comes back as a rejected item from the worker too', async () => {
    const worker = workerPreparer(feed, rules);
    const r = await worker.prepare({ uuid, info: 'x' }, 'bad.json', Buffer.from('{"Event": {'));
    await worker.close();
    expect(isPrepared(r)).toBe(false);
    expect(!isPrepared(r) && r.issues[0]?.code).toBe('event.not-json');
  });
});

describe("the feed's distribution, applied while reading", () => {
  const withDistribution = (d: number | undefined) => {
    const e = eventJson({ uuid, attributes: [{ uuid: testUuid(2), value: '192.0.2.1' }] }) as { Event: Record<string, unknown> & { Attribute: Record<string, unknown>[] } };
    if (d !== undefined) e.Event['distribution'] = String(d);
    e.Event.Attribute[0]!['distribution'] = '1';
    return JSON.stringify(e);
  };

  it('a feed with distribution 0: the event gets 0 and every attribute 5 (inherit), as MISP does', async () => {
    const r = await inThreadPreparer(feed, rules).prepare({ uuid, info: 'x' }, 'e.json', Buffer.from(withDistribution(3)));
    expect(isPrepared(r) && r.event.distribution).toBe(0);
    expect(isPrepared(r) && r.event.attributes[0]?.distribution).toBe(5);
  });

  it('a feed with distribution 5 keeps the event’s own distribution and its attributes’', async () => {
    const inherit = newFeedSettings({ name: 'f', provider: 'p', url: '/x', distribution: 5 });
    const r = await inThreadPreparer(inherit, rules).prepare({ uuid, info: 'x' }, 'e.json', Buffer.from(withDistribution(3)));
    expect(isPrepared(r) && r.event.distribution).toBe(3);
    expect(isPrepared(r) && r.event.attributes[0]?.distribution).toBe(1);
    const none = await inThreadPreparer(inherit, rules).prepare({ uuid, info: 'x' }, 'e.json', Buffer.from(withDistribution(undefined)));
    expect(isPrepared(none) && none.event.distribution).toBe(0);
    expect(isPrepared(none) && none.event.attributes[0]?.distribution).toBe(5);
  });
});
