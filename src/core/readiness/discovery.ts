/**
 * Discovery: were the people who do the work asked? Judged on today's workflows: they exist, they
 * were measured (discovered from an event log, so their times are observed) rather than only
 * drawn, and every role of a planned workflow also appears in today's workflow it replaces.
 * Preflight does not record a role's owner or its stakeholders, so the phase is at best at risk
 * until the clinic confirms them — never ready by absence.
 */
import { normaliseLabel } from '../workflow/compare.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { list, plural } from './words.ts';
import { isMeasured, type WorkflowEvidence } from './workflowEvidence.ts';

/** The reason every discovery carries until Preflight records role owners and stakeholders. */
export const OWNERS_NOT_RECORDED =
  'A named owner and the stakeholders of each role are not recorded in Preflight: confirm that the people who do the work were asked.';

export function discoveryPhase(workflows: WorkflowEvidence): PhaseReadiness {
  const base = { id: 'discovery', name: 'Discovery', act: 'workflows' } as const;
  const { current, planned } = workflows;
  if (current.length === 0) {
    return notStarted(
      base,
      'No current workflow is in the project.',
      'Not started: no current workflow measured. Draw how the work is done today, or discover it from an event log, on the Workflows screen.',
    );
  }
  const measured = current.filter(isMeasured);
  const roles = new Set(current.flatMap((w) => w.lanes.map((l) => normaliseLabel(l.name))));
  const evidence = [
    `${plural(current.length, 'current workflow')}, ${measured.length} measured from an event log; ${plural(roles.size, 'role')} doing the work today.`,
  ];
  const reasons: ReadinessReason[] = [];
  for (const w of current) {
    if (!isMeasured(w))
      reasons.push({
        text: `“${w.name}” is drawn, not measured: discover it from an event log so its times are observed, not estimated.`,
        blocks: false,
        act: 'workflows',
      });
  }
  for (const p of planned) {
    if (!p.baseline) {
      reasons.push({
        text: `“${p.workflow.name}” is linked to no current workflow: the people doing that work today have not been mapped.`,
        blocks: false,
        act: 'workflows',
      });
      continue;
    }
    const today = new Set(p.baseline.lanes.map((l) => normaliseLabel(l.name)));
    const missing = p.workflow.lanes.filter((l) => !today.has(normaliseLabel(l.name))).map((l) => l.name);
    if (missing.length > 0)
      reasons.push({
        text: `${list(missing)} ${missing.length === 1 ? 'has' : 'have'} work in “${p.workflow.name}” but no part in today's “${p.baseline.name}”: ask them how the work is done now.`,
        blocks: false,
        act: 'workflows',
      });
  }
  reasons.push({ blocks: false, text: OWNERS_NOT_RECORDED, act: 'readiness' });
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
