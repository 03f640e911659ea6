/**
 * The one place ipcMain is used. Every call is checked to come from our own page's top frame, and every input is
 * validated, because a compromised page must not be able to drive native dialogs or the file system.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';

const pickSchema = z.enum(['folder', 'zip']);

export function isTrustedSender(event: IpcMainInvokeEvent, appOrigin: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && appOrigin(frame.url);
}

export function registerHostIpc(windowFor: (event: IpcMainInvokeEvent) => BrowserWindow | null, appOrigin: (url: string) => boolean) {
  ipcMain.handle('host:pick-feed-source', async (event, kind: unknown) => {
    if (!isTrustedSender(event, appOrigin)) return null;
    const parsed = pickSchema.safeParse(kind);
    if (!parsed.success) return null;
    const win = windowFor(event);
    const options: Electron.OpenDialogOptions =
      parsed.data === 'folder'
        ? { title: 'Open a MISP feed folder', properties: ['openDirectory'] }
        : { title: 'Open a MISP feed zip', properties: ['openFile'], filters: [{ name: 'Zip archives', extensions: ['zip'] }] };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
}
