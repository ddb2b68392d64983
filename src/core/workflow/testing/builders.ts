/**
 * Test-only step builder for the metrics, simulation and replication tests: a digital EHR task
 * named by its id, with no wait, clicks or entered fields unless `extra` says otherwise. Nothing
 * in the app imports this file.
 */
import type { Step } from '../../../formats/workflow.ts';

/** A task `id` in `lane` taking `touchMin` minutes; `extra` overrides any field (e.g. `kind`). */
export function step(id: string, lane: string, touchMin: number, extra: Partial<Step> = {}): Step {
  return {
    id,
    label: id,
    lane,
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...extra,
  };
}
