/**
 * Where the library file lives by default: the user's data folder, as Electron's app.getPath('userData') would
 * put it, computed without Electron so the CLI and browser-mode host agree with the desktop app.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Ferry');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Ferry');
    default:
      return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'Ferry');
  }
}

/** `--db` wins, then FERRY_DB, then the data folder. */
export function resolveLibraryPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env['FERRY_DB'] ?? join(defaultDataDir(env), 'library.sqlite');
}
