/**
 * Set-up for every test file, unit and end-to-end: the CPU seconds the file cost (tests/procCpu.ts), for the per-file
 * table and the budget (tests/fileTable.ts, tests/budget.ts). Only when `$PREFLIGHT_TEST_RESULTS`
 * is set (CI, `npm test`); otherwise it does nothing.
 *
 * Unit files run in worker threads of one process (vitest's `threads` pool): a file's figure is
 * its thread's own CPU plus that of every process below the worker process (tests/procCpu.ts
 * `threadAndChildrenCpuSeconds`; a CLI another thread started at the same time counts for both
 * files, so a figure errs high). An end-to-end spec runs alone in its worker process (files share
 * a worker one after another, never at once), so the CPU of that process's whole tree between this
 * file's start and its end is the file's: the worker's own time and that of the children it reaped (stat(5) utime, stime, cutime,
 * cstime), plus every live descendant's (a CLI it started, the worker's Chromium, a server), found
 * through the parent links in /proc. The start is taken when this set-up runs, before the test
 * file is imported, so its imports count; the end in the file's last `afterAll`.
 *
 * A process handed to init before it ended leaves the tree with its time: a browser of the spec's
 * own, closed or killed, takes its renderers' time with it, so its `close()` keeps what the tree
 * lost (tests/e2e/browser.ts, tests/procCpu.ts `keepingTreeCpu`). Not counted: any other process
 * that left the tree before it ended (PostgreSQL once `pg_ctl` detaches it), the worker's start,
 * and the vitest main process (transforms, reporters). With files sharing a worker, the first file to import a module pays for it.
 * Linux only (/proc); elsewhere nothing is written.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterAll, expect } from 'vitest';
import { FILE_CPU_LINES, type FileCpuLine, threadAndChildrenCpuSeconds, treeCpuSeconds } from '../procCpu.ts';

/** A file in a worker process has the whole tree; one in a worker thread, its thread and the children. */
const cpuSeconds = isMainThread ? treeCpuSeconds : threadAndChildrenCpuSeconds;

const out = process.env.PREFLIGHT_TEST_RESULTS;
if (out) {
  const start = cpuSeconds();
  if (start !== undefined) {
    afterAll(() => {
      const end = cpuSeconds();
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
