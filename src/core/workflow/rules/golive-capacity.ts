/**
 * `golive-capacity`: at go-live settings a role cannot keep up — ρ ≥ 1 (the queue grows without
 * bound) or a mean queueing wait per work item over `goLiveWaitLimitMin` (30 min) — and the
 * finding names the smallest schedule reduction that brings every role back to ρ ≤ the
 * utilisation limit (0.85) at go-live productivity (goLive.ts, `scheduleCutForGoLive`).
 *
 * Go-live settings: the workflow's `goLive` (booking `capacityFactor`, staff
 * `productivityFactor`); without one, normal bookings at 70 % productivity (an assumption).
 * One finding per failing queued lane (staff ≥ 1), with the cut for the whole clinic.
 *
 * Sources: queueing arithmetic (Erlang C; an illustration with assumed inputs, ../goLive.test.ts:
 * ρ 0.80 → 1.20 at 1.5× service time, back to 0.60 with a 50 % schedule cut); EHR go-live
 * disruption lasting weeks to about three months (PMC3341791).
 */
import { compareIds, finding, loadingStepIds, num, percent, show } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

const ID = 'golive-capacity';

/** The `golive-capacity` finding rule (detection, severity and sources in the header). */
export const goliveCapacity: WorkflowRule = {
  id: ID,
  severity: 'error',
  title: 'Go-live week overload',
  describe:
    'In go-live week staff work slower on the new system; if bookings are not cut enough, a role ' +
    'falls behind and the queue grows all day. The finding says how much to reduce the schedule ' +
    'so every role stays at or under 85 % busy. Emergency departments took weeks to about three ' +
    'months to return to their waits after an EHR go-live (PMC3341791).',
  requires: ['metrics'],
  detect(context) {
    const { goLive } = context;
    const { goLiveWaitLimitMin, utilisationLimit } = context.settings.thresholds;
    const lanes = goLive.metrics?.lanes;
    if (!lanes) return [];
    const cut = goLive.cut;
    const findings: Finding[] = [];
    for (const lane of [...lanes].sort((a, b) => compareIds(a.laneId, b.laneId))) {
      if (!lane.queued || lane.utilisation === null) continue;
      const unstable = !lane.stable || lane.utilisation >= 1;
      const slow = lane.queueWaitMin > goLiveWaitLimitMin;
      if (!unstable && !slow) continue;
      const steps = loadingStepIds(context, lane.laneId);
      const problem = unstable
        ? `would be busy ${percent(lane.utilisation)} of the time, so the queue grows all day`
        : `would keep each patient waiting about ${show(lane.queueWaitMin, 0)} min on average (limit ${show(goLiveWaitLimitMin, 0)})`;
      // a lane that only waits too long, under bookings that already keep every role under the
      // limit, is not helped by a cut: its tasks are long for its few staff
      const cutHelps = cut !== null && cut.reduction > 0 && (unstable || !cut.plannedIsEnough);
      const remedy =
        cut === null
          ? ''
          : cutHelps
            ? ` Booking ${percent(cut.reduction)} fewer patients than normal (keeping ${percent(cut.bookingsFactor)}) keeps every role at or under ${percent(utilisationLimit)} busy` +
              `${cut.reduction <= cut.plannedReduction + 1e-9 ? '' : cut.plannedReduction > 0 ? `; the plan cuts only ${percent(cut.plannedReduction)}` : '; the plan keeps normal bookings'}.`
            : ` ${cut.reduction > 0 ? 'The planned bookings already keep' : 'Normal bookings already keep'} every role at or under ${percent(utilisationLimit)} busy; the wait comes from long tasks for ${lane.name}'s few staff: add staff or spread the work.`;
      findings.push(
        finding(
          ID,
          context.severity,
          steps,
          `In go-live week (${percent(goLive.settings.capacityFactor)} of bookings, staff at ` +
            `${percent(goLive.settings.productivityFactor)} speed), ${lane.name} ${problem}.${remedy}`,
          {
            laneId: lane.laneId,
            staff: lane.staff,
            goLiveUtilisation: num(lane.utilisation),
            goLiveQueueWaitMin: num(lane.queueWaitMin),
            waitLimitMin: goLiveWaitLimitMin,
            capacityFactor: goLive.settings.capacityFactor,
            productivityFactor: goLive.settings.productivityFactor,
            utilisationLimit,
            scheduleReduction: cut === null ? null : num(cut.reduction),
            bookingsFactor: cut === null ? null : num(cut.bookingsFactor),
            plannedReduction: cut === null ? null : num(cut.plannedReduction),
            bindingLaneId: cut?.bindingLaneId ?? null,
          },
        ),
      );
    }
    return findings;
  },
};
