/**
 * Go-live: will support and capacity hold in go-live week? Judged on each planned workflow at its
 * planned bookings and the productivity dip (its `goLive`, or full bookings at 70 % productivity):
 * the roles over `maxGoLiveUtilisation`, and the smallest booking reduction that keeps every role
 * under it; the safety self-assessment (safety.ts) against its gate; and the at-the-elbow support
 * the clinic records per area and shift (`meta.settings.trainingRecord.support`) against
 * `minSupportPerShift`; the rollback/downtime plan (rollback.ts); and the cutover runbook and
 * command centre (cutover.ts). Until support, the plan, the runbook and the command centre are
 * recorded the phase is at best at risk — never ready by absence.
 */
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import type { RollbackPlan } from '../../formats/rollbackPlan.ts';
import type { SupportShift } from '../../formats/trainingRecord.ts';
import { scheduleCutForGoLive } from '../workflow/index.ts';
import { rollbackJudged } from './rollback.ts';
import {
  type AssessedSaferGuide,
  type AssessedSafetyItem,
  safetyEvidenceLine,
  safetyReasons,
} from './safety.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { list, percent, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

/** The reason every go-live carries until the clinic records its go-live support. */
export const SUPPORT_NOT_RECORDED =
  'Support staffing for go-live week is not recorded in Preflight: record the at-the-elbow support per area and shift on the Readiness screen, or confirm it with the steering committee.';

/** The support evidence and the shifts under `minSupportPerShift` (or the risk that none is recorded). */
function supportJudged(
  support: readonly SupportShift[],
  gates: ReadinessGates,
): { evidence: string[]; reasons: ReadinessReason[] } {
  if (support.length === 0)
    return { evidence: [], reasons: [{ blocks: false, text: SUPPORT_NOT_RECORDED, act: 'readiness' }] };
  const evidence = [
    `At-the-elbow support in go-live week: ${support.map((s) => `${s.area}, ${s.shift}: ${s.supporters}`).join('; ')}.`,
  ];
  const short = support.filter((s) => s.supporters < gates.minSupportPerShift);
  const reasons: ReadinessReason[] = short.map((s) => ({
    blocks: true,
    text: `${s.area}, ${s.shift}: ${plural(s.supporters, 'supporter')} at the elbow; the gate is ${gates.minSupportPerShift}. Staff it on the go-live rota.`,
    act: 'readiness',
    gate: 'minSupportPerShift',
  }));
  return { evidence, reasons };
}

export function goLivePhase(
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
  safety: { items: readonly AssessedSafetyItem[]; guides: readonly AssessedSaferGuide[] },
  support: readonly SupportShift[] = [],
  rollback: RollbackPlan | null = null,
  cutover: { evidence: string[]; reasons: ReadinessReason[] } = { evidence: [], reasons: [] },
): PhaseReadiness {
  const plan = rollbackJudged(rollback, gates);
  const base = { id: 'go-live', name: 'Go-live', act: 'workflows' } as const;
  if (workflows.planned.length === 0) {
    const phase = notStarted(
      base,
      'No planned workflow is in the project.',
      'Not started: no planned workflow, so go-live week cannot be estimated. Add one on the Workflows screen.',
    );
    return {
      ...phase,
      evidence: [
        ...phase.evidence,
        safetyEvidenceLine(safety.items, safety.guides),
        ...plan.evidence,
        ...cutover.evidence,
      ],
      reasons: [...phase.reasons, ...safetyReasons(safety.items, gates), ...plan.reasons, ...cutover.reasons],
    };
  }
  const evidence: string[] = [];
  const blocking: ReadinessReason[] = [];
  const gate = `the gate is ${percent(gates.maxGoLiveUtilisation)}`;
  for (const p of workflows.planned) {
    const name = p.workflow.name;
    const settings = p.analysis.goLive.settings;
    const cut = scheduleCutForGoLive(p.workflow, gates.maxGoLiveUtilisation, settings);
    if (!cut.ok) {
      blocking.push({
        blocks: true,
        text: `“${name}”: go-live week cannot be computed (${cut.problem.message})`,
        act: 'workflows',
        gate: 'maxGoLiveUtilisation',
      });
      continue;
    }
    const lanes = new Map(p.workflow.lanes.map((l) => [l.id, l.name]));
    const plan = `${percent(settings.capacityFactor)} of normal bookings at ${percent(settings.productivityFactor)} productivity${p.workflow.goLive ? '' : ' (no go-live plan set: assumed)'}`;
    const busiest = cut.cut.lanes.reduce<(typeof cut.cut.lanes)[number] | null>(
      (top, l) => (top === null || l.utilisationPlanned > top.utilisationPlanned ? l : top),
      null,
    );
    evidence.push(
      `“${name}” in go-live week, ${plan}: ${busiest ? `busiest role ${lanes.get(busiest.laneId)} at ${percent(busiest.utilisationPlanned)}` : 'no staffed role to queue'}; the smallest booking reduction keeping every role at or under ${percent(gates.maxGoLiveUtilisation)} is ${percent(cut.cut.reduction, 'up')}.`,
    );
    const over = cut.cut.lanes.filter((l) => l.utilisationPlanned > gates.maxGoLiveUtilisation);
    if (over.length > 0)
      blocking.push({
        blocks: true,
        text: `“${name}” in go-live week: ${list(over.map((l) => `${lanes.get(l.laneId)} ${percent(l.utilisationPlanned, 'up')} busy`))}; ${gate}. Book at least ${percent(cut.cut.reduction, 'up')} fewer patients than usual (planned: ${percent(cut.cut.plannedReduction)} fewer) or add staff, on the Workflows screen.`,
        act: 'workflows',
        gate: 'maxGoLiveUtilisation',
      });
  }
  evidence.push(safetyEvidenceLine(safety.items, safety.guides));
  const staffed = supportJudged(support, gates);
  evidence.push(...plan.evidence, ...staffed.evidence, ...cutover.evidence);
  const reasons = [
    ...blocking,
    ...safetyReasons(safety.items, gates),
    ...staffed.reasons,
    ...plan.reasons,
    ...cutover.reasons,
  ];
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
