/** What is selected on the editor's canvas, and the key that names a flow in it. */
import type { Workflow } from '../../../formats/workflow.ts';

/**
 * What is selected on the canvas; flows are named by `flowKey`, and messages by `flowKey` of their
 * two ends too (how a message edit names it). Absent `messages` is none selected.
 */
export interface Selection {
  steps: string[];
  flows: string[];
  lane: string | null;
  messages?: string[];
}

/** Nothing selected. */
export const NOTHING_SELECTED: Selection = { steps: [], flows: [], lane: null };

/** The one key of a flow (two steps are joined by at most one flow). */
export function flowKey(from: string, to: string): string {
  return JSON.stringify([from, to]);
}

/** The ends of a flow key. */
export function flowEnds(key: string): { from: string; to: string } {
  const [from = '', to = ''] = JSON.parse(key) as string[];
  return { from, to };
}

/**
 * The part of `selection` that still names something in `workflow` (an undo may have removed what
 * was selected, and an inspector of nothing is empty). Returns `selection` itself when all of it is
 * there, so a view comparing by identity does not redraw.
 */
export function liveSelection(selection: Selection, workflow: Workflow): Selection {
  const steps = selection.steps.filter((id) => workflow.steps.some((s) => s.id === id));
  const flows = selection.flows.filter((key) => {
    const { from, to } = flowEnds(key);
    return workflow.flows.some((f) => f.from === from && f.to === to);
  });
  const lane = selection.lane && workflow.lanes.some((l) => l.id === selection.lane) ? selection.lane : null;
  const chosen = selection.messages ?? [];
  const messages = chosen.filter((key) => {
    const { from, to } = flowEnds(key);
    return (workflow.messageFlows ?? []).some((m) => m.from === from && m.to === to);
  });
  return steps.length === selection.steps.length &&
    flows.length === selection.flows.length &&
    lane === selection.lane &&
    messages.length === chosen.length
    ? selection
    : { steps, flows, lane, ...(messages.length > 0 ? { messages } : {}) };
}

/** How many steps, flows and messages `selection` holds (a lane is not counted). */
export function selectedCount(selection: Selection): number {
  return selection.steps.length + selection.flows.length + (selection.messages?.length ?? 0);
}

/**
 * The canvas's nodes that are steps, as a CSS selector: a step's box and a boundary event on its
 * activity's border (both selected, focused and opened in the inspector alike).
 */
export const STEP_NODES = '.react-flow__node-step, .react-flow__node-boundary';
