/**
 * The dress rehearsal, the communication plan and vendor/interface readiness as judged: each
 * shortfall is one reason in the clinic's words, a risk unless the clinic's gate makes it block,
 * and the record missing is never a pass.
 */
import { describe, expect, it } from 'vitest';
import {
  type DressRehearsal,
  type PartnerReadiness,
  PROJECT_COMMUNICATION_PLAN_KEY,
  PROJECT_DRESS_REHEARSAL_KEY,
  PROJECT_PARTNER_READINESS_KEY,
  readDressRehearsal,
} from '../../formats/goLivePreparation.ts';
import type { Project } from '../../formats/project.ts';
import { assessReadiness, DEFAULT_READINESS_GATES } from './index.ts';
import { COMPLETE_REHEARSAL, goProject, PARTNERS } from './testing/crafted.ts';

const withSettings = (settings: Record<string, unknown>): Project => {
  const project = goProject();
  return { ...project, meta: { ...project.meta, settings: { ...project.meta.settings, ...settings } } };
};
const reasonsOf = (project: Project, gates = {}) => {
  const result = assessReadiness(project, { gates: { ...DEFAULT_READINESS_GATES, ...gates } });
  return result.phases.flatMap((p) =>
    p.reasons.map((r) => ({ phase: p.id, text: r.text, blocks: r.blocks })),
  );
};

describe('the dress rehearsal', () => {
  it.each<{ description: string; rehearsal: DressRehearsal | undefined; expected: string[] }>([
    { description: 'complete', rehearsal: COMPLETE_REHEARSAL, expected: [] },
    {
      description: 'not recorded',
      rehearsal: undefined,
      expected: [
        'No dress rehearsal is recorded: hold a mock go-live per role and a peak-load rehearsal, and record them on the Readiness screen.',
      ],
    },
    {
      description: 'no peak-load run',
      rehearsal: { roles: [] },
      expected: [
        'Dress rehearsal: no peak-load rehearsal is recorded; the capacity simulation plans a peak of 4 cases an hour (“Check-in planned”).',
      ],
    },
    {
      description: 'failed scripts, open issues, a peak under the simulated one that did not hold',
      rehearsal: {
        roles: [{ role: 'Front desk', scriptsRun: 12, scriptsPassed: 10, issuesFound: 3, issuesOpen: 1 }],
        peakLoad: { casesPerHour: 3, outcome: 'failed' },
      },
      expected: [
        'Dress rehearsal: Front desk failed 2 of 12 scripts. Fix and run them again.',
        'Dress rehearsal: 1 issue Front desk found is still open.',
        'Dress rehearsal: the peak-load rehearsal ran at 3 cases an hour, under the peak of 4 the capacity simulation plans (“Check-in planned”). Rehearse at the peak.',
        'Dress rehearsal: the clinic did not hold at peak load. Fix what failed and rehearse again.',
      ],
    },
  ])('$description', ({ rehearsal, expected }) => {
    const project = withSettings({ [PROJECT_DRESS_REHEARSAL_KEY]: rehearsal });
    const found = reasonsOf(project).filter((r) => /dress rehearsal/i.test(r.text));
    expect(found.map((r) => r.text)).toEqual(expected);
    expect(found.every((r) => r.phase === 'pre-launch' && !r.blocks)).toBe(true);
    // the clinic's gate turns each into a block, and the go into a no-go
    const gated = reasonsOf(project, { requireDressRehearsal: true }).filter((r) =>
      /dress rehearsal/i.test(r.text),
    );
    expect(gated.every((r) => r.blocks)).toBe(true);
    expect(
      assessReadiness(project, { gates: { ...DEFAULT_READINESS_GATES, requireDressRehearsal: true } })
        .decision,
    ).toBe(expected.length === 0 ? 'go' : 'no-go');
  });

  it('asks a mock go-live of every role whose work changes', () => {
    const project = withSettings({ [PROJECT_DRESS_REHEARSAL_KEY]: { ...COMPLETE_REHEARSAL, roles: [] } });
    expect(reasonsOf(project).filter((r) => /mock go-live/.test(r.text))).toEqual([]);
    // the front desk checks patients in on a kiosk: its work changes, so it rehearses
    const changed = {
      ...project,
      workflows: project.workflows.map((w) =>
        w.state === 'future'
          ? { ...w, steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Kiosk' } : s)) }
          : w,
      ),
    };
    expect(reasonsOf(changed).filter((r) => /mock go-live/.test(r.text))).toEqual([
      {
        phase: 'pre-launch',
        text: 'Dress rehearsal: no mock go-live for Front desk, whose work changes. Hold one and record it.',
        blocks: false,
      },
    ]);
  });

  it('says what was rehearsed in the Pre-launch evidence and the summary', () => {
    const result = assessReadiness(goProject());
    expect(result.phases.find((p) => p.id === 'pre-launch')?.evidence).toContain(
      'Dress rehearsal: 1 role rehearsed (12 of 12 scripts passed, 3 issues found, 0 open); peak-load rehearsal at 6 cases an hour on 2026-11-21, held (the simulated peak: 4).',
    );
    expect(result.preparation.rehearsal).toEqual({
      state: 'ready',
      roles: 1,
      scriptsRun: 12,
      scriptsPassed: 12,
      issuesOpen: 0,
      peakLoad: { casesPerHour: 6, outcome: 'held', simulatedPeak: 4 },
    });
  });

  it('reads a hand-written record leniently: passed never above run, open never above found', () => {
    expect(
      readDressRehearsal({
        dressRehearsal: {
          roles: [
            { role: 'Nurse', scriptsRun: 2, scriptsPassed: 5, issuesFound: 1, issuesOpen: 4 },
            { scriptsRun: 1 },
          ],
        },
      }),
    ).toEqual({ roles: [{ role: 'Nurse', scriptsRun: 2, scriptsPassed: 2, issuesFound: 1, issuesOpen: 1 }] });
  });
});

describe('the communication plan and the vendors and interface partners', () => {
  it('names a communication without owner or due day, as a risk of the Go-live phase', () => {
    const project = withSettings({
      [PROJECT_COMMUNICATION_PLAN_KEY]: {
        items: [
          {
            id: 'c1',
            audience: 'Referrers',
            message: 'Send referrals through the portal',
            status: 'planned',
          },
        ],
      },
    });
    expect(reasonsOf(project).filter((r) => r.text.startsWith('Communication plan'))).toEqual([
      {
        phase: 'go-live',
        text: 'Communication plan: “Send referrals through the portal” to Referrers has no owner and no due day.',
        blocks: false,
      },
    ]);
  });

  it.each<{ description: string; partners: PartnerReadiness; expected: string[]; gated: boolean[] }>([
    { description: 'all ready', partners: PARTNERS, expected: [], gated: [] },
    {
      description: 'one blocked, one unowned, an interface ready but never tested',
      partners: {
        partners: [
          {
            id: 'v',
            name: 'EHR vendor',
            kind: 'vendor',
            owner: 'Sam',
            status: 'blocked',
            note: 'contract unsigned',
          },
          { id: 'i', name: 'Lab interface', kind: 'interface', status: 'ready' },
        ],
      },
      expected: [
        'Vendor and interface readiness: the vendor “EHR vendor” is blocked (owner: Sam): contract unsigned.',
        'Vendor and interface readiness: the interface “Lab interface” has no owner.',
        'Vendor and interface readiness: the interface “Lab interface” is marked ready but no end-to-end test day is recorded.',
      ],
      // the untested interface stays a risk: the gate asks for partners ready and owned
      gated: [true, true, false],
    },
  ])('$description', ({ partners, expected, gated }) => {
    const project = withSettings({ [PROJECT_PARTNER_READINESS_KEY]: partners });
    const pick = (gates = {}) =>
      reasonsOf(project, gates).filter((r) => r.text.startsWith('Vendor and interface'));
    expect(pick().map((r) => r.text)).toEqual(expected);
    expect(pick().every((r) => !r.blocks && r.phase === 'go-live')).toBe(true);
    expect(pick({ requirePartnersReady: true }).map((r) => r.blocks)).toEqual(gated);
  });

  it('keeps go-live at risk until both are recorded', () => {
    const project = withSettings({
      [PROJECT_COMMUNICATION_PLAN_KEY]: undefined,
      [PROJECT_PARTNER_READINESS_KEY]: undefined,
    });
    const result = assessReadiness(project);
    expect(result.preparation.communication.state).toBe('not-recorded');
    expect(result.preparation.partners.state).toBe('not-recorded');
    expect(result.risks.map((r) => r.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^No communication plan is recorded/),
        expect.stringMatching(/^No vendor or interface readiness/),
      ]),
    );
  });
});
