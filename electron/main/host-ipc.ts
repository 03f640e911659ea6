/**
 * The one place ipcMain is used. Every call is checked to come from our own page's top frame, and its input is
 * validated against the host contract (shared/ipc/host-contract.ts) by host-dispatch.ts, because a compromised page
 * must not be able to drive native dialogs or the file system. Every answer is an envelope.
 */
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { lstat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fail, ok } from '../../shared/ipc/envelope';
import { HOST_CHANNELS } from '../../shared/ipc/host-channels';
import { dispatchHostCall, type HostHandlers } from './host-dispatch';

interface HostContext {
  readonly window: BrowserWindow | null;
}

export function isTrustedSender(event: IpcMainInvokeEvent, appOrigin: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && appOrigin(frame.url);
}

const openDialog = (win: BrowserWindow | null, options: Electron.OpenDialogOptions) =>
  win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
const saveDialog = (win: BrowserWindow | null, options: Electron.SaveDialogOptions) =>
  win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options);

export const hostHandlers: HostHandlers<HostContext> = {
  async 'host.pickFeedSource'({ kind }, { window }) {
    const options: Electron.OpenDialogOptions =
      kind === 'folder'
        ? { title: 'Open a MISP feed folder', properties: ['openDirectory'] }
        : { title: 'Open a MISP feed zip', properties: ['openFile'], filters: [{ name: 'Zip archives', extensions: ['zip'] }] };
    const result = await openDialog(window, options);
    return ok(result.canceled ? null : (result.filePaths[0] ?? null));
  },
  async 'host.pickSavePath'({ title, defaultName, filters }, { window }) {
    const result = await saveDialog(window, {
      ...(title !== undefined ? { title } : {}),
      ...(defaultName !== undefined ? { defaultPath: defaultName } : {}),
      ...(filters !== undefined ? { filters } : {}),
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return ok(result.canceled || !result.filePath ? null : result.filePath);
  },
  async 'host.revealPath'({ path }) {
    if (!isAbsolute(path)) return fail('invalid-input', 'host.revealPath: path: an absolute path is required');
    // lstat: a link is shown as itself, never followed.
    if (!(await lstat(path).catch(() => null))) return fail('not-found', `${path}: no such file or folder`);
    shell.showItemInFolder(path);
    return ok(undefined);
  },
};

export function registerHostIpc(windowFor: (event: IpcMainInvokeEvent) => BrowserWindow | null, appOrigin: (url: string) => boolean) {
  for (const channel of HOST_CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event, appOrigin)) return fail('unavailable', `${channel}: not available to this frame`);
      return dispatchHostCall(hostHandlers, channel, input, { window: windowFor(event) }, (e) => console.error(`host: ${channel}:`, e));
    });
  }
}
