import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { cspMeta } from './renderer/csp-meta.mjs';

// main + the backend utility process, the preload (CommonJS, as a sandboxed preload must be), and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          utility: resolve('electron/utility/index.ts'),
          // Started by the backend as worker threads for large imports and caches (electron/backend/import/).
          'parse-worker': resolve('electron/backend/import/parse-worker.ts'),
          'bulk-worker': resolve('electron/backend/import/bulk-worker.ts'),
          'cache-worker': resolve('electron/backend/import/cache-worker.ts'),
          // Started by the backend as worker threads for exports (electron/backend/export/).
          'export-worker': resolve('electron/backend/export/export-worker.ts'),
        },
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: { input: { index: resolve('electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react(), cspMeta()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
