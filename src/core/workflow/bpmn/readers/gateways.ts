/**
 * Parallel and inclusive gateways: a split or a join is settled once the flows are known (a
 * `preflight:step` kind, when Preflight wrote one, says it already).
 */

import { extensionOf, localType, type PfStep } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';
import { STEP_KINDS } from './flowNodes.ts';

/** Parallel and inclusive gateways as splits or joins. */
export const gatewayReader: BpmnReader = {
  id: 'gateways',
  reads: ['bpmn:parallelGateway', 'bpmn:inclusiveGateway'],
  describe: 'each parallel or inclusive gateway as a split or a join, by its direction and its flows',
  read: settleGateways,
};

/**
 * Parallel and inclusive gateways without a `preflight:step` kind: a split when the gateway is
 * marked diverging, or (unmarked or mixed) has more than one outgoing flow; otherwise a join. A
 * mixed gateway (several flows in and out) becomes a split, and its joining is listed.
 */
function settleGateways(ctx: ImportContext): void {
  const out = new Map<string, number>();
  const into = new Map<string, number>();
  for (const flow of ctx.flows) {
    out.set(flow.from, (out.get(flow.from) ?? 0) + 1);
    into.set(flow.to, (into.get(flow.to) ?? 0) + 1);
  }
  for (const { step, element } of ctx.steps) {
    const type = localType(element);
    if (type !== 'ParallelGateway' && type !== 'InclusiveGateway') continue;
    const ext = extensionOf<PfStep>(element, 'preflight:Step');
    if (ext?.kind !== undefined && STEP_KINDS.has(ext.kind)) continue;
    const family = type === 'ParallelGateway' ? 'parallel' : 'inclusive';
    const direction = element.gatewayDirection;
    const outs = out.get(step.id) ?? 0;
    const ins = into.get(step.id) ?? 0;
    const split = direction === 'Diverging' || (direction !== 'Converging' && outs > 1);
    step.kind = split ? `${family}-split` : `${family}-join`;
    if (split && ins > 1) {
      ctx.drop(
        element,
        'its joining of the incoming branches (a gateway that both joins and splits)',
        `Preflight keeps it as a ${family} split; add a ${family} join before it so the analysis waits for every branch`,
      );
    }
  }
}
