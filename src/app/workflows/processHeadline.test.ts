import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../core/workflow/index.ts';
import { loadWorkflow, type Step, type Workflow } from '../../formats/workflow.ts';
import { processHeadlines, processTitle } from './processHeadline.ts';

function sample(name: string): Workflow {
  const json: unknown = JSON.parse(
    readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8'),
  );
  const loaded = loadWorkflow(json);
  if (!loaded.ok) throw new Error(`sample ${name} does not load`);
  return loaded.value;
}

const intakeCurrent = sample('patient-intake.current');
const intakeFuture = sample('patient-intake.future');
const labCurrent = sample('lab-results.current');

function task(id: string, extra: Partial<Step> = {}): Step {
  return {
    id,
    label: id,
    lane: 'l',
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...extra,
  };
}

/** A workflow whose loop has no way out: it has no numbers, only a reason. */
const trapped: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'trapped',
  name: 'Trapped',
  state: 'current',
  arrivalsPerHour: 10,
  lanes: [{ id: 'l', name: 'L', staff: 1 }],
  steps: [
    task('s', { kind: 'start', touchMin: 0 }),
    task('a'),
    task('b'),
    task('e', { kind: 'end', touchMin: 0 }),
  ],
  flows: [
    { from: 's', to: 'a', transfer: 'none' },
    { from: 'a', to: 'b', transfer: 'none' },
    { from: 'b', to: 'a', probability: 1, transfer: 'none' },
    { from: 'b', to: 'e', probability: 0, transfer: 'none' },
  ],
};

describe('processHeadlines', () => {
  it('gives each process its pair with the numbers per patient the full analysis computes', () => {
    const [intake, lab] = processHeadlines([intakeFuture, labCurrent, intakeCurrent], {});
    expect(intake?.key).toBe(intakeCurrent.process);
    expect(intake?.workflows.map((w) => w.id)).toEqual([intakeCurrent.id, intakeFuture.id]);
    const metrics = computeMetrics(intakeCurrent);
    if (!metrics.ok) throw new Error('the intake sample has metrics');
    expect(intake?.current?.numbers).toEqual({
      ok: true,
      touchMin: metrics.metrics.touchMin,
      waitMin: metrics.metrics.waitMin + metrics.metrics.queueWaitMin,
      handoffs: metrics.metrics.handoffs,
    });
    expect(intake?.future?.workflow.id).toBe(intakeFuture.id);
    expect(intake?.future?.findings.length).toBeGreaterThan(0);
    // a process with only today's workflow has no planned side
    expect(lab?.future).toBeUndefined();
    expect(lab?.current?.workflow.id).toBe(labCurrent.id);
  });

  it('says why a workflow has no numbers instead of showing any', () => {
    const [headline] = processHeadlines([trapped], {});
    expect(headline?.current?.numbers).toEqual({
      ok: false,
      reason: 'cannot be timed: it has a loop with no way out',
    });
  });
});

describe('processTitle', () => {
  it.each([
    ['patient-intake', 'Patient intake'],
    ['lab_results', 'Lab results'],
    ['  x ', 'X'],
  ])('%s → %s', (key, title) => {
    expect(processTitle(key)).toBe(title);
  });
});
