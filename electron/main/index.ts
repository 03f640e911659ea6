/** Electron main: OS glue only — windows, dialogs, the backend process. No SQL and no feed logic live here. */
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveLibraryPath } from '../backend/index';
import { superviseBackend } from './backend-process';
import { registerHostIpc } from './host-ipc';
import { createMainWindow, hardenSession, rendererPaths } from './window';

const outDir = join(__dirname, '..');
const paths = rendererPaths(outDir);
const rendererRoot = pathToFileURL(join(outDir, 'renderer')).href;
const isAppUrl = (url: string) => url.startsWith(rendererRoot + '/');

function dbPathFromArgs(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--db');
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--db='))?.slice('--db='.length);
}

if (!app.requestSingleInstanceLock()) app.quit();

void app.whenReady().then(() => {
  hardenSession();
  const dbPath = resolveLibraryPath(dbPathFromArgs(process.argv));
  const backend = superviseBackend(paths.utility, dbPath);
  registerHostIpc((event) => BrowserWindow.fromWebContents(event.sender), isAppUrl);

  const open = () => {
    const win = createMainWindow(paths.index, paths.preload);
    win.webContents.on('did-finish-load', () => backend.connect(win.webContents));
  };
  open();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => backend.stop());
});

// Nothing may create extra web contents the checklist above did not see.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
