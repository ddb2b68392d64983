/**
 * Training: does each role learn what changes for it, rather than one generic course? Judged on
 * the comparison of each planned workflow with today's: per role, the steps it gains, loses or
 * does differently. Preflight does not record whether a role's training sheet was delivered or who
 * its super-user is, so a role with changed work keeps the phase at risk until the clinic
 * confirms it — never ready by absence.
 */

import type { RoleImpact } from '../workflow/compare.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { list, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

/** Steps a role gains, loses or does differently. */
const changedSteps = (r: RoleImpact) => r.gains.length + r.changes.length + r.loses.length;

export function trainingPhase(workflows: WorkflowEvidence): PhaseReadiness {
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
    // a role with no step gained, lost or changed has nothing to learn (one that leaves the
    // workflow, or appears without steps, included)
    const roles = (p.comparison?.roles ?? []).filter((r) => r.status !== 'removed' && changedSteps(r) > 0);
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
  const reasons: ReadinessReason[] =
    toTrain.size === 0
      ? []
      : [
          {
            blocks: false,
            text: `Training delivery and super-users are not recorded in Preflight: confirm that ${list([...toTrain])} ${toTrain.size === 1 ? 'was' : 'were'} trained on their changed steps (Workflows, Training by role) and that each role has a named super-user.`,
            act: 'workflows',
          },
        ];
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
