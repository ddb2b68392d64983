/**
 * The committed demo project file is exactly what the generator makes from the samples, and
 * `preflight readiness` on it is no-go for the reasons its planted problems give.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { DEMO_PROJECT_FILE, generateDemoProjectText } from './generateProject.ts';

describe('the demo project file', () => {
  it('equals what `npm run samples:project` generates', async () => {
    const committed = readFileSync(DEMO_PROJECT_FILE, 'utf8');
    expect(
      committed === (await generateDemoProjectText()),
      'run `npm run samples:project` and commit the file',
    ).toBe(true);
  });

  it('names each SAFER guide, the runbook, the command centre, the rehearsal, the communication plan and the first weeks with their state', async () => {
    const { code, out } = await runCli(
      ['readiness', 'demo-clinic.preflight.json'],
      dirname(DEMO_PROJECT_FILE),
    );
    expect(code).toBe(1);
    const guides = out.slice(out.indexOf('Safety self-assessment by the SAFER guides (2025):'));
    expect(
      guides
        .split('\n')
        .slice(1, 9)
        .map((l) => l.replace(/ \(.*$/, '')),
    ).toEqual([
      '  High Priority Practices: meets its gate',
      '  Organizational Responsibilities: meets its gate',
      '  Contingency Planning: BELOW ITS GATE',
      '  System Management: BELOW ITS GATE',
      '  Patient Identification: BELOW ITS GATE',
      '  Computerized Provider Order Entry with Decision Support: meets its gate',
      '  Test Results Reporting and Follow-Up: BELOW ITS GATE',
      '  Clinician Communication: meets its gate',
    ]);
    expect(out).toContain(
      '\nCutover runbook: incomplete — 9 steps (1 done and 8 planned); next: “Freeze new registrations in the old system” at 2024-07-26 17:00 (Ana Ruiz).\n',
    );
    expect(out).toContain(
      '\n  - [planned] Re-enter open lab orders (conversion; no owner; 2024-07-27 13:00)\n',
    );
    expect(out).toMatch(
      /\nCommand centre: ready — Practice office, room 2\.14 \(call bridge 4410\); .*; escalation: Super-user on the floor \(Rosa Diaz and Jin Park\) → /,
    );
    expect(out).toContain(
      '\nDress rehearsal: incomplete; communication plan: incomplete; vendor and interface readiness: incomplete.\n',
    );
    expect(out).toContain(
      '\nAfter go-live: no go-live check of a planned workflow and no logged issue yet.\n',
    );
    expect(out).toContain('\nCommand centre issue log: no issue logged yet (go-live 2024-07-29).\n');
    // the one phase complete, and what it rests on
    expect(out).toContain(
      '\n  Front desk: 6 of 6 staff trained (100 %), 3 of 3 sessions delivered, 6 of 6 trained passed the proficiency check; super-users: Ana Ruiz.\n',
    );
    expect(out).toMatch(/ · Training ready \(0 blocking, 0 at risk\) · /);
  });

  it('is no-go in the CLI gate, for its planted problems', async () => {
    const { code, out } = await runCli(
      ['readiness', 'demo-clinic.preflight.json', '--json'],
      dirname(DEMO_PROJECT_FILE),
    );
    expect(code).toBe(1);
    const result = JSON.parse(out) as {
      decision: string;
      reasons: { phase: string; text: string }[];
      risks: { phase: string; text: string }[];
      phases: { id: string; status: string }[];
    };
    expect(result.decision).toBe('no-go');
    const reasons = result.reasons.map((r) => `${r.phase}: ${r.text}`);
    // the extract with the planted defects
    expect(reasons).toContain(
      'pre-launch: patients.csv: only 95.2 % of records are valid (238 invalid); the gate is 99 %. Fix the extract or the mapping and check it again on the Migration screen.',
    );
    // the encounters whose patient is missing fail the run, and readiness says so apart from the share
    expect(reasons.filter((r) => r.includes('encounters.csv'))).toEqual([
      expect.stringMatching(/^pre-launch: encounters\.csv: 37 findings across files/),
    ]);
    // both sample plans, never drawn
    expect(reasons.filter((r) => /^pre-launch: Sample plan “.*”: no sample drawn/.test(r))).toHaveLength(2);
    // the planted digitized bottlenecks of each planned workflow
    expect(
      reasons.filter((r) => r.startsWith('configuration: ')).map((r) => r.replace(/ \(.*$/, '')),
    ).toEqual([
      'configuration: “Lab orders and results — future',
      'configuration: “Patient intake — future',
      'configuration: “Prescription refills — future',
      'configuration: “Incoming referrals — future',
    ]);
    // the safety self-assessment by the eight SAFER guides, part-way through: two practices
    // pre-filled "not implemented" from the lab workflow's open loop and from data re-keyed
    // between systems; the practices nobody rated yet, one reason per guide
    expect(reasons.filter((r) => r.startsWith('go-live: Safety self-assessment'))).toEqual([
      'go-live: Safety self-assessment, Contingency Planning: Downtime announced and closed out is not assessed yet. Assess it on the Readiness screen.',
      'go-live: Safety self-assessment: Interfaces tested (System Management) is not implemented (no owner named). Pre-filled from the project’s evidence.',
      'go-live: Safety self-assessment, Patient Identification: Migrated records on the right patient and Look-alike patients flagged are not assessed yet. Assess them on the Readiness screen.',
      'go-live: Safety self-assessment, Test Results Reporting and Follow-Up: Follow-up reminders is not assessed yet. Assess it on the Readiness screen.',
      'go-live: Safety self-assessment: Results acknowledgement (Test Results Reporting and Follow-Up) is not implemented (no owner named). Pre-filled from the project’s evidence.',
    ]);
    // and the repeated patient keys (16) the run also fails on
    expect(reasons).toContain(
      'pre-launch: patients.csv: 16 findings across files (repeated keys, references to records that are missing, or conflicting details) fail the check whatever the share of valid records. Fix the extract and check it again on the Migration screen.',
    );
    // the rollback/downtime plan, written and drilled, without its downtime reports printed
    expect(reasons).toContain(
      'go-live: The rollback/downtime plan lacks downtime reports printed. Complete it on the Readiness screen.',
    );
    expect(reasons).toHaveLength(15);
    // training is the one phase complete; the training record, the support and the plan are recorded
    expect(result.phases.map((p) => `${p.id} ${p.status}`)).toContain('training ready');
    expect(result.risks.filter((r) => /not recorded in Preflight/.test(r.text))).toEqual([]);
    // the runbook's one unowned step: a risk
    expect(result.risks.map((r) => `${r.phase}: ${r.text}`)).toContain(
      'go-live: Cutover runbook: “Re-enter open lab orders” has no owner.',
    );
    // two roles nobody was asked about: a discovery risk, not a block
    expect(result.risks.map((r) => `${r.phase}: ${r.text}`)).toContain(
      "discovery: No owner is named for Reference lab and Billing: record who speaks for each role's work and who was asked about it.",
    );
  });
});
