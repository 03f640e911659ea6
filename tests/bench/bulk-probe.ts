/**
 * Probe of the bulk load's two halves, in this thread, on a generated feed: staging time, then merge time in steps
 * of a given size. `node bin/run-ts.cjs tests/bench/bulk-probe.ts [feed-dir] [--step N] [--cache MiB]`. For tuning only.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLibrary } from '../../electron/backend/db/open-library';
import { createScratch, Stager } from '../../electron/backend/import/bulk-stage';
import { Merger } from '../../electron/backend/db/queries/bulk-merge';
import { compileFeedRules } from '../../electron/backend/import/prepare-event';
import { newFeedSettings } from '../../shared/model/feed-settings';
import { feedPaths } from './generate-feed';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const dir = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? feedPaths('feed-L').dir;
const stepAttributes = opt('--step', 50_000);
const cacheMiB = opt('--cache', 128);
const work = '/tmp/bp';
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const libPath = join(work, 'library.sqlite');
const lib = openLibrary(libPath);
if (!lib.ok) throw new Error(lib.error.message);
lib.value.exec(`INSERT INTO feed (config, created_at, updated_at) VALUES ('{"name":"x"}', 0, 0);
  INSERT INTO import_run (feed_id, source, source_kind, mode, started_at, status) VALUES (1, 'x', 'folder', 'fetch', 0, 'running')`);
for (const ix of (process.env['FERRY_PROBE_DROP'] ?? '').split(',').filter(Boolean)) lib.value.exec(`DROP INDEX ${ix}`);
if (process.env['FERRY_PROBE_SQL']) lib.value.exec(process.env['FERRY_PROBE_SQL']);
lib.value.close();

const feed = newFeedSettings({ name: 'x', provider: 'p', url: dir });
const rules = compileFeedRules(feed, []);
const scratch = join(work, 'library.sqlite.bulk-probe.sqlite');
createScratch(scratch).close();
const stager = new Stager(scratch, undefined, feed, rules, { feedId: 1, importId: 1 });
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { info: string }>;
const files = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'manifest.json');
const decoder = new TextDecoder();
let t = performance.now();
let staged: { sid: number; lastSid: number; attributes: number }[] = [];
// --reuse: stage once into /tmp/bp-stage, then merge experiments start from a copy of it.
const reuse = args.includes('--reuse') && existsSync('/tmp/bp-stage/staged.json');
if (reuse) {
  staged = JSON.parse(readFileSync('/tmp/bp-stage/staged.json', 'utf8'));
}
for (const f of reuse ? [] : files) {
  const uuid = f.slice(0, -5);
  let bytes: Buffer | null = readFileSync(join(dir, f));
  const r = stager.stage({ uuid, info: manifest[uuid]?.info ?? '' }, f, () => {
    const text = decoder.decode(bytes!);
    bytes = null;
    return text;
  });
  if (r.staged) staged.push(r);
}
stager.close();
if (reuse) copyFileSync('/tmp/bp-stage/scratch.sqlite', scratch);
if (!reuse && args.includes('--reuse')) {
  mkdirSync('/tmp/bp-stage', { recursive: true });
  copyFileSync(scratch, '/tmp/bp-stage/scratch.sqlite');
  writeFileSync('/tmp/bp-stage/staged.json', JSON.stringify(staged));
}
const stageMs = performance.now() - t;
console.log(`staged ${staged.length} events in ${(stageMs / 1000).toFixed(2)} s, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`);

if (process.env['FERRY_PROBE_STAGE_ONLY']) process.exit(0);
const merger = new Merger({ libraryPath: libPath, scratchPath: scratch, importId: 1, cacheKiB: cacheMiB * 1024 });
t = performance.now();
let i = 0;
let steps = 0;
let maxMs = 0;
let attrs = 0;
while (i < staged.length) {
  let n = 0;
  const lo = staged[i]!.sid;
  let hi = lo;
  while (i < staged.length && (n === 0 || n + staged[i]!.attributes <= stepAttributes)) {
    n += staged[i]!.attributes;
    hi = staged[i]!.lastSid;
    i++;
  }
  const r = merger.merge({ lo, hi });
  if (r === 'busy' || !r.ok) throw new Error(JSON.stringify(r));
  steps++;
  maxMs = Math.max(maxMs, r.value.ms);
  attrs += r.value.merged.reduce((s, e) => s + e.attributes, 0);
}
const mergeMs = performance.now() - t;
merger.close();
try { console.log(`wal ${Math.round(statSync(libPath + '-wal').size / 1048576)} MB`); } catch { /* none */ }
console.log(`merged ${attrs} attributes in ${steps} steps, ${(mergeMs / 1000).toFixed(2)} s (max step ${Math.round(maxMs)} ms), rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
import { profile } from '../../electron/backend/db/queries/bulk-merge';
if (profile.size > 0) console.log([...profile].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v)}`).join('\n'));
