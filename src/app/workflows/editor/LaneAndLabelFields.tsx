/**
 * The lane and label of a new step, as both the side form "Add a step" and the dialog "Add a step
 * after…" ask for them. The labels wrap their controls, so the fields need no ids and the two
 * forms can be on screen together.
 */
import type { Lane } from '../../../formats/workflow.ts';

/** A lane chooser (off while there is no lane) and a label field whose placeholder is the default label. */
export function LaneAndLabelFields({
  lanes,
  lane,
  onLane,
  label,
  onLabel,
  placeholder,
}: {
  lanes: readonly Lane[];
  lane: string;
  onLane: (lane: string) => void;
  label: string;
  onLabel: (label: string) => void;
  placeholder: string;
}) {
  return (
    <>
      <label className="field">
        Lane
        <select value={lane} onChange={(event) => onLane(event.target.value)} disabled={lanes.length === 0}>
          {lanes.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Step label
        <input
          autoComplete="off"
          type="text"
          value={label}
          placeholder={placeholder}
          onChange={(event) => onLabel(event.target.value)}
        />
      </label>
    </>
  );
}
