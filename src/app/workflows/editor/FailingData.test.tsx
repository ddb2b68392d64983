/**
 * A failing column planted in a check of the demo clinic shows on the Workflows screen, on the
 * steps that use its data: a mark on the step in the diagram (in its name for a screen reader)
 * and, in the step's details, the column, its file and problems with a link to the check. The
 * editor opens at a step from the address (the Migration screen's link to a step).
 *
 * On a shared project the check is the team's: a member who never ran it, whose browser holds no
 * report, sees the same marks from the summary the team server holds (faked at its fetch), told
 * who ran it and when instead of a link to a report she does not have. While the team's summaries
 * are being read, and when they cannot be (the server refuses, a summary is not in a summary's
 * form), the marks are this browser's and the screen says so: never shown as the team's.
 */

import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { reportSummaryOf } from '../../../core/teamRecords/index.ts';
import { MemoryServer } from '../../../core/workflow/shared/index.ts';
import type { Project, ProjectReport } from '../../../formats/project.ts';
import { checkedWhen } from '../../common/format.ts';
import type { FakeAnswer } from '../../team/testing/fakeTeamServer.ts';
import { renderOnTeam, TEAM_PROJECT } from '../../team/testing/sharedProject.tsx';
import { useRoute } from '../../useWorkspaceRoute.ts';
import { TeamWorkflowPage } from '../shared/SharedWorkflowEditor.tsx';
import { WorkflowsWorkspace } from '../WorkflowsWorkspace.tsx';

/** The demo clinic as its project file holds it: workflows, extracts, a check, the data dictionary. */
function demoClinic(): Project {
  const file = join(process.cwd(), 'samples', 'projects', 'demo-clinic.preflight.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { project: Project }).project;
}

/**
 * The demo with a later check of patients.csv in which only `insurance_member_id` fails (30 of
 * 5,000 records): the data lead linked it to `insurance.member_id`, which the planned referral
 * intake types when it asks the payer for an authorization.
 */
function planted(): Project {
  const demo = demoClinic();
  const [first] = demo.reports;
  if (!first) throw new Error('the demo has no check');
  const input = first.inputs.find((i) => i.name === 'patients.csv');
  if (!input) throw new Error('the demo check has no patients.csv');
  const check: ProjectReport = {
    ...first,
    id: 'planted-check',
    generatedAt: '2024-07-09T09:00:00Z',
    inputs: [{ ...input, records: 5000, invalid: 30 }],
    summary: { ...first.summary, records: 5000, valid: 4970, invalid: 30, errors: 30, warnings: 0 },
    issues: [
      {
        rule: 'contract.required',
        severity: 'error',
        location: 'insurance_member_id',
        count: 30,
        examples: [{ input: 'patients.csv', row: 7, column: 'insurance_member_id' }],
      },
    ],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
  };
  return { ...demo, reports: [...demo.reports, check] };
}

function AtAddress({ project }: { project: Project }) {
  const route = useRoute();
  if (route.workspace !== 'workflows') return <p>Elsewhere</p>;
  return <WorkflowsWorkspace project={project} place={route.place} dispatch={() => {}} />;
}

async function openAt(hash: string, project: Project) {
  act(() => {
    window.location.hash = hash;
  });
  render(<AtAddress project={project} />);
  // the editor loads on first open
  await screen.findByRole('heading', { level: 2, name: /Incoming referrals — future/ });
}

beforeEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('failing data on the Workflows screen', () => {
  it('shows a planted failing column on the step that uses it, on the diagram and in its details', async () => {
    await openAt('#/workflows/workflow/referral-processing-future/step/payer-portal-auth', planted());
    // the step chosen from the address: its details show the failing data it uses, with the check
    const details = await screen.findByRole('region', { name: 'Failing data this step uses' });
    const [item] = within(details).getAllByTestId('step-failing-data');
    expect(item?.textContent).toContain(
      'insurance_member_id in patients.csv: 30 problems (0.6 % of records)',
    );
    expect(item?.textContent).toContain('“insurance.member_id”');
    expect(
      within(details)
        .getByRole('link', { name: 'Open the check of patients.csv (30 problems at insurance_member_id)' })
        .getAttribute('href'),
    ).toBe('#/migration/report/planted-check');
    // on the diagram: the step is marked, and its name says what it uses
    const marked = document.querySelectorAll(
      '[aria-label*="uses failing data: insurance_member_id in patients.csv"]',
    );
    expect([...marked].map((n) => n.getAttribute('aria-label')?.split(':')[1]?.trim().split(',')[0])).toEqual(
      expect.arrayContaining([
        'Register the patient from the e-fax image',
        'Request the authorization in the payer portal',
      ]),
    );
    // and no other step is: the check's other columns pass
    expect(screen.getAllByTestId('step-data-mark').map((m) => m.textContent)).toEqual(['⛁1', '⛁1']);
  });
});

/** When the team server received the planted check's summary, shared by the data lead. */
const SHARED_AT = '2024-07-09T09:05:00.000Z';

describe('failing data on the Workflows screen of a shared project', () => {
  it('shows a member who never ran the check the team’s marks, and who ran it and when', async () => {
    const ran = planted();
    const check = ran.reports.find((r) => r.id === 'planted-check');
    if (!check) throw new Error('no planted check');
    // Ana's copy of the shared project: its records, and no check run in her browser
    const project: Project = { ...ran, reports: [] };
    const workflow = ran.workflows.find((w) => w.id === 'referral-processing-future');
    if (!workflow) throw new Error('the demo has no future referral intake');
    const team = new MemoryServer(workflow);
    const base = `/api/projects/${TEAM_PROJECT.id}`;
    const server = await renderOnTeam(
      project,
      () => (
        <TeamWorkflowPage
          project={project}
          projectId={TEAM_PROJECT.id}
          workflowId={workflow.id}
          onClose={() => {}}
        />
      ),
      {
        routes: {
          [`GET ${base}/records?after=0`]: [
            200,
            {
              head: 1,
              records: [
                {
                  kind: 'report-summary',
                  id: check.id,
                  version: 1,
                  body: reportSummaryOf(check),
                  sha256: 'f'.repeat(64),
                  by: 'Lena Okafor',
                  at: SHARED_AT,
                },
              ],
            },
          ],
          [`GET ${base}/workflows/${workflow.id}`]: [200, { workflow: team.document, head: team.head }],
          [`GET ${base}/workflows/${workflow.id}/changes?after=0`]: [200, team.after(0)],
          [`GET ${base}/workflows/${workflow.id}/versions`]: [200, { versions: [] }],
        },
      },
    );
    await screen.findByRole('heading', { level: 2, name: /Incoming referrals — future/ });
    // on the diagram: the steps that use the column are marked once the team's summaries are read
    await waitFor(() =>
      expect(screen.queryAllByTestId('step-data-mark').map((m) => m.textContent)).toEqual(['⛁1', '⛁1']),
    );
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toContain(`GET ${base}/records?after=0`);
    const step = screen.getByRole('group', {
      name: /^Task: Request the authorization in the payer portal.*uses failing data: insurance_member_id in patients\.csv/,
    });
    act(() => step.focus());
    await userEvent.setup().keyboard('{Enter}');
    // its details: the failing column, who ran the check and when; a link to what she can open
    const details = await screen.findByRole('region', { name: 'Failing data this step uses' });
    const [item] = within(details).getAllByTestId('step-failing-data');
    expect(item?.textContent).toContain(
      'insurance_member_id in patients.csv: 30 problems (0.6 % of records)',
    );
    expect(item?.textContent).toContain(`checked by Lena Okafor, shared ${checkedWhen(SHARED_AT)}`);
    expect(within(details).queryByRole('link', { name: /^Open the check/ })).toBeNull();
    expect(
      within(details)
        .getByRole('link', {
          name: "See the team's runs on the Migration screen (patients.csv: 30 problems at insurance_member_id)",
        })
        .getAttribute('href'),
    ).toBe('#/migration');
  });
});

/**
 * The shared future referral intake opened by a member whose browser ran the planted check itself
 * (so this browser's checks mark two steps), the team server answering its records with `records`.
 */
async function openSharedWithOwnCheck(records: FakeAnswer) {
  const project = planted();
  const workflow = project.workflows.find((w) => w.id === 'referral-processing-future');
  if (!workflow) throw new Error('the demo has no future referral intake');
  const team = new MemoryServer(workflow);
  const base = `/api/projects/${TEAM_PROJECT.id}`;
  await renderOnTeam(
    project,
    () => (
      <TeamWorkflowPage
        project={project}
        projectId={TEAM_PROJECT.id}
        workflowId={workflow.id}
        onClose={() => {}}
      />
    ),
    {
      routes: {
        [`GET ${base}/records?after=0`]: records,
        [`GET ${base}/workflows/${workflow.id}`]: [200, { workflow: team.document, head: team.head }],
        [`GET ${base}/workflows/${workflow.id}/changes?after=0`]: [200, team.after(0)],
        [`GET ${base}/workflows/${workflow.id}/versions`]: [200, { versions: [] }],
      },
    },
  );
  await screen.findByRole('heading', { level: 2, name: /Incoming referrals — future/ });
}

const marks = () => screen.queryAllByTestId('step-data-mark').map((m) => m.textContent);

describe('where the failing-data marks of a shared project come from', () => {
  it('says the marks are this browser’s while the team’s checks load, and drops them once read', async () => {
    let answer: (a: [number, unknown]) => void = () => {};
    const gate = new Promise<[number, unknown]>((resolve) => {
      answer = resolve;
    });
    await openSharedWithOwnCheck(() => gate);
    const note = await screen.findByTestId('failing-data-source');
    expect(note.textContent).toContain("Loading the team's checks");
    expect(note.textContent).toContain('from checks run in this browser only');
    await waitFor(() => expect(marks()).toEqual(['⛁1', '⛁1']));
    // the step's details say it too
    const step = screen.getByRole('group', { name: /^Task: Request the authorization in the payer portal/ });
    act(() => step.focus());
    await userEvent.setup().keyboard('{Enter}');
    const details = await screen.findByRole('region', { name: 'Failing data this step uses' });
    expect(details.textContent).toContain(
      "from checks run in this browser only: the team's checks are not read",
    );
    // the team shared no run: once that is read, no step is marked and nothing is said
    answer([200, { head: 0, records: [] }]);
    await waitFor(() => expect(screen.queryByTestId('failing-data-source')).toBeNull());
    await waitFor(() => expect(marks()).toEqual([]));
  });

  it.each([
    [
      'the server refuses',
      [403, { error: 'not a member of this project' }] as FakeAnswer,
      /could not be read \(.+\)/,
    ],
    [
      'a summary is not in a summary’s form',
      [
        200,
        {
          head: 1,
          records: [
            {
              kind: 'report-summary',
              id: 'broken',
              version: 1,
              body: {
                id: 'broken',
                generatedAt: SHARED_AT,
                summary: {},
                inputs: 'patients.csv',
                sha256: 'f'.repeat(64),
              },
              sha256: 'f'.repeat(64),
              by: 'Lena Okafor',
              at: SHARED_AT,
            },
          ],
        },
      ] as FakeAnswer,
      /the summary of a run Lena Okafor shared .* is not in a form this version of Preflight reads \(at \/inputs\)\).*Ask Lena Okafor to run that check again/,
    ],
  ])(
    'says why the team’s checks could not be read when %s, and that the marks are this browser’s',
    async (_, records, why) => {
      await openSharedWithOwnCheck(records);
      await waitFor(() =>
        expect(screen.getByTestId('failing-data-source').textContent).toMatch(
          /The team's checks could not be read/,
        ),
      );
      const note = screen.getByTestId('failing-data-source').textContent ?? '';
      expect(note).toMatch(why);
      expect(note).toContain(
        'the failing-data marks (⛁) on the steps are from checks run in this browser only',
      );
      expect(marks()).toEqual(['⛁1', '⛁1']);
    },
  );
});
