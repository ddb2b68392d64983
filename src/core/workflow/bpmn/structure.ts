/**
 * How a workflow's steps nest and attach when written as BPMN, decided once for the diagram
 * layout and the export:
 * - a step whose `within` names an activity (a task or approval) is inside that sub-process, and
 *   the sub-process is drawn collapsed with its inner steps on a page of its own (what bpmn.io
 *   shows on drill-down); a `within` that names no activity, or closes a loop, is ignored;
 * - a step whose `boundary.attachedTo` names an activity on the same page, reached by a flow from
 *   that activity and by no other flow, is a boundary event on the activity's border (BPMN's
 *   boundary events have no incoming flows); otherwise it is written in line as before.
 */
import type { Step, Workflow } from '../../../formats/workflow.ts';

/** The nesting and attachment of a workflow's steps in BPMN (see the file comment). */
export interface BpmnStructure {
  /** the sub-process step each inner step is in (absent: on the process's page) */
  parentOf: ReadonlyMap<string, string>;
  /** steps that hold inner steps: written as sub-processes */
  containers: ReadonlySet<string>;
  /** boundary steps written as boundary events: step id → host step id */
  attached: ReadonlyMap<string, string>;
}

const isActivity = (step: Step | undefined): boolean => step?.kind === 'task' || step?.kind === 'approval';

/** The BPMN structure of `workflow`. */
export function bpmnStructure(workflow: Workflow): BpmnStructure {
  const byId = new Map(workflow.steps.map((step) => [step.id, step]));
  const parentOf = new Map<string, string>();
  for (const step of workflow.steps) {
    if (step.within === undefined || !isActivity(byId.get(step.within))) continue;
    // a loop of `within`s has no outermost page: its steps stay on the process's page
    const seen = new Set([step.id]);
    let cursor: string | undefined = step.within;
    while (cursor !== undefined && !seen.has(cursor)) {
      seen.add(cursor);
      cursor = byId.get(cursor)?.within;
    }
    if (cursor === undefined) parentOf.set(step.id, step.within);
  }
  const containers = new Set(parentOf.values());

  const incoming = new Map<string, string[]>();
  for (const flow of workflow.flows) {
    const list = incoming.get(flow.to) ?? [];
    list.push(flow.from);
    incoming.set(flow.to, list);
  }
  // A step can be a boundary event when its host is an activity that is not itself one (a
  // boundary event hosts nothing); hosts are settled first, and in a loop of hosts the step met
  // first stays in line.
  const candidate = (step: Step): string | undefined => {
    const host = step.boundary?.attachedTo;
    if (host === undefined || !isActivity(byId.get(host))) return undefined;
    if (parentOf.get(host) !== parentOf.get(step.id) || containers.has(step.id)) return undefined;
    const from = incoming.get(step.id) ?? [];
    return from.length === 1 && from[0] === host ? host : undefined;
  };
  const settled = new Map<string, boolean>();
  const isAttached = (step: Step, depth: number): boolean => {
    const known = settled.get(step.id);
    if (known !== undefined) return known;
    settled.set(step.id, false); // a loop of hosts ends here, unattached
    const host = candidate(step);
    const hostStep = host === undefined ? undefined : byId.get(host);
    const result = hostStep !== undefined && depth < 1_000 && !isAttached(hostStep, depth + 1);
    settled.set(step.id, result);
    return result;
  };
  const attached = new Map<string, string>();
  for (const step of workflow.steps) {
    const host = step.boundary?.attachedTo;
    if (host !== undefined && isAttached(step, 0)) attached.set(step.id, host);
  }
  return { parentOf, containers, attached };
}

/** True when `inner` is (transitively) inside `outer`. */
export function isInside(structure: BpmnStructure, inner: string, outer: string): boolean {
  let cursor = structure.parentOf.get(inner);
  for (let depth = 0; cursor !== undefined && depth < 1_000; depth++) {
    if (cursor === outer) return true;
    cursor = structure.parentOf.get(cursor);
  }
  return false;
}
