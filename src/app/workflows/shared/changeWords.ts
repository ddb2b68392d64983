/**
 * A shared workflow's changes in words, for the list of recent changes beside the editor: who
 * set what to which value. Two people setting one field at once both appear there, in the
 * server's order, so the value that lost (the earlier one) is seen, never silently gone.
 *
 * Constraints: names steps and lanes by their label as the workflow has them now (by id when
 * removed since); a value is shown only for short fields (numbers, a medium, a name), never a
 * whole list or a note.
 */
import type { ServerChange, SharedOp } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';

/** How many of a change's operations are told; the rest are counted. */
const OPS_TOLD = 3;
/** Longest value shown; a longer one is cut. */
const VALUE_CHARS = 60;

const STEP_FIELD_WORDS: Record<string, string> = {
  label: 'name',
  lane: 'lane',
  kind: 'kind',
  medium: 'medium',
  system: 'system',
  touchMin: 'touch time (minutes)',
  waitMin: 'wait (minutes)',
  clicks: 'clicks',
  enters: 'data entered',
  replaces: 'steps it replaces',
  notes: 'notes',
};
const SHOWN_VALUES = new Set([
  'label',
  'kind',
  'medium',
  'system',
  'touchMin',
  'waitMin',
  'clicks',
  'name',
  'staff',
]);

const quoted = (text: string) => `“${text}”`;

function valueWords(field: string, value: unknown): string {
  if (!SHOWN_VALUES.has(field) || value === null) return '';
  const text = String(value);
  return ` to ${text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text}`;
}

/** One operation in words, e.g. `set the touch time (minutes) of “Check in” to 5`. */
function opWords(op: SharedOp, workflow: Workflow): string {
  const step = (id: string) => quoted(workflow.steps.find((s) => s.id === id)?.label ?? id);
  const lane = (id: string) => quoted(workflow.lanes.find((l) => l.id === id)?.name ?? id);
  switch (op.op) {
    case 'step/put':
      return `added step ${quoted(op.step.label)}`;
    case 'step/remove':
      return `removed step ${step(op.id)}`;
    case 'step/set':
      if (op.field === 'position' || op.field === 'within') return `moved step ${step(op.id)}`;
      return `set the ${STEP_FIELD_WORDS[op.field] ?? op.field} of ${step(op.id)}${valueWords(op.field, op.value)}`;
    case 'flow/put':
      return `connected ${step(op.flow.from)} to ${step(op.flow.to)}`;
    case 'flow/remove':
      return `removed the connection from ${step(op.from)} to ${step(op.to)}`;
    case 'flow/set':
      return `changed the connection from ${step(op.from)} to ${step(op.to)}`;
    case 'lane/put':
      return `added lane ${quoted(op.lane.name)}`;
    case 'lane/remove':
      return `removed lane ${lane(op.id)}`;
    case 'lane/set':
      return `set the ${op.field === 'staff' ? 'staff on shift' : 'name'} of lane ${lane(op.id)}${valueWords(op.field, op.value)}`;
    case 'lane/move':
      return `moved lane ${lane(op.id)}`;
    case 'workflow/set':
      return 'changed the workflow’s details';
  }
}

/** A change in one line: its author and what its operations did (`Lena Okafor set …`). */
export function changeWords(change: ServerChange, workflow: Workflow): string {
  const told = [...new Set(change.ops.map((op) => opWords(op, workflow)))];
  const more = told.length - OPS_TOLD;
  const what = told.slice(0, OPS_TOLD).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return `${change.author} ${what || 'changed nothing'}.`;
}
