// Worker entry when running from sources (CLI, browser-mode host, tests): compile TypeScript with tsx, as
// bin/ferry.cjs does. A bundled build runs bulk-worker.js instead (see bulk-host.ts).
require('tsx/cjs/api').register();
require('./bulk-worker.ts');
