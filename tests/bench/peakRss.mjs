// Preloaded into a child the benchmarks measure (`node --import ./peakRss.mjs …`): at exit it writes
// the process's peak resident memory (VmHWM, Linux) to stderr as `PEAK_RSS_BYTES <n>`.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  const highWater = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (highWater) process.stderr.write(`PEAK_RSS_BYTES ${Number(highWater[1]) * 1024}\n`);
});
