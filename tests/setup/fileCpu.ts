/**
 * Set-up for every test file, unit and end-to-end: the CPU seconds the file cost, for the per-file
 * table and the budget (tests/fileTable.ts, tests/budget.ts). Only when `$PREFLIGHT_TEST_RESULTS`
 * is set (CI, `npm test`); otherwise it does nothing.
 *
 * A file runs alone in its worker process (files share a worker one after another, never at
 * once), so the CPU of that process's whole tree between this file's start and its end is the
 * file's: the worker's own time and that of the children it reaped (stat(5) utime, stime, cutime,
 * cstime), plus every live descendant's (a CLI it started, the worker's Chromium, a server), found
 * through the parent links in /proc. The start is taken when this set-up runs, before the test
 * file is imported, so its imports count; the end in the file's last `afterAll`.
 *
 * Not counted: a process that left the tree before it ended (PostgreSQL once `pg_ctl` detaches
 * it, anything reparented to init), the worker's start, and the vitest main process (transforms,
 * reporters). With files sharing a worker, the first file to import a module pays for it.
 * Linux only (/proc); elsewhere nothing is written.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';

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
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself hold spaces or ')'. */
export function parseStat(pid: number, stat: string): ProcTicks | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  const ppid = Number(fields[1]);
  return Number.isFinite(ticks) && Number.isFinite(ppid) ? { pid, ppid, ticks } : undefined;
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

function processes(): ProcTicks[] {
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

/** CPU seconds of this process's tree so far; undefined without /proc. */
function treeCpuSeconds(): number | undefined {
  try {
    return treeTicks(processes(), process.pid) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

const out = process.env.PREFLIGHT_TEST_RESULTS;
if (out) {
  const start = treeCpuSeconds();
  if (start !== undefined) {
    afterAll(() => {
      const end = treeCpuSeconds();
      if (end === undefined) return;
      const line: FileCpuLine = {
        file: expect.getState().testPath ?? '',
        cpu: Math.max(0, Math.round((end - start) * 100) / 100),
        pid: process.pid,
      };
      appendFileSync(join(out, FILE_CPU_LINES), `${JSON.stringify(line)}\n`);
    });
  }
}
