/**
 * A real browser-mode host for each test file: the built renderer, a fresh library in a temp folder, the real engine
 * and WebSocket, on a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { openEngine } from '../../electron/backend/engine';
import { startWebHost, type WebHost } from '../../electron/webhost/server';
import { ensureRendererBuilt } from '../../electron/webhost/renderer-build';

export interface BrowserMode {
  readonly host: WebHost;
  readonly dataDir: string;
}

export const test = base.extend<object, { browserMode: BrowserMode }>({
  browserMode: [
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ferry-e2e-'));
      const opened = openEngine({ dbPath: join(dataDir, 'library.sqlite') });
      if (!opened.ok) throw new Error(opened.error.message);
      const staticDir = await ensureRendererBuilt(() => {});
      const host = await startWebHost({ dispatcher: opened.value.dispatcher, staticDir, port: 0 });
      await use({ host, dataDir });
      await host.close();
      opened.value.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
