/**
 * "Export every failing row": the run's failing rows read again from the chosen files in a
 * validator worker and saved as CSV or NDJSON (workers/failingRowsExportTask.ts), one line per
 * problem, in the words the report shows. The files stay on this computer; the rows are never
 * all in the page's memory.
 */
import { useEffect, useRef, useState } from 'react';
import type { FailingRowsExportTask } from '../../../workers/failingRowsExportTask.ts';
import type { FailingRowIndex, ValidateRequest } from '../../../workers/validateApi.ts';
import { exportFailingRowsInWorker } from '../../../workers/validateClient.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import type { FailingRowsFormat } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { downloadBlob } from '../common/download.ts';
import { formatCount } from '../common/format.ts';

type ExportState =
  | { status: 'idle' }
  | { status: 'writing'; format: FailingRowsFormat; rows: number; total: number }
  | { status: 'done'; format: FailingRowsFormat; rows: number; fileName: string }
  | { status: 'failed'; message: string };

/** The export's file name: "failing-rows-2026-01-02T03-04-05.csv". */
function exportName(report: Report, format: FailingRowsFormat): string {
  return `failing-rows-${report.generatedAt.slice(0, 19).replaceAll(':', '-')}.${format}`;
}

/** The worker's task: each file's failing rows as the run indexed them, with the file itself. */
function exportTask(
  report: Report,
  failing: readonly FailingRowIndex[],
  request: ValidateRequest,
  format: FailingRowsFormat,
  redact: boolean,
): FailingRowsExportTask | undefined {
  const inputs: FailingRowsExportTask['inputs'] = [];
  for (const index of failing) {
    if (index.count === 0) continue;
    const file = request.inputs.find((i) => i.name === index.input)?.file;
    if (!file) return undefined;
    inputs.push({
      file,
      name: index.input,
      layout: index.layout,
      header: index.header,
      rows: index.rows,
      offsets: index.offsets,
      count: index.count,
      groups: index.issues,
    });
  }
  return { inputs, format, report, redact };
}

/** The two export buttons, the progress of a running export, and its outcome. */
export function FailingRowsExport({
  report,
  failing,
  request,
  redact,
}: {
  report: Report;
  failing: readonly FailingRowIndex[];
  request: ValidateRequest;
  /** leave values out ("Hide values in exports") */
  redact: boolean;
}) {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);
  // leaving the report cancels a running export
  useEffect(() => () => controller.current?.abort(), []);
  const total = failing.reduce((n, f) => n + f.count, 0);
  if (total === 0) return null;

  const start = (format: FailingRowsFormat) => {
    const task = exportTask(report, failing, request, format, redact);
    if (!task) {
      setState({
        status: 'failed',
        message: 'The files of this result are no longer at hand: choose them again and validate.',
      });
      return;
    }
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setState({ status: 'writing', format, rows: 0, total });
    exportFailingRowsInWorker(task, {
      signal: own.signal,
      onProgress: ({ rows }) =>
        setState((s) => (s.status === 'writing' && s.format === format ? { ...s, rows } : s)),
    }).then(
      (outcome) => {
        if (own.signal.aborted) return;
        if (!outcome.ok) {
          setState({ status: 'failed', message: `${outcome.problem.message} ${outcome.problem.advice}` });
          return;
        }
        const fileName = exportName(report, format);
        downloadBlob(fileName, outcome.blob);
        setState({ status: 'done', format, rows: total, fileName });
      },
      (error: unknown) => {
        if (own.signal.aborted) setState({ status: 'idle' });
        else setState({ status: 'failed', message: toJobError(error).message });
      },
    );
  };

  const writing = state.status === 'writing';
  return (
    <div className="failing-export">
      <p className="row">
        <button type="button" disabled={writing} onClick={() => start('csv')}>
          Export every failing row (CSV)
        </button>
        <button type="button" disabled={writing} onClick={() => start('ndjson')}>
          Export every failing row (NDJSON)
        </button>
        {writing && (
          <button type="button" onClick={() => controller.current?.abort()}>
            Stop the export
          </button>
        )}
      </p>
      {writing && (
        <div className="progress-block">
          <progress max={state.total} value={state.rows} aria-label="Writing every failing row" />
          <p role="status">
            Reading the files again: {formatCount(state.rows)} of {formatCount(state.total)} failing rows
            written.
          </p>
        </div>
      )}
      {state.status === 'done' && (
        <p role="status" data-testid="failing-export-done">
          Saved {state.fileName}: {formatCount(state.rows)} failing rows, one line per problem
          {redact ? ', values hidden' : ''}.
        </p>
      )}
      {state.status === 'failed' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}
