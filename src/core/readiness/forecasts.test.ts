/**
 * Forecast vs what happened on the board: only checks that kept what their log showed are
 * compared, a check of a workflow edited since compares nothing and says so, and the words give
 * each figure beside its forecast with how far off it was.
 */
import { describe, expect, it } from 'vitest';
import type { GoLiveObservation, Project } from '../../formats/project.ts';
import { fixtureProject, fixtureWorkflowCheck } from '../../formats/testing/fixtures.ts';
import { goLiveMetrics } from '../workflow/goLive.ts';
import { assessReadiness, boardLines, forecastLines, forecastWords } from './index.ts';

/** 40 cases in 8 working hours; the nurse's vitals, planned at 3 minutes, took 4, by two nurses. */
const OBSERVED: GoLiveObservation = {
  cases: 40,
  activeHours: 8,
  meanCaseMin: 12,
  lanes: {
    nurse: { instances: 40, timed: 40, touchMin: 160, designedTouchMin: 120, people: 2 },
    patient: { instances: 34, timed: 34, touchMin: 102, designedTouchMin: 102, people: 0 },
  },
};

function observedProject(edit?: (p: Project) => void): Project {
  const project = fixtureProject();
  project.workflowChecks = [{ ...fixtureWorkflowCheck('w2'), observed: OBSERVED }];
  edit?.(project);
  return project;
}

describe('forecast vs what happened on the board', () => {
  it('is absent while no go-live check kept what its log showed', () => {
    expect(assessReadiness(fixtureProject()).board.forecasts).toBeUndefined();
  });

  it('sets the go-live forecast beside the log, in the words of the clinic', () => {
    const board = assessReadiness(observedProject()).board;
    const [forecast] = board.forecasts ?? [];
    expect(forecast).toMatchObject({ workflow: 'Patient intake (future)', stale: false });
    expect(forecast?.comparison?.roles.find((r) => r.laneId === 'nurse')?.utilisation?.observed).toBeCloseTo(
      (5 * 4) / 60,
    );
    const planned = fixtureProject().workflows.find((w) => w.id === 'w2');
    const cycle = planned && goLiveMetrics(planned);
    if (!cycle?.ok) throw new Error('the fixture has a forecast');
    // default go-live settings (the fixture states none): full bookings, 70 % speed
    expect(cycle.metrics.cycleMin).toBeCloseTo(11.7857, 4);
    expect(forecast && forecastWords(forecast)).toEqual({
      head: '“Patient intake (future)” (golive-week-12.csv, checked 2025-03-14; 40 cases over 8 working hours)',
      lines: [
        'Patients an hour: forecast 6 (100 % of normal bookings), seen 5 (83.3 %) — 16.7 % under the forecast.',
        'Staff speed: assumed (the workflow states none) 70 % of normal, seen 75 % — 5 points faster.',
        'Time per patient: forecast 11.8 min, seen 12 min — 1.8 % over the forecast.',
        'Nurse (1 on shift, 2 people in the log): forecast 42.9 % busy, seen 33.4 % — 9.5 points less busy (22.2 % under the forecast); speed 75 % of normal (assumed 70 %).',
      ],
      notCompared: ['Front desk: the workflow plans no staff time for this role.'],
    });
    // the CLI and the printed pack print the same words under the board
    const lines = boardLines(board, assessReadiness(observedProject()).gates);
    expect(lines.slice(-2)).toEqual(forecastLines(board.forecasts ?? []));
    expect(lines.at(-2)).toMatch(
      /^Forecast vs what happened after go-live\. The forecast is for the busiest hour/,
    );
    expect(lines.at(-1)).toContain(
      '\n    Not compared — Front desk: the workflow plans no staff time for this role.',
    );
  });

  it('compares nothing for a workflow edited after its check, and says so', () => {
    const board = assessReadiness(
      observedProject((p) => {
        const w2 = p.workflows.find((w) => w.id === 'w2');
        if (w2) w2.arrivalsPerHour = 12;
      }),
    ).board;
    const [forecast] = board.forecasts ?? [];
    expect(forecast).toEqual({
      workflow: 'Patient intake (future)',
      log: 'golive-week-12.csv',
      checkedAt: '2025-03-14T16:20:00.000Z',
      stale: true,
    });
    expect(forecast && forecastWords(forecast).notCompared[0]).toMatch(
      /^Nothing: the workflow was edited after this check/,
    );
  });
});
