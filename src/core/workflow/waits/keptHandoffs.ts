/**
 * Waits a future design carries over from today's log: a future step that takes over a current
 * step (`replaces`) whose wait the log split by cause (`observed.waitCauses`), done by the same
 * role and handed over from the same role as today. Such a hand-off keeps the habit that made
 * cases wait: a stack released together (batching) or a person who works the step only at some
 * hours (unavailability). A new screen changes neither — the in-basket fills and is worked the
 * same way — so the hours the log measured for those causes are the hours the design keeps.
 *
 * Contention and prioritization are not carried: they come from load and staffing, which the
 * capacity study models for the future design itself; extraneous waits are outside the log.
 *
 * Roles are matched by lane name (trimmed, case-insensitive), as two files drawn apart share no
 * ids; a sender is the nearest step before that is not a routing step (decision or gateway),
 * found by walking back through routing steps, so a check drawn in between changes nothing.
 */
import type { ObservedWaitCause, ObservedWaitCauses, Step, Workflow } from '../../../formats/workflow.ts';
import { replacements } from '../rules/replaced.ts';
import { casesPerDayOf } from '../rules/shared.ts';

/** The causes a kept hand-off carries over (see the header). */
export const HELD_CAUSES: readonly ObservedWaitCause[] = ['batching', 'unavailability'];

/** A future step that keeps a measured hand-off wait. */
export interface KeptHandoffWait {
  /** the future step */
  step: Step;
  /** the current step it replaces whose wait was measured (the one with the most held hours) */
  replaced: Step;
  /** that step's measured split */
  causes: ObservedWaitCauses;
  /** the roles handing over to it in both designs (lane names as the future workflow writes them), sorted */
  senders: string[];
  /** the role doing it */
  role: string;
  /** hours per case of the held causes ({@link HELD_CAUSES}) */
  heldHours: number;
}

const ROUTING: ReadonlySet<Step['kind']> = new Set([
  'decision',
  'parallel-split',
  'parallel-join',
  'inclusive-split',
  'inclusive-join',
]);

const key = (name: string) => name.trim().toLowerCase();

/** Lane names (by key → as written) of the steps handing work to `stepId` (see the header). */
function senders(workflow: Workflow, stepId: string): Map<string, string> {
  const steps = new Map(workflow.steps.map((s) => [s.id, s]));
  const laneName = (laneId: string) => workflow.lanes.find((l) => l.id === laneId)?.name ?? laneId;
  const into = new Map<string, string[]>();
  for (const f of workflow.flows) {
    const list = into.get(f.to);
    if (list) list.push(f.from);
    else into.set(f.to, [f.from]);
  }
  const found = new Map<string, string>();
  const seen = new Set<string>([stepId]);
  const queue = [...(into.get(stepId) ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const step = steps.get(id);
    if (!step) continue;
    if (ROUTING.has(step.kind)) {
      queue.push(...(into.get(id) ?? []));
      continue;
    }
    const name = laneName(step.lane);
    found.set(key(name), name);
  }
  return found;
}

/** The held hours per case of a measured split. */
export function heldHoursOf(
  causes: ObservedWaitCauses,
  held: readonly ObservedWaitCause[] = HELD_CAUSES,
): number {
  return held.reduce((sum, c) => sum + causes.hours[c], 0);
}

/**
 * Every future step of `workflow` that keeps a hand-off whose measured wait in `baseline` has
 * held hours (batching or unavailability) of at least `floorMin` minutes per case; in step-id
 * order. Needs `observed.waitCauses` on the baseline's steps (withWaitCauses).
 */
export function keptHandoffWaits(
  workflow: Workflow,
  baseline: Workflow,
  floorMin: number,
): KeptHandoffWait[] {
  const out: KeptHandoffWait[] = [];
  const laneName = (w: Workflow, laneId: string) => w.lanes.find((l) => l.id === laneId)?.name ?? laneId;
  for (const { step, replaced } of replacements(workflow, baseline)) {
    const role = laneName(workflow, step.lane);
    let best: KeptHandoffWait | undefined;
    for (const current of replaced) {
      const causes = current.observed?.waitCauses;
      if (!causes) continue;
      const heldHours = heldHoursOf(causes);
      if (heldHours * 60 < floorMin || heldHours <= 0) continue;
      if (key(laneName(baseline, current.lane)) !== key(role)) continue;
      const before = senders(baseline, current.id);
      const now = senders(workflow, step.id);
      const kept = [...now.entries()]
        .filter(([k]) => before.has(k) && k !== key(role))
        .map(([, name]) => name)
        .sort();
      if (kept.length === 0) continue;
      if (!best || heldHours > best.heldHours)
        best = { step, replaced: current, causes, senders: kept, role, heldHours };
    }
    if (best) out.push(best);
  }
  return out;
}

/** What taking causes away from the kept hand-offs saves (the go-live what-if). */
export interface WaitSaving {
  /** per kept hand-off, the hours per case the removed causes account for */
  steps: Array<{ stepId: string; label: string; replacedStepId: string; savedHoursPerCase: number }>;
  /** the causes taken away */
  removed: ObservedWaitCause[];
  /** waiting saved per case, summed over the steps (a case passes each once, as measured) */
  savedHoursPerCase: number;
  /** cases per day the saving is counted over: the workflow's, else arrivals per hour × 8 */
  casesPerDay: number;
  /** waiting saved per day */
  savedHoursPerDay: number;
}

/**
 * The waiting saved by taking `removed` causes away from the kept hand-offs of `workflow`
 * (e.g. batching: "release the work as it comes"; unavailability: "cover the step at every
 * hour the clinic is open"). Only held causes are carried over, so only they can be saved.
 */
export function waitSaving(
  workflow: Workflow,
  baseline: Workflow,
  removed: readonly ObservedWaitCause[],
  floorMin: number,
): WaitSaving {
  const held = HELD_CAUSES.filter((c) => removed.includes(c));
  const steps = keptHandoffWaits(workflow, baseline, floorMin).map((k) => ({
    stepId: k.step.id,
    label: k.step.label,
    replacedStepId: k.replaced.id,
    savedHoursPerCase: heldHoursOf(k.causes, held),
  }));
  const savedHoursPerCase = steps.reduce((sum, s) => sum + s.savedHoursPerCase, 0);
  const casesPerDay = casesPerDayOf(workflow);
  return {
    steps,
    removed: held,
    savedHoursPerCase,
    casesPerDay,
    savedHoursPerDay: savedHoursPerCase * casesPerDay,
  };
}
