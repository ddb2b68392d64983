/**
 * The two dialogs that draw without a pointer, opened from the toolbar or by a key on a step:
 * "Connect to…" (a step found by typing part of its name) and "Add a step after…" (a kind, a
 * lane and a label; the new step is connected from the step it follows). Both only choose: the
 * editor makes the edit, so it is one undo step and one save like any other.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { STEP_KINDS } from '../../../core/workflow/edit/index.ts';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { Dialog } from '../../common/Dialog.tsx';
import { StepKindShape } from './icons.tsx';
import { stepsMatching } from './keyboardDrawing.ts';
import { LaneAndLabelFields } from './LaneAndLabelFields.tsx';
import { KIND_LABEL } from './labels.ts';

/** Picks the step a flow from `from` goes to: a combobox that filters the steps as one types. */
export function ConnectDialog({
  workflow,
  from,
  onConnect,
  onClose,
}: {
  workflow: Workflow;
  from: Step;
  onConnect: (to: string) => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const laneName = new Map(workflow.lanes.map((l) => [l.id, l.name]));
  const connected = new Set(workflow.flows.filter((f) => f.from === from.id).map((f) => f.to));
  // a start step begins the process: nothing flows into it
  const starts = workflow.steps.filter((s) => s.kind === 'start').map((s) => s.id);
  const found = stepsMatching(workflow, typed, new Set([from.id, ...connected, ...starts]));
  const current = Math.min(active, Math.max(0, found.length - 1));
  const chosen = found[current];
  const optionId = (index: number) => `${id}-option-${index}`;
  const inputRef = useRef<HTMLInputElement>(null);
  // after the dialog has opened (its effect runs before this one): the name field takes the keys
  useEffect(() => inputRef.current?.focus(), []);
  // the chosen option stays in view in a long list
  useEffect(() => {
    document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  });
  return (
    <Dialog open title={`Connect “${from.label}” to…`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) onConnect(chosen.id);
        }}
      >
        <label htmlFor={`${id}-input`}>Step to go to next (type part of its name)</label>
        <input
          id={`${id}-input`}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={chosen ? optionId(current) : undefined}
          autoComplete="off"
          value={typed}
          ref={inputRef}
          onChange={(event) => {
            setTyped(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              const step = event.key === 'ArrowDown' ? 1 : -1;
              setActive(Math.min(Math.max(0, current + step), Math.max(0, found.length - 1)));
            }
          }}
        />
        <p className="field-hint" aria-live="polite">
          {found.length === 0
            ? 'No step to connect has this name. Start steps and steps already connected from here are not listed.'
            : `${found.length === 1 ? 'One step matches' : `${found.length} steps match`}: up and down arrows choose, Enter connects.`}
        </p>
        <div className="wf-connect-list" id={`${id}-list`} role="listbox" aria-label="Steps" tabIndex={-1}>
          {found.map((step, index) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard chooses through the combobox (arrows, Enter), which keeps focus
            <div
              key={step.id}
              id={optionId(index)}
              role="option"
              tabIndex={-1}
              aria-selected={index === current}
              className={index === current ? 'is-active' : undefined}
              onClick={() => onConnect(step.id)}
            >
              {step.label} <span className="field-hint">· {laneName.get(step.lane) ?? ''}</span>
            </div>
          ))}
        </div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!chosen}>
            Connect
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The kinds a step added after another can be: all but a start, which nothing leads to. */
const APPEND_KINDS = STEP_KINDS.filter((k) => k !== 'start');

/** What a new step added after another one is: its kind, lane and label. */
export interface AppendChoice {
  kind: StepKind;
  lane: string;
  label: string;
}

/** Chooses a new step to add after `after` (connected from it); its lane starts as `after`'s. */
export function AppendDialog({
  workflow,
  after,
  defaultLabel,
  onAdd,
  onClose,
}: {
  workflow: Workflow;
  after: Step;
  defaultLabel: (kind: StepKind) => string;
  onAdd: (choice: AppendChoice) => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<StepKind>('task');
  const [lane, setLane] = useState(after.lane);
  const [label, setLabel] = useState('');
  const id = useId();
  const chosenRef = useRef<HTMLInputElement>(null);
  // after the dialog has opened: focus on the chosen kind, so arrows change it and Tab goes on
  useEffect(() => chosenRef.current?.focus(), []);
  return (
    <Dialog open title={`Add a step after “${after.label}”`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onAdd({ kind, lane, label });
        }}
      >
        <p className="field-hint">The new step is connected from “{after.label}”.</p>
        <fieldset className="wf-palette">
          <legend>Step kind</legend>
          {APPEND_KINDS.map((k) => (
            <label key={k} className={`wf-palette-item${kind === k ? ' is-chosen' : ''}`}>
              <input
                type="radio"
                name={`${id}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
                ref={kind === k ? chosenRef : undefined}
              />
              <StepKindShape kind={k} />
              {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        <LaneAndLabelFields
          lanes={workflow.lanes}
          lane={lane}
          onLane={setLane}
          label={label}
          onLabel={setLabel}
          placeholder={defaultLabel(kind)}
        />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add and connect
          </button>
        </div>
      </form>
    </Dialog>
  );
}
