/**
 * The Migration screen of a project shared with a team server, on the data lead's computer: her
 * January run (shared) and another member's February run, known here only by the summary that
 * member's browser shared, are one series — the list says who ran each, the comparison of February
 * with January is made per file from the summary (fixed, new, worse, still failing, as the whole
 * reports give it), and the trend counts both. Her March run, not on the server yet, is said to be
 * this browser's only. A member's run shared before summaries kept their problems is said to be
 * why there is no comparison. Reports are the real engine's; the team server is faked at its fetch.
 */
import 'fake-indexeddb/auto';
import { render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { addReport, applyChanges, createProject } from '../../core/project/changes.ts';
import { type ReportSummary, reportSummaryOf, type SharedRunSummary } from '../../core/teamRecords/index.ts';
import { compareReports } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { linkToTeamProject, teamServerState } from '../team/testing/sharedProject.tsx';
import { MigrationWorkspace } from './MigrationWorkspace.tsx';
import { RehearsalReportsProvider, useWithComparison } from './rehearsalReports.tsx';
import { PATIENTS_CONTRACT, PATIENTS_FEB, PATIENTS_JAN } from './testing/patientsFixtures.ts';
import { runReport } from './testing/runReport.ts';

const NOW = '2026-03-20T09:00:00.000Z';
const DANA = { issuer: 'https://idp.test', subject: 'dana', name: 'Dana Reyes', email: null };

async function run(id: string, name: string, bytes: string, at: string): Promise<Report & { id: string }> {
  const { report } = await runReport([{ name, bytes, contract: { ...PATIENTS_CONTRACT } }]);
  return { ...report, id, generatedAt: at };
}

let jan: Report & { id: string };
let feb: Report & { id: string };
let mar: Report & { id: string };
beforeAll(async () => {
  jan = await run('run-jan', 'patients-jan.csv', PATIENTS_JAN, '2026-01-05T10:00:00.000Z');
  feb = await run('run-feb', 'patients-feb.csv', PATIENTS_FEB, '2026-02-05T10:00:00.000Z');
  mar = await run('run-mar', 'patients-mar.csv', PATIENTS_FEB, '2026-03-05T10:00:00.000Z');
});

/** A `report-summary` record as the server holds it, written by `by`. */
const record = (summary: ReportSummary, version: number, by: string) => ({
  kind: 'report-summary',
  id: summary.id,
  version,
  body: summary,
  sha256: 'f'.repeat(64),
  by,
  at: summary.generatedAt,
});

let opened = 0;

/** The data lead's copy holding `local`, shared as team project `team-1` whose records are `records`. */
async function openShared(local: (Report & { id: string })[], records: unknown[], signedIn = true) {
  opened += 1;
  const empty = createProject({ name: `Maple Street ${opened}`, now: NOW });
  const project: Project = applyChanges(
    empty,
    local.map((r) => addReport(r, r.id)),
    NOW,
  );
  await linkToTeamProject(project.meta.id, { id: 'team-1', name: 'Maple Street go-live' });
  const server = fakeTeamServer({
    'GET /api/projects/team-1/records?after=0': [200, { head: records.length, records }],
  });
  const team = teamServerState(server, signedIn ? DANA : 'signed-out');
  render(
    <TeamServerContext.Provider value={team}>
      <MigrationWorkspace project={project} />
    </TeamServerContext.Provider>,
  );
  return server;
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));

describe('Migration rehearsals on a shared project', () => {
  it('compares another member’s shared run with the data lead’s, per file, and lists who ran each', async () => {
    const server = await openShared(
      [jan, mar],
      [record(reportSummaryOf(jan), 1, 'Dana Reyes'), record(reportSummaryOf(feb), 2, 'Lena Okafor')],
    );
    // this browser's runs show at once; the team's follow once read from the server
    await screen.findByText(/^This project is shared with the team server/);
    const check = screen.getByRole('region', {
      name: 'Rehearsals of patients-mar.csv against urn:clinic:patients',
    });
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toContain(
      'GET /api/projects/team-1/records?after=0',
    );
    expect(screen.getByTestId('team-runs').textContent).toMatch(
      /^This project is shared with the team server/,
    );

    const runs = within(check).getByRole('table', { name: 'Runs of this check' });
    // the team's runs join this browser's once the read answers
    await waitFor(() =>
      expect(rowsOf(runs).map((r) => r.slice(1))).toEqual([
        ['Dana Reyes', '4'],
        ['Lena Okafor', '5'],
        ['you, in this browser (not on the team server)', '5'],
      ]),
    );
    expect(within(check).getByTestId('trend-errors').textContent).toBe('4, 5, 5');
    // March (this browser's, not shared) against Lena's February, known here by its summary alone
    expect(
      within(check).getByText(/compared with the run of .* by Lena Okafor \(5 errors then, 5 now\):$/),
    ).toBeTruthy();
    expect(within(check).getByTestId('compare-still').textContent).toBe('3');
  });

  it('compares February, shared by another member, with January exactly as the reports would', async () => {
    await openShared(
      [jan],
      [record(reportSummaryOf(jan), 1, 'Dana Reyes'), record(reportSummaryOf(feb), 2, 'Lena Okafor')],
    );
    // this browser's runs show at once; the team's follow once read from the server
    await screen.findByText(/^This project is shared with the team server/);
    const check = screen.getByRole('region', {
      name: 'Rehearsals of patients-feb.csv against urn:clinic:patients',
    });
    expect(
      within(check).getByText(/^Latest run, .* by Lena Okafor, compared with the run of .* by Dana Reyes/),
    ).toBeTruthy();
    expect({
      fixed: within(check).getByTestId('compare-fixed').textContent,
      new: within(check).getByTestId('compare-new').textContent,
      still: within(check).getByTestId('compare-still').textContent,
      worse: within(check).getByTestId('compare-worse').textContent,
    }).toEqual({ fixed: '1', new: '1', still: '1', worse: '1' });
    const table = within(check).getByRole('table', { name: 'Each problem since the previous run' });
    expect(rowsOf(table).map((r) => [r[0]?.split(':')[0], r[1], r[2], r[3]])).toEqual([
      ['id', 'New', '0', '1'],
      ['birth_date', 'Worse', '2', '3'],
      ['sex', 'Still failing', '1', '1'],
      ['birth_date', 'Fixed', '1', '0'],
    ]);
  });

  it('says why a run shared before summaries kept their problems is not compared', async () => {
    const { problems: _, ...older } = reportSummaryOf(feb);
    await openShared([jan], [record(reportSummaryOf(jan), 1, 'Dana Reyes'), record(older, 2, 'Lena Okafor')]);
    const gap = await screen.findByTestId('comparison-gap');
    expect(gap.textContent).toMatch(
      /^The latest run is not compared with the one before: the run of .* by Lena Okafor was shared before runs kept their problems per file/,
    );
    expect(screen.queryByTestId('compare-fixed')).toBeNull();
  });

  it('says the team’s runs are not read while nobody is signed in, and shows this browser’s as its own', async () => {
    const server = await openShared([jan, feb], [], false);
    expect((await screen.findByTestId('team-runs')).textContent).toBe(
      'The runs the team shared could not be read (nobody is signed in to the team server here: sign in): only the runs made in this browser are shown.',
    );
    expect(server.calls).toEqual([]);
    expect(screen.queryByRole('table', { name: 'Runs of this check' })).toBeNull();
    expect(screen.getByTestId('compare-fixed').textContent).toBe('1');
  });
});

describe('a run’s export on a shared project', () => {
  /** The report as an export of it is made, with its comparison, under `reports` and `shared`. */
  function exported(report: Report, reports: Report[], shared?: SharedRunSummary[]): Report {
    let out: Report | undefined;
    function Probe() {
      out = useWithComparison()(report);
      return null;
    }
    render(
      <RehearsalReportsProvider reports={reports} shared={shared}>
        <Probe />
      </RehearsalReportsProvider>,
    );
    return out as Report;
  }

  it('carries its comparison with the run before it, another member’s shared run included', () => {
    expect(exported(feb, [jan, feb]).comparison).toEqual(compareReports(jan, feb));
    const lenas = { summary: reportSummaryOf(jan), by: 'Lena Okafor', at: jan.generatedAt };
    expect(exported(feb, [feb], [lenas]).comparison).toEqual(compareReports(jan, feb));
    // shared before summaries kept their problems: no comparison rather than a guessed one
    const { problems: _, ...older } = lenas.summary;
    expect(exported(feb, [feb], [{ ...lenas, summary: older }]).comparison).toBeUndefined();
  });
});

describe('a saved check named by the address', () => {
  it('opens the report a step’s failing data links to, and says so when the project no longer has it', async () => {
    const project = applyChanges(
      createProject({ name: 'Linked check', now: NOW }),
      [jan, feb].map((r) => addReport(r, r.id)),
      NOW,
    );
    const { rerender } = render(<MigrationWorkspace project={project} openReport="run-jan" />);
    const saved = screen.getByRole('region', { name: 'Saved validation reports' });
    expect(within(saved).getByRole('region', { name: 'Validation result: patients-jan.csv' })).toBeTruthy();
    expect(within(saved).queryByRole('region', { name: 'Validation result: patients-feb.csv' })).toBeNull();
    rerender(<MigrationWorkspace project={project} openReport="run-gone" />);
    expect(within(saved).getByRole('status').textContent).toContain(
      'The check this link names is no longer saved in the project',
    );
    // the FHIR server panel loads on first view: let it settle inside the test
    await waitFor(() => expect(screen.queryByText('Loading the FHIR server panel…')).toBeNull());
  });
});
