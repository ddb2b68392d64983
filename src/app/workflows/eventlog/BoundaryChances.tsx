/**
 * The chances of a workflow's exception paths (its boundary events: a timer, an error, a message
 * on a step) measured from a checked log, next to the chances the workflow gives now, and a button
 * that sets them on the workflow as one change. That change is a step of the workflow's undo list
 * (`workflowHistory`), the editor's: "Put the earlier chances back" or Ctrl+Z here undoes it, and
 * so do the editor's Undo and Ctrl+Z later; each undo is announced as the editor announces it.
 */
import { type KeyboardEvent, useId, useState } from 'react';
import { type BoundaryChanceEstimate, boundaryChanceEdit } from '../../../core/workflow/eventlog/index.ts';
import { DEFAULT_BOUNDARY_CHANCE, type Workflow } from '../../../formats/workflow.ts';
import { formatCount } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { undoMessage } from '../editor/undoWords.ts';
import { workflowHistory } from '../editor/workflowHistories.ts';

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

const NO_ESTIMATE: Record<NonNullable<BoundaryChanceEstimate['noEstimate']>, string> = {
  'task-not-in-log': 'Not measured: the step never appears in the log',
  'path-not-in-log': 'Not measured: nothing in the log matches the path after the event',
  'path-not-distinct': "Not measured: the path goes straight to the step's usual next step",
};

const nowText = (chance: number | undefined) =>
  chance === undefined ? `${percent(DEFAULT_BOUNDARY_CHANCE)} (the default)` : percent(chance);

/** The measured exception-path chances of `workflow` (the project's current copy). */
export function BoundaryChances({
  estimates,
  workflow,
  logName,
  onWorkflowChange,
}: {
  estimates: readonly BoundaryChanceEstimate[];
  workflow: Workflow;
  /** the log the chances were measured from, named above them */
  logName?: string;
  /** saves a changed workflow in the project; absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const headingId = useId();
  // the workflow this change produced (it can be undone while the project holds it), and what
  // the status line says
  const [made, setMade] = useState<Workflow | null>(null);
  const [said, setSaid] = useState('');
  if (estimates.length === 0) return null;
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const edit = boundaryChanceEdit(workflow, estimates);
  const canUndo = onWorkflowChange !== undefined && made !== null && made === workflow;
  const history = () => {
    const list = workflowHistory(workflow, (next) => onWorkflowChange?.(next));
    list.update({ workflow });
    return list;
  };
  const use = () => {
    if (!edit) return;
    setMade(history().apply(edit));
    setSaid(`The measured chances are set in ${workflow.name}. Undo takes them back.`);
  };
  const undo = () => {
    if (!canUndo) return;
    const list = history();
    const after = list.undo();
    setMade(null);
    setSaid(after ? undoMessage('undo', workflow, after) : 'Nothing to undo.');
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!canUndo || event.key.toLowerCase() !== 'z' || event.shiftKey || event.altKey) return;
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    undo();
  };
  return (
    <section className="boundary-chances" aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <h5 id={headingId}>How often the exception paths are taken</h5>
      <p>
        A timer, error or message on a step sends some cases down another path. Of the cases that did the
        step, the log{logName ? ` ${logName}` : ''} shows how many went on down that path.
      </p>
      <TableScroll label="Exception paths measured from the log">
        <table>
          <thead>
            <tr>
              <th scope="col">Step and event</th>
              <th scope="col">In the log</th>
              <th scope="col">In the workflow now</th>
            </tr>
          </thead>
          <tbody>
            {estimates.map((e) => (
              <tr key={e.flowIndex}>
                <th scope="row">
                  {label(e.taskId)} → {label(e.boundaryId)}
                </th>
                <td>
                  {e.estimate
                    ? `${percent(e.estimate.chance)} (${formatCount(e.estimate.cases)} of ${formatCount(e.estimate.ofCases)} cases)`
                    : NO_ESTIMATE[e.noEstimate ?? 'path-not-in-log']}
                </td>
                <td>{nowText(workflow.flows[e.flowIndex]?.probability)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {onWorkflowChange && (
        <div className="row">
          {edit && (
            <button type="button" onClick={use}>
              Use the measured chances<span className="visually-hidden"> in {workflow.name}</span>
            </button>
          )}
          {canUndo && (
            <button type="button" onClick={undo} aria-keyshortcuts="Control+Z">
              Put the earlier chances back
            </button>
          )}
        </div>
      )}
      {/* always there, so the words are announced when they appear */}
      <p role="status">{said}</p>
    </section>
  );
}
