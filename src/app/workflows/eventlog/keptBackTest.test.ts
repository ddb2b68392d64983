/**
 * The capacity-model check kept in the project: which finished checks are put (only the project's
 * own, of a workflow still there, and only what storage would accept), each job once.
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../../../formats/project.ts';
import { fixtureProject, fixtureWorkflowBackTest } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { createJobRegistry, type Job } from '../../jobs/jobRegistry.ts';
import {
  type Answered,
  MODEL_CHECK_KIND,
  type ModelCheckOutcome,
  type ModelCheckRequest,
} from './eventLogJobs.ts';
import { backTestKeeper, backTestToKeep } from './keptBackTest.ts';

const project: Project = { ...fixtureProject(), workflowBackTests: [] };
const today = project.workflows.find((w) => w.id === 'w1') as Workflow;
const record = fixtureWorkflowBackTest('w1', today);

function answer(
  overrides: { projectId?: string; outcome?: ModelCheckOutcome } = {},
): Answered<ModelCheckRequest, ModelCheckOutcome> {
  const request = {
    file: new File(['case,activity,time\n'], 'intake-march.csv'),
    workflow: today,
    skipBadRows: false,
    projectId: overrides.projectId ?? project.meta.id,
  } as unknown as ModelCheckRequest;
  return { request, outcome: overrides.outcome ?? { ok: true, record } };
}

describe('which finished capacity-model check is kept in the project', () => {
  it('a check of a workflow of the open project, as the job recorded it', () => {
    expect(backTestToKeep(answer(), project)).toEqual(record);
  });

  it.each([
    { description: 'no finished check', made: null },
    {
      description: 'a log that was refused',
      made: answer({ outcome: { ok: false, message: 'no such column' } }),
    },
    { description: 'a check started in another project', made: answer({ projectId: 'another-project' }) },
    {
      description: 'a check of a workflow removed since',
      made: answer({ outcome: { ok: true, record: { ...record, id: 'removed' } } }),
    },
    {
      description: 'a result storage would refuse (a count that is not a number JSON can carry)',
      made: answer({
        outcome: { ok: true, record: { ...record, result: { ...record.result, cases: Number.NaN } } },
      }),
    },
  ])('nothing for $description', ({ made }) => {
    expect(backTestToKeep(made, project)).toBeNull();
  });
});

/** A check job run to its end in a registry of its own (one project session's), with `answered`. */
async function finishedJob(answered: Answered<ModelCheckRequest, ModelCheckOutcome>): Promise<Job> {
  const registry = createJobRegistry();
  const done = new Promise<Job>((resolve) => {
    registry.subscribe(() => {
      const job = registry.latest(MODEL_CHECK_KIND);
      if (job?.status === 'done') resolve(job);
    });
  });
  registry.start({
    kind: MODEL_CHECK_KIND,
    label: 'Capacity model check',
    subject: 'log',
    run: async () => answered,
  });
  return done;
}

describe('each finished check job is kept once, in the project it was started in', () => {
  const other: Project = { ...project, meta: { ...project.meta, id: 'another-project' } };

  it("keeps the next project's first check, though its job has the same id as the last one kept", async () => {
    const first = await finishedJob(answer());
    const next = await finishedJob(answer({ projectId: other.meta.id }));
    expect(next.id).toBe(first.id);
    const keep = backTestKeeper();
    expect(keep(first, project)).toEqual(record);
    expect(keep(next, other)).toEqual(record);
  });

  it('keeps a job once, and files nothing in a project the job was not started in', async () => {
    const job = await finishedJob(answer());
    const keep = backTestKeeper();
    expect(keep(job, other)).toBeNull();
    expect(keep(job, project)).toBeNull();
    const again = backTestKeeper();
    expect(again(job, project)).toEqual(record);
    expect(again(job, project)).toBeNull();
  });

  it('keeps nothing while the check runs, and its result once it is done', async () => {
    const registry = createJobRegistry();
    let finish: (value: Answered<ModelCheckRequest, ModelCheckOutcome>) => void = () => {};
    registry.start({
      kind: MODEL_CHECK_KIND,
      label: 'Capacity model check',
      subject: 'log',
      run: () => new Promise((resolve) => (finish = resolve)),
    });
    const keep = backTestKeeper();
    expect(keep(registry.latest(MODEL_CHECK_KIND), project)).toBeNull();
    const done = new Promise<Job | undefined>((resolve) =>
      registry.subscribe(() => resolve(registry.latest(MODEL_CHECK_KIND))),
    );
    finish(answer());
    expect(keep(await done, project)).toEqual(record);
  });

  it('keeps nothing of a check that failed or was cancelled', async () => {
    const registry = createJobRegistry();
    registry.start({
      kind: MODEL_CHECK_KIND,
      label: 'Capacity model check',
      subject: 'log',
      run: () => new Promise(() => {}),
    });
    registry.cancelAll('user');
    expect(backTestKeeper()(registry.latest(MODEL_CHECK_KIND), project)).toBeNull();
  });
});
