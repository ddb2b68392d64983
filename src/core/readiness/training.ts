/**
 * Training: does each role learn what changes for it, rather than one generic course? Judged on
 * the comparison of each planned workflow with today's: per role, the steps it gains, loses or
 * does differently; and on the clinic's training record (`meta.settings.trainingRecord`): per
 * role, the share of its staff trained against `minTrainedShare`, the sessions planned and
 * delivered, how many of the trained passed a proficiency check (fewer is a risk: attendance is
 * not proficiency), and a named super-user (`superUserPerRole`). Until the clinic records training, a
 * role with changed work keeps the phase at risk; once it does, a role with changed work that is
 * not recorded, under-trained or without a super-user blocks — never ready by absence.
 */

import type { ReadinessGates } from '../../formats/readinessGates.ts';
import type { TrainingRecord } from '../../formats/trainingRecord.ts';
import type { RoleImpact } from '../workflow/index.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { count, list, percent, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

/** Steps a role gains, loses or does differently. */
const changedSteps = (r: RoleImpact) => r.gains.length + r.changes.length + r.loses.length;

/**
 * The roles whose work changes in a planned workflow compared with today's: a role with no step
 * gained, lost or changed has nothing to learn (one that leaves the workflow, or appears without
 * steps, included).
 */
export function changedRoles(p: WorkflowEvidence['planned'][number]): RoleImpact[] {
  return (p.comparison?.roles ?? []).filter((r) => r.status !== 'removed' && changedSteps(r) > 0);
}

export function trainingPhase(
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
  record: TrainingRecord,
): PhaseReadiness {
  const base = { id: 'training', name: 'Training', act: 'workflows' } as const;
  const compared = workflows.planned.filter((p) => p.comparison !== null);
  if (compared.length === 0) {
    return notStarted(
      base,
      "No planned workflow is linked to today's.",
      "Not started: no planned workflow is compared with today's, so no role's changes are known. Link a planned workflow to its current one on the Workflows screen.",
    );
  }
  const evidence: string[] = [];
  const toTrain = new Set<string>();
  for (const p of compared) {
    const roles = changedRoles(p);
    const lines = roles.map((r) => {
      const steps = changedSteps(r);
      toTrain.add(r.name);
      return `${r.name} ${plural(steps, 'changed step')}${r.newSystems.length > 0 ? ` (new: ${list(r.newSystems)})` : ''}`;
    });
    evidence.push(
      lines.length === 0
        ? `“${p.workflow.name}”: no role's work changes.`
        : `“${p.workflow.name}”: ${lines.join('; ')}.`,
    );
  }
  if (record.roles.length === 0) {
    const reasons: ReadinessReason[] =
      toTrain.size === 0
        ? []
        : [
            {
              blocks: false,
              text: `Training delivery and super-users are not recorded in Preflight: confirm that ${list([...toTrain])} ${toTrain.size === 1 ? 'was' : 'were'} trained on their changed steps (Workflows, Training by role) and that each role has a named super-user, or record it on the Readiness screen.`,
              act: 'workflows',
            },
          ];
    return { ...base, status: statusOf(reasons), evidence, reasons };
  }
  const reasons: ReadinessReason[] = [];
  const byRole = new Map(record.roles.map((r) => [r.role, r]));
  const block = (text: string, gate: 'minTrainedShare' | 'superUserPerRole') =>
    reasons.push({ blocks: true, text, act: 'readiness', gate });
  const gate = `the gate is ${percent(gates.minTrainedShare)}`;
  for (const role of [...toTrain, ...record.roles.map((r) => r.role).filter((r) => !toTrain.has(r))]) {
    const r = byRole.get(role);
    const changed = toTrain.has(role);
    if (!r) {
      evidence.push(`${role}: no training recorded.`);
      block(
        `${role}: its work changes but no training is recorded for it; record its staff trained and a super-user on the Readiness screen (${gate}).`,
        'minTrainedShare',
      );
      continue;
    }
    const supers = r.superUsers ?? [];
    const sessions =
      r.sessionsPlanned !== undefined || r.sessionsDelivered !== undefined
        ? `, ${count(r.sessionsDelivered ?? 0)} of ${plural(r.sessionsPlanned ?? 0, 'session')} delivered`
        : '';
    const proficiency =
      r.proficient !== undefined
        ? `, ${count(Math.min(r.proficient, r.trained ?? 0))} of ${count(r.trained ?? 0)} trained passed the proficiency check`
        : '';
    const share = r.staff !== undefined && r.staff > 0 ? Math.min(1, (r.trained ?? 0) / r.staff) : undefined;
    const under = share !== undefined && share < gates.minTrainedShare;
    const shown = share === undefined ? undefined : percent(share, under ? 'down' : 'nearest');
    evidence.push(
      `${role}: ${share === undefined ? 'staff in the role not recorded' : `${count(r.trained ?? 0)} of ${count(r.staff ?? 0)} staff trained (${shown})`}${sessions}${proficiency}; super-users: ${supers.length > 0 ? list(supers) : 'none named'}${changed ? '' : ' (its work does not change)'}.`,
    );
    if (!changed) continue;
    if (share === undefined)
      block(
        `${role}: how many staff work in the role is not recorded, so the share trained is unknown; record it on the Readiness screen (${gate}).`,
        'minTrainedShare',
      );
    else if (under)
      block(
        `${role}: only ${shown} of staff trained (${count((r.staff ?? 0) - (r.trained ?? 0))} still to train); ${gate}. Deliver the role's training on its changed steps.`,
        'minTrainedShare',
      );
    if (gates.superUserPerRole && supers.length === 0)
      block(`${role}: no super-user named; every role whose work changes needs one.`, 'superUserPerRole');
    if (r.proficient !== undefined && r.proficient < (r.trained ?? 0))
      reasons.push({
        blocks: false,
        text: `${role}: ${count((r.trained ?? 0) - r.proficient)} of ${count(r.trained ?? 0)} trained staff have not passed the proficiency check yet.`,
        act: 'readiness',
      });
    if (r.sessionsPlanned !== undefined && (r.sessionsDelivered ?? 0) < r.sessionsPlanned)
      reasons.push({
        blocks: false,
        text: `${role}: ${count(r.sessionsPlanned - (r.sessionsDelivered ?? 0))} of ${plural(r.sessionsPlanned, 'training session')} not delivered yet.`,
        act: 'readiness',
      });
  }
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
