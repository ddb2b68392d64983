/**
 * The Readiness screen's pack checker with a pack made on a shared project: the pack was judged on
 * the team's shared record. For a signed-in member it is compared with the team's evidence as the
 * screen read it from the server (current, or what changed there since); signed out, with the open
 * copy's shared records, and the verdict says that what only the team server holds was not
 * compared. The worker is the project-file API driven without a real Worker (the same core
 * verifier; the component project's stand-in, src/app/projects/testing/inProcessProjectFileClient.ts).
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  assessSharedReadiness,
  evidencePack,
  sharedReadinessProject,
  sharedReportSummaries,
} from '../../core/readiness/index.ts';
import { goProject } from '../../core/readiness/testing/crafted.ts';
import { KIND_RULES, type ReportSummary } from '../../core/teamRecords/index.ts';
import { PROJECT_ROLLBACK_PLAN_KEY } from '../../formats/rollbackPlan.ts';
import { PackVerifier } from './PackVerifier.tsx';

/** The pack of a shared project as the Readiness screen makes it: judged on the shared record, under the copy's id. */
function sharedPack() {
  const lead = goProject();
  const reportSummaries = sharedReportSummaries(
    KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary),
  );
  const team = { workflows: lead.workflows, reportSummaries };
  const result = assessSharedReadiness(lead, team, { today: '2026-11-25' });
  const judged = sharedReadinessProject(lead, team);
  const made = { ...judged, meta: { ...judged.meta, id: lead.meta.id, name: lead.meta.name } };
  const pack = evidencePack(made, result, '2026-11-26T09:00:00Z', undefined, [], { reportSummaries });
  return {
    lead,
    team,
    file: new File([JSON.stringify(pack)], 'go-no-go pack.json', { type: 'application/json' }),
  };
}

describe('PackVerifier: a shared pack against the team’s evidence, signed in', () => {
  it('is current against the team’s record, then names the workflow edited on the server', async () => {
    const user = userEvent.setup();
    const { lead, team, file } = sharedPack();
    const { unmount } = render(<PackVerifier project={lead} team={team} />);
    await user.upload(screen.getByLabelText('Evidence pack to check (JSON)'), file);
    const verdict = screen.getByTestId('pack-verdict');
    await waitFor(() => expect(verdict.textContent).toContain('go-no-go pack.json: Verified.'));
    expect(verdict.textContent).toContain(
      'It was judged on the team’s shared record and compared with it as it is now: the shared records as this browser holds them, and the shared workflows, validation summaries and sample results as read from the team server.',
    );
    expect(verdict.textContent).not.toContain('not compared');
    unmount();

    // a colleague edits a shared workflow on the server: the pack no longer describes the team's record
    const [first, ...rest] = team.workflows;
    if (!first) throw new Error('the crafted project shares a workflow');
    const edited = { ...team, workflows: [{ ...first, name: `${first.name} (revised)` }, ...rest] };
    render(<PackVerifier project={lead} team={edited} />);
    await user.upload(screen.getByLabelText('Evidence pack to check (JSON)'), file);
    await waitFor(() =>
      expect(screen.getByTestId('pack-verdict').textContent).toContain('Intact, but out of date.'),
    );
    const changes = screen.getByRole('list', { name: 'What does not match' }).textContent;
    expect(changes).toContain('the workflow changed on the team server after the pack was made');
    expect(changes).not.toContain('rollback-plan');
  });
});

describe('PackVerifier: a pack made on a shared project, signed out', () => {
  it('compares the copy’s shared records and says what only the team server holds', async () => {
    const user = userEvent.setup();
    const { lead, file } = sharedPack();
    const { unmount } = render(<PackVerifier project={lead} />);
    await user.upload(screen.getByLabelText('Evidence pack to check (JSON)'), file);
    const verdict = screen.getByTestId('pack-verdict');
    await waitFor(() => expect(verdict.textContent).toContain('go-no-go pack.json: Verified.'));
    expect(verdict.textContent).toMatch(
      /judged on the team’s shared record: the shared records were compared as this browser holds them, and the \d+ artefacts only the team server holds \(shared workflows, validation summaries, sample results\) were not compared\./,
    );
    unmount();

    // a shared record removed in the copy since (the rollback plan): the pack no longer describes it
    const { [PROJECT_ROLLBACK_PLAN_KEY]: _plan, ...settings } = lead.meta.settings;
    render(<PackVerifier project={{ ...lead, meta: { ...lead.meta, settings } }} />);
    await user.upload(screen.getByLabelText('Evidence pack to check (JSON)'), file);
    await waitFor(() =>
      expect(screen.getByTestId('pack-verdict').textContent).toContain('Intact, but out of date.'),
    );
    expect(screen.getByRole('list', { name: 'What does not match' }).textContent).toContain(
      'the rollback-plan changed in the project after the pack was made',
    );
  });
});
