/** The Electron preload's host API (native dialogs), absent in browser mode. Mirrors electron/preload/index.ts. */
export interface HostApi {
  readonly kind: 'electron';
  pickFeedSource(kind: 'folder' | 'zip'): Promise<string | null>;
}

declare global {
  interface Window {
    ferryHost?: HostApi;
  }
}

export function hostApi(): HostApi | null {
  return window.ferryHost ?? null;
}
