/**
 * A lost edit in the clinic's words: what of the person's was lost (which step, lane or flow, by
 * its name), who removed it and when, and what to do. Also the one line that leads the findings
 * a removal caused ("Tomás Ruiz removed “Triage”; 3 flows of yours pointed to it").
 *
 * Constraints: names steps and lanes by their label and name only (the removed one as it was,
 * the others as the workflow has them now); never a value the person typed, nor a note.
 */
import type { LostEdit, SharedOp } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { checkedWhen, plural } from '../../common/format.ts';

const quoted = (text: string) => `“${text}”`;

/** The removed item's name as it was (its id when the removal is no longer remembered). */
function removedName(lost: LostEdit): string {
  const item = lost.removal?.item;
  if (item?.kind === 'step') return quoted(item.step.label);
  if (item?.kind === 'lane') return quoted(item.lane.name);
  if (item?.kind === 'flow') return `from ${quoted(item.fromName)} to ${quoted(item.toName)}`;
  return quoted(lost.key.replace(/^(step|lane|flow):/, ''));
}

/** What the removed item is, in words: `the step “Triage”`. */
export function removedThing(lost: LostEdit): string {
  const kind = lost.removal?.item.kind ?? lost.key.split(':')[0];
  const noun = kind === 'lane' ? 'lane' : kind === 'flow' ? 'flow' : 'step';
  return `the ${noun} ${removedName(lost)}`;
}

const STEP_FIELD_WORDS: Record<string, string> = {
  kind: 'kind',
  medium: 'medium',
  system: 'system',
  touchMin: 'touch time',
  waitMin: 'wait',
  clicks: 'clicks',
  enters: 'data entered',
  replaces: 'steps it replaces',
  notes: 'notes',
  boundary: 'event',
  bpmn: 'BPMN details',
  observed: 'observed times',
};

/** One lost operation of the person's as a clause about the removed item (`your new name for it was lost`). */
function opClause(op: SharedOp, workflow: Workflow): string {
  const step = (id: string) => quoted(workflow.steps.find((s) => s.id === id)?.label ?? id);
  switch (op.op) {
    case 'step/put':
      return `the step ${quoted(op.step.label)} you added to it is now in no lane`;
    case 'step/set':
      if (op.field === 'lane') return `the step ${step(op.id)} you moved into it is now in no lane`;
      if (op.field === 'label') return 'your new name for it was lost';
      if (op.field === 'position' || op.field === 'within') return 'your move of it was lost';
      return `your change to its ${STEP_FIELD_WORDS[op.field] ?? op.field} was lost`;
    case 'lane/set':
      if (op.field === 'name') return 'your new name for it was lost';
      return `your change to its ${op.field === 'staff' ? 'staff' : 'pool'} was lost`;
    case 'lane/move':
      return 'your move of it was lost';
    default:
      return 'your change to it was lost';
  }
}

const isFlowPut = (op: SharedOp) => op.op === 'flow/put';
/** Whether the person's operation is left pointing at the removed item (rather than skipped). */
const isPointing = (op: SharedOp) =>
  op.op === 'flow/put' || op.op === 'step/put' || (op.op === 'step/set' && op.field === 'lane');

/** The person's flows left pointing at the removed step, in words: `3 flows of yours`. */
function flowsOfYours(lost: LostEdit): string {
  return `${plural(lost.mine.filter(isFlowPut).length, 'flow')} of yours`;
}

/** Who removed it and when: `Tomás Ruiz removed the step “Triage” on 26 Nov 2026, 14:02`. */
function removedWhen(lost: LostEdit): string {
  const removal = lost.removal;
  if (!removal) return `Someone else removed ${removedThing(lost)}`;
  const when = removal.atExact
    ? `on ${checkedWhen(removal.at)}`
    : `before ${checkedWhen(removal.at)}, when it reached you`;
  return `${removal.author} removed ${removedThing(lost)} ${when}`;
}

const capital = (text: string) => `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;

/**
 * What to tell the person of one lost edit: what was lost (`what`), and what to do (`todo`);
 * `back`: the removed item is in the workflow again.
 */
export function lostWords(lost: LostEdit, workflow: Workflow, back: boolean): { what: string; todo: string } {
  const flows = lost.mine.filter(isFlowPut).length;
  const clauses = [
    ...(flows > 0
      ? [`${flowsOfYours(lost)} to or from it now ${flows === 1 ? 'points' : 'point'} at nothing`]
      : []),
    ...new Set(lost.mine.filter((op) => !isFlowPut(op)).map((op) => opClause(op, workflow))),
  ];
  const what = `${removedWhen(lost)}. ${capital(clauses.join('; ') || 'a change of yours was lost')}.`;
  const name = removedName(lost);
  if (back) return { what, todo: `${name} is back in the workflow: nothing more to do.` };
  if (!lost.removal)
    return { what, todo: 'Add it again if the clinic still needs it, or change what of yours points at it.' };
  const todo = lost.mine.some(isPointing)
    ? `If the clinic still needs ${name}, put it back: what of yours points at it is mended. If not, remove what of yours points at it.`
    : `If the clinic still needs ${name}, put it back with your change. If not, there is nothing to do.`;
  return { what, todo: `${todo} ${lost.removal.author} may have removed it on purpose: ask them.` };
}

/** The line that leads the findings a removal caused: `Tomás Ruiz removed “Triage”; 3 flows of yours pointed to it`. */
export function causeWords(lost: LostEdit): string {
  const by = lost.removal?.author ?? 'Someone else';
  const flows = lost.mine.filter(isFlowPut).length;
  const steps = lost.mine.length - flows;
  const yours = [
    ...(flows > 0 ? [`${flowsOfYours(lost)} pointed to it`] : []),
    ...(steps > 0 ? [`${plural(steps, 'step')} of yours ${steps === 1 ? 'was' : 'were'} in it`] : []),
  ].join(' and ');
  return `${by} removed ${removedName(lost)}; ${yours}`;
}
