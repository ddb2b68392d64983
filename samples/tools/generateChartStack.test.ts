/**
 * The demo's chart-stack log: the committed files are what the generator makes, and the demo
 * project shows its batching as a finding — the future refill workflow keeps the medical
 * assistant → physician hand-off, so the hours the log measured before the physician's approval
 * become a `kept-handoff-wait` finding (one root cause with the paper-step findings on that step).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, ruleFindingsOf } from '../../src/core/workflow/index.ts';
import { waitSaving } from '../../src/core/workflow/waits/index.ts';
import { loadProjectFile } from '../../src/formats/project.ts';
import { CHART_STACK_LOG, generateChartStack, REFILL_CURRENT } from './generateChartStack.ts';

const sample = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

describe('the demo clinic’s chart-stack log', () => {
  it('the committed log and the measured current refill workflow are what the generator makes', () => {
    const generated = generateChartStack();
    expect(generated[CHART_STACK_LOG] === sample(CHART_STACK_LOG)).toBe(true);
    expect(generated[REFILL_CURRENT]).toBe(sample(REFILL_CURRENT));
  });

  it('opening the demo shows the chart stack’s batching as a finding with its measured hours', () => {
    const loaded = loadProjectFile(JSON.parse(sample('projects/demo-clinic.preflight.json')));
    if (!loaded.ok) throw new Error('the demo project does not load');
    const { workflows } = loaded.value.project;
    const current = workflows.find((w) => w.id === 'prescription-refill-current');
    const future = workflows.find((w) => w.id === 'prescription-refill-future');
    if (!current || !future) throw new Error('the demo has no refill workflows');
    const measured = current.steps.find((s) => s.id === 'physician-approves-paper')?.observed?.waitCauses;
    expect(measured?.hours.batching).toBeGreaterThan(measured?.hours.unavailability ?? 0);

    const analysis = analyzeWorkflow(future, { baseline: current });
    const rootCause = analysis.findings.find((f) => f.rules?.includes('kept-handoff-wait'));
    expect(rootCause?.stepIds).toContain('physician-signs-refill');
    const [kept] = ruleFindingsOf(analysis.findings).filter((f) => f.rule === 'kept-handoff-wait');
    expect(kept?.evidence).toMatchObject({
      replacedStepId: 'physician-approves-paper',
      senders: ['Medical assistant'],
      role: 'Physician',
      // stacks of 4–6; what is left at 16:45 (2 or 3 charts) waited for the clock, not for each
      // other, and the split does not yet claim a batch the clock releases (decision 0277)
      batches: { minSize: 4, maxSize: 6 },
    });
    expect(kept?.evidence.batchingHoursPerCase).toBe(measured?.hours.batching);
    expect(kept?.message).toContain('held for a batch');

    // the what-if: the in-basket worked as refills come saves the batching hours
    const saving = waitSaving(future, current, ['batching'], 5);
    expect(saving.steps.map((s) => s.stepId)).toEqual(['physician-signs-refill']);
    expect(saving.savedHoursPerCase).toBe(measured?.hours.batching);
  });
});
