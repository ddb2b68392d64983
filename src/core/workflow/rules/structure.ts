/**
 * `structure`: the workflow is not a complete process model (bpmnlint's `recommended` ideas:
 * start-event-required, end-event-required, no-disconnected, conditional-flows, superfluous-
 * gateway, label-required).
 *
 * Checks (each a finding with `evidence.check`):
 * - `no-start`, `no-end`: no step of kind start / end;
 * - `unreachable`: a step no case reaches from a start (flows of positive probability);
 * - `dead-end`: a step other than an end with no outgoing flow (a case stops there silently);
 * - `trapped-loop`: a loop a case can enter but never leave (the metrics are then infinite);
 * - `probability-sum`: the RAW probabilities on the flows leaving a step do not sum to 1 when all
 *   are given, or exceed 1 when some are (graph.ts rescales them, so this reads the file's values);
 * - `decision-single-flow`: a decision with fewer than two outgoing flows (lowered one level, as
 *   bpmnlint's superfluous-gateway is a warning);
 * - `label-required`: a step with a blank label.
 * Unreachable steps are not listed when there is no start (the no-start finding says it all).
 *
 * Source: bpmn-io/bpmnlint, `recommended` configuration.
 */
import { PROBABILITY_TOLERANCE } from '../../../formats/workflow.ts';
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
    if (graph.starts.length > 0) {
      const reached = reachableFrom(graph, graph.starts);
      for (const step of stepsInIdOrder(workflow)) {
        if (reached.has(step.id)) continue;
        add(
          'unreachable',
          [step.id],
          `No case reaches ${quoted(step)} from a start step: connect it or remove it.`,
        );
      }
    }
    for (const step of stepsInIdOrder(workflow)) {
      if (step.kind === 'end' || (graph.outgoing.get(step.id) ?? []).length > 0) continue;
      add(
        'dead-end',
        [step.id],
        `${quoted(step)} has no outgoing flow and is not an end step: cases stop there without finishing.`,
      );
    }
    if (visits.trapped.length > 0) {
      add(
        'trapped-loop',
        sortedIds(visits.trapped),
        `Cases that reach ${sortedIds(visits.trapped)
          .map((id) => quoted(graph.steps.get(id)))
          .join(', ')} ` +
          'go round a loop with no way out, so times per case cannot be computed. Give the loop an exit.',
      );
    }
    const flowsFrom = new Map<string, (number | undefined)[]>();
    for (const flow of workflow.flows) {
      if (!graph.steps.has(flow.from)) continue;
      // appended in place: copying the list per flow was quadratic in a step's fan-out
      const list = flowsFrom.get(flow.from);
      if (list) list.push(flow.probability);
      else flowsFrom.set(flow.from, [flow.probability]);
    }
    for (const id of [...flowsFrom.keys()].sort(compareIds)) {
      const probabilities = flowsFrom.get(id) as (number | undefined)[];
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
    for (const step of stepsInIdOrder(workflow)) {
      const out = (graph.outgoing.get(step.id) ?? []).length;
      if (step.kind === 'decision' && out === 1) {
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
