import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { SAFER_GUIDES } from './safer.ts';
import { percent } from './words.ts';

/** Each gate's name as the clinic's staff say it (the gate ids are the format's, not theirs). */
export const GATE_NAMES: Readonly<Record<keyof ReadinessGates, string>> = {
  minValidShare: 'valid records in each extract',
  requireSignoff: 'clinician sign-off',
  findingsBlockAt: 'open workflow findings',
  maxPeakUtilisation: 'peak-hour load',
  maxGoLiveUtilisation: 'go-live week load',
  safetyItemsAtLeast: 'safety self-assessment',
  safetyGuides: 'SAFER guides',
  minTrainedShare: 'staff trained',
  superUserPerRole: 'a super-user per role',
  minSupportPerShift: 'at-the-elbow support',
  requireRollbackPlan: 'rollback/downtime plan',
  maxDrillAgeDays: 'downtime drill',
  requireDressRehearsal: 'dress rehearsal',
  requirePartnersReady: 'vendors and interface partners ready',
};

/** The gates in effect, in the words every result prints them with (one phrase per gate, in schema order; a guide's own safety gate only where one is set). */
export function describeGates(gates: ReadinessGates): string[] {
  return [
    `extracts ≥ ${percent(gates.minValidShare)} valid`,
    `sign-off ${gates.requireSignoff ? 'required' : 'not required'}`,
    `open findings block at ${gates.findingsBlockAt === 'error' ? 'problems' : 'warnings'}`,
    `peak-hour utilisation ≤ ${percent(gates.maxPeakUtilisation)}`,
    `go-live utilisation ≤ ${percent(gates.maxGoLiveUtilisation)}`,
    gates.safetyItemsAtLeast === 'off'
      ? 'safety self-assessment not required'
      : `safety practices ${gates.safetyItemsAtLeast === 'full' ? 'fully' : 'at least partly'} implemented`,
    ...SAFER_GUIDES.flatMap((g) => {
      const own = gates.safetyGuides[g.id];
      if (own === undefined) return [];
      return [
        own === 'off'
          ? `SAFER ${g.title} not required`
          : `SAFER ${g.title} ${own === 'full' ? 'fully' : 'at least partly'} implemented`,
      ];
    }),
    `staff trained ≥ ${percent(gates.minTrainedShare)} per role`,
    `a super-user per role ${gates.superUserPerRole ? 'required' : 'not required'}`,
    `at-the-elbow support ≥ ${gates.minSupportPerShift} per area and shift`,
    `a rollback/downtime plan ${gates.requireRollbackPlan ? 'required' : 'not required'}`,
    `downtime drill ≤ ${gates.maxDrillAgeDays} days before go-live`,
    // the two later gates are named only when set, so the line of a project without them reads as before
    ...(gates.requireDressRehearsal ? ['a complete dress rehearsal required'] : []),
    ...(gates.requirePartnersReady ? ['every vendor and interface partner ready'] : []),
  ];
}
