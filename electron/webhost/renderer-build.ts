/** Browser mode serves the built renderer; build it once where it is missing so `ferry serve` just works. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');

export async function ensureRendererBuilt(log: (m: string) => void): Promise<string> {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  log('building the user interface (first run)…');
  const vite = await import('vite');
  await vite.build({ configFile: join(PROJECT_ROOT, 'renderer', 'vite.config.mts'), logLevel: 'warn' });
  return RENDERER_DIR;
}
