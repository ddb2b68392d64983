/**
 * Sequence flows → flows. A flow leaving a flattened sub-process leaves from its inner ends;
 * `preflight:flow` gives the chance, branch and transfer Preflight wrote (else a simulator's
 * chance), a second flow between the same two steps is merged into the first, and a flow's name
 * and condition go into its source step's notes (flows have no notes).
 */

import type { Flow, FlowTransfer } from '../../../../formats/workflow.ts';
import { type El, extensionOf, isA, type PfFlow, probabilityLabel } from '../model.ts';
import { type BpmnReader, finiteAtLeast0, type ImportContext, type PendingStep } from './context.ts';

const TRANSFERS: ReadonlySet<string> = new Set<FlowTransfer>(['none', 'electronic', 'manual', 'paper']);

/** Each sequence flow the walk collected, once every step is known. */
export const sequenceFlowReader: BpmnReader = {
  id: 'sequence-flows',
  reads: ['bpmn:sequenceFlow', 'bpmn:incoming', 'bpmn:outgoing'],
  describe: 'each sequence flow as a flow, its name and condition in its source step’s notes',
  read(ctx) {
    for (const sequenceFlow of ctx.sequenceFlows) {
      const source = sequenceFlow.sourceRef;
      const target = sequenceFlow.targetRef;
      const to = target ? ctx.stepOf.get(target) : undefined;
      const froms = source ? exitsOf(ctx, source) : [];
      if (!to || froms.length === 0) {
        ctx.drop(
          sequenceFlow,
          'a sequence flow',
          'its source or target is missing from the file or is not a step, so it connects nothing',
        );
        continue;
      }
      for (const from of froms) addFlow(ctx, from, to, sequenceFlow);
      markBranch(ctx, froms, to, sequenceFlow);
      const sourceStep = source ? ctx.stepOf.get(source) : undefined;
      noteBranch(sourceStep, to, sequenceFlow);
    }
  },
};

/** The steps a flow leaving `element` leaves from: a flattened sub-process leaves from its ends. */
function exitsOf(ctx: ImportContext, element: El, depth = 0): PendingStep[] {
  const children = ctx.inner.get(element);
  const own = ctx.stepOf.get(element);
  if (!children || element.triggeredByEvent || depth > 32) return own ? [own] : [];
  const outgoing = new Set(
    ctx.sequenceFlows.filter((f) => f.sourceRef && children.includes(f.sourceRef)).map((f) => f.sourceRef),
  );
  let ends = children.filter((c) => c.$type === 'bpmn:EndEvent');
  if (ends.length === 0) ends = children.filter((c) => !outgoing.has(c) && c.$type !== 'bpmn:BoundaryEvent');
  const exits = ends.flatMap((end) => exitsOf(ctx, end, depth + 1));
  return exits.length > 0 ? exits : own ? [own] : [];
}

export function entriesOf(ctx: ImportContext, element: El): PendingStep[] {
  const children = ctx.inner.get(element) ?? [];
  const incoming = new Set(
    ctx.sequenceFlows.filter((f) => f.targetRef && children.includes(f.targetRef)).map((f) => f.targetRef),
  );
  let starts = children.filter((c) => c.$type === 'bpmn:StartEvent');
  if (starts.length === 0) {
    starts = children.filter(
      (c) =>
        !incoming.has(c) &&
        c.$type !== 'bpmn:BoundaryEvent' &&
        !(c as { isForCompensation?: boolean }).isForCompensation &&
        !c.triggeredByEvent,
    );
  }
  return starts.flatMap((start) => {
    const step = ctx.stepOf.get(start);
    return step ? [step] : [];
  });
}

export function addFlow(
  ctx: ImportContext,
  from: PendingStep,
  to: PendingStep,
  origin: El | undefined,
): void {
  let probability: number | undefined;
  let transfer: FlowTransfer = 'none';
  const ext = origin ? extensionOf<PfFlow>(origin, 'preflight:Flow') : undefined;
  if (ext?.probability !== undefined) {
    if (finiteAtLeast0(ext.probability) && ext.probability <= 1) probability = ext.probability;
    else if (origin) ctx.warnExtension(origin, 'preflight:flow probability is not between 0 and 1; left out');
  } else if (origin?.id !== undefined) {
    probability = ctx.chances.get(origin.id);
  }
  let branch: Flow['branch'];
  if (ext?.branch !== undefined) {
    if (ext.branch === 'condition' || ext.branch === 'default') branch = ext.branch;
    else if (origin)
      ctx.warnExtension(origin, 'preflight:flow branch is neither condition nor default; left out');
  }
  if (ext?.transfer !== undefined) {
    if (TRANSFERS.has(ext.transfer)) transfer = ext.transfer as FlowTransfer;
    else if (origin)
      ctx.warnExtension(origin, 'preflight:flow transfer is not a transfer kind; "none" is used');
  }
  const key = JSON.stringify([from.step.id, to.step.id]);
  const existing = ctx.flowIndex.get(key);
  if (existing !== undefined) {
    const flow = ctx.flows[existing];
    if (flow && probability !== undefined)
      flow.probability = Math.min(1, (flow.probability ?? 0) + probability);
    if (origin) {
      ctx.drop(
        origin,
        'a second sequence flow between the same two steps',
        'a workflow has one flow per pair of steps; the flows are merged (their probabilities added)',
      );
    }
    return;
  }
  const flow: Flow =
    probability === undefined
      ? { from: from.step.id, to: to.step.id, transfer }
      : { from: from.step.id, to: to.step.id, probability, transfer };
  if (branch) flow.branch = branch;
  ctx.flowIndex.set(key, ctx.flows.length);
  ctx.flows.push(flow);
}

/** Marks the flows made of an activity's conditional or default sequence flow (`branch`). */
function markBranch(
  ctx: ImportContext,
  froms: readonly PendingStep[],
  to: PendingStep,
  sequenceFlow: El,
): void {
  const source = sequenceFlow.sourceRef;
  // a gateway's kind already says how its flows are taken
  if (!source || isA(source, 'bpmn:Gateway')) return;
  const branch =
    source.default === sequenceFlow ? 'default' : sequenceFlow.conditionExpression ? 'condition' : undefined;
  if (!branch) return;
  for (const from of froms) {
    const index = ctx.flowIndex.get(JSON.stringify([from.step.id, to.step.id]));
    const flow = index === undefined ? undefined : ctx.flows[index];
    if (flow) flow.branch = branch;
  }
}

/** Keeps a flow's name and condition in its source step's notes (flows have no notes). */
function noteBranch(source: PendingStep | undefined, to: PendingStep, flow: El): void {
  if (!source) return;
  const probability = extensionOf<PfFlow>(flow, 'preflight:Flow')?.probability;
  const written = probability !== undefined && flow.name === probabilityLabel(probability);
  const name = written ? undefined : flow.name?.trim();
  const condition = flow.conditionExpression?.body?.trim();
  if (!name && !condition) return;
  const parts = [`→ "${to.step.label}"`];
  if (name) parts.push(`: ${name}`);
  if (condition) parts.push(` (condition: ${condition})`);
  source.notes.push(parts.join(''));
}
