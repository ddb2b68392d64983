/**
 * The comparison's badges: on a future workflow's steps, "New" or what each replaces; on the
 * current workflow's steps, "Retired" or untraced (no future step replaces it).
 */
import { type AttributeChange, attributeChanges } from '../../../core/workflow/index.ts';
import type { Step, Workflow } from '../../../formats/workflow.ts';
import { UNTRACED } from './nodes.tsx';

/** How a changed attribute is named on a compared step's badge (short: the badge is small). */
const CHANGED_WORDS: Readonly<Record<AttributeChange['attribute'], string>> = {
  kind: 'type',
  medium: 'how',
  system: 'system',
  lane: 'role',
  touchMin: 'staff time',
  waitMin: 'wait',
  clicks: 'clicks',
  enters: 'data typed',
};

/**
 * A future step's badge in the comparison: "New", or "Replaces n" with what changed against the
 * current steps it replaces (compare.ts decides what counts as a change, lanes by name).
 */
function traceBadge(step: Step, future: Workflow, current: Workflow): string {
  const replaced = (step.replaces ?? [])
    .map((id) => current.steps.find((s) => s.id === id))
    .filter((s): s is Step => s !== undefined);
  if (replaced.length === 0) return step.replaces?.length ? `Replaces ${step.replaces.length}` : 'New';
  const laneName = (w: Workflow, id: string) => w.lanes.find((l) => l.id === id)?.name ?? '';
  const changed = new Set<string>();
  for (const old of replaced) {
    for (const c of attributeChanges(old, step, laneName(current, old.lane), laneName(future, step.lane))) {
      changed.add(CHANGED_WORDS[c.attribute]);
    }
  }
  const base = `Replaces ${step.replaces?.length ?? replaced.length}`;
  return changed.size === 0 ? `${base} · unchanged` : `${base} · ${[...changed].join(', ')}`;
}

/** The badges of every step of `future`, by step id. */
export function futureBadges(future: Workflow, current: Workflow): Map<string, string> {
  return new Map(future.steps.map((s) => [s.id, traceBadge(s, future, current)]));
}

/** The badges of the steps of `current` that no step of `future` carries on: retired or untraced. */
export function baselineBadges(
  future: Pick<Workflow, 'steps' | 'retired'>,
  current: Workflow,
): Map<string, string> {
  const traced = new Set(future.steps.flatMap((s) => s.replaces ?? []));
  const retired = new Set(future.retired ?? []);
  const map = new Map<string, string>();
  for (const step of current.steps) {
    if (retired.has(step.id)) map.set(step.id, 'Retired');
    else if (!traced.has(step.id)) map.set(step.id, UNTRACED);
  }
  return map;
}
