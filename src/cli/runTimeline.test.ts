import { describe, expect, it } from 'vitest';
import { createTimeline, TIMELINE_VARIABLE, type TimelineHost } from './runTimeline.ts';

/** A host with a fixed clock and CPU reading that keeps what is written. */
function hostOf(env: Record<string, string | undefined>, thread: number, startedAt: number, now: number) {
  const lines: string[] = [];
  const host: TimelineHost = {
    env,
    thread,
    startedAt,
    now: () => now,
    cpuMs: () => 250,
    write: (line) => {
      lines.push(line);
    },
  };
  return { host, lines };
}

describe('the run timeline (PREFLIGHT_TIMELINE=1)', () => {
  it.each([
    { description: 'unset', value: undefined },
    { description: '"0"', value: '0' },
    { description: '"yes"', value: 'yes' },
  ])('writes nothing when the variable is $description', ({ value }) => {
    const { host, lines } = hostOf({ [TIMELINE_VARIABLE]: value }, 0, 1000, 1500);
    createTimeline(host)('validate: contract compiled');
    expect(lines).toEqual([]);
  });

  it('writes thread, ms since the main thread started, thread CPU and the step, and leaves the origin for workers', () => {
    const env: Record<string, string | undefined> = { [TIMELINE_VARIABLE]: '1' };
    const main = hostOf(env, 0, 1000, 1500);
    createTimeline(main.host)('validate: run');
    expect(main.lines).toEqual(['timeline 0 500 250 validate: run\n']);
    // a worker started later measures from the main thread's start, not its own
    const worker = hostOf({ ...env }, 3, 1200, 1700.4);
    createTimeline(worker.host)('worker: range 110668166 start');
    expect(worker.lines).toEqual(['timeline 3 700 250 worker: range 110668166 start\n']);
  });

  it('a worker given no origin measures from its own start, and leaves none', () => {
    const env: Record<string, string | undefined> = { [TIMELINE_VARIABLE]: '1' };
    const worker = hostOf(env, 2, 1200, 1300);
    createTimeline(worker.host)('worker: serving');
    expect(worker.lines).toEqual(['timeline 2 100 250 worker: serving\n']);
    expect(Object.keys(env)).toEqual([TIMELINE_VARIABLE]);
  });
});
