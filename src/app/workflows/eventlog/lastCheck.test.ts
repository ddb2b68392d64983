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
import { createJobRegistry, type Job } from '../../jobs/jobRegistry.ts';
import { type Answered, CONFORM_KIND, type ConformRequest } from './eventLogJobs.ts';
import { checkKeeper, checkToKeep, lastCheckOf } from './lastCheck.ts';

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

  it('keeps what the log showed of the forecast load beside it, for the readiness board', () => {
    const observed = {
      cases: 40,
      activeHours: 8,
      meanCaseMin: 31.5,
      lanes: { nurse: { instances: 40, timed: 40, touchMin: 260, designedTouchMin: 160, people: 2 } },
    };
    const made = answer({ outcome: { ok: true, reading: {} as never, result, observed } });
    expect(checkToKeep(made, project, NOW)).toEqual({ ...fixtureWorkflowCheck('w2', planned), observed });
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

/** A check job run to its end in a registry of its own (one project session's), with `answered`. */
async function finishedCheckJob(answered: Answered<ConformRequest, ConformOutcome>): Promise<Job> {
  const registry = createJobRegistry();
  const done = new Promise<Job>((resolve) => {
    registry.subscribe(() => {
      const job = registry.latest(CONFORM_KIND);
      if (job?.status === 'done') resolve(job);
    });
  });
  registry.start({ kind: CONFORM_KIND, label: 'Go-live check', subject: 'log', run: async () => answered });
  return done;
}

describe('each finished check job is kept once, in the project it was started in', () => {
  const other: Project = { ...project, meta: { ...project.meta, id: 'another-project' } };
  const clock = () => NOW;

  it("keeps the next project's first check, though its job has the same id as the last one kept", async () => {
    const first = await finishedCheckJob(answer());
    const next = await finishedCheckJob(answer({ projectId: other.meta.id }));
    expect(next.id).toBe(first.id);
    const keep = checkKeeper();
    expect(keep(first, project, clock)).toEqual(fixtureWorkflowCheck('w2', planned));
    expect(keep(next, other, clock)).toEqual(fixtureWorkflowCheck('w2', planned));
  });

  it('keeps a job once, and files nothing in a project the job was not started in', async () => {
    const job = await finishedCheckJob(answer());
    const keep = checkKeeper();
    expect(keep(job, other, clock)).toBeNull();
    expect(keep(job, project, clock)).toBeNull();
    const again = checkKeeper();
    expect(again(job, project, clock)).not.toBeNull();
    expect(again(job, project, clock)).toBeNull();
  });

  it('keeps nothing while the newest check job runs, and the job once it is done', async () => {
    const registry = createJobRegistry();
    let finish: (value: Answered<ConformRequest, ConformOutcome>) => void = () => {};
    registry.start({
      kind: CONFORM_KIND,
      label: 'Go-live check',
      subject: 'log',
      run: () => new Promise((resolve) => (finish = resolve)),
    });
    const keep = checkKeeper();
    expect(keep(registry.latest(CONFORM_KIND), project, clock)).toBeNull();
    const done = new Promise<Job | undefined>((resolve) =>
      registry.subscribe(() => resolve(registry.latest(CONFORM_KIND))),
    );
    finish(answer());
    expect(keep(await done, project, clock)).toEqual(fixtureWorkflowCheck('w2', planned));
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
