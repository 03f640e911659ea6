/** Browser mode serves the built renderer; build it once where it is missing so `ferry serve` just works. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project folder: the nearest one above this code that holds package.json. This code runs from its source
 * (electron/webhost/) or bundled into the CLI (out/cli/ferry.cjs), so a fixed number of `..` would be wrong in one.
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '..', '..');
  }
}

export const PROJECT_ROOT = projectRoot(__dirname);
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');

export async function ensureRendererBuilt(log: (m: string) => void): Promise<string> {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  log('building the user interface (first run)…');
  const vite = await import('vite');
  await vite.build({ configFile: join(PROJECT_ROOT, 'renderer', 'vite.config.mts'), logLevel: 'warn' });
  return RENDERER_DIR;
}
