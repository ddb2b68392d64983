/**
 * Discovery, conformance and the capacity model's back-test of event logs as jobs of the app (src/app/jobs): they run in the
 * event-log worker, go on while the user is elsewhere, show in the header with progress and
 * cancel, and their last result waits here on return. Each result carries the request that made
 * it (the file, the mapping, the filters), so the screen can show and re-run it after a switch of
 * workspace. The file stays in memory only (never stored, never sent anywhere).
 */
import { useCallback } from 'react';
import type {
  BackTestJobOutcome,
  ConformOutcome,
  DiscoverOutcome,
  MapRequest,
} from '../../../../workers/eventLogApi.ts';
import { backTestInWorker, conformInWorker, discoverInWorker } from '../../../../workers/eventLogClient.ts';
import { hashFileInWorker } from '../../../../workers/hashClient.ts';
import { isJobCancelled } from '../../../core/jobs/errors.ts';
import type { Progress } from '../../../core/jobs/progress.ts';
import {
  type BoundaryChanceEstimate,
  type LogFilters,
  type LogPreview,
  type ReadLogOptions,
  workflowBackTestOf,
} from '../../../core/workflow/eventlog/index.ts';
import type { WorkflowBackTest } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import type { Job, JobSpec } from '../../jobs/jobRegistry.ts';
import { useJobRegistry, useLatestJob } from '../../jobs/useJobs.ts';
import { workflowsHref } from '../../route.ts';

/** Kind and slot of discovery jobs: one discovery at a time, its latest result kept. */
export const DISCOVER_KIND = 'event-log-discover';
/** Kind and slot of conformance jobs. */
export const CONFORM_KIND = 'event-log-conform';
/** Kind and slot of capacity-model checks (back-tests): one at a time, its latest result kept. */
export const MODEL_CHECK_KIND = 'event-log-model-check';

/** How a log is read: the chosen file, what its preview found, and the reading options. */
interface LogRequest {
  file: File;
  preview: LogPreview;
  read: ReadLogOptions;
  /** use the rows without errors when some rows have them */
  skipBadRows: boolean;
}

/** The discovery filters as the form holds them (restored when the user comes back). */
export interface FilterForm {
  /** percent of cases whose paths are kept, 1–100 */
  coverage: number;
  minActivity: number;
  /** yyyy-mm-dd or empty */
  from: string;
  to: string;
  workingHours: boolean;
  startHour: number;
  endHour: number;
  /** waits on the process map counted in the opening hours (startHour–endHour, Monday to Friday) */
  workingTime: boolean;
  /** percent of activities on the process map, 1–100 */
  mapActivities: number;
  /** the variants chosen from the variants list (activity names); empty: every variant */
  variants: string[][];
  /** one condition on a role or system, as an earlier version kept it; read as the first of `attributes` */
  attribute?: AttributeChoice;
  /** the conditions on attributes, all applied; absent or empty: every case */
  attributes?: AttributeChoice[];
}

/**
 * A condition on a role, a system or a kept column as the form holds it (the kept map holds it
 * too: never the resource column).
 */
export interface AttributeChoice {
  attribute: 'role' | 'system' | 'column';
  /** with `column`: the log's column (CSV) or attribute key (XES) */
  column?: string;
  values: string[];
  keep: 'with' | 'without';
}

/** The form's conditions, the older single one first (see {@link FilterForm.attribute}). */
export function attributeChoices(form: Pick<FilterForm, 'attribute' | 'attributes'>): AttributeChoice[] {
  return [...(form.attribute ? [form.attribute] : []), ...(form.attributes ?? [])];
}

/** A discovery request: the log, the filters as typed, and as discovery takes them. */
export interface DiscoverRequest extends LogRequest {
  form: FilterForm;
  filters: LogFilters;
  /** the process map measured on the same filtered log */
  map: MapRequest;
  /** the project the discovery was started in (only that project keeps its map) */
  projectId?: string;
  /** the project's workflows with exception paths, whose chances are measured on the same log */
  chancesFor?: Workflow[];
}

/** A conformance request: the log and the designed workflow it is checked against. */
export interface ConformRequest extends LogRequest {
  workflow: Workflow;
  /** activity → step id, where the new system names a step differently (else matched by name) */
  activityMap: Record<string, string>;
  /** the project the workflow belongs to (the editor's drift overlay shows only its own checks) */
  projectId?: string;
}

/** A capacity-model check: the log replayed through a workflow of the project with its staff. */
export interface ModelCheckRequest extends LogRequest {
  workflow: Workflow;
  /** the project the workflow belongs to (only that project keeps the result) */
  projectId?: string;
}

/**
 * A capacity-model check's outcome: the result as the project keeps it (the log's name, its
 * SHA-256 when the file could be read for it, when the check finished), or why the log was refused.
 */
export type ModelCheckOutcome =
  | {
      ok: true;
      record: WorkflowBackTest;
      /** the checked workflow's exception-path chances measured from the same log */
      boundaryChances?: BoundaryChanceEstimate[];
    }
  | Extract<BackTestJobOutcome, { ok: false }>;

/** A finished job's request and outcome. */
export interface Answered<Q, O> {
  request: Q;
  outcome: O;
}

function readOptions(request: LogRequest) {
  // the preview stays on the page: the worker needs only the reading options
  return { ...request.read, skipBadRows: request.skipBadRows };
}

/** The job that discovers a current workflow from a log. */
export function discoverJob(request: DiscoverRequest): JobSpec<Answered<DiscoverRequest, DiscoverOutcome>> {
  return {
    kind: DISCOVER_KIND,
    key: DISCOVER_KIND,
    label: 'Workflow discovery',
    subject: request.file.name,
    href: workflowsHref({ page: 'logs', tool: 'discover' }),
    run: async ({ signal, reportProgress }) => ({
      request,
      outcome: await discoverInWorker(
        request.file,
        request.file.name,
        {
          ...readOptions(request),
          discover: { source: request.file.name, filters: request.filters },
          map: request.map,
          ...(request.chancesFor ? { chancesFor: request.chancesFor } : {}),
        },
        { signal, onProgress: reportProgress },
      ),
    }),
  };
}

/** The job that checks a log against a designed workflow. */
export function conformJob(request: ConformRequest): JobSpec<Answered<ConformRequest, ConformOutcome>> {
  return {
    kind: CONFORM_KIND,
    key: CONFORM_KIND,
    label: 'Go-live check',
    subject: request.file.name,
    href: workflowsHref({ page: 'logs', tool: 'check', workflow: request.workflow.id }),
    run: async ({ signal, reportProgress }) => ({
      request,
      outcome: await conformInWorker(
        request.file,
        request.file.name,
        request.workflow,
        { ...readOptions(request), conform: { activityMap: request.activityMap } },
        {
          signal,
          onProgress: reportProgress,
        },
      ),
    }),
  };
}

/** The file's SHA-256, or undefined when it cannot be read for it (the result is kept without). */
async function sha256Of(file: Blob, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await hashFileInWorker(file, { signal })).sha256;
  } catch (error) {
    if (isJobCancelled(error)) throw error;
    return undefined;
  }
}

/**
 * A capacity model's check as the header shows it: the log's bytes while it is read, then, once
 * every byte is read, that the cases are being replayed (which the byte count no longer measures).
 */
export function modelCheckProgress(progress: Progress): Progress {
  return progress.total !== null && progress.done >= progress.total
    ? { ...progress, ratePerSecond: 0, etaSeconds: null, step: 'replaying' }
    : progress;
}

/**
 * The job that checks a workflow's capacity model against a log (the back-test), hashing the log
 * beside it so the kept result names the very file. `now` gives the time the result is kept with.
 */
export function modelCheckJob(
  request: ModelCheckRequest,
  now: () => string = () => new Date().toISOString(),
): JobSpec<Answered<ModelCheckRequest, ModelCheckOutcome>> {
  return {
    kind: MODEL_CHECK_KIND,
    key: MODEL_CHECK_KIND,
    label: 'Capacity model check',
    subject: request.file.name,
    href: workflowsHref({ page: 'logs', tool: 'model', workflow: request.workflow.id }),
    run: async ({ signal, reportProgress }) => {
      const { file, workflow } = request;
      const [outcome, sha256] = await Promise.all([
        backTestInWorker(
          file,
          file.name,
          { ...readOptions(request), workflow },
          { signal, onProgress: (progress) => reportProgress(modelCheckProgress(progress)) },
        ),
        sha256Of(file, signal),
      ]);
      if (!outcome.ok) return { request, outcome };
      const log = { name: file.name, ...(sha256 !== undefined ? { sha256 } : {}) };
      return {
        request,
        outcome: {
          ok: true,
          record: workflowBackTestOf(workflow, log, now(), outcome.backTest),
          ...(outcome.boundaryChances ? { boundaryChances: outcome.boundaryChances } : {}),
        },
      };
    },
  };
}

/** The answer of a finished job of `kind`, or null for any other job or state. */
export function answerOf<Q, O>(job: Job | undefined, kind: string): Answered<Q, O> | null {
  if (job?.kind !== kind || job.status !== 'done') return null;
  const answer = job.result as Answered<Q, O> | null;
  return answer && typeof answer === 'object' && 'outcome' in answer ? answer : null;
}

/** A slot's job and its start / cancel actions. */
export function useLogJob<Q>(kind: string, make: (request: Q) => JobSpec) {
  const registry = useJobRegistry();
  const job = useLatestJob(kind);
  const jobId = job?.id;
  const start = useCallback((request: Q) => registry?.start(make(request)), [registry, make]);
  const cancel = useCallback(() => {
    if (jobId) registry?.cancel(jobId, 'user');
  }, [registry, jobId]);
  return { ready: registry !== null, job, start, cancel };
}
