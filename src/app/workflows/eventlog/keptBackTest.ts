/**
 * The last capacity-model check (back-test) of each workflow, kept in the project
 * (`workflowBackTests`, one per workflow): what the check panel and the Capacity tab show after a
 * reload, without the log (which stays in memory only).
 *
 * Constraints:
 * - A finished check job is put into the project once, by {@link useKeepBackTests} at the app's
 *   top (the job runs on while the user is in another workspace), and only into the project it
 *   was started in, for a workflow still there.
 * - A result storage would refuse is never put (it would stop autosave).
 */
import { useEffect, useState } from 'react';
import type { ProjectChange } from '../../../core/project/changes.ts';
import type { Project, WorkflowBackTest } from '../../../formats/project.ts';
import { writeProblems } from '../../../storage/documentRecord.ts';
import type { Job } from '../../jobs/jobRegistry.ts';
import { useLatestJobStatus } from '../../jobs/useJobs.ts';
import {
  type Answered,
  answerOf,
  MODEL_CHECK_KIND,
  type ModelCheckOutcome,
  type ModelCheckRequest,
} from './eventLogJobs.ts';

/**
 * The result to keep in `project` from a finished check job's answer, or null: a refused log, a
 * check started in another project, of a workflow no longer in it, or one storage would refuse.
 */
export function backTestToKeep(
  answer: Answered<ModelCheckRequest, ModelCheckOutcome> | null,
  project: Project,
): WorkflowBackTest | null {
  if (!answer?.outcome.ok || answer.request.projectId !== project.meta.id) return null;
  const { record } = answer.outcome;
  if (!project.workflows.some((w) => w.id === record.id)) return null;
  return writeProblems(project.meta.id, 'workflowBackTest', record).length === 0 ? record : null;
}

/**
 * Which finished check job to keep, each job once: called with the newest check job and the open
 * project, it gives the result to put, or null. Jobs are told apart by object, not by id: ids start
 * again at "job-1" in another project's registry. A job is remembered only once a project is open
 * to judge it.
 */
export function backTestKeeper(): (job: Job | undefined, project: Project) => WorkflowBackTest | null {
  let kept: Job | null = null;
  return (job, project) => {
    if (job?.status !== 'done' || kept === job) return null;
    kept = job;
    return backTestToKeep(answerOf<ModelCheckRequest, ModelCheckOutcome>(job, MODEL_CHECK_KIND), project);
  };
}

/**
 * Puts each finished capacity-model check into the open project, once per job. Mounted once, at
 * the app's top, so a check that finishes while the user is in another workspace is kept too.
 */
export function useKeepBackTests(
  project: Project | null,
  dispatch: ((change: ProjectChange) => void) | undefined,
): void {
  const job = useLatestJobStatus(MODEL_CHECK_KIND);
  const [keep] = useState(backTestKeeper);
  useEffect(() => {
    if (!project || !dispatch) return;
    const record = keep(job, project);
    if (record) dispatch({ type: 'workflowBackTest/put', workflowBackTest: record });
  }, [keep, job, project, dispatch]);
}
