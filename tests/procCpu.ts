/**
 * A process tree's CPU time from /proc, and the lines the test set-up writes with it
 * (tests/setup/fileCpu.ts): one per test file, read back into the per-file table
 * (tests/fileTable.ts). No side effect on import, so the runner and the tests can use it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The file each worker appends one JSON line per test file to. */
export const FILE_CPU_LINES = 'file-cpu.jsonl';

/** One line of {@link FILE_CPU_LINES}. */
export interface FileCpuLine {
  /** absolute path of the test file */
  file: string;
  /** CPU seconds of the worker's process tree over the file */
  cpu: number;
  /** the worker's process id */
  pid: number;
}

/** USER_HZ: the unit of stat(5) times, 100 on Linux. */
const TICKS_PER_SECOND = 100;

/** A process's parent and its CPU ticks: own plus its reaped children's. */
export interface ProcTicks {
  pid: number;
  ppid: number;
  ticks: number;
  /** the process's own ticks (utime + stime), without its reaped children's */
  own: number;
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself hold spaces or ')'. */
export function parseStat(pid: number, stat: string): ProcTicks | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime
  const own = Number(fields[11]) + Number(fields[12]);
  const ticks = own + Number(fields[13]) + Number(fields[14]);
  const ppid = Number(fields[1]);
  return Number.isFinite(ticks) && Number.isFinite(ppid) ? { pid, ppid, ticks, own } : undefined;
}

/** The ticks of `root` and every process below it. */
export function treeTicks(list: readonly ProcTicks[], root: number): number {
  const children = new Map<number, ProcTicks[]>();
  for (const p of list) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let sum = 0;
  const seen = new Set<number>();
  const stack = list.filter((p) => p.pid === root);
  while (stack.length > 0) {
    const p = stack.pop() as ProcTicks;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    sum += p.ticks;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return sum;
}

/** Every process's parent and CPU ticks, from /proc (throws without it). */
export function processList(): ProcTicks[] {
  const list: ProcTicks[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    try {
      const p = parseStat(Number(name), readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (p) list.push(p);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return list;
}

/**
 * Ticks of processes that left this process's tree uncounted, on the process's global object (it
 * outlives a module loaded again, as the spec files of one worker load it). A process's time stays
 * in the tree only when a process of the tree reaps it: Chromium's renderers and its zygote, when
 * the browser they belong to is closed or killed, are reaped by init, and their time leaves with
 * them (a spec that closes a browser of its own would seem to have spent none of its time).
 */
const LEFT_UNCOUNTED = Symbol.for('preflight.procCpu.leftUncountedTicks');

/** A reading of the tree taken before processes are ended outside {@link keepingTreeCpu}. */
const MARKED = Symbol.for('preflight.procCpu.markedTicks');

type TreeCpuGlobal = { [LEFT_UNCOUNTED]?: number; [MARKED]?: number };

function leftUncounted(): number {
  return (globalThis as TreeCpuGlobal)[LEFT_UNCOUNTED] ?? 0;
}

/**
 * The ticks kept so far for processes that left the tree through {@link keepingTreeCpu}: whole
 * ticks, apart from the live tree, so the accounting can be read exactly while other files'
 * processes come and go.
 */
export function keptTreeTicks(): number {
  return leftUncounted();
}

/** The ticks of this process's tree now (throws without /proc). */
function ownTreeTicks(): number {
  return treeTicks(processList(), process.pid);
}

/** The ticks the tree lost between two readings (`before`, `after`), none when it grew. */
export function lostTicks(before: number, after: number): number {
  return Math.max(0, before - after);
}

/**
 * Takes a reading of the tree now, before processes of it are killed (a kill happens at once, the
 * wait for the processes to end comes later): the next {@link keepingTreeCpu} counts from here.
 */
export function markTreeCpu(readTicks: () => number = ownTreeTicks): void {
  const scope = globalThis as TreeCpuGlobal;
  if (scope[MARKED] !== undefined) return;
  try {
    scope[MARKED] = readTicks();
  } catch {
    // no /proc: nothing is measured
  }
}

/**
 * Runs `end`, which ends processes of this tree (a browser's `close()`), and keeps the time the
 * tree lost by it, so {@link treeCpuSeconds} still counts the ended processes' work.
 */
export async function keepingTreeCpu<T>(
  end: () => Promise<T>,
  readTicks: () => number = ownTreeTicks,
): Promise<T> {
  const scope = globalThis as TreeCpuGlobal;
  let before: number | undefined = scope[MARKED];
  scope[MARKED] = undefined;
  try {
    before ??= readTicks();
  } catch {
    return end();
  }
  try {
    return await end();
  } finally {
    try {
      scope[LEFT_UNCOUNTED] = leftUncounted() + lostTicks(before, readTicks());
    } catch {
      // /proc went away: nothing more is measured
    }
  }
}

/**
 * CPU seconds of this process's tree so far, with the time of processes that left it through
 * {@link keepingTreeCpu}; undefined without /proc.
 */
export function treeCpuSeconds(): number | undefined {
  try {
    return (treeTicks(processList(), process.pid) + leftUncounted()) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds so far of the calling thread (/proc/thread-self: the thread whose JavaScript runs
 * this, in a worker thread its own) plus every process below this one, live or reaped. Files in
 * worker threads share one process: a thread's own time is its file's alone, while the children
 * of any thread are counted for every file running at that moment (a figure errs high, never
 * low). Undefined without /proc.
 */
export function threadAndChildrenCpuSeconds(): number | undefined {
  try {
    const thread = parseStat(process.pid, readFileSync('/proc/thread-self/stat', 'utf8'));
    const list = processList();
    const self = list.find((p) => p.pid === process.pid);
    if (!thread || !self) return undefined;
    return (thread.own + treeTicks(list, process.pid) - self.own) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
