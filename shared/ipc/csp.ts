/**
 * The one Content-Security-Policy of the UI, wherever it is delivered: Electron's session header (electron/main/
 * window.ts), browser mode's HTTP header (electron/webhost/static-files.ts) and the `<meta>` tag the renderer build
 * writes into index.html (renderer/csp-meta.mts). Change it here only.
 *
 * `connect-src 'self'` also covers browser mode's WebSocket back to the host that served the page.
 */
const DIRECTIVES: readonly (readonly [string, readonly string[]])[] = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:']],
  ['connect-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/** Directives a browser ignores (and warns about) when the policy comes in a `<meta>` tag instead of a header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

const serialise = (directives: typeof DIRECTIVES) => directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');

/** For the `Content-Security-Policy` response header. */
export const CONTENT_SECURITY_POLICY = serialise(DIRECTIVES);

/** For `<meta http-equiv="Content-Security-Policy">`: the same policy without the header-only directives. */
export const CONTENT_SECURITY_POLICY_META = serialise(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)));
