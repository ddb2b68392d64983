/**
 * `duplicate-entry`: the same data item entered more than once per case, in any systems.
 *
 * Detection: an `enters` item typed by two or more distinct steps a case reaches, with more than
 * one expected entry per case (expected visits, so exclusive branches do not count). One finding
 * per set of steps (their shared items listed). Raised one level when two of those steps are in
 * the same role (that person types it twice).
 *
 * Sources: nurses name data redundancy among their top EHR burdens (PMC11491602, 2024);
 * documentation is 35 % of med-surg nursing time (Hendrich et al., Perm J 2008).
 */
import { groupBySteps, repeatedItems } from './entries.ts';
import { finding, laneName, num, quoted } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

const ID = 'duplicate-entry';

/** The `duplicate-entry` finding rule (detection, severity and sources in the header). */
export const duplicateEntry: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Same data entered twice',
  describe:
    'The same information typed more than once for one patient: every extra entry costs staff ' +
    'time and is a chance to disagree with the first. Nurses name this redundancy among their ' +
    'top EHR burdens (PMC11491602, 2024); documentation already takes 35 % of nursing time ' +
    '(Hendrich et al., Perm J 2008).',
  requires: ['metrics'],
  cause: 'typed-twice',
  detect(context) {
    const findings: Finding[] = [];
    for (const entries of groupBySteps(repeatedItems(context)).values()) {
      const steps = (entries[0] as (typeof entries)[number]).steps;
      const items = entries.map((e) => e.item);
      const lanes = steps.map((s) => s.lane);
      const sameRoleLanes = [...new Set(lanes.filter((lane, i) => lanes.indexOf(lane) !== i))].sort();
      const sameRole = sameRoleLanes.length > 0;
      const maxEntries = Math.max(...entries.map((e) => e.entriesPerCase));
      findings.push(
        finding(
          ID,
          sameRole ? raised(context.severity) : context.severity,
          steps.map((s) => s.id),
          `${items.length === 1 ? `“${items[0]}” is` : `${items.length} items (${items.join(', ')}) are`} ` +
            `entered in ${steps.map((s) => quoted(s)).join(' and again in ')}` +
            `${sameRole ? `, twice by ${laneName(context.workflow, sameRoleLanes[0] as string)}` : ''}. ` +
            'Typing the same data again costs time and invites mismatches; nurses rank this ' +
            'redundancy among their top EHR burdens (PMC11491602).',
          {
            items,
            steps: steps.length,
            entriesPerCase: num(maxEntries),
            sameRole,
            sameRoleLaneIds: sameRoleLanes,
          },
        ),
      );
    }
    return findings;
  },
};
