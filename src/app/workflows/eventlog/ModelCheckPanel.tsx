/**
 * "Check a workflow's capacity model": the back-test (src/core/workflow/eventlog/backTest.ts) of a
 * workflow of the project — typically today's workflow, its staff per role corrected by the
 * analyst — against a chosen, mapped event log, in the event-log worker. The log is picked and
 * mapped with the same form as the other event-log tools.
 *
 * Constraints:
 * - The finished result is kept in the project (`workflowBackTests`, one per workflow, through
 *   `onKeep`), with the log's name, its SHA-256 when the file could be read, and the workflow's
 *   canonical hash; a reload shows it again without the log (never stored).
 * - Once the workflow changed since (staff, times, steps), the kept result is said to be out of
 *   date (`backTestFreshness`) rather than shown as the model's standing.
 * - A result is kept only for a workflow still in the project, and only if storage would accept
 *   it (a refused record would stop autosave).
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { BackTestJobOutcome } from '../../../../workers/eventLogApi.ts';
import { backTestInWorker } from '../../../../workers/eventLogClient.ts';
import { hashFileInWorker } from '../../../../workers/hashClient.ts';
import { JobCancelledError } from '../../../core/jobs/errors.ts';
import { backTestFreshness, workflowBackTestOf } from '../../../core/workflow/eventlog/workflowBackTest.ts';
import type { Project, WorkflowBackTest } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { writeProblems } from '../../../storage/documentRecord.ts';
import { checkedWhen, formatCount } from '../../common/format.ts';
import { BackTestResult } from './BackTestPanel.tsx';
import { LogProblems, type LogSetup, LogSourceForm, mappingComplete } from './LogSourceForm.tsx';

/** The workflows to offer: today's first (what a log can check), then the planned ones. */
function offered(project: Project): Workflow[] {
  return [
    ...project.workflows.filter((w) => w.state === 'current'),
    ...project.workflows.filter((w) => w.state !== 'current'),
  ];
}

/** The file's SHA-256, or undefined when it cannot be read for it (the result is kept without). */
async function sha256Of(file: Blob): Promise<string | undefined> {
  try {
    return (await hashFileInWorker(file)).sha256;
  } catch {
    return undefined;
  }
}

export function ModelCheckPanel({
  project,
  chosen,
  onChoose,
  onKeep,
}: {
  project: Project;
  /** the workflow the address names; absent: the first of today's workflows */
  chosen?: string;
  /** a workflow chosen in the list: the page's address follows it */
  onChoose?: (workflowId: string) => void;
  /** keeps a finished back-test in the project; absent: read-only (shown, not kept) */
  onKeep?: (kept: WorkflowBackTest) => void;
}) {
  const workflows = offered(project);
  const [picked, setPicked] = useState(() => workflows[0]?.id ?? '');
  const workflowId = chosen ?? picked;
  const workflow = workflows.find((w) => w.id === workflowId);
  const [setup, setSetup] = useState<LogSetup | null>(null);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'running' }
    | { kind: 'refused'; outcome: Extract<BackTestJobOutcome, { ok: false }>; file: File }
    | { kind: 'failed' }
    | { kind: 'done'; record: WorkflowBackTest }
  >({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const headingId = useId();
  const selectId = useId();
  const running = state.kind === 'running';
  const canRun = workflow !== undefined && setup !== null && mappingComplete(setup.read.mapping);

  const choose = (id: string) => {
    setPicked(id);
    setState((s) => (s.kind === 'running' ? s : { kind: 'idle' }));
    onChoose?.(id);
  };

  const run = async (skip = skipBadRows) => {
    if (!workflow || !setup) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: 'running' });
    const tested = workflow;
    const file = setup.file;
    try {
      const [outcome, sha256]: [BackTestJobOutcome, string | undefined] = await Promise.all([
        backTestInWorker(
          file,
          file.name,
          { ...setup.read, skipBadRows: skip, workflow: tested },
          { signal: abort.signal },
        ),
        sha256Of(file),
      ]);
      if (abort.signal.aborted) return;
      if (!outcome.ok) {
        setState({ kind: 'refused', outcome, file });
        return;
      }
      const record = workflowBackTestOf(
        tested,
        { name: file.name, ...(sha256 !== undefined ? { sha256 } : {}) },
        new Date().toISOString(),
        outcome.backTest,
      );
      setState({ kind: 'done', record });
      if (writeProblems(project.meta.id, 'workflowBackTest', record).length === 0) onKeep?.(record);
    } catch (error) {
      if (error instanceof JobCancelledError || abort.signal.aborted) setState({ kind: 'idle' });
      else setState({ kind: 'failed' });
    }
  };

  // the result just run for this workflow, else the one kept in the project
  const kept = project.workflowBackTests?.find((k) => k.id === workflow?.id);
  const shown = state.kind === 'done' && state.record.id === workflow?.id ? state.record : kept;

  return (
    <section className="eventlog-panel" aria-labelledby={headingId}>
      <h4 id={headingId}>Check a workflow's capacity model against a log</h4>
      <p>
        Before planning on a workflow's capacity figures, replay the clinic's own cases through it: every case
        of the log arrives when it did and does what it did, and the workflow's staff per role serve it. If
        the waits come out as the log recorded them, the model can be trusted; if not, its staff or times need
        correcting.
      </p>
      {chosen !== undefined && workflow === undefined && workflows.length > 0 && (
        <p className="field-hint" role="status">
          The workflow this address names is not in the open project. Choose one below.
        </p>
      )}
      {workflows.length === 0 ? (
        <p className="field-hint">The project has no workflow yet to check.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={selectId}>Workflow to check</label>
            <select
              id={selectId}
              value={workflowId}
              disabled={running}
              onChange={(e) => choose(e.target.value)}
            >
              {workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
            <p className="field-hint">Its steps are matched to the log's activities by name.</p>
          </div>
          <LogSourceForm
            legend="The clinic's event log"
            setup={setup}
            onSetup={(next) => {
              setSetup(next);
              setState((s) => (s.kind === 'running' ? s : { kind: 'idle' }));
            }}
            disabled={running}
          />
          <div className="row">
            <button type="button" className="primary" disabled={!canRun || running} onClick={() => run()}>
              Check the model against this log
            </button>
            {running && (
              <button type="button" onClick={() => controller.current?.abort()}>
                Stop
              </button>
            )}
          </div>
        </>
      )}
      <p role="status">{running ? 'Replaying the log…' : ''}</p>
      {state.kind === 'failed' && (
        <p className="error" role="alert">
          The check stopped unexpectedly. Try again; if it happens again, reload the page.
        </p>
      )}
      {state.kind === 'refused' && state.outcome.reading && (
        <LogProblems
          reading={state.outcome.reading}
          xes={/\.xes$/i.test(state.file.name)}
          skipBadRows={skipBadRows}
          onSkipBadRows={(skip) => {
            setSkipBadRows(skip);
            void run(skip);
          }}
        />
      )}
      {state.kind === 'refused' && (
        <p className="error" role="alert">
          {state.outcome.message}
        </p>
      )}
      {shown && workflow && <KeptBackTest record={shown} workflow={workflow} kept={shown === kept} />}
    </section>
  );
}

/**
 * The last back-test of the chosen workflow: which log, when, the verdict and the figures per
 * step, and whether the workflow changed since — then it no longer speaks for the model.
 */
function KeptBackTest({
  record,
  workflow,
  kept,
}: {
  record: WorkflowBackTest;
  workflow: Workflow;
  /** the record is the project's (else it is shown only: the project is read-only) */
  kept: boolean;
}) {
  const headingId = useId();
  const stale = useMemo(() => backTestFreshness(record, workflow) !== 'current', [record, workflow]);
  return (
    <section className="back-test" aria-labelledby={headingId}>
      <h5 id={headingId}>Last check of {workflow.name}</h5>
      <p>
        {record.log.name}, checked {checkedWhen(record.testedAt)}: {formatCount(record.result.cases)} cases
        replayed {record.result.replications} times.
      </p>
      {stale ? (
        <p className="drift-stale" role="note">
          <strong>Out of date:</strong> {workflow.name} has changed since this check (its staff, times or
          steps), so the result below was for the workflow as it was then. Check the model against a log
          again.
        </p>
      ) : (
        kept && (
          <p className="field-hint">
            Kept in the project: it stays after closing the browser and travels with an export.
          </p>
        )
      )}
      <BackTestResult result={record.result} stale={stale} />
    </section>
  );
}
