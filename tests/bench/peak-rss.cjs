// Preloaded into a benchmarked child process (`node -r tests/bench/peak-rss.cjs bin/ferry.cjs …`): when the process
// exits, its own peak RSS (kB) and CPU times are written to the file named by FERRY_BENCH_RSS_FILE, so the parent can
// report the child's memory without a platform tool such as /usr/bin/time.
const { writeFileSync } = require('node:fs');
const out = process.env.FERRY_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRSSkB: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
