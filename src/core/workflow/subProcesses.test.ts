/**
 * Sub-processes as pages: which steps each page shows, the flows between them (lifted out of a
 * sub-process), the trail back, and a sub-process's inner expected time, which is what the
 * analysis counts for it.
 */
import { describe, expect, it } from 'vitest';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../formats/workflow.ts';
import { computeMetrics } from './metrics.ts';
import { pageTrail, subProcessIds, subProcessMinutes, workflowPage } from './subProcesses.ts';

const step = (id: string, extra: Partial<Step> = {}): Step => ({
  id,
  label: id.toUpperCase(),
  lane: 'nurse',
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 0,
  waitMin: 0,
  clicks: 0,
  enters: [],
  ...extra,
});

/** start → check-in (sub-process: form → [id-check (inside verify)] → vitals) → end */
const workflow: Workflow = {
  format: WORKFLOW_FORMAT,
  id: 'w',
  name: 'Visit',
  state: 'current',
  arrivalsPerHour: 0,
  lanes: [{ id: 'nurse', name: 'Nurse', staff: 1 }],
  steps: [
    step('start', { kind: 'start' }),
    step('checkin'),
    step('form', { within: 'checkin', touchMin: 4 }),
    step('verify', { within: 'checkin' }),
    step('idcheck', { within: 'verify', touchMin: 2, waitMin: 1 }),
    step('vitals', { within: 'checkin', touchMin: 5 }),
    step('end', { kind: 'end' }),
  ],
  flows: [
    { from: 'start', to: 'checkin', transfer: 'none' },
    { from: 'checkin', to: 'form', transfer: 'none' },
    { from: 'form', to: 'verify', transfer: 'none' },
    { from: 'verify', to: 'idcheck', transfer: 'none' },
    { from: 'idcheck', to: 'vitals', transfer: 'none' },
    { from: 'vitals', to: 'end', transfer: 'manual' },
  ],
};

const ids = (w: Workflow) => w.steps.map((s) => s.id);
const pairs = (w: Workflow) => w.flows.map((f) => `${f.from}→${f.to}`);

describe('sub-process pages', () => {
  it('knows the sub-processes', () => {
    expect([...subProcessIds(workflow)].sort()).toEqual(['checkin', 'verify']);
  });

  it('shows a sub-process as one step on the workflow’s page, its way out leaving from it', () => {
    const page = workflowPage(workflow, undefined);
    expect(ids(page)).toEqual(['start', 'checkin', 'end']);
    expect(pairs(page)).toEqual(['start→checkin', 'checkin→end']);
    expect(page.flows[1]?.transfer).toBe('manual'); // the flow it stands for
  });

  it('shows the inner steps on the sub-process’s page, a nested one as one step', () => {
    expect(ids(workflowPage(workflow, 'checkin'))).toEqual(['form', 'verify', 'vitals']);
    expect(pairs(workflowPage(workflow, 'checkin'))).toEqual(['form→verify', 'verify→vitals']);
    expect(ids(workflowPage(workflow, 'verify'))).toEqual(['idcheck']);
  });

  it('keeps a step’s flow back to itself, and lifts a flow into a sub-process’s inner step', () => {
    const redo: Workflow = {
      ...workflow,
      flows: [
        ...workflow.flows,
        { from: 'start', to: 'start', transfer: 'none' },
        { from: 'end', to: 'vitals', transfer: 'none' },
      ],
    };
    expect(pairs(workflowPage(redo, undefined))).toEqual([
      'start→checkin',
      'checkin→end',
      'start→start',
      'end→checkin',
    ]);
  });

  it('gives the trail from the workflow’s page down to a sub-process', () => {
    expect(pageTrail(workflow, 'verify')).toEqual([
      { id: 'checkin', label: 'CHECKIN' },
      { id: 'verify', label: 'VERIFY' },
    ]);
    expect(pageTrail(workflow, undefined)).toEqual([]);
    expect(pageTrail(workflow, 'form')).toEqual([]); // not a sub-process
  });

  it('ignores a loop of withins: its steps stay on the workflow’s page', () => {
    const looped: Workflow = {
      ...workflow,
      steps: [step('a', { within: 'b' }), step('b', { within: 'a' })],
      flows: [],
    };
    expect(subProcessIds(looped).size).toBe(0);
    expect(ids(workflowPage(looped, undefined))).toEqual(['a', 'b']);
  });

  it('times a sub-process by its inner expected time, which the totals count once', () => {
    const metrics = computeMetrics(workflow);
    const minutes = subProcessMinutes(workflow, metrics);
    expect(minutes.get('verify')).toBe(3);
    expect(minutes.get('checkin')).toBe(4 + 3 + 5);
    if (!metrics.ok) throw new Error('no metrics');
    // the case's time is the inner steps' (the sub-process steps themselves take none)
    expect(metrics.metrics.touchMin + metrics.metrics.waitMin).toBe(12);
  });
});
