/**
 * The last go-live check of a planned workflow, for the editor's drift overlay: the finished
 * conformance job's result while the app runs (src/app/jobs), and a copy kept per browser tab
 * (sessionStorage) so the overlay is still there after a reload.
 *
 * Why not in the project: `preflight.project/v1` has no place for check results, and adding a
 * document kind is a format change of its own (schema, migration, export). The result is a view
 * over a log the project does not hold either (the log file stays in memory only), so it lives
 * where the log's reading lives: with the session, like the editor's open workflow
 * (WorkflowsWorkspace.tsx). What is kept is counts, step ids and activity names — what staff did,
 * never patient content, and never case ids.
 */
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ConformOutcome } from '../../../../workers/eventLogApi.ts';
import type { ConformanceResult } from '../../../core/workflow/eventlog/conform.ts';
import { isPlainObject } from '../../../formats/loading.ts';
import type { Job } from '../../jobs/jobRegistry.ts';
import { useJobRegistry } from '../../jobs/useJobs.ts';
import { answerOf, CONFORM_KIND, type ConformRequest } from './eventLogJobs.ts';

/** One finished check: which project and planned workflow, which log, and the result. */
export interface LastCheck {
  projectId: string;
  workflowId: string;
  logName: string;
  result: ConformanceResult;
}

const KEY = 'preflight.lastCheck';

/** A stored check, when it is one (a damaged or older entry is ignored, never trusted). */
function parseCheck(value: unknown): LastCheck | null {
  if (!isPlainObject(value)) return null;
  const { projectId, workflowId, logName, result } = value;
  if (typeof projectId !== 'string' || typeof workflowId !== 'string' || typeof logName !== 'string')
    return null;
  if (!isPlainObject(result) || result.method !== 'alignment') return null;
  const records = ['skipped', 'inserted', 'insertedAfter', 'workarounds', 'repeatedEntry', 'times'] as const;
  if (typeof result.cases !== 'number' || typeof result.unalignedCases !== 'number') return null;
  if (!records.every((k) => isPlainObject(result[k]))) return null;
  return { projectId, workflowId, logName, result: result as unknown as ConformanceResult };
}

/** The check kept in this tab for `projectId` / `workflowId`, or null. */
export function readLastCheck(projectId: string, workflowId: string): LastCheck | null {
  try {
    const check = parseCheck(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
    return check && check.projectId === projectId && check.workflowId === workflowId ? check : null;
  } catch {
    return null;
  }
}

/** Keeps `check` as this tab's last check (one at a time: the newest replaces the older). */
export function writeLastCheck(check: LastCheck): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(check));
  } catch {
    // storage disabled or full: the overlay simply does not come back after a reload
  }
}

/** The check of the app's latest finished go-live check job, when it succeeded. */
function checkOfJob(answer: ReturnType<typeof answerOf<ConformRequest, ConformOutcome>>): LastCheck | null {
  if (!answer?.outcome.ok || answer.request.projectId === undefined) return null;
  return {
    projectId: answer.request.projectId,
    workflowId: answer.request.workflow.id,
    logName: answer.request.file.name,
    result: answer.outcome.result,
  };
}

/**
 * The newest go-live check job. Selected in the store's snapshot, so the editor re-renders when
 * that job changes, not on every progress report of every other job (jobs are immutable
 * snapshots: an unchanged job keeps its identity).
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

/**
 * The last check of `workflowId` in `projectId`: the latest job's when it checked this workflow,
 * else the one kept in the tab. A finished job's check is kept for the next reload.
 */
export function useLastCheck(projectId: string, workflowId: string): LastCheck | null {
  const job = useLatestCheckJob();
  const fromJob = useMemo(
    () => checkOfJob(answerOf<ConformRequest, ConformOutcome>(job, CONFORM_KIND)),
    [job],
  );
  useEffect(() => {
    if (fromJob) writeLastCheck(fromJob);
  }, [fromJob]);
  return useMemo(() => {
    if (fromJob && fromJob.projectId === projectId && fromJob.workflowId === workflowId) return fromJob;
    return readLastCheck(projectId, workflowId);
    // fromJob changes when a check finishes, after it is written
  }, [fromJob, projectId, workflowId]);
}
