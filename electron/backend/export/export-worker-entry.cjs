// Worker entry when running from sources (CLI, browser-mode host, tests): compile TypeScript with tsx, as
// bin/ferry.cjs does. A bundled build runs export-worker.js instead (see writer-pool.ts).
require('tsx/cjs/api').register();
require('./export-worker.ts');
