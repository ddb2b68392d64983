/**
 * In Chromium's production build, a split run's key listing reads a range again in a validator
 * worker (workers/listedRepeatsTask.ts): through two real workers the report lists what one pass
 * (one worker) lists, the task and its answer cross to and from the worker as structured clones,
 * with no console message and no CSP violation. The page's long tasks are measured for the run
 * and for the same run with the read left on the page (printed, never asserted: timings).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, readAgainRows } from '../../src/core/migration/testing/keyMergeCases.ts';
import type { ListedRepeatsHarness } from './harness/listedRepeats.ts';
import { type HarnessPage, openHarnessPage } from './harnessPage.ts';

const HARNESS = 'tests/e2e/harness/listedRepeats.html';

type Harness = { listedRepeats: ListedRepeatsHarness };

/**
 * 15 MB (under the 16 MiB from which key sets spill to OPFS, so they merge in memory), split by
 * two workers inside the U run (kit `readAgainRows`).
 */
const rows = readAgainRows(300_000, 230_000);

let harness: HarnessPage;
let page: Page;

beforeAll(async () => {
  harness = await openHarnessPage(HARNESS);
  ({ page } = harness);
}, 170_000);

afterAll(async () => {
  await harness?.close();
});

describe('the key listing’s read of a range again, in a validator worker, in Chromium', () => {
  it('two workers list what one pass lists, with no console message or CSP violation', async () => {
    const text = csvText(rows);
    expect(text.length).toBeGreaterThan(14 * 1024 * 1024);
    expect(text.length).toBeLessThan(16 * 1024 * 1024);
    const runAs = (how: 'one' | 'workers' | 'page') =>
      page.evaluate(([t, h]) => (window as unknown as Harness).listedRepeats.run(t, h), [text, how] as const);
    const one = await runAs('one');
    const workers = await runAs('workers');
    const onPage = await runAs('page');
    expect(one.crossFile?.duplicateTotals?.[0]).toMatchObject({ keys: 2100, conflictingKeys: 25 });
    expect(workers.crossFile).toEqual(one.crossFile);
    expect(onPage.crossFile).toEqual(one.crossFile);
    // where the second range was read again: by a worker in the app's run, by the page otherwise
    expect(workers.readsInWorkers).toBe(1);
    expect(onPage.readsInWorkers).toBe(0);
    expect(one.readsInWorkers).toBe(0);
    expect(harness.consoleMessages).toEqual([]);
    expect(harness.cspViolations).toEqual([]);
    console.info(
      `page long tasks: read again in a worker ${workers.longTaskMs} ms, on the page ${onPage.longTaskMs} ms, one worker ${one.longTaskMs} ms`,
    );
  });
});
