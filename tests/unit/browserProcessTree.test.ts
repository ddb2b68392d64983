/**
 * The browser benches find Chromium's processes in /proc by a switch on the browser's command line
 * (tests/bench/browserApp.ts): its memory and its CPU time are summed over the same process tree.
 */
import { describe, expect, it } from 'vitest';
import { browserProcessTree, type ProcInfo } from '../bench/browserApp.ts';

const MARKER = '--preflight-bench=7-x';

const proc = (pid: number, ppid: number, cmdline: string): ProcInfo => ({ pid, ppid, cmdline });

const cases: { description: string; list: ProcInfo[]; expected: number[] }[] = [
  {
    description: 'no process carries the marker',
    list: [proc(1, 0, 'init'), proc(10, 1, '/usr/bin/chromium --headless')],
    expected: [],
  },
  {
    description: 'the root and everything below it, renderers under the zygote included',
    list: [
      proc(1, 0, 'init'),
      proc(10, 1, `/usr/bin/chromium --headless ${MARKER}`),
      proc(11, 10, '/usr/bin/chromium --type=zygote'),
      proc(12, 11, '/usr/bin/chromium --type=renderer'),
      proc(13, 10, '/usr/bin/chromium --type=utility'),
      proc(20, 1, 'node bench'),
    ],
    expected: [10, 11, 12, 13],
  },
  {
    description: 'a child listed before its parent (pids wrap around)',
    list: [
      proc(5, 40, '/usr/bin/chromium --type=renderer'),
      proc(40, 30, '/usr/bin/chromium --type=zygote'),
      proc(30, 1, `/usr/bin/chromium ${MARKER}`),
    ],
    expected: [5, 40, 30],
  },
  {
    description:
      "a child process that inherited the marker is not taken for the root; another browser's tree is left out",
    list: [
      proc(31, 30, `/usr/bin/chromium --type=gpu-process ${MARKER}`),
      proc(30, 1, `/usr/bin/chromium ${MARKER}`),
      proc(50, 1, '/usr/bin/chromium --preflight-bench=8-y'),
      proc(51, 50, '/usr/bin/chromium --type=renderer'),
    ],
    expected: [31, 30],
  },
];

describe('browserProcessTree', () => {
  it.each(cases)('$description', ({ list, expected }) => {
    expect(browserProcessTree(list, MARKER).map((p) => p.pid)).toEqual(expected);
  });
});
