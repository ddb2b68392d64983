/**
 * `role-overload`: a role at or above the utilisation limit (0.85) at peak, or at go-live
 * settings.
 *
 * Detection: per queued lane (staff ≥ 1; lanes with staff 0 are not queued), ρ = λ·Σ(visits·touch)
 * / staff from metrics.ts, at peak and at the workflow's go-live settings (goLive.ts). Raised one
 * level at ρ ≥ 1 in either: the queue then grows without bound.
 *
 * Sources: queueing is non-linear — near full utilisation small increases in load multiply the
 * wait (Erlang C; Wolfram's ErlangC test vector in ../queueing.test.ts); ED time-to-provider and walk-outs
 * worsened in the first weeks after an EHR go-live (PMC3341791).
 */
import { compareIds, finding, loadingStepIds, num, percent } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

const ID = 'role-overload';

/** The `role-overload` finding rule (detection, severity and sources in the header). */
export const roleOverload: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Role near overload',
  describe:
    'A role busy 85 % of the time or more at the morning peak or in go-live week. Past that point ' +
    'waits grow much faster than the workload (queueing theory, Erlang C), and emergency ' +
    'departments saw longer waits and more walk-outs in the first weeks after an EHR go-live (PMC3341791).',
  requires: ['metrics'],
  detect(context) {
    const { metrics, goLive } = context;
    const limit = context.settings.thresholds.utilisationLimit;
    if (!metrics) return [];
    const findings: Finding[] = [];
    const atGoLive = new Map((goLive.metrics?.lanes ?? []).map((l) => [l.laneId, l] as const));
    for (const lane of [...metrics.lanes].sort((a, b) => compareIds(a.laneId, b.laneId))) {
      if (!lane.queued || lane.utilisation === null) continue;
      const peak = lane.utilisation;
      const live = atGoLive.get(lane.laneId)?.utilisation ?? null;
      const worst = Math.max(peak, live ?? 0);
      if (worst < limit) continue;
      const steps = loadingStepIds(context, lane.laneId);
      // each figure for its own period: the worst of the two is not the peak figure
      const busy =
        peak >= limit
          ? live !== null && live >= limit
            ? `${percent(peak)} of the time at peak and ${percent(live)} in go-live week`
            : `${percent(peak)} of the time at peak`
          : `${percent(live ?? peak)} of the time in go-live week`;
      findings.push(
        finding(
          ID,
          worst >= 1 ? raised(context.severity) : context.severity,
          steps,
          `${lane.name} would be busy ${busy} ` +
            `(${lane.staff} on shift), at or over the ${percent(limit)} limit` +
            `${worst >= 1 ? ': the queue would grow all day' : ''}. Near full utilisation waits grow much ` +
            'faster than the workload (Erlang C).',
          {
            laneId: lane.laneId,
            staff: lane.staff,
            peakUtilisation: num(peak),
            goLiveUtilisation: live === null ? null : num(live),
            limit,
            peakQueueWaitMin: num(lane.queueWaitMin),
          },
        ),
      );
    }
    return findings;
  },
};
