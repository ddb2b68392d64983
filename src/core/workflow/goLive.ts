/**
 * Go-live arithmetic: how the lanes load up in go-live week, and the smallest schedule cut that
 * keeps them safe — the number behind the `golive-capacity` finding.
 *
 * The model (M/M/c queueing arithmetic):
 * - demand: bookings are `capacityFactor` × normal, so arrivals are λ·capacityFactor;
 * - productivity: staff work at `productivityFactor` × normal speed, so every touch time is
 *   divided by it (0.7 → a 7-minute task takes 10);
 * - hence a queued lane's utilisation is ρ_golive = ρ · capacityFactor / productivityFactor.
 * Lanes with `staff: 0` are not queued (metrics.ts) and never need a cut.
 */
import type { GoLiveSettings, Workflow } from '../../formats/workflow.ts';
import {
  computeMetrics,
  laneMetrics,
  type MetricsProblem,
  type MetricsResult,
  type PreparedWorkflow,
  prepareWorkflow,
  trappedProblem,
} from './metrics.ts';

/** The utilisation a lane should stay under (the `role-overload` warning default). */
export const DEFAULT_UTILISATION_LIMIT = 0.85;

/**
 * Productivity assumed in go-live week when a workflow states no `goLive`: staff at 70 % of
 * normal speed in week one. An assumption, not a published figure.
 */
export const DEFAULT_GO_LIVE_PRODUCTIVITY = 0.7;

/** The go-live settings of `workflow`, or normal bookings at the default productivity. */
export function goLiveSettingsOf(workflow: Workflow): GoLiveSettings {
  return workflow.goLive ?? { capacityFactor: 1, productivityFactor: DEFAULT_GO_LIVE_PRODUCTIVITY };
}

/**
 * The workflow's metrics at go-live settings (lane ρ, waits, cycle time). `prepared`: the
 * workflow's graph and visits when the caller has them (metrics.ts `prepareWorkflow`).
 */
export function goLiveMetrics(
  workflow: Workflow,
  settings = goLiveSettingsOf(workflow),
  prepared?: PreparedWorkflow,
): MetricsResult {
  return computeMetrics(
    workflow,
    { demandFactor: settings.capacityFactor, productivityFactor: settings.productivityFactor },
    prepared,
  );
}

/** One queued lane in the schedule-cut answer. */
export interface LaneCut {
  laneId: string;
  /** ρ at go-live productivity with normal bookings */
  utilisationFullBookings: number;
  /** ρ at the workflow's planned go-live settings (its own capacityFactor) */
  utilisationPlanned: number;
  /** ρ at go-live productivity after the recommended cut */
  utilisationAfterCut: number;
  /** the cut this lane alone needs (0 when it is under the limit anyway) */
  reductionNeeded: number;
}

/** The smallest schedule reduction that keeps every queued lane at or under the limit. */
export interface ScheduleCut {
  limit: number;
  productivityFactor: number;
  /** the fraction of normal bookings to drop, e.g. 0.25 = book 25 % fewer; 0 = no cut needed */
  reduction: number;
  /** 1 − reduction: the share of normal bookings to keep */
  bookingsFactor: number;
  /** the planned go-live reduction (1 − capacityFactor) */
  plannedReduction: number;
  /** true when the planned bookings already keep every lane at or under the limit */
  plannedIsEnough: boolean;
  /** the lane that needs the largest cut (ties: smallest id); null when no lane needs one */
  bindingLaneId: string | null;
  /** queued lanes, in file order */
  lanes: LaneCut[];
}

/**
 * The smallest reduction r of bookings (relative to normal, the workflow's `arrivalsPerHour`) such
 * that every queued lane has ρ ≤ `limit` at go-live productivity: since ρ grows linearly with
 * demand, r = max over lanes of max(0, 1 − limit / ρ_full), ρ_full being the lane's go-live ρ at
 * normal bookings. Throws a RangeError for a limit that is not positive.
 */
export function scheduleCutForGoLive(
  workflow: Workflow,
  limit = DEFAULT_UTILISATION_LIMIT,
  settings = goLiveSettingsOf(workflow),
  prepared?: PreparedWorkflow,
): { ok: true; cut: ScheduleCut } | { ok: false; problem: MetricsProblem } {
  if (!(limit > 0)) throw new RangeError('The utilisation limit must be a positive number.');
  const { visits, trapped } = (prepared ?? prepareWorkflow(workflow)).solved;
  if (trapped.length > 0) return { ok: false, problem: trappedProblem(trapped) };
  const full = laneMetrics(workflow, visits, { productivityFactor: settings.productivityFactor });
  let reduction = 0;
  let bindingLaneId: string | null = null;
  const needs = full
    .filter((lane) => lane.queued)
    .map((lane) => {
      const rho = lane.utilisation ?? 0;
      const reductionNeeded = rho > limit ? 1 - limit / rho : 0;
      if (
        reductionNeeded > reduction ||
        (reductionNeeded === reduction &&
          reductionNeeded > 0 &&
          bindingLaneId !== null &&
          lane.laneId < bindingLaneId)
      ) {
        reduction = reductionNeeded;
        bindingLaneId = lane.laneId;
      }
      return { laneId: lane.laneId, rho, reductionNeeded };
    });
  const plannedReduction = 1 - settings.capacityFactor;
  return {
    ok: true,
    cut: {
      limit,
      productivityFactor: settings.productivityFactor,
      reduction,
      bookingsFactor: 1 - reduction,
      plannedReduction,
      plannedIsEnough: needs.every((lane) => lane.rho * settings.capacityFactor <= limit),
      bindingLaneId,
      lanes: needs.map((lane) => ({
        laneId: lane.laneId,
        utilisationFullBookings: lane.rho,
        utilisationPlanned: lane.rho * settings.capacityFactor,
        utilisationAfterCut: lane.rho * (1 - reduction),
        reductionNeeded: lane.reductionNeeded,
      })),
    },
  };
}
