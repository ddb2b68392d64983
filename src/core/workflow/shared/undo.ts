/**
 * A person's undo in a shared workflow after others' changes arrived: the undo list is kept, and
 * each of its steps keeps only what is still the person's own. {@link ownPartOf} takes out of an
 * edit (an undo's inverse, a redo's edit) what others changed since it was made — a field someone
 * else set later, an item someone else removed — so undo takes back the person's own last change
 * and never someone else's: a field set by another person after the person's own edit stays as
 * they set it, and undo of an edit of a removed step does nothing rather than fail.
 *
 * Constraints: pure. `since` are the operations that turned the workflow the edit was made on into
 * the one now (the difference of the two, {@link diffWorkflows}); fields are matched by name, so a
 * patch's field and a change's field are the same words (`touchMin`, `name`, …).
 */
import type { WorkflowEdit } from '../edit/changes.ts';
import type { SharedOp } from './ops.ts';

const flowKey = (from: string, to: string) => JSON.stringify([from, to]);

/** What others' operations removed and set, by item. */
interface Touched {
  removed: Set<string>;
  set: Set<string>;
}

function touchedBy(ops: readonly SharedOp[]): Touched {
  const removed = new Set<string>();
  const set = new Set<string>();
  for (const op of ops) {
    if (op.op === 'step/remove') removed.add(`step:${op.id}`);
    else if (op.op === 'lane/remove') removed.add(`lane:${op.id}`);
    else if (op.op === 'flow/remove') removed.add(`flow:${flowKey(op.from, op.to)}`);
    else if (op.op === 'step/set') set.add(`step:${op.id}:${op.field}`);
    else if (op.op === 'lane/set') set.add(`lane:${op.id}:${op.field}`);
    else if (op.op === 'flow/set') set.add(`flow:${flowKey(op.from, op.to)}:${op.field}`);
    else if (op.op === 'workflow/set') set.add(`workflow::${op.field}`);
  }
  return { removed, set };
}

/** `patch` less the fields of `item` others set; null when nothing is left. */
function ownFields<P extends object>(patch: P, item: string, touched: Touched): P | null {
  const kept = Object.fromEntries(
    Object.entries(patch).filter(([field]) => !touched.set.has(`${item}:${field}`)),
  );
  return Object.keys(kept).length === 0 ? null : (kept as P);
}

function own(edit: WorkflowEdit, touched: Touched): WorkflowEdit | null {
  const gone = (item: string) => touched.removed.has(item);
  switch (edit.type) {
    case 'step/update': {
      if (gone(`step:${edit.id}`)) return null;
      const patch = ownFields(edit.patch, `step:${edit.id}`, touched);
      return patch && { ...edit, patch };
    }
    case 'flow/update': {
      const item = `flow:${flowKey(edit.from, edit.to)}`;
      if (gone(item)) return null;
      const patch = ownFields(edit.patch, item, touched);
      return patch && { ...edit, patch };
    }
    case 'lane/update': {
      if (gone(`lane:${edit.id}`)) return null;
      const patch = ownFields(edit.patch, `lane:${edit.id}`, touched);
      return patch && { ...edit, patch };
    }
    case 'workflow/update': {
      const patch = ownFields(edit.patch, 'workflow:', touched);
      return patch && { ...edit, patch };
    }
    case 'step/remove':
      return gone(`step:${edit.id}`) ? null : edit;
    case 'lane/remove':
    case 'lane/move':
      return gone(`lane:${edit.id}`) ? null : edit;
    case 'flow/remove':
      return gone(`flow:${flowKey(edit.from, edit.to)}`) ? null : edit;
    case 'batch': {
      const edits = edit.edits.map((e) => own(e, touched)).filter((e): e is WorkflowEdit => e !== null);
      return edits.length === 0 ? null : { type: 'batch', edits };
    }
    default:
      // an add puts back what the person removed (or takes away what they added): theirs alone
      return edit;
  }
}

/**
 * The part of `edit` that is still the person's own after others' operations `since`: without
 * the fields others set and the items others removed; null when nothing of it is left.
 */
export function ownPartOf(edit: WorkflowEdit, since: readonly SharedOp[]): WorkflowEdit | null {
  return own(edit, touchedBy(since));
}
