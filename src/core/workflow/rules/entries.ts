/**
 * Who enters which data item: for every `enters` item, the reached steps that type it, with
 * their expected visits per case. Shared by `duplicate-entry` and `manual-transcription`.
 */

import type { Step } from '../../../formats/workflow.ts';
import { EPSILON } from '../graph.ts';
import { compareIds, inProcessOrder, stepsInIdOrder, visitsOf } from './shared.ts';
import type { RuleContext } from './types.ts';

/** Steps entering one item. */
interface ItemEntries {
  item: string;
  /** distinct reached steps entering the item, in process order (distance from the start, then id) */
  steps: Step[];
  /** expected entries of the item per case: Σ visits of those steps */
  entriesPerCase: number;
}

/**
 * Items entered by two or more distinct steps a case reaches, more than once per case in
 * expectation (two exclusive branches entering the same item are not a duplicate). Sorted by item.
 */
export function repeatedItems(context: RuleContext): ItemEntries[] {
  const byItem = new Map<string, Step[]>();
  for (const step of stepsInIdOrder(context.workflow)) {
    if (!(visitsOf(context, step.id) > EPSILON)) continue;
    for (const item of new Set(step.enters)) {
      const list = byItem.get(item) ?? [];
      list.push(step);
      byItem.set(item, list);
    }
  }
  const out: ItemEntries[] = [];
  for (const [item, steps] of byItem) {
    if (steps.length < 2) continue;
    const entriesPerCase = steps.reduce((sum, s) => sum + visitsOf(context, s.id), 0);
    if (entriesPerCase <= 1 + 1e-9) continue;
    out.push({ item, steps: inProcessOrder(context.graph, steps), entriesPerCase });
  }
  return out.sort((a, b) => compareIds(a.item, b.item));
}

/** Groups items by the set of steps entering them: one finding per group, not per item. */
export function groupBySteps<T extends { steps: Step[] }>(entries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const key = entry.steps.map((s) => s.id).join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return new Map([...groups].sort(([a], [b]) => compareIds(a, b)));
}
