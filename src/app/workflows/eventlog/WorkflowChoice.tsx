/**
 * The choice of the workflow an event-log tool checks a log against: the workflow the page's
 * address names, else the one picked in the list; a pick moves the address along. Shared by the
 * go-live check and the capacity-model check, which offer different workflows.
 */
import { useId, useState } from 'react';
import type { Workflow } from '../../../formats/workflow.ts';

/** The chosen workflow's id, the workflow itself while the project holds it, and how to choose. */
interface WorkflowChoiceState {
  workflowId: string;
  workflow: Workflow | undefined;
  /** the address names a workflow that is not among those offered */
  namedMissing: boolean;
  choose: (workflowId: string) => void;
}

/**
 * Keeps the choice among `offered`: `chosen` (the address) wins; otherwise the last pick, first
 * `initial` (the workflow of a check still on screen), else the first offered.
 */
export function useWorkflowChoice(
  offered: readonly Workflow[],
  chosen: string | undefined,
  initial: string | undefined,
  onChoose: ((workflowId: string) => void) | undefined,
): WorkflowChoiceState {
  const [picked, setPicked] = useState(() => initial ?? offered[0]?.id ?? '');
  const workflowId = chosen ?? picked;
  const workflow = offered.find((w) => w.id === workflowId);
  return {
    workflowId,
    workflow,
    namedMissing: chosen !== undefined && workflow === undefined,
    choose: (id) => {
      setPicked(id);
      onChoose?.(id);
    },
  };
}

/** The list to choose from, with a word when the address names a workflow the project lacks. */
export function WorkflowChoice({
  label,
  hint,
  missing,
  offered,
  choice,
  disabled,
}: {
  /** the list's label, e.g. "Workflow to check" */
  label: string;
  hint?: string;
  /** said when the address names a workflow that is not among those offered */
  missing: string;
  offered: readonly Workflow[];
  choice: WorkflowChoiceState;
  disabled: boolean;
}) {
  const selectId = useId();
  return (
    <>
      {choice.namedMissing && (
        <p className="field-hint" role="status">
          {missing}
        </p>
      )}
      <div className="field">
        <label htmlFor={selectId}>{label}</label>
        <select
          id={selectId}
          value={choice.workflowId}
          disabled={disabled}
          onChange={(e) => choice.choose(e.target.value)}
        >
          {offered.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        {hint !== undefined && <p className="field-hint">{hint}</p>}
      </div>
    </>
  );
}
