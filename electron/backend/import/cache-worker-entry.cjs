// Worker entry when running from sources (CLI, browser-mode host, tests): compile TypeScript with tsx, as
// bin/ferry.cjs does. A bundled build runs cache-worker.js instead (see cache-host.ts).
require('tsx/cjs/api').register();
require('./cache-worker.ts');
