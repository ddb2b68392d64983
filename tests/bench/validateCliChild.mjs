// The validate benchmark's child process: runs `preflight <args…>` exactly as the CLI does (loaded
// as src/cli/preflight.mjs loads it, see src/cli/loadEntry.mjs), then writes one last stderr line
// with what the whole process used — wall time since the process started, CPU time and peak RSS,
// worker threads included (they are threads of this process).
//
// It starts as src/cli/preflight.mjs starts: Node's compile cache on before anything else loads (a
// start after the first skips compiling the bundle's modules), so the figures are the command's as
// a user runs it. NODE_DISABLE_COMPILE_CACHE=1 turns it off here too.
import { readdirSync, readFileSync } from 'node:fs';
import module from 'node:module';
import net from 'node:net';

module.enableCompileCache?.();

/**
 * Every socket the command opens (a database connection: TCP or a Unix socket), kept so the bytes
 * it received can be summed at the end; a socket's `bytesRead` stays readable once it is closed.
 */
const sockets = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  sockets.push(this);
  return connect.apply(this, args);
};
const { loadEntry } = await import('../../src/cli/loadEntry.mjs');

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

/**
 * CPU time per thread of this process, by thread name and id (Linux /proc; `undefined` elsewhere):
 * the main thread, each worker thread and V8's and libuv's helpers (GC threads, the thread pool) — where a run's CPU went beyond one total. Set
 * `BENCH_THREADS=1` to print it.
 */
function threadCpuMs() {
  try {
    const ticks = 100; // USER_HZ on Linux
    const byName = {};
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
      // one entry per thread: several share a name (worker isolates' threads, V8's helpers)
      if (ms > 0) byName[tid === String(process.pid) ? 'main' : `${name} ${tid}`] = Math.round(ms);
    }
    return byName;
  } catch {
    return undefined;
  }
}

const { main } = await loadEntry('main');
const io = { stdout: () => {}, stderr: (text) => process.stderr.write(`${text}\n`), cwd: process.cwd() };
const code = await main(process.argv.slice(2), io);
const cpu = process.cpuUsage();
if (process.env.BENCH_THREADS === '1') process.stderr.write(`\nTHREADS ${JSON.stringify(threadCpuMs())}\n`);
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code, wallMs: Math.round(performance.now()), cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: peakRssKb(), socketBytesIn: sockets.reduce((n, s) => n + s.bytesRead, 0) })}\n`,
);
