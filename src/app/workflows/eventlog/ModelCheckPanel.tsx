/**
 * "Check a workflow's capacity model": the back-test (src/core/workflow/eventlog/backTest.ts) of a
 * workflow of the project — typically today's workflow, its staff per role corrected by the
 * analyst — against a chosen, mapped event log, in the event-log worker. The log is picked and
 * mapped with the same form as the other event-log tools.
 *
 * Constraints:
 * - The check is a job of the app (eventLogJobs.ts, `modelCheckJob`): it runs on while the user is
 *   in another workspace, shows in the header with progress and Cancel, and its outcome waits here
 *   on return (the log and its mapping too, while the app is open).
 * - The finished result is kept in the project (`workflowBackTests`, one per workflow) by the app's
 *   top (keptBackTest.ts), wherever the user is then, with the log's name, its SHA-256 when the file
 *   could be read, and the workflow's canonical hash; a reload shows it again without the log
 *   (never stored).
 * - Once the workflow changed since (staff, times, steps), the kept result is said to be out of
 *   date (`backTestFreshness`) rather than shown as the model's standing.
 * - The check also measures, from the same log, how often each exception path of the workflow (a
 *   timer, error or message on a step) was taken (`estimateBoundaryChances`, as the go-live check
 *   and `preflight workflow conform` do); they are offered beside the result and set on the
 *   workflow only when the analyst chooses to, as one step of its undo list. Not kept: the log is
 *   needed to measure them again.
 */
import { useId, useMemo, useState } from 'react';
import { backTestFreshness, isXesName } from '../../../core/workflow/eventlog/index.ts';
import type { Project, WorkflowBackTest } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { checkedWhen, formatCount } from '../../common/format.ts';
import { BackTestResult } from './BackTestPanel.tsx';
import { BoundaryChances } from './BoundaryChances.tsx';
import {
  answerOf,
  MODEL_CHECK_KIND,
  type ModelCheckOutcome,
  type ModelCheckRequest,
  modelCheckJob,
  useLogJob,
} from './eventLogJobs.ts';
import { JobProgress, RunAndCancel } from './JobProgress.tsx';
import { LogProblems, type LogSetup, LogSourceForm, mappingComplete } from './LogSourceForm.tsx';
import { useWorkflowChoice, WorkflowChoice } from './WorkflowChoice.tsx';

/** The workflows to offer: today's first (what a log can check), then the planned ones. */
function offered(project: Project): Workflow[] {
  return [
    ...project.workflows.filter((w) => w.state === 'current'),
    ...project.workflows.filter((w) => w.state !== 'current'),
  ];
}

/** Starts a check with the default clock (a stable function, for `useLogJob`). */
const startCheck = (request: ModelCheckRequest) => modelCheckJob(request);

export function ModelCheckPanel({
  project,
  chosen,
  onChoose,
  onWorkflowChange,
}: {
  project: Project;
  /** the workflow the address names; absent: the last one checked, else the first of today's workflows */
  chosen?: string;
  /** a workflow chosen in the list: the page's address follows it */
  onChoose?: (workflowId: string) => void;
  /** saves the checked workflow with the chances measured from the log; absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const { ready, job, start, cancel } = useLogJob<ModelCheckRequest>(MODEL_CHECK_KIND, startCheck);
  const found = answerOf<ModelCheckRequest, ModelCheckOutcome>(job, MODEL_CHECK_KIND);
  // a check started in another project says nothing here
  const answer = found?.request.projectId === project.meta.id ? found : null;
  const workflows = offered(project);
  const choice = useWorkflowChoice(workflows, chosen, answer?.request.workflow.id, onChoose);
  const { workflow } = choice;
  const [setup, setSetup] = useState<LogSetup | null>(() => answer?.request ?? null);
  const [skipBadRows, setSkipBadRows] = useState(() => answer?.request.skipBadRows ?? false);
  const headingId = useId();
  const running = job?.status === 'running';
  const canRun = ready && workflow !== undefined && setup !== null && mappingComplete(setup.read.mapping);

  const run = (skip = skipBadRows) => {
    if (workflow && setup) start({ ...setup, workflow, skipBadRows: skip, projectId: project.meta.id });
  };

  // the refusal of the last check, while its log is the one chosen
  const refused = answer && !answer.outcome.ok && answer.request.file === setup?.file ? answer : null;
  // the result just found for this workflow, else the one kept in the project (the app keeps each)
  const kept = project.workflowBackTests?.find((k) => k.id === workflow?.id);
  const fresh =
    answer?.outcome.ok && answer.outcome.record.id === workflow?.id ? answer.outcome.record : undefined;
  const shown = fresh ?? kept;
  // the chances measured by the check just made of this workflow
  const chances =
    answer?.outcome.ok && answer.outcome.record.id === workflow?.id
      ? answer.outcome.boundaryChances
      : undefined;
  const isKept = shown !== undefined && kept !== undefined && kept.testedAt === shown.testedAt;

  return (
    <section className="eventlog-panel" aria-labelledby={headingId}>
      <h4 id={headingId}>Check a workflow's capacity model against a log</h4>
      <p>
        Before planning on a workflow's capacity figures, replay the clinic's own cases through it: every case
        of the log arrives when it did and does what it did, and the workflow's staff per role serve it. If
        the waits come out as the log recorded them, the model can be trusted; if not, its staff or times need
        correcting.
      </p>
      {workflows.length === 0 ? (
        <p className="field-hint">The project has no workflow yet to check.</p>
      ) : (
        <>
          <WorkflowChoice
            label="Workflow to check"
            hint="Its steps are matched to the log's activities by name."
            missing="The workflow this address names is not in the open project. Choose one below."
            offered={workflows}
            choice={choice}
            disabled={running}
          />
          <LogSourceForm
            legend="The clinic's event log"
            setup={setup}
            onSetup={setSetup}
            disabled={running}
          />
          <RunAndCancel
            label="Check the model against this log"
            canRun={canRun}
            running={running}
            onRun={() => run()}
            onCancel={cancel}
          />
        </>
      )}
      <JobProgress job={job} what="Reading the log" failedPrefix="The check stopped" />
      {refused?.outcome.ok === false && refused.outcome.reading && (
        <LogProblems
          reading={refused.outcome.reading}
          xes={isXesName(refused.request.file.name)}
          skipBadRows={skipBadRows}
          onSkipBadRows={(skip) => {
            setSkipBadRows(skip);
            run(skip);
          }}
        />
      )}
      {refused?.outcome.ok === false && (
        <p className="error" role="alert">
          {refused.outcome.message}
        </p>
      )}
      {shown && workflow && <KeptBackTest record={shown} workflow={workflow} kept={isKept} />}
      {chances && answer && workflow && (
        <BoundaryChances
          estimates={chances}
          workflow={workflow}
          logName={answer.request.file.name}
          {...(onWorkflowChange ? { onWorkflowChange } : {})}
        />
      )}
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
