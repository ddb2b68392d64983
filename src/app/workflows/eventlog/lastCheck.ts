/**
 * The last go-live check of each planned workflow, for the editor's drift overlay and the check
 * panel: kept in the project (`workflowChecks`, one per workflow, `#/$defs/workflowCheck` of
 * preflight.project/v1), so it survives closing the tab, autosaves like any document and travels
 * with a project export. What is kept is counts, step ids and activity names — what staff did,
 * never patient content, never case ids, never the log (which stays in memory only).
 *
 * Constraints:
 * - A finished check job is put into the project once, by {@link useKeepGoLiveChecks} at the
 *   app's top (jobs run on while the user is in another workspace), and only into the project it
 *   was started in, for a workflow still there.
 * - A kept check remembers the canonical hash of the workflow it was made on: once the workflow
 *   changed, {@link useLastCheck} says `stale` and the screens say the marks are out of date,
 *   instead of drawing them as if they were current.
 * - Loading validates it: storage and project import check it against the format like every
 *   document (a damaged one refuses the load with its path); a check storage would refuse is
 *   never put (it would stop autosave).
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ConformOutcome } from '../../../../workers/eventLogApi.ts';
import type { ProjectChange } from '../../../core/project/changes.ts';
import { checkFreshness, workflowCheckOf } from '../../../core/workflow/eventlog/index.ts';
import type { Project, WorkflowCheck } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { writeProblems } from '../../../storage/documentRecord.ts';
import type { Job } from '../../jobs/jobRegistry.ts';
import { useJobRegistry } from '../../jobs/useJobs.ts';
import { type Answered, answerOf, CONFORM_KIND, type ConformRequest } from './eventLogJobs.ts';

/** The last check of one workflow as the screens show it. */
export interface LastCheck {
  workflowId: string;
  logName: string;
  /** when the check finished (RFC 3339) */
  checkedAt: string;
  result: WorkflowCheck['result'];
  /** the workflow changed since the check: its marks may no longer fit */
  stale: boolean;
}

/**
 * The check to keep in `project` from a finished check job's answer, or null: a failed check, one
 * started in another project, of a workflow no longer in it, or one storage would refuse.
 */
export function checkToKeep(
  answer: Answered<ConformRequest, ConformOutcome> | null,
  project: Project,
  checkedAt: string,
): WorkflowCheck | null {
  if (!answer?.outcome.ok || answer.request.projectId !== project.meta.id) return null;
  const { workflow } = answer.request;
  if (!project.workflows.some((w) => w.id === workflow.id)) return null;
  const check = workflowCheckOf(
    workflow,
    answer.request.file.name,
    checkedAt,
    answer.outcome.result,
    answer.outcome.observed,
  );
  return writeProblems(project.meta.id, 'workflowCheck', check).length === 0 ? check : null;
}

/** The kept check of `workflow` in `project`, with whether it is out of date; null when none. */
export function lastCheckOf(project: Project, workflow: Workflow | undefined): LastCheck | null {
  if (!workflow) return null;
  const check = project.workflowChecks?.find((c) => c.id === workflow.id);
  if (!check) return null;
  return {
    workflowId: check.id,
    logName: check.log,
    checkedAt: check.checkedAt,
    result: check.result,
    stale: checkFreshness(check, workflow) !== 'current',
  };
}

/**
 * The last check of `workflow` (the editor passes the workflow being edited, so an edit makes
 * the check stale at once). Hashing runs when the check or the workflow object changes.
 */
export function useLastCheck(project: Project, workflow: Workflow | undefined): LastCheck | null {
  const check = project.workflowChecks?.find((c) => c.id === workflow?.id);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the found check stands for the project
  return useMemo(() => lastCheckOf(project, workflow), [check, workflow]);
}

/**
 * The newest go-live check job. Selected in the store's snapshot, so the caller re-renders when
 * that job changes, not on every progress report of every other job (jobs are immutable
 * snapshots: an unchanged job keeps its identity). The app's top calls this: a re-render there
 * is a re-render of everything.
 */
function useLatestCheckJob(): Job | undefined {
  const registry = useJobRegistry();
  const subscribe = useCallback(
    (listener: () => void) => registry?.subscribe(listener) ?? (() => {}),
    [registry],
  );
  const latest = useCallback(() => {
    let found: Job | undefined;
    for (const job of registry?.getJobs() ?? []) if (job.key === CONFORM_KIND) found = job;
    return found;
  }, [registry]);
  return useSyncExternalStore(subscribe, latest);
}

/** The wall clock, as RFC 3339 (the time a finished check is recorded with). */
const wallClock = () => new Date().toISOString();

/**
 * Which finished check job to keep, each job once: called with the newest check job and the open
 * project, it gives the check to put, or null. Jobs are told apart by object, not by id: ids start
 * again at "job-1" in another project's registry, and an id alone would make the next project's
 * first check look kept already. A job is remembered only once a project is open to judge it.
 */
export function checkKeeper(): (
  job: Job | undefined,
  project: Project,
  now: () => string,
) => WorkflowCheck | null {
  let kept: Job | null = null;
  return (job, project, now) => {
    if (job?.status !== 'done' || kept === job) return null;
    kept = job;
    return checkToKeep(answerOf<ConformRequest, ConformOutcome>(job, CONFORM_KIND), project, now());
  };
}

/**
 * Puts each finished go-live check into the open project, once per job. Mounted once, at the
 * app's top, so a check that finishes while the user is in another workspace is kept too.
 * `now` gives the time the check is recorded with (when it finished, as the user sees it).
 */
export function useKeepGoLiveChecks(
  project: Project | null,
  dispatch: ((change: ProjectChange) => void) | undefined,
  now: () => string = wallClock,
): void {
  const job = useLatestCheckJob();
  const [keep] = useState(checkKeeper);
  useEffect(() => {
    if (!project || !dispatch) return;
    const check = keep(job, project, now);
    if (check) dispatch({ type: 'workflowCheck/put', workflowCheck: check });
  }, [keep, job, project, dispatch, now]);
}
