/**
 * The canvas edges of a workflow's messages between pools (BPMN message flows): dashed, with an
 * open arrow, never selectable as a flow of the case. A message to or from a whole pool (a party
 * seen from outside) has no step to end on and is listed in the step's inspector instead.
 */
import { type Edge, MarkerType } from '@xyflow/react';
import type { Workflow } from '../../../formats/workflow.ts';

/** Edge id prefix of a message: never a flow key (those join two step ids). */
export const MESSAGE_EDGE_PREFIX = 'message:';

/** One edge per message whose two ends are steps of `workflow`. */
export function messageEdges(workflow: Workflow): Edge[] {
  const label = new Map(workflow.steps.map((step) => [step.id, step.label]));
  return (workflow.messageFlows ?? []).flatMap((message, index): Edge[] => {
    const from = label.get(message.from);
    const to = label.get(message.to);
    if (from === undefined || to === undefined) return [];
    const what = message.label ? ` “${message.label}”` : '';
    return [
      {
        id: `${MESSAGE_EDGE_PREFIX}${index}`,
        source: message.from,
        target: message.to,
        type: 'straight',
        className: 'wf-message',
        selectable: false,
        focusable: false,
        markerEnd: { type: MarkerType.Arrow, width: 18, height: 18 },
        ...(message.label ? { label: message.label } : {}),
        ariaLabel: `Message${what} from ${from} to ${to}`,
      },
    ];
  });
}
