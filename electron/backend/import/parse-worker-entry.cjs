// Worker entry when running from sources (CLI, browser-mode host, tests): compile TypeScript with tsx, as
// bin/ferry.cjs does. The packaged app runs the bundled out/main/parse-worker.js instead.
require('tsx/cjs/api').register();
require('./parse-worker.ts');
