/**
 * "Check the model against this log": on a discovery result, replays the log through the
 * discovered workflow in the event-log worker (src/core/workflow/eventlog/backTest.ts) and says,
 * per step and overall, whether the simulated waits match the log's. The check runs on the log and
 * filters of the result shown; a new discovery clears it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { BackTestJobOutcome } from '../../../../workers/eventLogApi.ts';
import { backTestInWorker } from '../../../../workers/eventLogClient.ts';
import { JobCancelledError } from '../../../core/jobs/errors.ts';
import type { StepBackTestStatus } from '../../../core/workflow/eventlog/index.ts';
import type { BackTestResult as BackTestFigures } from '../../../formats/project.ts';
import { formatCount } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { formatMinutes } from './driftReport.ts';
import type { DiscoverRequest } from './eventLogJobs.ts';

const STATUS_TEXT: Record<StepBackTestStatus, string> = {
  reproduced: 'Matches',
  'longer-than-model': 'Does not match: longer waits than the model',
  'shorter-than-model': 'Does not match: shorter waits than the model',
  'too-few': 'Not checked: too few waits in the log',
  'no-resource': 'Not checked: the log does not say who did it',
};

/**
 * The verdict in words for the clinic (of a back-test just run, or one kept in the project). A
 * kept result of a workflow that has changed since (`stale`) says what it found then, never that
 * today's figures can be planned on.
 */
function backTestVerdict(result: BackTestFigures, stale = false): string {
  const off = result.steps.filter(
    (s) => s.status === 'longer-than-model' || s.status === 'shorter-than-model',
  );
  if (result.verdict === 'trusted') {
    const where =
      result.checked === 1 ? 'at the one checked step' : `at each of the ${result.checked} checked steps`;
    return stale
      ? `The model as it was then reproduced this log: ${where} the simulated waits matched the waits recorded. Check again before planning on today's capacity figures.`
      : `The model reproduces this log: ${where} the simulated waits match the waits recorded. Its capacity figures can be planned on.`;
  }
  if (result.verdict === 'cannot-check') {
    return 'This log cannot check the model: no step has enough recorded waits with the person who did it. Export the resource (who did each activity) with the log.';
  }
  const names = off.map((s) => s.label).join(', ');
  const longer = off.some((s) => s.status === 'longer-than-model');
  return `The model does not reproduce this log: at ${off.length} of ${result.checked} checked steps (${names}) the waits differ from those recorded. ${
    longer
      ? 'People waited longer than the model explains: fewer staff may work at once than the workflow says (a rota names more people than are on duty).'
      : 'People waited less than the model says: more staff may work at once than the workflow says.'
  } Correct the staff per role before planning on its capacity figures.`;
}

export function BackTestPanel({
  request,
  backTest = backTestInWorker,
}: {
  request: DiscoverRequest;
  /** what runs the check: the event-log worker (a component test, where jsdom has none, gives its answer) */
  backTest?: typeof backTestInWorker;
}) {
  const headingId = useId();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'running' }
    | { kind: 'done'; outcome: BackTestJobOutcome }
    | { kind: 'failed' }
  >({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  // a new discovery (another file or other filters) makes an earlier check stale
  // biome-ignore lint/correctness/useExhaustiveDependencies: the request is what resets the check
  useEffect(() => {
    setState({ kind: 'idle' });
    return () => controller.current?.abort();
  }, [request]);

  const run = async () => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: 'running' });
    try {
      const outcome = await backTest(
        request.file,
        request.file.name,
        {
          ...request.read,
          skipBadRows: request.skipBadRows,
          discover: { source: request.file.name, filters: request.filters },
        },
        { signal: abort.signal },
      );
      if (!abort.signal.aborted) setState({ kind: 'done', outcome });
    } catch (error) {
      if (error instanceof JobCancelledError || abort.signal.aborted) setState({ kind: 'idle' });
      else setState({ kind: 'failed' });
    }
  };

  return (
    <section className="back-test" aria-labelledby={headingId}>
      <h5 id={headingId}>Does the model match this log?</h5>
      <p className="hint">
        Replays every case of the log, as it arrived, through the discovered workflow with its staff per role,
        and compares the wait before each step with the waits recorded. Only a model that gives back last
        month's waits should be trusted for planning.
      </p>
      <div className="row">
        <button type="button" onClick={run} disabled={state.kind === 'running'}>
          Check the model against this log
        </button>
        {state.kind === 'running' && (
          <button type="button" onClick={() => controller.current?.abort()}>
            Stop
          </button>
        )}
      </div>
      <p role="status">{state.kind === 'running' ? 'Replaying the log…' : ''}</p>
      {state.kind === 'failed' && (
        <p className="error" role="alert">
          The check stopped unexpectedly. Try again; if it happens again, reload the page.
        </p>
      )}
      {state.kind === 'done' && !state.outcome.ok && (
        <p className="error" role="alert">
          {state.outcome.message}
        </p>
      )}
      {state.kind === 'done' && state.outcome.ok && <BackTestResult result={state.outcome.backTest} />}
    </section>
  );
}

/** The verdict and the table per step (of a back-test just run, or one kept in the project). */
export function BackTestResult({ result, stale = false }: { result: BackTestFigures; stale?: boolean }) {
  return (
    <>
      <p className={`back-test-verdict ${result.verdict}`} data-testid="back-test-verdict">
        {backTestVerdict(result, stale)}
      </p>
      <TableScroll label="Model against the log, per step">
        <table className="wide">
          <caption>
            Wait before each step: recorded in the log and simulated ({formatCount(result.cases)} cases,{' '}
            {result.replications} runs; the range is where 95 in 100 runs fall)
          </caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Recorded: average</th>
              <th scope="col">middle</th>
              <th scope="col">Simulated: average</th>
              <th scope="col">range</th>
              <th scope="col">Not waiting for staff</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {result.steps.map((step) => (
              <tr key={step.stepId}>
                <th scope="row">{step.label}</th>
                <td>{step.observed.n === 0 ? '—' : formatMinutes(step.observed.meanMin)}</td>
                <td>{step.observed.n === 0 ? '—' : formatMinutes(step.observed.medianMin)}</td>
                <td>{step.observed.n === 0 ? '—' : formatMinutes(step.simulatedMeanMin.mean)}</td>
                <td>
                  {step.observed.n === 0
                    ? '—'
                    : `${formatMinutes(step.expectedRange.low)} to ${formatMinutes(step.expectedRange.high)}`}
                </td>
                <td>{step.observed.n === 0 ? '—' : formatMinutes(step.delayMeanMin)}</td>
                <td>
                  {STATUS_TEXT[step.status]}
                  {step.touchFromWorkflow ? ' (staff time from the workflow: none in the log)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
