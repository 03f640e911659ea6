import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspMeta } from './csp-meta.mjs';

// The renderer alone, for browser mode (`ferry serve`). electron.vite.config.mts builds the same thing for Electron.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: resolve(import.meta.dirname, '..', 'out', 'renderer'),
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
  },
});
