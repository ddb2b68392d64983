/**
 * Discovery: were the people who do the work asked? Judged on today's workflows: they exist, they
 * were measured (discovered from an event log, so their times are observed) rather than only
 * drawn, and every role of a planned workflow also appears in today's workflow it replaces; and on
 * the role owners the clinic recorded: every role of the workflows, today's and planned, has a
 * named owner who speaks for its work. A role without one is a risk — never ready by absence.
 * Stakeholders are shown as evidence, not judged: who else was asked is the clinic's call.
 */
import type { RoleOwner, RoleOwners } from '../../formats/roleOwners.ts';
import { normaliseLabel } from '../workflow/index.ts';
import { notStarted, statusOf } from './status.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { list, plural } from './words.ts';
import { isMeasured, type WorkflowEvidence } from './workflowEvidence.ts';

/** The start of the reason naming the roles without an owner (the screen links it to the owners). */
export const OWNERS_MISSING = 'No owner is named for';

/** The owner entry of each role of the workflows, by its normalised name (roles in lane order). */
function ownersOfRoles(workflows: WorkflowEvidence, owners: RoleOwners) {
  const roles = new Map<string, string>();
  for (const w of [...workflows.current, ...workflows.planned.map((p) => p.workflow)])
    for (const lane of w.lanes) {
      const key = normaliseLabel(lane.name);
      if (!roles.has(key)) roles.set(key, lane.name);
    }
  const entries = new Map<string, RoleOwner>();
  for (const entry of owners.roles) entries.set(normaliseLabel(entry.role), entry);
  return [...roles].map(([key, role]) => ({ role, entry: entries.get(key) }));
}

export function discoveryPhase(workflows: WorkflowEvidence, owners: RoleOwners): PhaseReadiness {
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
  const roleOwners = ownersOfRoles(workflows, owners);
  const owned = roleOwners.filter((r) => r.entry?.owner !== undefined);
  const asked = roleOwners.filter((r) => (r.entry?.stakeholders?.length ?? 0) > 0);
  evidence.push(
    `${owned.length} of ${plural(roleOwners.length, 'role')} in the workflows ${owned.length === 1 ? 'has' : 'have'} a named owner; ${asked.length} ${asked.length === 1 ? 'has' : 'have'} stakeholders recorded.`,
  );
  for (const { role, entry } of roleOwners) {
    if (!entry?.owner && !entry?.stakeholders?.length) continue;
    const who = entry.stakeholders?.length
      ? `stakeholders ${list(entry.stakeholders)}`
      : 'no stakeholders recorded';
    evidence.push(`${role}: owner ${entry.owner ?? 'not named'}; ${who}.`);
  }
  const unowned = roleOwners.filter((r) => r.entry?.owner === undefined).map((r) => r.role);
  if (unowned.length > 0)
    reasons.push({
      text: `${OWNERS_MISSING} ${list(unowned)}: record who speaks for ${unowned.length === 1 ? "the role's" : "each role's"} work and who was asked about it.`,
      blocks: false,
      act: 'readiness',
    });
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
