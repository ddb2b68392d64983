/**
 * The canvas edges of a workflow's messages between pools (BPMN message flows): dashed, with an
 * open arrow, selectable and reached by Tab as a flow is, to open in the inspector or remove. A
 * message to or from a whole pool (a party seen from outside) has no step to end on and is listed
 * in the step's inspector instead.
 */
import { type Edge, type EdgeChange, MarkerType } from '@xyflow/react';
import type { Workflow } from '../../../formats/workflow.ts';
import { flowKey, type Selection } from './selection.ts';

/** Edge id prefix of a message: never a flow key (those are JSON arrays). */
export const MESSAGE_EDGE_PREFIX = 'message:';

/**
 * The edge id of the message at `index`: its place (a file from another tool may hold two messages
 * between the same ends, and edge ids must differ) and its key, the `flowKey` of its ends.
 */
function messageEdgeId(index: number, from: string, to: string): string {
  return `${MESSAGE_EDGE_PREFIX}${index}:${flowKey(from, to)}`;
}

/** The selection key of the message an edge id names (`flowKey` of its ends); null for another edge. */
export function messageKeyOfEdge(edgeId: string): string | null {
  if (!edgeId.startsWith(MESSAGE_EDGE_PREFIX)) return null;
  const rest = edgeId.slice(MESSAGE_EDGE_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? null : rest.slice(colon + 1);
}

/** One edge per message whose two ends are steps of `workflow`; those keyed in `selected` are selected. */
export function messageEdges(workflow: Workflow, selected: readonly string[] = []): Edge[] {
  const label = new Map(workflow.steps.map((step) => [step.id, step.label]));
  const chosen = new Set(selected);
  return (workflow.messageFlows ?? []).flatMap((message, index): Edge[] => {
    const from = label.get(message.from);
    const to = label.get(message.to);
    if (from === undefined || to === undefined) return [];
    const what = message.label ? ` “${message.label}”` : '';
    return [
      {
        id: messageEdgeId(index, message.from, message.to),
        source: message.from,
        target: message.to,
        type: 'straight',
        className: 'wf-message',
        selected: chosen.has(flowKey(message.from, message.to)),
        markerEnd: { type: MarkerType.Arrow, width: 18, height: 18 },
        ...(message.label ? { label: message.label } : {}),
        ariaLabel: `Message${what} from ${from} to ${to}`,
      },
    ];
  });
}

/**
 * The selection after React Flow's edge changes: a flow edge is named by its flow key, a message
 * edge by its message's key (`messageEdges.ts`); other changes and edges (a workaround) leave it.
 * Returns `selection` itself when nothing of it changed.
 */
export function edgeSelection(selection: Selection, changes: readonly EdgeChange[]): Selection {
  let flows: Set<string> | null = null;
  let messages: Set<string> | null = null;
  for (const change of changes) {
    if (change.type !== 'select') continue;
    const message = messageKeyOfEdge(change.id);
    let into: Set<string>;
    if (message === null) {
      flows ??= new Set(selection.flows);
      into = flows;
    } else {
      messages ??= new Set(selection.messages ?? []);
      into = messages;
    }
    const key = message ?? change.id;
    if (change.selected) into.add(key);
    else into.delete(key);
  }
  if (!flows && !messages) return selection;
  const { messages: before, ...rest } = selection;
  const kept = messages ? [...messages] : (before ?? []);
  const next: Selection = {
    ...rest,
    ...(flows ? { flows: [...flows] } : {}),
    ...(kept.length > 0 ? { messages: kept } : {}),
  };
  return next.flows.length > 0 || kept.length > 0 ? { ...next, lane: null } : next;
}
