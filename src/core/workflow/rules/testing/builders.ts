/**
 * Test-only builders of small workflows for the finding-rule tables, on top of the format
 * fixtures (src/formats/testing/fixtures.ts): a workflow is `fixtureWorkflow()` with its lanes,
 * steps and flows replaced. Nothing in the app imports this file. Content is invented.
 */
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../../formats/testing/fixtures.ts';
import type { Flow, FlowTransfer, Lane, Step, Workflow } from '../../../../formats/workflow.ts';

/** The lanes every built workflow has unless told otherwise. */
export const LANES: Lane[] = [
  { id: 'desk', name: 'Front desk', staff: 2 },
  { id: 'nurse', name: 'Nurse', staff: 1 },
  { id: 'doc', name: 'Physician', staff: 2 },
  { id: 'patient', name: 'Patient', staff: 0 },
];

/** A step with plain defaults: a 1-minute digital task at the front desk in the EHR. */
export function step(id: string, props: Partial<Step> = {}): Step {
  return {
    id,
    label: `Step ${id}`,
    lane: 'desk',
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...props,
  };
}

/** A start step `start` and an end step `end` (no touch time). */
export function startEnd(): [Step, Step] {
  return [
    step('start', { kind: 'start', label: 'Start', touchMin: 0 }),
    step('end', { kind: 'end', label: 'End', touchMin: 0 }),
  ];
}

/** Flows from strings: `a>b`, `a>b:0.3`, `a>b:0.3:manual`, `a>b::paper` (probability left out). */
export function flows(...specs: string[]): Flow[] {
  return specs.map((spec) => {
    const [pair = '', p = '', transfer = 'none'] = spec.split(':');
    const [from = '', to = ''] = pair.split('>');
    return {
      from,
      to,
      ...(p === '' ? {} : { probability: Number(p) }),
      transfer: transfer as FlowTransfer,
    };
  });
}

/** A chain a>b>c… as flows. */
export function chain(...ids: string[]): string[] {
  return ids.slice(1).map((to, i) => `${ids[i]}>${to}`);
}

/** What a built workflow may set. */
export interface WorkflowSpec {
  id?: string;
  state?: 'current' | 'future';
  baseline?: string;
  lanes?: Lane[];
  steps: Step[];
  flows: Flow[] | string[];
  arrivalsPerHour?: number;
  casesPerDay?: number;
  goLive?: Workflow['goLive'] | null;
  retired?: string[];
}

/** A workflow from {@link fixtureWorkflow} (current) or {@link fixtureFutureWorkflow} (future). */
export function workflow(spec: WorkflowSpec): Workflow {
  const future = spec.state === 'future';
  const base = future
    ? fixtureFutureWorkflow(spec.id ?? 'future', spec.baseline ?? 'current')
    : fixtureWorkflow(spec.id ?? 'current');
  const result: Workflow = {
    ...base,
    lanes: spec.lanes ?? LANES,
    steps: spec.steps,
    flows: typeof spec.flows[0] === 'string' ? flows(...(spec.flows as string[])) : (spec.flows as Flow[]),
    arrivalsPerHour: spec.arrivalsPerHour ?? 6,
  };
  if (spec.casesPerDay !== undefined) result.casesPerDay = spec.casesPerDay;
  if (spec.goLive === null) delete result.goLive;
  else result.goLive = spec.goLive ?? { capacityFactor: 0.5, productivityFactor: 0.7 };
  if (future) result.retired = spec.retired ?? [];
  else delete result.retired;
  return result;
}

/** A linear workflow start > …steps > end. */
export function linear(steps: Step[], spec: Partial<WorkflowSpec> = {}): Workflow {
  const [start, end] = startEnd();
  return workflow({
    ...spec,
    steps: [start, ...steps, end],
    flows: chain('start', ...steps.map((s) => s.id), 'end'),
  });
}
