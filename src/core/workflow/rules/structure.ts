/**
 * `structure`: the workflow is not a complete process model (bpmnlint's `recommended` ideas:
 * start-event-required, end-event-required, no-disconnected, conditional-flows, superfluous-
 * gateway, label-required).
 *
 * Checks (each a finding with `evidence.check`):
 * - `no-start`, `no-end`: no step of kind start / end;
 * - `no-flows`: several steps and not one flow between them (a file whose sequence flows were
 *   lost): one finding for that one cause, instead of every step being unreachable and a dead end;
 * - `unreachable`: a step no case reaches from a start or from an event sub-process's start
 *   (a step with `boundary` and no `attachedTo`: its event starts it), following flows of
 *   positive probability;
 * - `dead-end`: a step other than an end with no outgoing flow (a case stops there silently);
 *   not a step on a compensation path (BPMN compensation handlers have no outgoing flow: the
 *   compensation ends there), nor a non-interrupting boundary event (the case goes on along its
 *   activity's normal flow; only the path beside it ends);
 * - `trapped-loop`: a loop a case can enter but never leave (the metrics are then infinite);
 * - `endless-messages`: pools that keep starting each other by message without end (a case enters
 *   at A, A starts B, B starts C and C starts B again): every visit there brings at least one more,
 *   so the metrics are infinite too; reported apart because the fix is a way out of the messages;
 * - `probability-sum`: the RAW probabilities on the flows leaving a step do not sum to 1 when all
 *   are given, or exceed 1 when some are (graph.ts rescales them, so this reads the file's values);
 * - `decision-single-flow`: a decision with one way in and one way out (lowered one level, as
 *   bpmnlint's superfluous-gateway is a warning); a merge (two or more ways in, one out) decides
 *   nothing and is meant to;
 * - `label-required`: a step with a blank label;
 * - `missing-step`: a flow from or to a step that is not in the workflow, or a step in a lane that
 *   is not (what two people editing one shared workflow at once leave when one removes a step or
 *   lane the other was connecting): shown, never repaired, so they decide what it should be;
 * - `branches-without-chances` (lowered): a step other than a decision or a split gateway with two
 *   or more outgoing flows not all carrying a chance: alternatives or work at the same time? When
 *   none carries a chance or condition BPMN takes them all (an implicit split, bpmnlint's
 *   no-implicit-split) and so does the analysis where the branches meet at a parallel join or end
 *   apart (graph.ts); otherwise it splits cases evenly. The finding says which it did and asks to
 *   draw what is meant (a decision with chances, or a parallel split). The exception paths of boundary events attached to the step do not count:
 *   each has its own chance (graph.ts); nor do the flows from a sub-process into its inner first
 *   steps (BPMN starts every one of them; an ad-hoc sub-process, those its performer picks); nor does it fire when at most one flow is neither
 *   conditional nor default (`branch`): the step then chooses, as a decision does (bpmnlint's
 *   no-implicit-split);
 * - `split-without-join` (lowered): a parallel or inclusive split whose branches never meet at a
 *   join of its kind, so a case's time cannot follow its longest branch.
 * No check fires on a gateway because of its kind alone: a join with one way in or out is fine.
 * Unreachable steps are not listed when there is no start (the no-start finding says it all).
 *
 * Source: bpmn-io/bpmnlint, `recommended` configuration.
 */
import { isBoundaryFlow, isConcurrentSplit, PROBABILITY_TOLERANCE } from '../../../formats/workflow.ts';
import { reachableFrom } from '../graph.ts';
import { compareIds, finding, quoted, sortedIds, stepsInIdOrder } from './shared.ts';
import { type Finding, lowered, type WorkflowRule } from './types.ts';

const ID = 'structure';

/** The `structure` finding rule (detection, severity and sources in the header). */
export const structure: WorkflowRule = {
  id: ID,
  severity: 'error',
  title: 'Incomplete diagram',
  describe:
    'The diagram is not a complete process yet: a missing start or end, a step no patient can ' +
    'reach, a step where the process stops without an end, branch chances that do not add up to ' +
    '100 %, or a step without a name. Until fixed, the numbers of the analysis are not reliable ' +
    '(the same checks as bpmnlint, the BPMN linter).',
  requires: [],
  detect(context) {
    const { workflow, graph, visits } = context;
    const severity = context.severity;
    const findings: Finding[] = [];
    const add = (
      check: string,
      stepIds: string[],
      message: string,
      extra: Record<string, number> = {},
      s = severity,
    ) => findings.push(finding(ID, s, stepIds, message, { check, ...extra }));
    if (graph.starts.length === 0) {
      add(
        'no-start',
        [],
        'The workflow has no start step, so no case enters it and nothing can be measured. Add a start step.',
      );
    }
    if (graph.ends.length === 0) {
      add('no-end', [], 'The workflow has no end step: say where a case is finished by adding an end step.');
    }
    const noFlows = workflow.steps.length > 1 && workflow.flows.length === 0;
    if (noFlows) {
      add(
        'no-flows',
        [],
        `No flow connects the ${workflow.steps.length} steps, so no case can go from one to the next. ` +
          'If the diagram came from another tool, export it again with its sequence flows; otherwise draw the flows.',
      );
    }
    if (graph.starts.length > 0 && !noFlows) {
      const eventStarts = workflow.steps
        .filter((step) => step.boundary !== undefined && step.boundary.attachedTo === undefined)
        .map((step) => step.id);
      const reached = reachableFrom(graph, [...graph.starts, ...eventStarts]);
      for (const step of stepsInIdOrder(workflow)) {
        if (reached.has(step.id)) continue;
        add(
          'unreachable',
          [step.id],
          `No case reaches ${quoted(step)} from a start step: connect it or remove it.`,
        );
      }
    }
    const compensating = reachableFrom(
      graph,
      workflow.steps.filter((step) => step.boundary?.trigger === 'compensation').map((step) => step.id),
    );
    for (const step of stepsInIdOrder(workflow)) {
      if (noFlows || step.kind === 'end' || (graph.outgoing.get(step.id) ?? []).length > 0) continue;
      if (compensating.has(step.id)) continue;
      // a non-interrupting event with nothing after it ends only its own path: the case goes on
      if (step.boundary?.attachedTo !== undefined && step.boundary.interrupting === false) continue;
      add(
        'dead-end',
        [step.id],
        `${quoted(step)} has no outgoing flow and is not an end step: cases stop there without finishing.`,
      );
    }
    const byMessages = new Set(visits.messageLoop);
    const trapped = visits.trapped.filter((id) => !byMessages.has(id));
    if (trapped.length > 0) {
      add(
        'trapped-loop',
        sortedIds(trapped),
        `Cases that reach ${sortedIds(trapped)
          .map((id) => quoted(graph.steps.get(id)))
          .join(', ')} ` +
          'go round a loop with no way out, so times per case cannot be computed. Give the loop an exit.',
      );
    }
    if (byMessages.size > 0) {
      add(
        'endless-messages',
        sortedIds([...byMessages]),
        `${sortedIds([...byMessages])
          .map((id) => quoted(graph.steps.get(id)))
          .join(', ')} ` +
          'keep starting each other by message with no way out, so each case would start them without end ' +
          'and times per case cannot be computed. Let the message be sent only some of the time, or end the loop.',
      );
    }
    const flowsFrom = new Map<string, (number | undefined)[]>();
    // flows that are neither conditional nor default: BPMN takes all of them at once
    const implicitFrom = new Map<string, number>();
    for (const flow of workflow.flows) {
      if (!graph.steps.has(flow.from)) continue;
      // an exception path has its own chance (graph.ts), not a share of the normal flows' 100 %
      if (isBoundaryFlow(flow, graph.steps)) continue;
      // a sub-process with several inner first steps starts all of them (BPMN; an ad-hoc one those
      // the performer picks): what it holds, not a choice between ways out
      if (graph.steps.get(flow.to)?.within === flow.from) continue;
      if (flow.branch === undefined) implicitFrom.set(flow.from, (implicitFrom.get(flow.from) ?? 0) + 1);
      // appended in place: copying the list per flow was quadratic in a step's fan-out
      const list = flowsFrom.get(flow.from);
      if (list) list.push(flow.probability);
      else flowsFrom.set(flow.from, [flow.probability]);
    }
    const paired = new Set(graph.blocks.map((b) => b.split));
    for (const id of [...flowsFrom.keys()].sort(compareIds)) {
      const probabilities = flowsFrom.get(id) as (number | undefined)[];
      const kind = graph.steps.get(id)?.kind;
      if (kind !== undefined && isConcurrentSplit(kind)) {
        if (probabilities.length >= 2 && !paired.has(id)) {
          add(
            'split-without-join',
            [id],
            `The branches leaving ${quoted(graph.steps.get(id))} never meet again at ${kind === 'parallel-split' ? 'a parallel' : 'an inclusive'} join, so the time of a case cannot follow its longest branch: end the branches at a join.`,
            { flows: probabilities.length },
            lowered(severity),
          );
        }
        continue;
      }
      if (
        kind !== 'decision' &&
        probabilities.length >= 2 &&
        (implicitFrom.get(id) ?? 0) >= 2 &&
        probabilities.some((p) => p === undefined)
      ) {
        add(
          'branches-without-chances',
          [id],
          paired.has(id)
            ? `${probabilities.length} flows leave ${quoted(graph.steps.get(id))} with no condition or chance, so every case takes all of them at once (BPMN's implicit parallel split), and the analysis times it by its longest branch. If a case takes only one, make it a decision with chances; otherwise a parallel split shows it.`
            : `${probabilities.length} flows leave ${quoted(graph.steps.get(id))} with no chance on each: BPMN takes all of them at once, but they meet again at a step that is no parallel join, so the analysis splits cases evenly until you say. Make it a decision with chances, or a parallel split closed by a parallel join.`,
          { flows: probabilities.length },
          lowered(severity),
        );
      }
      const given = probabilities.filter((p): p is number => typeof p === 'number');
      const sum = given.reduce((total, p) => total + p, 0);
      const allGiven = given.length === probabilities.length;
      if (
        (allGiven && Math.abs(sum - 1) > PROBABILITY_TOLERANCE) ||
        (!allGiven && sum > 1 + PROBABILITY_TOLERANCE)
      ) {
        add(
          'probability-sum',
          [id],
          `The chances on the flows leaving ${quoted(graph.steps.get(id))} add up to ${Math.round(sum * 1000) / 10} %` +
            `${allGiven ? ', not 100 %' : ', more than 100 %'}: correct them so the branches add up to 100 %.`,
          { probabilitySum: Math.round(sum * 1e6) / 1e6, flows: probabilities.length },
        );
      }
    }
    const laneIds = new Set(workflow.lanes.map((lane) => lane.id));
    for (const flow of workflow.flows) {
      const gone = [flow.from, flow.to].filter((id) => !graph.steps.has(id));
      if (gone.length === 0) continue;
      const kept = [flow.from, flow.to].filter((id) => graph.steps.has(id));
      add(
        'missing-step',
        kept,
        `A flow ${gone.includes(flow.from) ? 'comes from' : 'leads to'} step “${gone[0]}”, which is no longer in the workflow (someone removed it while the flow was drawn): remove the flow or connect it to a step that is there.`,
      );
    }
    for (const step of stepsInIdOrder(workflow)) {
      if (!laneIds.has(step.lane))
        add(
          'missing-step',
          [step.id],
          `${quoted(step)} is in lane “${step.lane}”, which is no longer in the workflow (someone removed it while the step was added): move the step to a lane that is there.`,
        );
    }
    for (const step of stepsInIdOrder(workflow)) {
      const out = (graph.outgoing.get(step.id) ?? []).length;
      const into = (graph.incoming.get(step.id) ?? []).length;
      if (step.kind === 'decision' && out === 1 && into < 2) {
        add(
          'decision-single-flow',
          [step.id],
          `The decision ${quoted(step)} has only one way out, so nothing is decided: add the other branch or make it a task.`,
          { flows: out },
          lowered(severity),
        );
      }
      if (step.label.trim() === '') {
        add('label-required', [step.id], `Step “${step.id}” has no label: give it a name staff recognise.`);
      }
    }
    return findings;
  },
};
