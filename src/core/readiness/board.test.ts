/**
 * The board shows the figures the phases judge, side by side: each extract's rehearsals as a trend
 * (counted as Pre-launch counts them), each sample plan's verdict with its bound, each planned
 * workflow's busiest role against its two gates, and the five phases with their counts. After
 * go-live, each forecast beside what happened: only checks that kept what their log showed are
 * compared, a check of a workflow edited since compares nothing and says so, and the words give
 * each figure beside its forecast with how far off it was.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCommandCentre } from '../../formats/cutover.ts';
import type { GoLiveObservation, Project } from '../../formats/project.ts';
import { fixtureProject, fixtureWorkflowCheck } from '../../formats/testing/fixtures.ts';
import { KIND_RULES, type ReportSummary } from '../teamRecords/index.ts';
import { goLiveMetrics } from '../workflow/index.ts';
import {
  assessReadiness,
  assessSharedReadiness,
  boardLines,
  failingDataOfSteps,
  forecastLines,
  forecastWords,
  stepKey,
} from './index.ts';
import { COMMAND_CENTRE, goProject, report, secondPassMissing, signedReview } from './testing/crafted.ts';

describe('the readiness board', () => {
  it('puts the five phases in one row with their blocking and risk counts', () => {
    const result = assessReadiness({ ...goProject(), reports: [report(900)] });
    expect(result.board.phases.map((p) => [p.id, p.status, p.blocking > 0])).toEqual([
      ['discovery', 'ready', false],
      ['configuration', 'ready', false],
      ['training', 'ready', false],
      ['pre-launch', 'blocked', true],
      ['go-live', 'at-risk', false],
    ]);
    const preLaunch = result.phases.find((p) => p.id === 'pre-launch');
    expect(result.board.phases[3]?.blocking).toBe(preLaunch?.reasons.filter((r) => r.blocks).length);
  });

  it.each([
    { description: 'no check', reports: [], trend: 'none', shares: [] },
    { description: 'one check', reports: [report(995)], trend: 'first', shares: [0.995] },
    {
      description: 'a better check, listed out of order',
      reports: [report(1000, 1000, '2026-11-21T10:00:00Z'), report(980, 1000, '2026-11-19T10:00:00Z')],
      trend: 'better',
      shares: [0.98, 1],
    },
    {
      description: 'a worse check',
      reports: [report(995, 1000, '2026-11-19T10:00:00Z'), report(980, 1000, '2026-11-21T10:00:00Z')],
      trend: 'worse',
      shares: [0.995, 0.98],
    },
    {
      description: 'the same share',
      reports: [report(995, 1000, '2026-11-19T10:00:00Z'), report(995, 1000, '2026-11-21T10:00:00Z')],
      trend: 'same',
      shares: [0.995, 0.995],
    },
  ])('shows the rehearsals of an extract: $description', ({ reports, trend, shares }) => {
    const [rehearsal] = assessReadiness({ ...goProject(), reports }).board.rehearsals;
    expect(rehearsal?.trend).toBe(trend);
    expect(rehearsal?.runs.map((r) => r.validShare)).toEqual(shares);
    // a run passes at or over the gate (99 %)
    expect(rehearsal?.runs.map((r) => r.passes)).toEqual(shares.map((s) => s >= 0.99));
  });

  it('gives each sample plan its verdict with the bound, target and confidence', () => {
    const passing = assessReadiness(goProject()).board.signoff[0];
    expect(passing).toMatchObject({ verdict: 'pass', reviewed: 3, drawn: 3, confidence: 0.95 });
    // the whole population reviewed: the bound is the rate itself
    expect(passing?.upperBound).toBe(0);
    expect(passing?.target).toBe(goProject().samplePlans[0]?.targetErrorRate);
    const { plan, review } = signedReview(['accept', 'reject', 'accept']);
    const failing = assessReadiness({ ...goProject(), samplePlans: [plan], reviews: [review] }).board
      .signoff[0];
    expect(failing?.verdict).toBe('fail');
    const open = secondPassMissing();
    expect(
      assessReadiness({ ...goProject(), samplePlans: [open.plan], reviews: [open.review] }).board.signoff[0]
        ?.verdict,
    ).toBe('open');
    expect(assessReadiness({ ...goProject(), reviews: [] }).board.signoff[0]).toEqual({
      plan: goProject().samplePlans[0]?.name,
      verdict: 'none',
    });
  });

  it('judges capacity against the peak-hour and go-live gates as the phases do', () => {
    const project = goProject();
    const within = assessReadiness(project).board.capacity[0];
    expect(within?.verdict).toBe('within');
    expect(within?.peak?.role).toBeDefined();
    // a peak-hour gate under the busiest role's utilisation turns the verdict over
    const strict = assessReadiness(project, {
      gates: { ...assessReadiness(project).gates, maxPeakUtilisation: (within?.peak?.utilisation ?? 0) / 2 },
    });
    expect(strict.board.capacity[0]?.verdict).toBe('over');
    expect(strict.phases.find((p) => p.id === 'pre-launch')?.status).toBe('blocked');
  });

  it('counts the command centre issue log: open per triage category, logged per day after go-live', () => {
    // the crafted rollback plan puts go-live on 2026-12-01
    const base = goProject();
    const logged: Project = {
      ...base,
      meta: {
        ...base.meta,
        settings: withCommandCentre(base.meta.settings, {
          ...COMMAND_CENTRE,
          issues: [
            { id: 'i1', day: '2026-12-01', category: 'Question', title: 'Printer', status: 'closed' },
            { id: 'i2', day: '2026-12-01', category: 'Patient safety', title: 'Result', status: 'open' },
            { id: 'i3', day: '2026-12-02', category: 'Question', title: 'Login', status: 'open' },
            { id: 'i4', day: '2026-12-02', category: 'Billing', title: 'Claim', status: 'closed' },
          ],
        }),
      },
    };
    const result = assessReadiness(logged);
    expect(result.board.issues).toEqual({
      // the command centre's order first, then a category only an issue names
      categories: [
        { name: 'Patient safety', open: 1, logged: 1 },
        { name: 'Question', open: 1, logged: 2 },
        { name: 'Billing', open: 0, logged: 1 },
      ],
      days: [
        { day: '2026-12-01', afterGoLive: 1, logged: 2, open: 1 },
        { day: '2026-12-02', afterGoLive: 2, logged: 2, open: 1 },
      ],
      open: 2,
      logged: 4,
      goLiveDay: '2026-12-01',
    });
    expect(boardLines(result.board, result.gates)).toContain(
      'Command centre issue log (go-live 2026-12-01): 2 of 4 issues open — Patient safety 1 open of 1, Question 1 open of 2 and Billing 0 open of 1; by day: day 1 (2026-12-01) 2 (1 open), day 2 (2026-12-02) 2 (1 open).',
    );
    // before go-live the log is empty and says so; without a command centre the board has none
    expect(boardLines(assessReadiness(base).board, result.gates)).toContain(
      'Command centre issue log: no issue logged yet (go-live 2026-12-01).',
    );
    const { commandCentre: _none, ...settings } = base.meta.settings;
    expect(assessReadiness({ ...base, meta: { ...base.meta, settings } }).board.issues).toBeUndefined();
  });

  it('orders the failing data by the cases an hour of the steps that use it times the share failing', () => {
    const demo = (
      JSON.parse(
        readFileSync(
          new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url),
          'utf8',
        ),
      ) as {
        project: Project;
      }
    ).project;
    const result = assessReadiness(demo);
    const risks = result.board.dataRisks ?? [];
    expect(risks.slice(0, 3).map((r) => [r.location, r.dataset, r.steps, r.casesPerHour, r.weight])).toEqual([
      ['phone', 'patients.csv', 2, 11.5, 0.1035],
      ['birth_date', 'patients.csv', 1, 1.5, 0.0735],
      ['allergies', 'patients.csv', 2, 20, 0.032],
    ]);
    const weights = risks.map((r) => r.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    // one entry per column, its checks together: birth_date fails three
    expect(risks.find((r) => r.location === 'birth_date')?.rules).toHaveLength(3);
    expect(boardLines(result.board, result.gates).join('\n')).toContain(
      'Failing data by what uses it, most often met first (cases an hour × share of records failing): phone in patients.csv (45 problems, 0.9 % of records) — 2 steps (Patient (self-service), Front desk), 11.5 cases/h;',
    );
    // without a confirmed link nothing is traced, and the board says nothing of it
    const { dataDictionary: _, ...settings } = demo.meta.settings;
    expect(assessReadiness({ ...demo, meta: { ...demo.meta, settings } }).board.dataRisks).toBeUndefined();
  });

  it('weighs failing data by the share of records that fail: 245 problems above 1, whatever the cases an hour', () => {
    const risks = assessReadiness(demoClinic()).board.dataRisks ?? [];
    const at = (location: string) => risks.findIndex((r) => r.location === location);
    // address_line: 1 problem in 5,000 records, typed at 10 cases an hour; birth_date: 245 problems
    // at 1.5 (the referrals' registration)
    expect(risks[at('address_line')]).toMatchObject({
      count: 1,
      share: 0.0002,
      casesPerHour: 10,
      weight: 0.002,
    });
    expect(risks[at('birth_date')]).toMatchObject({ casesPerHour: 1.5, weight: 0.0735 });
    expect(risks[at('birth_date')]).toMatchObject({ count: 245, share: 0.049 });
    expect(at('birth_date')).toBeLessThan(at('address_line'));
    const weights = risks.map((r) => r.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    for (const r of risks) expect(r.weight).toBeCloseTo(r.casesPerHour * r.share, 4);
  });

  it('gives each step the failing data it uses, from the checks the board reads', () => {
    const steps = failingDataOfSteps(demoClinic());
    const of = (workflow: string, step: string) =>
      (steps.get(stepKey(workflow, step)) ?? []).map(
        (d) => `${d.location} in ${d.dataset}: ${d.count} (${d.item}) ${d.report ?? '-'}`,
      );
    expect(of('patient-intake-future', 'ma-allergy-med-entry')).toEqual([
      'allergies in patients.csv: 8 (allergies) demo-validation',
    ]);
    // birth_date's three checks together, reached through the Patient mapping's birthDate field
    expect(of('referral-processing-future', 'register-from-efax')).toEqual([
      'birth_date in patients.csv: 245 (demographics.dob) demo-validation',
      'phone in patients.csv: 45 (demographics.phone) demo-validation',
      'last_name in patients.csv: 18 (demographics.name) demo-validation',
      'first_name in patients.csv: 3 (demographics.name) demo-validation',
    ]);
    // today's intake is replaced by the planned one: its steps carry nothing (as on the board)
    expect(of('patient-intake-current', 'review-allergies-meds')).toEqual([]);
    // without a confirmed link, no step carries any
    const demo = demoClinic();
    const { dataDictionary: _, ...settings } = demo.meta.settings;
    expect(failingDataOfSteps({ ...demo, meta: { ...demo.meta, settings } }).size).toBe(0);
  });

  it('reads as lines for the CLI and the printed pack', () => {
    const result = assessReadiness({
      ...goProject(),
      reports: [report(995, 1000, '2026-11-19T10:00:00Z'), report(980, 1000, '2026-11-21T10:00:00Z')],
    });
    const lines = boardLines(result.board, result.gates);
    expect(lines).toContain(
      'Rehearsals of patients.csv: 2026-11-19 99.5 % → 2026-11-21 98 % ✖ valid (gate 99 %); WORSE than the run before.',
    );
    expect(lines[0]).toMatch(/^Phases: Discovery ready \(0 blocking, 0 at risk\) · /);
  });
});

/**
 * 40 cases in 8 working hours, 8 of them in the busiest hour; the nurse's vitals, planned at 3
 * minutes, took 4, by two nurses, 9 of them started in the busiest hour.
 */
const OBSERVED: GoLiveObservation = {
  cases: 40,
  activeHours: 8,
  meanCaseMin: 12,
  lanes: {
    nurse: { instances: 40, timed: 40, touchMin: 160, designedTouchMin: 120, people: 2 },
    patient: { instances: 34, timed: 34, touchMin: 102, designedTouchMin: 102, people: 0 },
  },
  peak: { cases: 8, lanes: { nurse: { instances: 9 }, patient: { instances: 8 } } },
};

function observedProject(edit?: (p: Project) => void, observed = OBSERVED): Project {
  const project = fixtureProject();
  project.workflowChecks = [{ ...fixtureWorkflowCheck('w2'), observed }];
  edit?.(project);
  return project;
}

/** The demo clinic's project, whose data dictionary links failing columns to the steps that use them. */
function demoClinic(): Project {
  return (
    JSON.parse(
      readFileSync(new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url), 'utf8'),
    ) as { project: Project }
  ).project;
}

/** A data lead's waiver of the missing allergies, as the project (and the team's record) keeps it. */
const ALLERGIES_WAIVED = {
  id: 'w-allergies',
  rule: 'contract.required',
  column: 'allergies',
  rationale: 'Allergies are taken again at the first visit',
  owner: 'Dora Data',
  expires: '2099-12-31',
};

/**
 * On a shared project the board's failing data come from the latest shared summary of each
 * extract (rule and place per file), through the same trace as a whole report: the lead's own
 * copy, judged on its reports, and every member's, judged on the summaries, read alike.
 */
const SHARED_FAILING_DATA: {
  description: string;
  project: (demo: Project) => Project;
  summaries: (shared: ReportSummary[]) => ReportSummary[];
  expected: (
    local: ReturnType<typeof assessReadiness>['board'],
  ) => Partial<ReturnType<typeof assessReadiness>['board']>;
  line?: string;
}[] = [
  {
    description: 'the summaries of the runs give the failing data the whole reports give',
    project: (demo) => demo,
    summaries: (shared) => shared,
    expected: (local) => ({ dataRisks: local.dataRisks }),
    line: 'Failing data by what uses it, most often met first (cases an hour × share of records failing): phone in patients.csv (45 problems, 0.9 % of records) — 2 steps (Patient (self-service), Front desk), 11.5 cases/h;',
  },
  {
    description: 'the team’s waivers accept a problem a summary kept, as they accept a report’s',
    project: (demo) => ({
      ...demo,
      meta: { ...demo.meta, settings: { ...demo.meta.settings, waivers: [ALLERGIES_WAIVED] } },
    }),
    summaries: (shared) => shared,
    expected: (local) => ({ dataRisks: local.dataRisks }),
  },
  {
    description: 'a summary that kept none of its problems is said, not shown as nothing',
    project: (demo) => demo,
    summaries: (shared) =>
      shared.map(({ problems, ...s }) => ({ ...s, problemsLeftOut: problems?.length ?? 0 })),
    expected: () => ({
      dataLeftOut: [
        { dataset: 'encounters.csv', problems: 20 },
        { dataset: 'patients.csv', problems: 20 },
      ],
    }),
    line: "Failing data not traced for encounters.csv (20 problems) and patients.csv (20 problems): the latest run's shared summary had too many problems to keep them",
  },
  {
    description: 'a summary shared before summaries kept problems is said, with the check to run again',
    project: (demo) => demo,
    summaries: (shared) => shared.map(({ problems: _problems, ...s }) => s),
    expected: () => ({
      dataLeftOut: [
        { dataset: 'encounters.csv', predatesProblems: true },
        { dataset: 'patients.csv', predatesProblems: true },
      ],
    }),
    line: "Failing data not traced for encounters.csv and patients.csv: the latest run's shared summary was made before summaries kept their problems, so what fails cannot be told here; run the check again and share it.",
  },
];

describe('the failing data of a shared project, from its shared summaries', () => {
  it.each(SHARED_FAILING_DATA)('$description', ({ project, summaries, expected, line }) => {
    const copy = project(demoClinic());
    const local = assessReadiness(copy).board;
    const onServer = summaries(
      KIND_RULES['report-summary'].recordsOf(copy).map((r) => r.body as ReportSummary),
    );
    const shared = assessSharedReadiness(copy, { workflows: copy.workflows, reportSummaries: onServer });
    const { dataRisks, dataLeftOut } = shared.board;
    expect({ dataRisks, dataLeftOut }).toEqual({
      dataRisks: undefined,
      dataLeftOut: undefined,
      ...expected(local),
    });
    if (line) expect(boardLines(shared.board, shared.gates).join('\n')).toContain(line);
  });

  it('leaves a local project’s board as its reports give it', () => {
    const demo = demoClinic();
    const local = assessReadiness(demo).board;
    expect(local.dataLeftOut).toBeUndefined();
    expect(local.dataRisks?.map((r) => r.location)).toContain('allergies');
    const waived = {
      ...demo,
      meta: { ...demo.meta, settings: { ...demo.meta.settings, waivers: [ALLERGIES_WAIVED] } },
    };
    expect(assessReadiness(waived).board.dataRisks?.map((r) => r.location)).not.toContain('allergies');
  });
});

describe('forecast vs what happened on the board', () => {
  it('is absent while no go-live check kept what its log showed', () => {
    expect(assessReadiness(fixtureProject()).board.forecasts).toBeUndefined();
  });

  it('sets the go-live forecast beside the log, in the words of the clinic', () => {
    const { board, gates } = assessReadiness(observedProject());
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
        // the busiest hour: 8 patients; the nurse's 9 vitals at 4 minutes each keep her 60 % busy
        'Patients an hour: forecast 6 (100 % of normal bookings), seen 8 in the busiest hour (133.3 %) — 33.3 % over the forecast; 5 on average (83.3 %).',
        'Staff speed: assumed (the workflow states none) 70 % of normal, seen 75 % — 5 points faster.',
        'Time per patient: forecast 11.8 min, seen 12 min — 1.8 % over the forecast.',
        'Nurse (1 on shift, 2 people in the log): forecast 42.9 % busy, seen 60 % in the busiest hour — 17.1 points busier (40 % over the forecast); 33.4 % on average; speed 75 % of normal (assumed 70 %).',
      ],
      notCompared: ['Front desk: the workflow plans no staff time for this role.'],
    });
    // the CLI and the printed pack print the same words under the board
    const lines = boardLines(board, gates);
    expect(lines.slice(-2)).toEqual(forecastLines(board.forecasts ?? []));
    expect(lines.at(-2)).toMatch(
      /^Forecast vs what happened after go-live\. The forecast is for the busiest hour/,
    );
    expect(lines.at(-1)).toContain(
      '\n    Not compared — Front desk: the workflow plans no staff time for this role.',
    );
  });

  it('compares a check kept before the busiest hour was recorded with the average, and says so', () => {
    const { peak: _, ...older } = OBSERVED;
    const [forecast] = assessReadiness(observedProject(undefined, older)).board.forecasts ?? [];
    expect(forecast && forecastWords(forecast)).toMatchObject({
      lines: [
        'Patients an hour: forecast 6 (100 % of normal bookings), seen 5 (83.3 %) — 16.7 % under the forecast.',
        'Staff speed: assumed (the workflow states none) 70 % of normal, seen 75 % — 5 points faster.',
        'Time per patient: forecast 11.8 min, seen 12 min — 1.8 % over the forecast.',
        'Nurse (1 on shift, 2 people in the log): forecast 42.9 % busy, seen 33.4 % — 9.5 points less busy (22.2 % under the forecast); speed 75 % of normal (assumed 70 %).',
      ],
      notCompared: [
        'The busiest hour: this check was kept before the busiest hour was recorded, so every figure is the average over the hours worked, which quiet hours pull down. Check the log again to compare the busiest hour.',
        'Front desk: the workflow plans no staff time for this role.',
      ],
    });
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
