// The prebuilt command line (bin/cli-build.cjs): the bundle runs, and any change to its sources makes it stale.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../electron/backend/version';
import { PROJECT_ROOT } from '../support/cli';
import { useTempDirs } from '../support/temp';

interface Inputs {
  readonly dirs: readonly string[];
  readonly files: readonly string[];
}
interface CliBuild {
  sourceStamp(root?: string, inputs?: Inputs): string;
  checkBundle(outDir?: string, stamp?: string): 'fresh' | 'rebuild';
  /** The worker threads bundled beside the command line. */
  WORKERS: readonly string[];
  buildCli(outDir?: string, root?: string, stamp?: string): string;
}
const build = createRequire(__filename)('../../bin/cli-build.cjs') as CliBuild;

const tempDir = useTempDirs();

describe('the prebuilt command line', () => {
  it('bundles the CLI and its import worker into a folder, and the bundle answers --version', () => {
    const out = join(tempDir(), 'cli');
    const bundle = build.buildCli(out);
    expect(bundle).toBe(join(out, 'ferry.cjs'));
    // The workers sit next to the bundle, where the backend looks for them.
    for (const worker of build.WORKERS) expect(existsSync(join(out, `${worker}.js`))).toBe(true);
    expect(readFileSync(join(out, 'stamp.txt'), 'utf8')).toMatch(/^\d+ files [0-9a-f]{64}\n$/);

    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), '--version'], {
      encoding: 'utf8',
      env: { ...process.env, FERRY_CLI_DIR: out },
      timeout: 60_000,
    });
    expect(r.stdout).toBe(`${ENGINE_VERSION}\n`);
    expect(r.status).toBe(0);
    // The first run after a build leaves a V8 code cache beside the bundle for the next ones.
    expect(existsSync(join(out, 'ferry.cjs.v8cache'))).toBe(true);
  }, 30_000);

  it('says "rebuild" when a source is touched, added or removed, or the bundle is missing', () => {
    const root = tempDir();
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'package.json'), '{}\n');
    const inputs: Inputs = { dirs: ['src'], files: ['package.json'] };
    const stamp = () => build.sourceStamp(root, inputs);

    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'ferry.cjs'), '');
    for (const worker of build.WORKERS) writeFileSync(join(out, `${worker}.js`), '');
    writeFileSync(join(out, 'stamp.txt'), `${stamp()}\n`);
    expect(build.checkBundle(out, stamp())).toBe('fresh');
    expect(stamp()).toMatch(/^3 files /);

    // Touched: same size, newer mtime.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'deep', 'b.ts'), later, later);
    expect(build.checkBundle(out, stamp())).toBe('rebuild');
    writeFileSync(join(out, 'stamp.txt'), `${stamp()}\n`);
    expect(build.checkBundle(out, stamp())).toBe('fresh');

    writeFileSync(join(root, 'src', 'c.ts'), 'export const c = 3;\n');
    expect(build.checkBundle(out, stamp())).toBe('rebuild');
    rmSync(join(root, 'src', 'c.ts'));
    expect(build.checkBundle(out, stamp())).toBe('fresh');

    writeFileSync(join(root, 'package.json'), '{"x":1}\n');
    expect(build.checkBundle(out, stamp())).toBe('rebuild');
    writeFileSync(join(out, 'stamp.txt'), `${stamp()}\n`);

    rmSync(join(out, 'bulk-worker.js'));
    expect(build.checkBundle(out, stamp())).toBe('rebuild');
    expect(build.checkBundle(join(root, 'nowhere'), stamp())).toBe('rebuild');
  });

  it('stamps the real sources in a few milliseconds', () => {
    build.sourceStamp();
    const t = performance.now();
    const s = build.sourceStamp();
    expect(performance.now() - t).toBeLessThan(100);
    expect(Number(s.split(' ')[0])).toBeGreaterThan(50);
  });
});
