/**
 * "Check a log after go-live": a log from the new system against a planned (future) workflow of
 * the project, as a drift report a practice manager reads — how well the log fits, what was
 * skipped, what staff do that the design lacks, what is entered twice, what takes longer — with
 * the drifting steps highlighted on the workflow's step list and, through "Show on the canvas",
 * drawn over the workflow in the editor (the drift overlay, editor/driftOverlay.ts), and the whole
 * result saved as JSON.
 */
import { useId, useMemo, useState } from 'react';
import type { ConformOutcome } from '../../../../workers/eventLogApi.ts';
import { isXesName, slowerToleranceText } from '../../../core/workflow/eventlog/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { downloadText } from '../../common/download.ts';
import { checkedWhen, formatCount } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { StepsTable } from '../analysis/StepsTable.tsx';
import { BoundaryChances } from './BoundaryChances.tsx';
import { driftReport, formatMinutes } from './driftReport.ts';
import {
  type Answered,
  answerOf,
  CONFORM_KIND,
  type ConformRequest,
  conformJob,
  useLogJob,
} from './eventLogJobs.ts';
import { JobProgress, RunAndCancel } from './JobProgress.tsx';
import { LogAccountList } from './LogAccountList.tsx';
import {
  AtomicEventsNote,
  LogProblems,
  type LogSetup,
  LogSourceForm,
  mappingComplete,
} from './LogSourceForm.tsx';
import { type LastCheck, useLastCheck } from './lastCheck.ts';
import { OcelReadingNote } from './OcelSourceFields.tsx';
import { useWorkflowChoice, WorkflowChoice } from './WorkflowChoice.tsx';

/** The go-live check panel (see the file header). */
export function ConformPanel({
  project,
  chosen,
  onChoose,
  onShowOnCanvas,
  onWorkflowChange,
}: {
  project: Project;
  /** saves a changed workflow in the project (the measured exception-path chances); absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
  /** the planned workflow the address names (its last check is shown); absent: the last one checked, or the first */
  chosen?: string;
  /** a planned workflow chosen in the list: the page's address follows it */
  onChoose?: (workflowId: string) => void;
  /** opens the planned workflow in the editor with the drift overlay on; absent: read-only */
  onShowOnCanvas?: (workflowId: string) => void;
}) {
  const { ready, job, start, cancel } = useLogJob<ConformRequest>(CONFORM_KIND, conformJob);
  const answer = answerOf<ConformRequest, ConformOutcome>(job, CONFORM_KIND);
  const planned = project.workflows.filter((w) => w.state === 'future');
  const choice = useWorkflowChoice(planned, chosen, answer?.request.workflow.id, onChoose);
  const [setup, setSetup] = useState<LogSetup | null>(() => answer?.request ?? null);
  const [skipBadRows, setSkipBadRows] = useState(() => answer?.request.skipBadRows ?? false);
  const [activityMap, setActivityMap] = useState<Record<string, string>>(
    () => answer?.request.activityMap ?? {},
  );
  const { workflow } = choice;
  // the check kept in the project for this workflow (App keeps each finished check there)
  const kept = useLastCheck(project, workflow);
  const running = job?.status === 'running';
  const headingId = useId();
  const canRun = ready && workflow !== undefined && setup !== null && mappingComplete(setup.read.mapping);
  const run = (skip = skipBadRows, map = activityMap) => {
    // a match to a step of another workflow would be refused by the check: keep this one's only
    const known = new Set(workflow?.steps.map((st) => st.id));
    const usable = Object.fromEntries(Object.entries(map).filter(([, step]) => known.has(step)));
    if (workflow && setup)
      start({
        ...setup,
        workflow,
        skipBadRows: skip,
        activityMap: usable,
        projectId: project.meta.id,
      });
  };

  return (
    <section className="eventlog-panel" aria-labelledby={headingId}>
      <h4 id={headingId}>Check a log after go-live</h4>
      <p>
        Months after go-live, staff can drift back to paper, spreadsheets and phone calls without anyone
        calling it a problem. A log from the new system shows where daily work has left the planned workflow.
      </p>
      {planned.length === 0 ? (
        <p className="field-hint">The project has no planned workflow yet to check a log against.</p>
      ) : (
        <>
          <WorkflowChoice
            label="Planned workflow to check against"
            missing="The planned workflow this address names is not in the open project. Choose one below."
            offered={planned}
            choice={choice}
            disabled={running}
          />
          <LogSourceForm
            legend="The log from the new system"
            setup={setup}
            onSetup={setSetup}
            disabled={running}
          />
          <RunAndCancel
            label={answer && answer.request.file === setup?.file ? 'Check again' : 'Check the log'}
            canRun={canRun}
            running={running}
            onRun={() => run()}
            onCancel={cancel}
          />
        </>
      )}
      <JobProgress job={job} what="Reading the log" failedPrefix="The check stopped" />
      {kept &&
        workflow &&
        !(answer?.request.workflow.id === workflow.id && answer.request.file === setup?.file) && (
          <KeptCheck
            check={kept}
            workflow={workflow}
            onShowOnCanvas={onShowOnCanvas ? () => onShowOnCanvas(workflow.id) : undefined}
          />
        )}
      {answer && answer.request.file === setup?.file && (
        <ConformResult
          answer={answer}
          current={project.workflows.find((w) => w.id === answer.request.workflow.id)}
          onWorkflowChange={onWorkflowChange}
          skipBadRows={skipBadRows}
          onSkipBadRows={(skip) => {
            setSkipBadRows(skip);
            run(skip);
          }}
          activityMap={activityMap}
          onActivityMap={setActivityMap}
          onApplyMatches={() => run()}
          onShowOnCanvas={
            onShowOnCanvas && planned.some((w) => w.id === answer.request.workflow.id)
              ? () => onShowOnCanvas(answer.request.workflow.id)
              : undefined
          }
        />
      )}
    </section>
  );
}

/**
 * The last check kept in the project for the chosen workflow (after a reload or on another
 * computer, where the log itself is not at hand): which log, when, how well it fitted, and
 * whether the workflow changed since — then its marks are out of date, and said to be.
 */
function KeptCheck({
  check,
  workflow,
  onShowOnCanvas,
}: {
  check: LastCheck;
  workflow: Workflow;
  onShowOnCanvas: (() => void) | undefined;
}) {
  const headingId = useId();
  const { result } = check;
  return (
    <section className="drift-kept" aria-labelledby={headingId}>
      <h5 id={headingId}>Last check of {workflow.name}</h5>
      <p>
        {check.logName}, checked {checkedWhen(check.checkedAt)}: {formatCount(result.conformingCases)} of{' '}
        {formatCount(result.cases)} cases followed the plan exactly.
      </p>
      {check.stale ? (
        <p className="drift-stale" role="note">
          <strong>Out of date:</strong> {workflow.name} has changed since this check, so its marks may point
          at steps or times that are no longer planned. Check a log again to bring them up to date.
        </p>
      ) : (
        <p className="field-hint">
          Kept in the project: it stays after closing the browser and travels with an export.
        </p>
      )}
      {onShowOnCanvas && (
        <div className="row">
          <button type="button" onClick={onShowOnCanvas}>
            Show the last check on the canvas<span className="visually-hidden">: {workflow.name}</span>
          </button>
        </div>
      )}
    </section>
  );
}

function ConformResult({
  answer,
  current,
  onWorkflowChange,
  skipBadRows,
  onSkipBadRows,
  activityMap,
  onActivityMap,
  onApplyMatches,
  onShowOnCanvas,
}: {
  answer: Answered<ConformRequest, ConformOutcome>;
  /** the checked workflow as the project holds it now; absent when it was removed */
  current: Workflow | undefined;
  onWorkflowChange: ((workflow: Workflow) => void) | undefined;
  skipBadRows: boolean;
  onSkipBadRows: (skip: boolean) => void;
  activityMap: Record<string, string>;
  onActivityMap: (map: Record<string, string>) => void;
  onApplyMatches: () => void;
  onShowOnCanvas: (() => void) | undefined;
}) {
  const { outcome, request } = answer;
  const reading = outcome.reading;
  // positions in an XES or OCEL log are event numbers, not rows
  const xes = isXesName(request.file.name) || request.preview.kind === 'ocel';
  return (
    <section className="drift" aria-label="Drift report">
      {reading && <AtomicEventsNote reading={reading} />}
      {reading && <OcelReadingNote reading={reading} />}
      {reading && (
        <LogProblems reading={reading} xes={xes} skipBadRows={skipBadRows} onSkipBadRows={onSkipBadRows} />
      )}
      {reading && <LogAccountList account={reading.account} />}
      {!outcome.ok && (
        <p className="error" role="alert">
          {outcome.message}
        </p>
      )}
      {outcome.ok && (
        <>
          <DriftReportView
            result={outcome.result}
            workflow={request.workflow}
            logName={request.file.name}
            onShowOnCanvas={onShowOnCanvas}
          />
          {current && outcome.boundaryChances && (
            <BoundaryChances
              estimates={outcome.boundaryChances}
              workflow={current}
              onWorkflowChange={onWorkflowChange}
            />
          )}
          <ActivityMatches
            activities={outcome.reading.activities}
            matched={outcome.result.matched}
            workflow={request.workflow}
            activityMap={activityMap}
            onActivityMap={onActivityMap}
            onApply={onApplyMatches}
          />
        </>
      )}
    </section>
  );
}

function DriftReportView({
  result,
  workflow,
  logName,
  onShowOnCanvas,
}: {
  result: Extract<ConformOutcome, { ok: true }>['result'];
  workflow: Workflow;
  logName: string;
  onShowOnCanvas: (() => void) | undefined;
}) {
  const report = useMemo(() => driftReport(result, workflow), [result, workflow]);
  const [focusRequest, setFocusRequest] = useState(0);
  const headingId = useId();
  return (
    <>
      <h5 id={headingId}>
        Drift report: {logName} against {workflow.name}
      </h5>
      <div className="drift-summary" role="status">
        {report.sentences.map((s) => (
          <p key={s}>{s}</p>
        ))}
      </div>
      <div className="row">
        <button
          type="button"
          onClick={() =>
            downloadText(
              `${workflow.id}.drift.json`,
              `${JSON.stringify({ workflow: workflow.id, log: logName, ...result }, null, 2)}\n`,
            )
          }
        >
          Save the report (JSON)
        </button>
        {report.highlighted.size > 0 && (
          <button type="button" onClick={() => setFocusRequest((n) => n + 1)}>
            Show the drifting steps
          </button>
        )}
        {onShowOnCanvas && (
          <button type="button" onClick={onShowOnCanvas}>
            Show on the canvas<span className="visually-hidden">: {workflow.name}</span>
          </button>
        )}
      </div>
      <TableScroll label="Drift per planned step">
        <table className="wide drift-steps">
          <caption>
            Per planned step (typical: the middle value measured in the log). A step is slower than planned
            when its {slowerToleranceText(result.slowerTolerance, 'planned')}; the count is the times one
            visit ran beyond that.
          </caption>
          <thead>
            <tr>
              <th scope="col">Planned step</th>
              <th scope="col">Skipped (cases)</th>
              <th scope="col">Entered again (cases)</th>
              <th scope="col">Beyond the planned staff time (times)</th>
              <th scope="col">Staff time: typical</th>
              <th scope="col">planned</th>
              <th scope="col">Wait before: typical</th>
              <th scope="col">planned</th>
            </tr>
          </thead>
          <tbody>
            {report.steps.map((s) => (
              <tr key={s.stepId} className={s.drift ? 'step-highlighted' : undefined}>
                <th scope="row">
                  {s.drift ? <mark>{s.label}</mark> : s.label}
                  {s.drift && <span className="visually-hidden"> (drift)</span>}
                </th>
                <td>{formatCount(s.skipped)}</td>
                <td>{formatCount(s.repeated)}</td>
                <td>{formatCount(s.slower)}</td>
                <td>{formatMinutes(s.touchMedianMin)}</td>
                <td>{formatMinutes(s.designedTouchMin)}</td>
                <td>{formatMinutes(s.waitMedianMin)}</td>
                <td>{formatMinutes(s.designedWaitMin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {report.extras.length > 0 && (
        <TableScroll label="Activities the design does not explain">
          <table>
            <caption>Done but not planned</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Times</th>
                <th scope="col">Kind</th>
                <th scope="col">Mostly after</th>
              </tr>
            </thead>
            <tbody>
              {report.extras.map((e) => (
                <tr key={e.activity}>
                  <th scope="row">{e.activity}</th>
                  <td>{formatCount(e.times)}</td>
                  <td>{e.workaround ? 'Not in the design: a workaround' : 'A planned step done again'}</td>
                  <td>{e.mostlyAfter ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <StepsTable
        workflow={workflow}
        highlighted={report.highlighted}
        focusRequest={focusRequest}
        highlightNote="drift seen in the log"
        label={`Drift on the steps of ${workflow.name}`}
      />
    </>
  );
}

/**
 * Which planned step each activity of the log was taken for: by name unless the user says
 * otherwise. Where the new system names steps its own way, everything would read as skipped and
 * inserted until the names are matched here.
 */
function ActivityMatches({
  activities,
  matched,
  workflow,
  activityMap,
  onActivityMap,
  onApply,
}: {
  activities: string[];
  matched: Record<string, string>;
  workflow: Workflow;
  activityMap: Record<string, string>;
  onActivityMap: (map: Record<string, string>) => void;
  onApply: () => void;
}) {
  const steps = workflow.steps.filter((s) => s.kind !== 'start' && s.kind !== 'end');
  const label = (id: string | undefined) => workflow.steps.find((s) => s.id === id)?.label;
  return (
    <details className="activity-matches">
      <summary>Match the log's activities to planned steps</summary>
      <p>
        Preflight matches an activity to the planned step of the same name. Where the new system calls a step
        something else, choose the step here, then check again.
      </p>
      <TableScroll label="Activities of the log and their planned steps">
        <table>
          <thead>
            <tr>
              <th scope="col">Activity in the log</th>
              <th scope="col">Planned step</th>
            </tr>
          </thead>
          <tbody>
            {activities.map((a) => (
              <tr key={a}>
                <th scope="row">{a}</th>
                <td>
                  <select
                    aria-label={`Planned step for ${a}`}
                    value={activityMap[a] ?? ''}
                    onChange={(e) => {
                      const { [a]: _, ...rest } = activityMap;
                      onActivityMap(e.target.value === '' ? rest : { ...rest, [a]: e.target.value });
                    }}
                  >
                    <option value="">By name: {label(matched[a]) ?? 'no planned step'}</option>
                    {steps.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <button type="button" onClick={onApply}>
        Check again with these matches
      </button>
    </details>
  );
}
