/**
 * Runs one step of `npm test` as a child process and ends it when it stalls: a step whose process
 * tree uses almost no CPU for {@link StallOptions.limitSeconds} is waiting on something that will
 * not come (a thread blocked in a synchronous wait, a lost child), since every test and hook has a
 * bound of its own far below that limit, and CPU left unused that long only ever meant a hang. The
 * step is then ended (its whole tree, read from /proc) and the files that started but did not
 * finish are named, from the list the suite's reporter keeps (tests/fileProgressReporter.ts).
 * No side effect on import, so the runner (tests/runAll.ts) and the tests share it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { unfinishedFiles } from './fileProgressReporter.ts';
import { processList, treeTicks } from './procCpu.ts';

/** The variable that sets the stall limit, seconds (for a slower machine, or a test). */
export const STALL_ENV = 'PREFLIGHT_STALL_SECONDS';

/**
 * The default stall limit, seconds: above the longest bound of any single test or hook
 * (tests/waits.ts: an end-to-end test, 180 s on the reference machine), so a wait that is still
 * bounded by one of them ends through its own timeout first, with its own message.
 */
export const DEFAULT_STALL_SECONDS = 300;

/** USER_HZ: the unit of /proc's CPU times. */
const TICKS_PER_SECOND = 100;

/**
 * The share of one core below which a tree counts as using no CPU: an idle Node process still
 * wakes for timers now and then, and that is not progress.
 */
const IDLE_SHARE = 0.01;

/** After SIGTERM, how long the tree may take to end before it is killed. */
const GRACE_MS = 5_000;

export interface StallOptions {
  /** seconds of (almost) no CPU after which the step is ended */
  limitSeconds: number;
  /** how often the tree's CPU is read, milliseconds */
  pollMs?: number;
  /** the reporter's list of started and finished files, for naming the ones that did not finish */
  progressFile?: string;
  /** the CPU ticks of the tree under `pid` now; undefined when it cannot be read (no /proc) */
  readTicks?: (pid: number) => number | undefined;
  /** clock in milliseconds (tests) */
  now?: () => number;
}

/** How a step that was ended for stalling ended. */
export interface Stall {
  /** seconds without CPU when it was ended */
  seconds: number;
  /** test files that started and did not finish, relative to the working folder */
  unfinished: string[];
}

export interface StepResult {
  code: number;
  /** everything the step printed, standard output and error in the order they came */
  output: string;
  stall?: Stall;
}

/** The stall limit from {@link STALL_ENV}, else {@link DEFAULT_STALL_SECONDS}. */
export function stallLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[STALL_ENV]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_STALL_SECONDS;
}

/**
 * Follows CPU readings of a tree and says when it has stalled: no growth of at least
 * {@link IDLE_SHARE} of a core since the last time it grew that much, for `limitSeconds`.
 * Pure over the readings it is given, so the rule is tested without processes.
 */
export function stallDetector(limitSeconds: number, startMs: number, startTicks: number) {
  let since = { at: startMs, ticks: startTicks };
  return {
    /** a reading at `atMs`; the seconds stalled once over the limit, else undefined */
    reading(atMs: number, ticks: number): number | undefined {
      const seconds = (atMs - since.at) / 1000;
      const idleTicks = Math.max(1, seconds * TICKS_PER_SECOND * IDLE_SHARE);
      // a tree that lost a process (reaped by init) reads lower: a new base, never progress
      if (ticks - since.ticks >= idleTicks || ticks < since.ticks) {
        since = { at: atMs, ticks };
        return undefined;
      }
      return seconds >= limitSeconds ? seconds : undefined;
    },
  };
}

/** The ticks of the tree under `pid`, from /proc; undefined without it. */
function procTreeTicks(pid: number): number | undefined {
  try {
    return treeTicks(processList(), pid);
  } catch {
    return undefined;
  }
}

/** `pid` and every live process below it, parents first. */
function treePids(pid: number): number[] {
  let list: ReturnType<typeof processList>;
  try {
    list = processList();
  } catch {
    return [pid];
  }
  const found = [pid];
  for (let i = 0; i < found.length; i++)
    for (const p of list) if (p.ppid === found[i] && !found.includes(p.pid)) found.push(p.pid);
  return found;
}

function signalAll(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already ended
    }
  }
}

/**
 * Runs `command` with `env`, its output kept and returned whole when it ends (steps overlap: each
 * one's output is printed in one piece). With `stall`, a step that stalls is ended: SIGTERM to
 * every process of its tree, SIGKILL to what is left after a grace; the result comes once none of
 * them runs, with `stall` saying for how long and which files did not finish, and code 1.
 */
export function runStep(
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  stall?: StallOptions,
): Promise<StepResult> {
  return new Promise((done) => {
    const child = spawn(command[0] as string, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    let stalled: Stall | undefined;
    let watch: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (code: number, extra = '') => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      const output = Buffer.concat(chunks).toString('utf8') + extra;
      done(stalled ? { code: 1, output, stall: stalled } : { code, output });
    };
    child.on('error', (e) => finish(1, `${e.message}\n`));
    child.on('close', (code) => finish(code ?? 1));
    const pid = child.pid;
    if (stall === undefined || pid === undefined) return;
    const readTicks = stall.readTicks ?? procTreeTicks;
    const now = stall.now ?? (() => performance.now());
    const pollMs = stall.pollMs ?? 5_000;
    const first = readTicks(pid);
    if (first === undefined) return; // no /proc: nothing to watch with
    const detector = stallDetector(stall.limitSeconds, now(), first);
    watch = setInterval(() => {
      const ticks = readTicks(pid);
      if (ticks === undefined) return;
      const seconds = detector.reading(now(), ticks);
      if (seconds === undefined) return;
      clearInterval(watch);
      const progress = stall.progressFile;
      const unfinished =
        progress !== undefined && existsSync(progress)
          ? unfinishedFiles(readFileSync(progress, 'utf8')).map((f) => relative(process.cwd(), f))
          : [];
      stalled = { seconds, unfinished };
      endTree(pid, pollMs).then(() => finish(1));
    }, pollMs);
    watch.unref();
  });
}

/** Whether `pid` is still running: there, and neither a zombie nor dead. */
function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(state.slice(state.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * Ends `pid` and every process below it: SIGTERM, then SIGKILL to what still runs after
 * {@link GRACE_MS}. Resolves once none of them runs, so nothing of a stalled step outlives its
 * result (a process of it that escaped holding the output pipes open would otherwise keep the
 * step from ever closing).
 */
function endTree(pid: number, pollMs: number): Promise<void> {
  const pids = treePids(pid);
  signalAll(pids, 'SIGTERM');
  const killAt = performance.now() + GRACE_MS;
  let killed = false;
  return new Promise((ended) => {
    const check = setInterval(
      () => {
        const left = pids.filter(running);
        if (left.length === 0) {
          clearInterval(check);
          ended();
        } else if (!killed && performance.now() >= killAt) {
          killed = true;
          signalAll(new Set([...left, ...treePids(pid)]), 'SIGKILL');
        }
      },
      Math.min(pollMs, 200),
    );
  });
}

/** The line that names a stalled step: how long, and the files that did not finish. */
export function stallLine(name: string, stall: Stall): string {
  const files =
    stall.unfinished.length > 0
      ? `files started and not finished: ${stall.unfinished.join(', ')}`
      : 'every file it started had finished (a worker, a teardown or the runner itself hung)';
  return `${name}: STALLED - no CPU for ${Math.round(stall.seconds)} s, so it was ended; ${files}`;
}
