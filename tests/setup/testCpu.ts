/**
 * Opt-in set-up: the CPU seconds of each test of a file, for finding what a spec spends its time
 * on. Only when `$PREFLIGHT_TEST_CPU` names a file; otherwise it does nothing. Each line appended
 * there (JSON) is one test's figure from its `beforeEach` to its `afterEach`, or `(hooks)`: the time
 * since the previous test ended (a `beforeAll`, the file's imports). Measured as the per-file table
 * is (tests/setup/fileCpu.ts): the worker's whole process tree, its Chromium included.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { threadAndChildrenCpuSeconds, treeCpuSeconds } from '../procCpu.ts';

const cpuSeconds = isMainThread ? treeCpuSeconds : threadAndChildrenCpuSeconds;
const out = process.env.PREFLIGHT_TEST_CPU;

if (out) {
  const write = (test: string, cpu: number, wall: number) =>
    appendFileSync(
      out,
      `${JSON.stringify({
        file: expect.getState().testPath ?? '',
        test,
        cpu: Math.round(cpu * 100) / 100,
        wall: Math.round(wall) / 1000,
      })}\n`,
    );
  let mark = { cpu: cpuSeconds() ?? 0, wall: performance.now() };
  const since = () => ({ cpu: (cpuSeconds() ?? 0) - mark.cpu, wall: performance.now() - mark.wall });
  const reset = () => {
    mark = { cpu: cpuSeconds() ?? 0, wall: performance.now() };
  };
  beforeEach(() => {
    const gap = since();
    write('(hooks)', gap.cpu, gap.wall);
    reset();
  });
  afterEach(() => {
    const spent = since();
    write(expect.getState().currentTestName ?? '', spent.cpu, spent.wall);
    reset();
  });
  afterAll(() => {
    const gap = since();
    write('(hooks)', gap.cpu, gap.wall);
  });
}
