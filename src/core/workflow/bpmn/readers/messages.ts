/**
 * Message flows between pools: kept in the workflow's own list (never flows of the order of
 * work), their ends steps or pools; the collaboration's artifacts are read with the others
 * (artifacts.ts).
 */

import { type El, extensionOf, type PfMessage } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';

/** Each message flow of each collaboration. */
export const messageFlowReader: BpmnReader = {
  id: 'message-flows',
  reads: ['bpmn:messageFlow'],
  describe: 'each message flow between steps or pools',
  read(ctx) {
    for (const collaboration of ctx.collaborations) {
      for (const flow of collaboration.messageFlows ?? []) readMessageFlow(ctx, flow);
      ctx.artifacts.push(...(collaboration.artifacts ?? []));
    }
  },
};

/**
 * A message flow between pools: kept in its own list, its ends a step or a pool (never a flow
 * of the order of work). One whose end is neither is listed.
 */
function readMessageFlow(ctx: ImportContext, flow: El): void {
  const endOf = (end: El | undefined): string | undefined => {
    if (!end) return undefined;
    const step = ctx.stepOf.get(end);
    if (step) return step.step.id;
    return ctx.poolIdOf.get(end);
  };
  // Preflight writes a message to a step inside a collapsed sub-process to the sub-process,
  // and names the inner step in its extension: that step is the end when the file has it
  const nested = extensionOf<PfMessage>(flow, 'preflight:Message');
  const innerEnd = (id: string | undefined): El | undefined =>
    id === undefined ? undefined : [...ctx.stepOf.keys()].find((element) => element.id === id);
  const from = endOf(innerEnd(nested?.from) ?? flow.sourceRef);
  const to = endOf(innerEnd(nested?.to) ?? flow.targetRef);
  if (from === undefined || to === undefined) {
    ctx.drop(
      flow,
      'a message flow whose end is not a step or a pool',
      'a message flow is kept between steps and pools only',
    );
    return;
  }
  const name = flow.name?.trim();
  ctx.messageFlows.push({
    ...(flow.id ? { id: flow.id } : {}),
    from,
    to,
    ...(name ? { label: name } : {}),
  });
}
