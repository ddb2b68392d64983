// The validate benchmark's child process: runs `preflight <args…>` exactly as the CLI does (loaded
// as src/cli/preflight.mjs loads it, see src/cli/cliBundle.mjs), then writes one last stderr line
// with what the whole process used — wall time since the process started, CPU time and peak RSS,
// worker threads included (they are threads of this process).
import { readFileSync } from 'node:fs';
import { loadCliMain } from '../../src/cli/cliBundle.mjs';

/**
 * Peak RSS in KB of this process alone. `process.resourceUsage().maxRSS` (getrusage) starts from the
 * parent's RSS at fork time on Linux (the forked copy's high-water mark survives exec): spawned by
 * the bench process, a CLI that peaked at 200 MB reported the bench's ~290 MB. /proc's VmHWM is the
 * high-water mark of this process's own memory (worker threads included).
 */
function peakRssKb() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage's figure
  }
  return process.resourceUsage().maxRSS;
}

const main = await loadCliMain();
const io = { stdout: () => {}, stderr: (text) => process.stderr.write(`${text}\n`), cwd: process.cwd() };
const code = await main(process.argv.slice(2), io);
const cpu = process.cpuUsage();
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code, wallMs: Math.round(performance.now()), cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: peakRssKb() })}\n`,
);
