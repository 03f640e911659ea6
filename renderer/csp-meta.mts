/**
 * Writes the one Content-Security-Policy (shared/ipc/csp.ts) into index.html's `<meta>` tag at build time. The tag
 * in the source holds `default-src 'none'`, so a build that forgets this plugin fails closed (a blank page), never
 * open. Used by renderer/vite.config.mts (browser mode) and electron.vite.config.mts (the desktop app).
 */
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../shared/ipc/csp';

const TAG = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/i;

export function writeCspMeta(html: string): string {
  if (!TAG.test(html)) throw new Error('index.html has no Content-Security-Policy <meta> tag to fill in');
  return html.replace(TAG, `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`);
}

export function cspMeta(): Plugin {
  return { name: 'ferry-csp-meta', transformIndexHtml: { order: 'pre', handler: writeCspMeta } };
}
