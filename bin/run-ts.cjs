#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) the same way bin/ferry.cjs runs the CLI.
require('tsx/cjs/api').register();
const { resolve } = require('node:path');
const entry = resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
