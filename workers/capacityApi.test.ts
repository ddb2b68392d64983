import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { JobCancelledError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import { runCapacityStudy } from '../src/core/workflow/index.ts';
import { loadWorkflow, type Workflow } from '../src/formats/workflow.ts';
import { type CapacityWorkerApi, createCapacityApi } from './capacityApi.ts';
import { runCapacityStudyInPool } from './capacityClient.ts';
import { fakePools } from './testing/fakePools.ts';

// The path the capacity panel takes (capacityClient → pool → comlink → capacityApi → core), with
// the Worker faked.
const { createPool, workers } = fakePools<CapacityWorkerApi>('capacity', createCapacityApi);

function sample(name: string): Workflow {
  const text = readFileSync(new URL(`../samples/workflows/${name}.json`, import.meta.url), 'utf8');
  const loaded = loadWorkflow(JSON.parse(text));
  if (!loaded.ok) throw new Error(`sample ${name} did not load`);
  return loaded.value;
}

describe('capacity worker API through the pool', () => {
  it('gives the same study as the core, with progress in clinic days ending at the total', async () => {
    const workflow = sample('lab-results.future');
    const seen: Progress[] = [];
    const options = { seed: 11, weeks: 2, daysPerWeek: 2, peakDays: 1, replications: 2, warmupMin: 15 };
    const outcome = await runCapacityStudyInPool(createPool(), workflow, options, {
      onProgress: (p) => seen.push(p),
    });
    expect(outcome).toEqual(runCapacityStudy(workflow, options));
    expect(seen.map((p) => [p.done, p.total, p.unit])).toEqual([
      [1, 10, 'days'],
      [2, 10, 'days'],
      [4, 10, 'days'],
      [6, 10, 'days'],
      [8, 10, 'days'],
      [10, 10, 'days'],
    ]);
  });

  it('a cancel stops the study between units without stopping the worker', async () => {
    // fake timers: only the soft cancel can end this job (the hard stop's timer never fires)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controller = new AbortController();
    const seen: number[] = [];
    const job = runCapacityStudyInPool(
      createPool(),
      sample('patient-intake.future'),
      { seed: 3, weeks: 12, daysPerWeek: 1, peakDays: 1 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.done);
          controller.abort();
        },
      },
    );
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers[0]?.terminated).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThan(13); // stopped well before the 13 units
  });

  it('a workflow with a loop no case leaves resolves with the problem, not an error', async () => {
    const workflow = sample('lab-results.current');
    const ends = new Set(workflow.steps.filter((s) => s.kind === 'end').map((s) => s.id));
    const first = workflow.steps.find((s) => s.kind === 'start')?.id ?? '';
    const next = workflow.flows.find((f) => f.from === first)?.to ?? '';
    const trapped: Workflow = {
      ...workflow,
      flows: workflow.flows.map((f) => (ends.has(f.to) ? { ...f, to: next } : f)),
    };
    const outcome = await runCapacityStudyInPool(createPool(), trapped, { weeks: 1 });
    expect(outcome.ok).toBe(false);
  });
});
