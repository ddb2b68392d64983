/**
 * A timeline of a `preflight validate` run for whoever measures it: with
 * `PREFLIGHT_TIMELINE=1` in the environment, each step the CLI marks (start-up, the contract, each
 * range's start and end on its thread, a worker's pieces of the key check, the report) writes one
 * line to stderr:
 *
 *     timeline <thread> <ms since the process started> <the thread's CPU ms> <step>
 *
 * Thread 0 is the CLI's own thread, others are range workers (`worker_threads` ids). CPU time is the
 * thread's own (Linux's /proc/thread-self; -1 elsewhere), so a loaded machine's wall time can be
 * told apart from work. Without the variable nothing is written and a mark costs one property read.
 *
 * Constraints:
 * - Steps name phases and byte offsets only, never a value from a file (values may be patient data).
 * - Written synchronously (a worker's lines would otherwise reach stderr through the main thread's
 *   event loop, late and out of order).
 * - Workers measure from the same origin as the main thread: the first mark there leaves it in the
 *   environment, which a worker started after it inherits.
 */
import { readFileSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/** The environment variable that switches the timeline on (value "1"). */
export const TIMELINE_VARIABLE = 'PREFLIGHT_TIMELINE';
/** Where the main thread leaves its start time (ms since the epoch) for workers. */
const ORIGIN_VARIABLE = 'PREFLIGHT_TIMELINE_ORIGIN';
/** Linux's clock ticks per second for /proc CPU times (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** This thread's CPU time in ms (user + system), or -1 where /proc cannot tell. */
function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // fields after the command name, which may hold spaces: utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return -1;
  }
}

/** What a timeline reads from its surroundings (the process's, or a test's). */
export interface TimelineHost {
  env: Record<string, string | undefined>;
  /** this thread: 0 the main thread */
  thread: number;
  /** when this thread started, ms since the epoch */
  startedAt: number;
  /** ms since the epoch, now */
  now(): number;
  cpuMs(): number;
  write(line: string): void;
}

/** The process's own host: its environment, thread, clock, /proc and stderr. */
const processHost: TimelineHost = {
  env: process.env,
  thread: threadId,
  startedAt: performance.timeOrigin,
  now: () => performance.timeOrigin + performance.now(),
  cpuMs: threadCpuMs,
  write: (line) => {
    writeSync(2, line);
  },
};

/**
 * A mark function over `host` (see the file header): a no-op unless the timeline variable is "1"
 * when it is called.
 */
export function createTimeline(host: TimelineHost): (step: string) => void {
  return (step) => {
    if (host.env[TIMELINE_VARIABLE] !== '1') return;
    let origin = Number(host.env[ORIGIN_VARIABLE]);
    if (!(origin > 0)) {
      // the main thread's start, left for the workers it starts; a worker given none measures
      // from its own start
      origin = host.startedAt;
      if (host.thread === 0) host.env[ORIGIN_VARIABLE] = String(origin);
    }
    host.write(`timeline ${host.thread} ${Math.round(host.now() - origin)} ${host.cpuMs()} ${step}\n`);
  };
}

/** Marks a step of this run on this thread's timeline (see the file header). */
export const markTimeline = createTimeline(processHost);
