/**
 * The last go-live check kept in the project: which finished checks are put (only the project's
 * own, of a workflow still there, and only what storage would accept), and how a kept check reads
 * against the workflow now — current, or out of date once the workflow changed.
 */
import { describe, expect, it } from 'vitest';
import type { ConformOutcome } from '../../../../workers/eventLogApi.ts';
import { applyChange } from '../../../core/project/changes.ts';
import type { Project } from '../../../formats/project.ts';
import { fixtureProject, fixtureWorkflowCheck } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import type { Answered, ConformRequest } from './eventLogJobs.ts';
import { checkToKeep, lastCheckOf } from './lastCheck.ts';

const NOW = '2025-03-14T16:20:00.000Z';
const project: Project = { ...fixtureProject(), workflowChecks: [] };
const planned = project.workflows.find((w) => w.id === 'w2') as Workflow;
const result = fixtureWorkflowCheck().result;

function answer(overrides: { projectId?: string; outcome?: ConformOutcome; workflowId?: string } = {}) {
  const request = {
    file: new File(['case,activity,time\n'], 'golive-week-12.csv'),
    workflow: { ...planned, id: overrides.workflowId ?? planned.id },
    activityMap: {},
    projectId: overrides.projectId ?? project.meta.id,
  } as unknown as ConformRequest;
  const outcome: ConformOutcome = overrides.outcome ?? {
    ok: true,
    reading: {} as Extract<ConformOutcome, { ok: true }>['reading'],
    result,
  };
  return { request, outcome } satisfies Answered<ConformRequest, ConformOutcome>;
}

describe('which finished check is kept in the project', () => {
  it('a successful check of a planned workflow of the open project, with the log name and the time', () => {
    expect(checkToKeep(answer(), project, NOW)).toEqual(fixtureWorkflowCheck('w2', planned));
  });

  it.each([
    { description: 'no finished check', made: null },
    {
      description: 'a check that failed',
      made: answer({ outcome: { ok: false, message: 'no such column' } }),
    },
    { description: 'a check started in another project', made: answer({ projectId: 'another-project' }) },
    { description: 'a check of a workflow removed since', made: answer({ workflowId: 'removed' }) },
    {
      description: 'a result storage would refuse (a count that is not a number JSON can carry)',
      made: answer({
        outcome: { ok: true, reading: {} as never, result: { ...result, fitness: Number.NaN } },
      }),
    },
  ])('nothing for $description', ({ made }) => {
    expect(checkToKeep(made, project, NOW)).toBeNull();
  });
});

describe('a kept check against the workflow now', () => {
  const kept = applyChange(
    project,
    { type: 'workflowCheck/put', workflowCheck: fixtureWorkflowCheck('w2', planned) },
    NOW,
  );

  it('is current while the workflow is the one checked', () => {
    expect(lastCheckOf(kept, planned)).toEqual({
      workflowId: 'w2',
      logName: 'golive-week-12.csv',
      checkedAt: NOW,
      result,
      stale: false,
    });
  });

  it('is out of date once the workflow changed, never reused as current', () => {
    const edited = { ...planned, steps: planned.steps.map((s) => ({ ...s, touchMin: s.touchMin + 1 })) };
    expect(lastCheckOf(kept, edited)?.stale).toBe(true);
  });

  it('is not another workflow’s, and a project without checks has none', () => {
    expect(
      lastCheckOf(
        kept,
        project.workflows.find((w) => w.id === 'w1'),
      ),
    ).toBeNull();
    expect(lastCheckOf({ ...project, workflowChecks: undefined }, planned)).toBeNull();
    expect(lastCheckOf(kept, undefined)).toBeNull();
  });
});
