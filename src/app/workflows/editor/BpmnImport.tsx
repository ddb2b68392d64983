/**
 * "Import BPMN": reads a BPMN 2.0 file from another process tool in the BPMN worker
 * (workers/bpmnClient.ts → core/workflow/bpmn), adds the workflow to the project (a taken id comes
 * in as a copy, as the JSON import does) and shows, in the analyst's words, the reader's account
 * of the file (core/readerAccount): every element and attribute the workflow does not carry, with
 * how often it was seen, where first and what that means; what was read by a choice; the
 * drawing's own details, counted. Then any problems met on the way, by element id. Nothing is
 * dropped silently; a file that cannot become a workflow changes nothing.
 */
import { useId, useState } from 'react';
import { importBpmnInWorker } from '../../../../workers/bpmnClient.ts';
import { byteSizeWords } from '../../../core/byteSize/index.ts';
import { type AccountLine, whereWords } from '../../../core/readerAccount/index.ts';
import {
  accountSections,
  type BpmnImportResult,
  type BpmnProblem,
} from '../../../core/workflow/bpmn/index.ts';
import { adoptWorkflow } from '../../../core/workflow/edit/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';

/** Largest BPMN file read (the MIWG reference models are well under 1 MB). */
const MAX_BPMN_FILE_BYTES = 20 * 1024 * 1024;

/** What the last import did, for the report under the file picker. */
type Report =
  | { kind: 'added'; file: string; workflow: Workflow; renamed: boolean; result: BpmnImportResult }
  | { kind: 'refused'; file: string; problems: BpmnProblem[] }
  | { kind: 'failed'; file: string; message: string };

function where(problem: BpmnProblem): string {
  const parts = [
    problem.elementId ? `element ${problem.elementId}` : '',
    problem.line !== undefined
      ? `line ${problem.line}${problem.column !== undefined ? `, column ${problem.column}` : ''}`
      : '',
    problem.path ? `at ${problem.path}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function ProblemList({ problems }: { problems: BpmnProblem[] }) {
  return (
    <ul className="wf-bpmn-problems">
      {problems.map((p, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id; the list is rebuilt whole
        <li key={index}>
          {p.severity === 'error' ? 'Problem: ' : 'To check: '}
          {p.message}
          {where(p)}
        </li>
      ))}
    </ul>
  );
}

/** The BPMN import of the Workflows workspace: adds the workflow, then reports; "Open" opens it. */
export function BpmnImport({
  project,
  onImport,
  onOpen,
}: {
  project: Project;
  /** stores the workflow (one `workflow/put`) without leaving the workspace */
  onImport: (workflow: Workflow) => void;
  onOpen: (workflowId: string) => void;
}) {
  const [report, setReport] = useState<Report | null>(null);
  const [reading, setReading] = useState(false);
  const id = useId();
  return (
    <div className="wf-import">
      <label htmlFor={id}>
        Import a BPMN 2.0 file (from bpmn.io, Camunda, Signavio and other process tools)
      </label>
      <input
        id={id}
        type="file"
        accept=".bpmn,.xml,application/xml,text/xml"
        disabled={reading}
        onChange={async (event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          if (!file) return;
          if (file.size > MAX_BPMN_FILE_BYTES) {
            setReport({
              kind: 'failed',
              file: file.name,
              message: `The file is larger than ${byteSizeWords(MAX_BPMN_FILE_BYTES)}; a BPMN diagram is far smaller. Nothing was imported.`,
            });
            return;
          }
          setReading(true);
          try {
            const result = await importBpmnInWorker(file);
            const errors = result.problems.filter((p) => p.severity === 'error');
            if (!result.workflow || errors.length > 0) {
              setReport({ kind: 'refused', file: file.name, problems: result.problems });
              return;
            }
            const adopted = adoptWorkflow(result.workflow, project);
            onImport(adopted.workflow);
            setReport({
              kind: 'added',
              file: file.name,
              workflow: adopted.workflow,
              renamed: adopted.renamedFrom !== undefined,
              result,
            });
          } catch {
            setReport({
              kind: 'failed',
              file: file.name,
              message:
                'The file could not be read. Nothing was imported; check that it is still there and try again.',
            });
          } finally {
            setReading(false);
          }
        }}
      />
      {reading && <p role="status">Reading the BPMN file…</p>}
      {report?.kind === 'failed' && (
        <p className="banner banner-error" role="alert">
          “{report.file}”: {report.message}
        </p>
      )}
      {report?.kind === 'refused' && (
        <div className="banner banner-error banner-stacked" role="alert">
          <p>“{report.file}” could not become a workflow. Nothing in the project was changed.</p>
          <ProblemList problems={report.problems} />
        </div>
      )}
      {report?.kind === 'added' && <AddedReport report={report} onOpen={onOpen} />}
    </div>
  );
}

function AddedReport({
  report,
  onOpen,
}: {
  report: Extract<Report, { kind: 'added' }>;
  onOpen: (workflowId: string) => void;
}) {
  const { workflow, result } = report;
  return (
    <section className="wf-bpmn-report" aria-label="BPMN import result">
      <p role="status">
        Added “{workflow.name}” from “{report.file}”: {plural(workflow.lanes.length, 'lane')},{' '}
        {plural(workflow.steps.length, 'step')}, {plural(workflow.flows.length, 'flow')}.
        {report.renamed ? ' A workflow with its id was already here, so it was added as a copy.' : ''} Its
        touch and wait minutes, clicks and media are what the file says, or zero: check them in the editor.
      </p>
      <button type="button" onClick={() => onOpen(workflow.id)}>
        Open “{workflow.name}”
      </button>
      <AccountReport result={result} />
      {result.problems.length > 0 && (
        <>
          <h4>To check ({result.problems.length})</h4>
          <ProblemList problems={result.problems} />
        </>
      )}
    </section>
  );
}

/**
 * One table of account lines: the element or attribute, how often, where first, what it means; on a
 * phone one card per line, each cell under its column's words.
 */
function AccountTable({ label, lines }: { label: string; lines: AccountLine[] }) {
  return (
    <TableScroll label={label}>
      <table className="wf-bpmn-dropped stacked-table">
        <thead>
          <tr>
            <th scope="col">In the file</th>
            <th scope="col">Seen</th>
            <th scope="col">First at</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={`${line.handling} ${line.kind} ${line.name}`}>
              <td data-label="In the file">
                <span>
                  <span className="wf-bpmn-type">{line.kind}</span> <code>{line.name}</code>
                </span>
              </td>
              <td data-label="Seen">
                {line.count === 1 ? 'once' : `${line.count.toLocaleString('en-US')} times`}
              </td>
              <td data-label="First at">{whereWords(line.where)}</td>
              <td data-label="What it means">{line.effect}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * The reader's account of the file: what was not carried over, what was read by a choice, and
 * the drawing's own details (many, and nothing Preflight computes), counted under a disclosure.
 */
function AccountReport({ result }: { result: BpmnImportResult }) {
  const { notUsed, byChoice, drawing } = accountSections(result.account);
  if (notUsed.length + byChoice.length + drawing.length === 0)
    return <p>Everything in the file was carried over.</p>;
  const drawingCount = drawing.reduce((sum, line) => sum + line.count, 0);
  return (
    <>
      {notUsed.length === 0 ? (
        <p>Everything in the file was carried over, except details of the drawing (below).</p>
      ) : (
        <>
          <h4>Not carried over ({notUsed.length})</h4>
          <AccountTable label="Not carried over from the BPMN file" lines={notUsed} />
        </>
      )}
      {byChoice.length > 0 && (
        <>
          <h4>Read by a choice ({byChoice.length})</h4>
          <AccountTable label="Read from the BPMN file by a choice" lines={byChoice} />
        </>
      )}
      {drawing.length > 0 && (
        <details>
          <summary>
            Details of the drawing not kept ({plural(drawingCount, 'item')}): Preflight draws labels, lines
            and colours itself
          </summary>
          <AccountTable label="Details of the drawing not kept" lines={drawing} />
        </details>
      )}
    </>
  );
}
