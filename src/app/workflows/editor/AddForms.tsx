/** The editor's side forms: add a step (a palette to drag from, or a kind, a lane and a label) and add a lane. */
import { useState } from 'react';
import { STEP_KINDS } from '../../../core/workflow/edit/index.ts';
import type { StepKind, Workflow } from '../../../formats/workflow.ts';
import { StepKindShape } from './icons.tsx';
import { LaneAndLabelFields } from './LaneAndLabelFields.tsx';
import { defaultLabel, KIND_LABEL } from './labels.ts';
import { STEP_KIND_DRAG_TYPE } from './WorkflowCanvas.tsx';

/** Adds a step of a chosen kind to a chosen lane. */
export function AddStepForm({
  workflow,
  onAdd,
}: {
  workflow: Workflow;
  onAdd: (kind: StepKind, lane: string, label: string) => void;
}) {
  const [kind, setKind] = useState<StepKind>('task');
  const [lane, setLane] = useState('');
  const [label, setLabel] = useState('');
  const laneId = workflow.lanes.some((l) => l.id === lane) ? lane : (workflow.lanes[0]?.id ?? '');
  return (
    <form
      className="wf-add"
      aria-labelledby="add-step-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!laneId) return;
        onAdd(kind, laneId, label);
        setLabel('');
      }}
    >
      <h3 id="add-step-title">Add a step</h3>
      <p className="field-hint">Drag a kind onto a lane, or choose a kind and a lane and press Add step.</p>
      <fieldset className="wf-palette">
        <legend>Step kind</legend>
        {STEP_KINDS.map((k) => (
          <label
            key={k}
            className={`wf-palette-item${kind === k ? ' is-chosen' : ''}`}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData(STEP_KIND_DRAG_TYPE, k);
              event.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <input type="radio" name="step-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <StepKindShape kind={k} />
            {KIND_LABEL[k]}
          </label>
        ))}
      </fieldset>
      <LaneAndLabelFields
        lanes={workflow.lanes}
        lane={laneId}
        onLane={setLane}
        label={label}
        onLabel={setLabel}
        placeholder={defaultLabel(kind)}
      />
      <button type="submit" className="primary" disabled={!laneId}>
        Add step
      </button>
      {workflow.lanes.length === 0 && (
        <p className="field-hint">Add a lane first: every step belongs to a role.</p>
      )}
    </form>
  );
}

/** Adds a lane: a role and its staff on shift. */
export function AddLaneForm({ onAdd }: { onAdd: (name: string, staff: number) => void }) {
  const [name, setName] = useState('');
  const [staff, setStaff] = useState('1');
  const staffNumber = Number(staff);
  const staffError =
    staff.trim() === '' || !Number.isInteger(staffNumber) || staffNumber < 0
      ? 'Enter a whole number of 0 or more.'
      : null;
  return (
    <form
      className="wf-add"
      aria-labelledby="add-lane-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '' || staffError) return;
        onAdd(name.trim(), staffNumber);
        setName('');
      }}
    >
      <h3 id="add-lane-title">Add a lane</h3>
      <label className="field">
        Role name
        <input
          autoComplete="off"
          type="text"
          value={name}
          placeholder="e.g. Triage nurse"
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <label className="field">
        Staff on shift
        <input
          autoComplete="off"
          type="text"
          inputMode="numeric"
          value={staff}
          aria-invalid={staffError ? true : undefined}
          aria-describedby={staffError ? 'add-lane-staff-error' : undefined}
          onChange={(event) => setStaff(event.target.value)}
        />
      </label>
      {staffError && (
        <p className="field-error" id="add-lane-staff-error">
          {staffError}
        </p>
      )}
      <button type="submit" disabled={name.trim() === '' || staffError !== null}>
        Add lane
      </button>
    </form>
  );
}
