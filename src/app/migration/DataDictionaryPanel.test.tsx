/**
 * The data dictionary panel: suggestions from names are confirmed or rejected, each decision kept
 * in the project's settings through the project's own reducer; a link is made by hand; items
 * nothing carries are listed. A confirmed link then puts the steps, roles and cases an hour under
 * the failing issue of a report shown on the screen.
 */
import 'fake-indexeddb/auto';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useReducer } from 'react';
import { describe, expect, it } from 'vitest';
import { applyChange, createProject, type ProjectChange } from '../../core/project/changes.ts';
import type { Role } from '../../core/teamRoles/index.ts';
import { targetKey } from '../../core/trace/index.ts';
import { flow, step, workflow } from '../../core/workflow/index.ts';
import { readDataDictionary } from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { fakeTeamServer, teamMember } from '../team/testing/fakeTeamServer.ts';
import { linkToTeamProject, teamServerState } from '../team/testing/sharedProject.tsx';
import { DataDictionaryPanel } from './DataDictionaryPanel.tsx';
import { TraceProvider } from './dataTrace.tsx';
import { ValidationReport } from './ValidationReport.tsx';

const NOW = '2026-03-01T09:00:00.000Z';

/** A planned intake whose medical assistant types allergies and insurance, 12 cases an hour. */
function intake(): Project {
  const project = createProject({ name: 'Maple Street', now: NOW });
  return {
    ...project,
    workflows: [
      {
        ...workflow(
          [{ id: 'ma', name: 'Medical assistant', staff: 2 }],
          [
            step('start', 'ma', 0, { kind: 'start' }),
            step('enter', 'ma', 3, { label: 'Enter allergies', enters: ['allergies', 'insurance.payer'] }),
            step('end', 'ma', 0, { kind: 'end' }),
          ],
          [flow('start', 'enter'), flow('enter', 'end')],
          12,
        ),
        id: 'intake',
        name: 'Intake',
      },
    ],
    datasets: [
      {
        id: 'pts',
        name: 'patients.csv',
        kind: 'csv',
        bytes: 100,
        columns: ['mrn', 'allergy_code', 'allergy_text', 'payer_name'],
        origin: { type: 'file' },
      },
    ],
  };
}

/** A failing column of patients.csv. */
const REPORT = {
  format: 'preflight.report/v1',
  generatedAt: NOW,
  tool: { name: 'preflight', version: '0' },
  inputs: [{ name: 'patients.csv', kind: 'csv', records: 10, valid: 7, invalid: 3 }],
  summary: { records: 10, valid: 7, invalid: 3, errors: 3, warnings: 0 },
  issues: [
    { rule: 'contract.required', severity: 'error', location: 'allergy_code', count: 3, examples: [] },
  ],
  crossFile: { duplicateKeys: [], orphanReferences: [] },
  profiles: [],
  timings: { totalMs: 1 },
  redacted: true,
} as unknown as Report;

/** The Migration screen's part: the panel and a report over one project, kept in `seen`. */
function Screen({ seen, start = intake() }: { seen: { project?: Project }; start?: Project }) {
  const [project, dispatch] = useReducer(
    (p: Project, change: ProjectChange) => applyChange(p, change, NOW),
    start,
  );
  seen.project = project;
  return (
    <TraceProvider project={project}>
      <DataDictionaryPanel
        project={project}
        onChange={(settings) => dispatch({ type: 'project/settings', settings })}
        now={() => new Date(NOW)}
      />
      <ValidationReport report={REPORT} saved />
    </TraceProvider>
  );
}

describe('DataDictionaryPanel', () => {
  it('tells a colleague’s change made first beside the dictionary, in words', () => {
    const link = (decision: string) => ({
      item: 'allergies',
      target: { kind: 'column', dataset: 'pts', column: 'allergy_code' },
      decision,
    });
    publishConflict(
      'readiness-record',
      'dataDictionary',
      { links: [link('confirmed')] },
      { links: [link('rejected')] },
    );
    render(<Screen seen={{}} />);
    const panel = screen.getByRole('region', { name: 'Data dictionary' });
    const field = [...panel.querySelectorAll<HTMLElement>('button, select, table')].find(
      (e) => !e.closest('[data-testid="conflict-beside"]'),
    ) as HTMLElement;
    expect(conflictBeside(panel, field, 'data dictionary')).toEqual([
      [
        'links “allergies”',
        'item allergies, target kind column, dataset pts, column allergy_code, decision rejected',
        'item allergies, target kind column, dataset pts, column allergy_code, decision confirmed',
      ],
    ]);
  });

  it('confirms, rejects and links by hand; a confirmed column names the steps under its failing issue', () => {
    const seen: { project?: Project } = {};
    render(<Screen seen={seen} />);
    const suggested = () =>
      within(screen.getByRole('table', { name: 'Suggested from names' }))
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent);
    expect(suggested()).toEqual([
      expect.stringContaining('allergiespatients.csv › allergy_code1 step'),
      expect.stringContaining('allergiespatients.csv › allergy_text'),
      expect.stringContaining('insurance.payerpatients.csv › payer_name'),
    ]);
    expect(screen.getByRole('list', { name: 'Not linked yet' }).textContent).toContain('insurance.payer');
    // nothing confirmed yet: the failing column is used by nothing the project knows
    expect(screen.queryByTestId('issue-used-by')).toBeNull();

    fireEvent.click(
      screen.getByRole('button', { name: 'Confirm allergies is carried by patients.csv › allergy_code' }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Reject allergies carried by patients.csv › allergy_text' }),
    );
    expect(suggested()).toEqual([expect.stringContaining('insurance.payerpatients.csv › payer_name')]);
    expect(readDataDictionary(seen.project?.meta.settings ?? {}).links).toEqual([
      {
        item: 'allergies',
        target: { kind: 'column', dataset: 'pts', column: 'allergy_code' },
        decision: 'confirmed',
        by: 'Data lead',
        at: NOW,
      },
      {
        item: 'allergies',
        target: { kind: 'column', dataset: 'pts', column: 'allergy_text' },
        decision: 'rejected',
        by: 'Data lead',
        at: NOW,
      },
    ]);
    // the failing column now names the step, its role and its cases an hour
    expect(screen.getByTestId('issue-used-by').textContent).toContain(
      'Used by 1 step (Medical assistant) · 12 cases/h',
    );
    expect(screen.getByRole('list', { name: 'Steps that use allergy_code' }).textContent).toContain(
      'Enter allergies (Intake) — Medical assistant, 12 cases/h',
    );
    // each step opens in the workflow editor, chosen there with the failing data it uses
    const steps = screen.getByRole('list', { name: 'Steps that use allergy_code' });
    expect(
      within(steps)
        .getByRole('link', { name: 'Open the step “Enter allergies” in the workflow editor' })
        .getAttribute('href'),
    ).toBe('#/workflows/workflow/intake/step/enter');

    // a link nothing suggested, made by hand as the analyst; the item is no longer unlinked
    fireEvent.change(screen.getByRole('combobox', { name: 'Deciding as' }), { target: { value: 'Analyst' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Data item' }), {
      target: { value: 'insurance.payer' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'carried by' }), {
      target: { value: targetKey({ kind: 'column', dataset: 'pts', column: 'mrn' }) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Link' }));
    expect(screen.queryByRole('list', { name: 'Not linked yet' })).toBeNull();
    expect(readDataDictionary(seen.project?.meta.settings ?? {}).links.at(-1)).toMatchObject({
      item: 'insurance.payer',
      by: 'Analyst',
    });

    // undone, the confirmed link is suggested again and the issue names nothing
    fireEvent.click(
      screen.getByRole('button', { name: 'Undo the decision on allergies and patients.csv › allergy_code' }),
    );
    expect(suggested()[0]).toContain('allergiespatients.csv › allergy_code');
    expect(screen.queryByTestId('issue-used-by')).toBeNull();
  });
});

describe('DataDictionaryPanel on a project shared with a team server', () => {
  /** The panel over the intake project shared with team project `team-1`, Ana signed in as `role`. */
  async function openShared(role: Role, seen: { project?: Project } = {}) {
    const project = intake();
    await linkToTeamProject(project.meta.id, { id: 'team-1', name: 'Maple Street go-live' });
    const server = fakeTeamServer({
      'GET /api/projects/team-1': [
        200,
        {
          id: 'team-1',
          name: 'Maple Street go-live',
          role,
          expiresOn: null,
          can: [],
          members: [teamMember('sub-ana', 'Ana Lyst', role)],
        },
      ],
    });
    render(
      <TeamServerContext.Provider value={teamServerState(server)}>
        <Screen seen={seen} start={project} />
      </TeamServerContext.Provider>,
    );
  }

  // the analysts, who know the steps, and the data team, who know the extracts, decide the links
  it.each([
    ['analyst', 'Analyst'],
    ['data', 'Data team'],
  ] as const)(
    'decides as the member signed in (%s), with her role on the team project, shown and not chosen',
    async (role, label) => {
      const seen: { project?: Project } = {};
      await openShared(role, seen);
      expect((await screen.findByTestId('dictionary-decider')).textContent).toBe(
        `Deciding as Ana Lyst (${label}), signed in to the team server.`,
      );
      expect(screen.queryByRole('combobox', { name: 'Deciding as' })).toBeNull();
      fireEvent.click(
        screen.getByRole('button', { name: 'Confirm allergies is carried by patients.csv › allergy_code' }),
      );
      expect(readDataDictionary(seen.project?.meta.settings ?? {}).links).toEqual([
        expect.objectContaining({ item: 'allergies', decision: 'confirmed', by: `Ana Lyst (${label})` }),
      ]);
    },
  );

  it('shows a viewer the dictionary read-only, with the reason and who decides', async () => {
    await openShared('viewer');
    expect((await screen.findByTestId('dictionary-read-only')).textContent).toBe(
      'You see the dictionary read-only: your role on the team project (Viewer) cannot decide the links of this project’s data dictionary. Who decides its links: Lead, Analyst, Data team.',
    );
    // the suggestions are listed, with nothing to press
    within(screen.getByRole('table', { name: 'Suggested from names' })).getByText(
      'patients.csv › allergy_code',
    );
    expect(screen.queryByRole('button', { name: /^Confirm / })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Deciding as' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Link by hand' })).toBeNull();
  });
});
