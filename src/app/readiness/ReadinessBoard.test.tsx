/**
 * The board reads without colour: each phase's state is a word and a symbol beside its colour,
 * with its counts; the rehearsal trend is written out beside its bars; the sign-off verdict carries
 * its bound and the capacity verdict its busiest roles; after go-live each forecast stands beside
 * what happened. The evidence pack opens with the same board and says who decides.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { compareForecast } from '../../core/forecast/index.ts';
import { assessReadiness, evidencePack, pathToGo } from '../../core/readiness/index.ts';
import { goProject, report } from '../../core/readiness/testing/crafted.ts';
import { fixtureFutureWorkflow } from '../../formats/testing/fixtures.ts';
import { EvidencePackView } from './EvidencePackView.tsx';
import { ReadinessBoard } from './ReadinessBoard.tsx';

const project = {
  ...goProject(),
  reports: [report(995, 1000, '2026-11-19T10:00:00Z'), report(980, 1000, '2026-11-21T10:00:00Z')],
};

describe('ReadinessBoard', () => {
  it('shows the five phases in one row, each state in words and symbol, with counts', () => {
    const result = assessReadiness(project);
    render(<ReadinessBoard board={result.board} gates={result.gates} />);
    const phases = within(screen.getByRole('list', { name: 'Status per phase' })).getAllByRole('listitem');
    expect(phases.map((p) => p.textContent)).toEqual([
      'Discovery✓ Ready0 blocking, 0 at risk',
      'Configuration✓ Ready0 blocking, 0 at risk',
      'Training✓ Ready0 blocking, 0 at risk',
      expect.stringMatching(/^Pre-launch✖ Blocked1 blocking, \d+ at risk$/),
      expect.stringMatching(/^Go-live▲ At risk0 blocking, \d+ at risk$/),
    ]);
    expect(phases[3]?.className).toContain('phase-blocked');
  });

  it('writes the rehearsal trend, the sign-off bound and the capacity verdict out', () => {
    const result = assessReadiness(project);
    // failing data by what uses it (the core orders it by cases an hour): named as given
    const dataRisks = [
      {
        dataset: 'patients.csv',
        location: 'allergies',
        rules: ['contract.required'],
        count: 8,
        steps: 2,
        roles: ['Medical assistant', 'Patient (self-service)'],
        casesPerHour: 20,
        share: 0.0016,
        weight: 0.032,
      },
    ];
    render(<ReadinessBoard board={{ ...result.board, dataRisks }} gates={result.gates} />);
    expect(screen.getByRole('list', { name: 'Failing data by what uses it' }).textContent).toBe(
      'allergies in patients.csv (8 problems, 0.2 % of records): used by 2 steps (Medical assistant, Patient (self-service)), 20 cases/h',
    );
    expect(screen.queryByTestId('board-data-left-out')).toBeNull();
    expect(screen.getByRole('list', { name: 'Rehearsals' }).textContent).toBe(
      'patients.csv  99.5 % → 98 % (fails) ↘ worse than the run before',
    );
    expect(screen.getByRole('list', { name: 'Sign-off verdicts' }).textContent).toMatch(
      /✓ Passes 3 of 3 reviewed; error rate at most 0 % at 95 % confidence \(target [\d.]+ %\)$/,
    );
    expect(screen.getByRole('list', { name: 'Capacity verdicts' }).textContent).toMatch(
      /✓ Within its gates peak hour: .+ busy \(gate 85 %\); go-live week: .+ busy \(gate 85 %\)$/,
    );
  });

  it('says which extract’s failing data a shared summary left out, rather than showing nothing', () => {
    const result = assessReadiness(project);
    render(
      <ReadinessBoard
        board={{ ...result.board, dataLeftOut: [{ dataset: 'encounters.csv', problems: 2_400 }] }}
        gates={result.gates}
      />,
    );
    expect(screen.queryByRole('list', { name: 'Failing data by what uses it' })).toBeNull();
    expect(screen.getByTestId('board-data-left-out').textContent).toBe(
      "Failing data not traced for encounters.csv (2,400 problems): the latest run's shared summary had too many problems to keep them, so what uses them cannot be told here; see the run on the Migration screen of the browser that ran it.",
    );
  });

  it('shows the command centre issue log: open per triage category, logged per day after go-live', () => {
    const result = assessReadiness(project);
    const board = {
      ...result.board,
      issues: {
        categories: [
          { name: 'Patient safety', open: 1, logged: 1 },
          { name: 'Question', open: 0, logged: 2 },
        ],
        days: [
          { day: '2026-12-01', afterGoLive: 1, logged: 2, open: 1 },
          { day: '2026-12-02', afterGoLive: 2, logged: 1, open: 0 },
        ],
        open: 1,
        logged: 3,
        goLiveDay: '2026-12-01',
      },
    };
    render(<ReadinessBoard board={board} gates={result.gates} />);
    expect(
      within(screen.getByRole('list', { name: 'Open issues by triage category' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Patient safety 1 open of 1', 'Question 0 open of 2']);
    expect(
      within(screen.getByRole('list', { name: 'Issues logged by day after go-live' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['day 1 (2026-12-01): 2 logged, 1 open', 'day 2 (2026-12-02): 1 logged, 0 open']);
  });

  it('says when no issue is logged yet, before go-live', () => {
    const result = assessReadiness(project);
    render(<ReadinessBoard board={result.board} gates={result.gates} />);
    screen.getByText(/^No issue logged yet \(go-live 2026-12-01\)\./);
  });

  it('after go-live, sets each forecast beside what happened and says what it could not compare', () => {
    const result = assessReadiness(project);
    const comparison = compareForecast(fixtureFutureWorkflow(), {
      cases: 40,
      activeHours: 8,
      meanCaseMin: 12,
      lanes: { nurse: { instances: 40, timed: 40, touchMin: 160, designedTouchMin: 120, people: 2 } },
      peak: { cases: 8, lanes: { nurse: { instances: 9 } } },
    });
    const forecasts = [
      {
        workflow: 'Patient intake (future)',
        log: 'golive-week-12.csv',
        checkedAt: '2025-03-14T16:20:00.000Z',
        stale: false,
        comparison,
      },
      { workflow: 'Lab results', log: 'lab.csv', checkedAt: '2025-03-15T09:00:00.000Z', stale: true },
    ];
    const { unmount } = render(<ReadinessBoard board={result.board} gates={result.gates} />);
    expect(screen.queryByRole('heading', { name: 'Forecast vs what happened' })).toBeNull();
    unmount();
    render(<ReadinessBoard board={{ ...result.board, forecasts }} gates={result.gates} />);
    const section = screen.getByTestId('board-forecasts');
    within(section).getByRole('heading', { name: 'Forecast vs what happened' });
    within(section).getByText(
      /^The forecast is for the busiest hour of go-live week, so it is set beside the busiest hour of the log/,
    );
    const lines = within(section).getByRole('list', {
      name: 'Forecast vs what happened: Patient intake (future)',
    });
    expect(
      within(lines)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Patients an hour: forecast 6 (100 % of normal bookings), seen 8 in the busiest hour (133.3 %) — 33.3 % over the forecast; 5 on average (83.3 %).',
      'Staff speed: assumed (the workflow states none) 70 % of normal, seen 75 % — 5 points faster.',
      'Time per patient: forecast 11.8 min, seen 12 min — 1.8 % over the forecast.',
      'Nurse (1 on shift, 2 people in the log): forecast 42.9 % busy, seen 60 % in the busiest hour — 17.1 points busier (40 % over the forecast); 33.4 % on average; speed 75 % of normal (assumed 70 %).',
    ]);
    expect(
      within(section).getByRole('list', { name: 'Not compared: Patient intake (future)' }).textContent,
    ).toBe('Not compared — Front desk: the workflow plans no staff time for this role.');
    expect(within(section).getByRole('list', { name: 'Not compared: Lab results' }).textContent).toMatch(
      /^Not compared — Nothing: the workflow was edited after this check/,
    );
    expect(
      within(section).queryByRole('list', { name: 'Forecast vs what happened: Lab results' }),
    ).toBeNull();
  });

  it('opens the evidence pack as its blocks, with who decides', () => {
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    const summary = screen.getByRole('region', { name: /Go-live evidence pack/ });
    // the printed board is the core's blocks, as the CLI's PDF prints it
    const phases = within(summary).getByRole('table', { name: 'Status per phase' });
    expect(within(phases).getAllByRole('row')).toHaveLength(6);
    within(summary).getByRole('heading', { level: 3, name: 'Rehearsals: valid records' });
    expect(screen.getByTestId('pack-deciders').textContent).toMatch(/^Who decides: the steering committee\./);
  });

  it('ends with the path to go when given one: each action with its gate, owner and due day', () => {
    const result = assessReadiness(project);
    const { unmount } = render(<ReadinessBoard board={result.board} gates={result.gates} />);
    expect(screen.queryByTestId('path-to-go')).toBeNull();
    unmount();
    const path = pathToGo(project, result, '2026-11-27');
    const noOwner = [
      {
        ...path[0],
        owner: null,
        ownerFrom: 'no owner is recorded for the extract',
        ownerNamedBy: { role: 'data' as const, where: 'as the owner of the final extract step' },
      },
    ];
    const { unmount: again } = render(
      <ReadinessBoard board={result.board} gates={result.gates} path={noOwner as typeof path} />,
    );
    const region = screen.getByRole('region', { name: 'Path to go' });
    expect(within(region).getByText(/actions? clears? the/).textContent).toBe(
      '1 action clears the blocking reason:',
    );
    expect(within(region).getByRole('listitem').textContent).toMatch(
      /^Fix patients\.csv .* Gate: valid records in each extract · Owner: none yet: the data lead names one as the owner of the final extract step · Due: 2026-11-27 · Risk removed: records that fail their checks are migrated$/,
    );
    expect(screen.queryByTestId('path-past')).toBeNull();
    again();
    // read a week later, the same day is past: flagged as overdue, never shown as a plan
    const late = pathToGo(project, result, '2026-12-04');
    render(<ReadinessBoard board={result.board} gates={result.gates} path={late} />);
    const item = within(screen.getByRole('region', { name: 'Path to go' })).getByRole('listitem');
    expect(item.querySelector('.path-overdue')?.textContent).toBe(
      'OVERDUE: the data freeze of the cutover runbook was 2026-11-27',
    );
    expect(screen.getByTestId('path-past').textContent).toMatch(
      /^Every due day of the path \(1 action\) is already past: /,
    );
  });
});
