import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureProject, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { loadWorkflow } from '../../../formats/workflow.ts';
import { createWorkflow, importWorkflowBytes, importWorkflowText, newWorkflowId } from './importWorkflow.ts';

const emptyProject = () => ({ ...fixtureProject(), workflows: [] });

describe('importWorkflowText', () => {
  it.each([
    { description: 'not JSON', text: '{"format": ', code: 'invalid-json', path: '' },
    {
      description: 'another Preflight format',
      text: JSON.stringify({ format: 'preflight.mapping/v1' }),
      code: 'wrong-format',
      path: '/format',
    },
    {
      description: 'a negative touch time',
      text: JSON.stringify({
        ...fixtureWorkflow(),
        steps: fixtureWorkflow().steps.map((s, i) => (i === 1 ? { ...s, touchMin: -3 } : s)),
      }),
      code: 'out-of-range',
      path: '/steps/1/touchMin',
    },
    {
      description: 'a step in an unknown lane',
      text: JSON.stringify({
        ...fixtureWorkflow(),
        steps: fixtureWorkflow().steps.map((s, i) => (i === 0 ? { ...s, lane: 'nowhere' } : s)),
      }),
      code: 'unknown-reference',
      path: '/steps/0/lane',
    },
  ])('refuses $description with a located problem', ({ text, code, path }) => {
    const result = importWorkflowText(text, emptyProject());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((p) => p.code === code && p.path === path)).toBe(true);
  });

  it('imports a workflow as it is when its id is free', () => {
    const result = importWorkflowText(JSON.stringify(fixtureWorkflow()), emptyProject());
    expect(result).toEqual({ ok: true, workflow: fixtureWorkflow(), warnings: [] });
  });

  it('imports under a new id and name when the id is taken, never overwriting', () => {
    const project = { ...emptyProject(), workflows: [fixtureWorkflow()] };
    const result = importWorkflowText(JSON.stringify(fixtureWorkflow()), project);
    expect(result.ok && result.workflow.id).toBe('w1-2');
    expect(result.ok && result.renamedFrom).toBe('w1');
    expect(result.ok && result.workflow.name).toBe('Patient intake (current) (imported)');
  });

  it('warns (and keeps the workflow) when the baseline is missing or its steps do not match', () => {
    const alone = importWorkflowText(JSON.stringify(fixtureFutureWorkflow()), emptyProject());
    expect(alone.ok && alone.warnings.map((w) => w.path)).toEqual(['/baseline']);
    const baseline = { ...fixtureWorkflow(), steps: fixtureWorkflow().steps.filter((s) => s.id !== 'form') };
    const mismatched = importWorkflowText(JSON.stringify(fixtureFutureWorkflow()), {
      ...emptyProject(),
      workflows: [baseline],
    });
    expect(mismatched.ok && mismatched.warnings.map((w) => w.path)).toEqual(['/steps/1/replaces/0']);
  });
});

describe('importWorkflowBytes', () => {
  it('refuses bytes that are not UTF-8, with the place of the first bad one', () => {
    const text = new TextEncoder().encode(JSON.stringify(fixtureWorkflow()));
    const bad = new Uint8Array([...text.subarray(0, 20), 0xff, ...text.subarray(20)]);
    const result = importWorkflowBytes(bad, emptyProject(), 'intake.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ code: 'invalid-utf8' });
    expect(result.problems[0]?.message).toContain(
      'intake.json is not valid UTF-8 text: the byte at line 1, byte 20 cannot be read',
    );
  });

  it('reads UTF-8 with a byte-order mark', () => {
    const text = new TextEncoder().encode(`\uFEFF${JSON.stringify(fixtureWorkflow())}`);
    expect(importWorkflowBytes(text, emptyProject(), 'intake.json').ok).toBe(true);
  });
});

describe('createWorkflow', () => {
  it('starts a current workflow with one lane and a start step that loads', () => {
    const workflow = createWorkflow(emptyProject(), { name: 'Referral intake', state: 'current' });
    expect(workflow.id).toBe('referral-intake');
    expect(loadWorkflow(workflow).ok).toBe(true);
  });

  it('starts a future workflow from its baseline lanes and demand', () => {
    const project = { ...emptyProject(), workflows: [fixtureWorkflow()] };
    const workflow = createWorkflow(project, {
      name: 'Intake on the new EHR',
      state: 'future',
      baseline: 'w1',
    });
    expect(workflow).toMatchObject({
      state: 'future',
      baseline: 'w1',
      arrivalsPerHour: 6,
      process: 'patient-intake',
    });
    expect(workflow.lanes).toEqual(fixtureWorkflow().lanes);
    expect(loadWorkflow(workflow).ok).toBe(true);
  });

  it.each([
    { description: 'a blank name', params: { name: '  ', state: 'current' as const } },
    { description: 'a future workflow without a baseline', params: { name: 'X', state: 'future' as const } },
    {
      description: 'a future workflow whose baseline is not current',
      params: { name: 'X', state: 'future' as const, baseline: 'w2' },
    },
  ])('refuses $description', ({ params }) => {
    const project = { ...emptyProject(), workflows: [fixtureWorkflow(), fixtureFutureWorkflow()] };
    expect(() => createWorkflow(project, params)).toThrow();
  });

  it('newWorkflowId avoids ids in use', () => {
    const project = {
      ...emptyProject(),
      workflows: [fixtureWorkflow('intake'), fixtureWorkflow('intake-2')],
    };
    expect(newWorkflowId(project, 'intake')).toBe('intake-3');
  });
});
