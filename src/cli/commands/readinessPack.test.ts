import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessReadiness, evidencePack } from '../../core/readiness/index.ts';
import {
  COMMAND_CENTRE,
  decidedProject,
  goProject,
  openDisagreement,
} from '../../core/readiness/testing/crafted.ts';
import { withCommandCentre } from '../../formats/cutover.ts';
import { createProjectFile } from '../../formats/project.ts';
import { withSteeringMeeting } from '../../formats/steeringMeeting.ts';
import { runCli } from '../cliTestKit.ts';

/** Poppler's text extractor (Debian's poppler-utils), to read the PDF back. */
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-readiness-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The text of the PDF `file` in `dir`, its pages split, each with its whitespace folded. */
function pdfPages(file: string): string[] {
  if (!PDFTOTEXT) throw new Error('pdftotext is not installed (Debian: poppler-utils)');
  return execFileSync(PDFTOTEXT, [path.join(dir, file), '-'], { encoding: 'utf8' })
    .split('\f')
    .map((page) => page.replace(/\s+/g, ' '));
}

describe('preflight readiness --pack', () => {
  it('writes the printed pack as a PDF the meeting can run on', async () => {
    const go = goProject();
    // a sample in disagreement blocks go-live, so page 1 has a blocking reason with its owner
    const { plan, review } = openDisagreement();
    const project = {
      ...go,
      samplePlans: [plan],
      reviews: [review],
      meta: {
        ...go.meta,
        // go-live was yesterday: the command centre's issue log opens the board
        settings: withSteeringMeeting(
          withCommandCentre(go.meta.settings, {
            ...COMMAND_CENTRE,
            issues: [
              { id: 'i1', day: '2026-12-01', category: 'Patient safety', title: 'Result', status: 'open' },
              { id: 'i2', day: '2026-12-01', category: 'Question', title: 'Printer', status: 'closed' },
            ],
          }),
          {
            attendees: [
              { name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true },
              { name: 'Lee Park', role: 'Clinic manager', steering: true, attended: false },
            ],
            quorum: { minSteering: 2 },
            conditions: [
              { text: 'Allergy list rechecked after the final extract', owner: 'Kim Ode', due: '2026-12-03' },
            ],
          },
        ),
      },
    };
    const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.1.0' });
    await writeFile(path.join(dir, 'p.preflight.json'), JSON.stringify(file));
    const { code, err } = await runCli(['readiness', 'p.preflight.json', '--pack', 'pack.pdf'], dir);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    const pdf = await readFile(path.join(dir, 'pack.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPages('pack.pdf');
    const first = pages[0] ?? '';
    const all = pages.join(' ');
    expect(first).toContain('Go-live evidence pack: Clinic');
    expect(first).toContain('Dr Ada Osei (CMIO), steering member — attended');
    expect(first).toContain('Lee Park (Clinic manager), steering member — absent');
    expect(first).toContain('QUORUM NOT MET: 1 of the 2 steering members needed attended');
    expect(first).toMatch(/Allergy list rechecked after the final extract Kim Ode 2026-12-03/);
    // page 1 leads with what to do — the path to go and why no-go, owners and due dates — and the
    // board follows, as the browser prints it, before the evidence
    const summary = all.slice(0, all.indexOf('Evidence per phase'));
    // the fixture's dates are fixed, so from the day after its runbook's first step on, each due day
    // is printed as past (a date in the past is flagged, never printed as a plan)
    expect(first).toMatch(
      /Why no-go Reason Owner Due Pre-launch: Sample plan “Patients sign-off”: .*Sam Okafor (?:OVERDUE: was )?\d{4}-\d{2}-\d{2}/,
    );
    expect(summary).toMatch(/Status per phase .*Phase Status Blocking At risk .*Pre-launch Blocked 2 0/);
    expect(summary).toContain('Command centre issue log 1 of 2 logged still open.');
    expect(summary).toContain('Patient safety 1 open of 1');
    expect(summary).toContain('day 1 (2026-12-01): 2 logged, 1 open');
    expect(summary.indexOf('Why no-go')).toBeLessThan(summary.indexOf('Command centre issue log'));
    expect(all).toContain('Rollback triggers');
    expect(all).toContain('Check-in down for more than 30 minutes, or results not reaching clinicians');
    expect(all).toContain('Who decides to roll back: Clinical lead on call.');
    expect(all).toMatch(/Step Owner Start Duration Waits for Status/);
    expect(all).toMatch(/Freeze the old system Ana Ruiz 2026-11-27 18:00/);
    expect(all).toMatch(/Practice Implementation Evidence grade Owner/);
  });

  it('prints each signature with its role, time, meaning and verification, and each artefact with its SHA-256', async () => {
    const { project } = decidedProject(goProject());
    const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.1.0' });
    await writeFile(path.join(dir, 'decided.preflight.json'), JSON.stringify(file));
    const { code, err } = await runCli(['readiness', 'decided.preflight.json', '--pack', 'decided.pdf'], dir);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const pages = pdfPages('decided.pdf');
    const first = pages[0] ?? '';
    expect(first).toContain('Rationale: Every gate passes; the support rota is agreed.');
    expect(first).toMatch(/Signed by Role Signed Meaning Verification/);
    expect(first).toContain('Dr Ines Moreau');
    expect(first).toContain('Medical director');
    expect(first).toContain('2026-11-24 at 10:00 (UTC+01:00)');
    expect(first).toContain('Verifies; without re-authentication');
    // every artefact the pack judged, by the hash of the version judged, whole on one line
    const all = pages.join(' ');
    const judged = evidencePack(project, assessReadiness(project), '2026-11-24T10:00:00Z');
    const hashes = judged.phases.flatMap((p) => p.artefacts.map((a) => a.sha256));
    expect(hashes.length).toBeGreaterThan(5);
    for (const sha256 of hashes) expect(all).toContain(sha256);
    expect(all).toMatch(/Kind Artefact SHA-256/);
  });
});
