#!/usr/bin/env node
// The `ferry` command. The engine is TypeScript; tsx compiles it on the fly (cached), so the command line runs the
// same sources as the tests and the hosts, with no build step to forget.
require('tsx/cjs/api').register();
// `ferry … | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = require('../electron/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
