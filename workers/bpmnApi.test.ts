/**
 * BPMN import and export through the path the app takes (client → pool → comlink → bpmnApi →
 * src/core), with the Worker faked: the MIWG reference models import there exactly as in the core.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { InputReadError } from '../src/core/jobs/errors.ts';
import { importBpmnBytes } from '../src/core/workflow/bpmn/index.ts';
import { miwgBytes, miwgFiles } from '../tests/fixtures/miwg.ts';
import { type BpmnWorkerApi, createBpmnApi } from './bpmnApi.ts';
import { exportBpmnInPool, importBpmnInPool } from './bpmnClient.ts';
import { createWorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';

const pool = createWorkerPool<BpmnWorkerApi>({
  name: 'bpmn',
  size: 1,
  create: () => new FakeWorker(createBpmnApi()),
});
afterAll(() => pool.destroy());

describe('BPMN worker', () => {
  it.each(miwgFiles())('imports MIWG %s as the core does', async (name) => {
    const bytes = miwgBytes(name);
    const result = await importBpmnInPool(pool, new Blob([bytes]));
    expect(result.workflow).toBeDefined();
    expect(result).toEqual(await importBpmnBytes(bytes, { layoutWithoutDiagram: true }));
  });

  it('returns problems, not an exception, for a file that is not BPMN', async () => {
    const result = await importBpmnInPool(pool, new Blob(['name,dob\n']));
    expect(result.workflow).toBeUndefined();
    expect(result.problems[0]?.code).toBe('not-xml');
  });

  it('rejects with InputReadError when the file cannot be read', async () => {
    const unreadable = { arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) };
    const failing = createWorkerPool<BpmnWorkerApi>({
      name: 'bpmn',
      size: 1,
      create: () =>
        new FakeWorker({
          ...createBpmnApi(),
          importFile: () => createBpmnApi().importFile(unreadable as unknown as Blob),
        }),
    });
    await expect(importBpmnInPool(failing, new Blob([]))).rejects.toBeInstanceOf(InputReadError);
    failing.destroy();
  });

  it('exports a workflow that imports back the same', async () => {
    const imported = await importBpmnInPool(pool, new Blob([miwgBytes('A.2.0.bpmn')]));
    if (!imported.workflow) throw new Error('no workflow');
    const xml = await exportBpmnInPool(pool, imported.workflow);
    const again = await importBpmnInPool(pool, new Blob([xml]));
    expect(again.workflow?.steps.map((s) => s.id)).toEqual(imported.workflow.steps.map((s) => s.id));
  });
});
