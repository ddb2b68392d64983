/** Auto-layout through the path the editor takes (client → pool → comlink → layoutApi → src/core), Worker faked. */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { JobCancelledError } from '../src/core/jobs/errors.ts';
import { layoutWorkflow } from '../src/core/workflow/layout/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import { createLayoutApi, type LayoutWorkerApi } from './layoutApi.ts';
import { layoutInPool } from './layoutClient.ts';
import { createWorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';

const pool = createWorkerPool<LayoutWorkerApi>({
  name: 'layout',
  size: 1,
  create: () => new FakeWorker(createLayoutApi()),
});
afterAll(() => pool.destroy());

const sample = JSON.parse(
  readFileSync(new URL('../samples/workflows/lab-results.future.json', import.meta.url), 'utf8'),
) as Workflow;

it('lays out in the worker exactly as in the core', async () => {
  expect(await layoutInPool(pool, sample, { rowGap: 30 })).toEqual(
    await layoutWorkflow(sample, { rowGap: 30 }),
  );
});

it('cancels when the signal aborts', async () => {
  const controller = new AbortController();
  controller.abort();
  await expect(layoutInPool(pool, sample, { signal: controller.signal })).rejects.toBeInstanceOf(
    JobCancelledError,
  );
});
