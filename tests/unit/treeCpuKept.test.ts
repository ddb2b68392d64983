/**
 * A spec's CPU figure keeps the time of the processes it ends (tests/procCpu.ts): a browser's
 * renderers outlive the browser process that would reap them, are handed to init and leave the
 * tree with their time, so a spec that closed a browser of its own read as a fraction of its cost.
 * The readings are given here and the kept ticks read apart from the live tree, so the accounting
 * is tested exactly (unit files share one process, and another file's children move the live tree).
 */
import { describe, expect, it } from 'vitest';
import { keepingTreeCpu, keptTreeTicks, lostTicks, markTreeCpu } from '../procCpu.ts';

/** Readings of the tree, one per call, in ticks (1/100 s). */
const readings =
  (...ticks: number[]) =>
  () => {
    const next = ticks.shift();
    if (next === undefined) throw new Error('no more readings');
    return next;
  };

describe.runIf(process.platform === 'linux')('the CPU time of processes a spec ends', () => {
  it('is kept when they end inside keepingTreeCpu: the tree reads what it lost more from then on', async () => {
    const before = keptTreeTicks();
    // the browser's tree read 9.00 s before its close and 6.50 s after it
    await expect(keepingTreeCpu(async () => 'closed', readings(900, 650))).resolves.toBe('closed');
    expect(keptTreeTicks() - before).toBe(250);
  });

  it('is kept from the reading before a kill, when the processes are waited for later', async () => {
    const before = keptTreeTicks();
    // read at the kill (12.00 s) and 8.00 s after the close that waited for the processes
    markTreeCpu(readings(1200));
    await keepingTreeCpu(async () => undefined, readings(800));
    expect(keptTreeTicks() - before).toBe(400);
  });

  it('counts only a loss: a tree that grew over the close lost nothing', async () => {
    expect(lostTicks(120, 100)).toBe(20);
    expect(lostTicks(100, 120)).toBe(0);
    const before = keptTreeTicks();
    await keepingTreeCpu(async () => undefined, readings(100, 130));
    expect(keptTreeTicks() - before).toBe(0);
  });

  it('keeps the time even when the close fails', async () => {
    const before = keptTreeTicks();
    await expect(
      keepingTreeCpu(
        async () => {
          throw new Error('the browser was gone');
        },
        readings(500, 300),
      ),
    ).rejects.toThrow('the browser was gone');
    expect(keptTreeTicks() - before).toBe(200);
  });
});
