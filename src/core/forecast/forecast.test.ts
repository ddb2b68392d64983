import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../formats/workflow.ts';
import {
  createEventLogBuilder,
  EVENT_KIND,
  type LogEventInput,
  ProblemList,
} from '../workflow/eventlog/index.ts';
import { flow, goLiveMetrics, step, workflow } from '../workflow/index.ts';
import { checkForecast, compareForecast, figure, MIN_CASES, MIN_TIMED, observeGoLive } from './index.ts';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;

/**
 * Front desk (1 on shift) checks in for 4 minutes, nurses (2) take vitals for 6, the doctor (1)
 * consults for 10; the patient fills in a kiosk form. Peak 6 an hour; go-live at half the
 * bookings and 80 % speed.
 */
const clinic: Workflow = {
  ...workflow(
    [
      { id: 'desk', name: 'Front desk', staff: 1 },
      { id: 'nurse', name: 'Nurse', staff: 2 },
      { id: 'doctor', name: 'Doctor', staff: 1 },
      { id: 'patient', name: 'Patient', staff: 0 },
    ],
    [
      step('arrive', 'desk', 0, { kind: 'start' }),
      step('checkin', 'desk', 4),
      step('kiosk', 'patient', 3),
      step('vitals', 'nurse', 6),
      step('consult', 'doctor', 10),
      step('done', 'doctor', 0, { kind: 'end' }),
    ],
    [
      flow('arrive', 'checkin'),
      flow('checkin', 'kiosk'),
      flow('kiosk', 'vitals'),
      flow('vitals', 'consult'),
      flow('consult', 'done'),
    ],
    6,
  ),
  state: 'future',
  goLive: { capacityFactor: 0.5, productivityFactor: 0.8 },
};

function logOf(events: LogEventInput[]) {
  const builder = createEventLogBuilder();
  for (const e of events) builder.add(e);
  return builder.finish(new ProblemList());
}

/** One instance with a start and a completion. */
function timed(
  caseId: string,
  activity: string,
  at: number,
  minutes: number,
  resource?: string,
): LogEventInput {
  return {
    row: 0,
    caseId,
    activity,
    kind: EVENT_KIND.instance,
    time: at,
    complete: at + minutes * MIN,
    timed: true,
    ...(resource ? { resource } : {}),
  };
}

/**
 * Ten cases, one every 20 minutes from 08:00: check-in 5 min by the one desk clerk, vitals 8 min
 * by N1 or N2 ten minutes later; one case calls the lab (a workaround). The doctor's consult is
 * not logged. Starts fall at 0…190 minutes: four clock hours.
 */
function goLiveWeek(cases = 10): LogEventInput[] {
  return Array.from({ length: cases }, (_, c) => {
    const at = T0 + c * 20 * MIN;
    const id = `case-${String(c).padStart(2, '0')}`;
    return [
      timed(id, 'checkin', at, 5, 'D1'),
      timed(id, 'vitals', at + 10 * MIN, 8, c % 2 === 0 ? 'N1' : 'N2'),
      ...(c === 3 ? [timed(id, 'Call lab', at + 6 * MIN, 1)] : []),
    ];
  }).flat();
}

describe('observeGoLive', () => {
  it('counts occurrences, timed minutes and people per lane, the active hours and the case time', () => {
    expect(observeGoLive(logOf(goLiveWeek()), clinic)).toEqual({
      cases: 10,
      activeHours: 4,
      meanCaseMin: 18,
      lanes: {
        desk: { instances: 10, timed: 10, touchMin: 50, designedTouchMin: 40, people: 1 },
        nurse: { instances: 10, timed: 10, touchMin: 80, designedTouchMin: 60, people: 2 },
      },
      // 08:00, 09:00 and 10:00 each see three patients start: the earliest is the busiest
      peak: { cases: 3, lanes: { desk: { instances: 3 }, nurse: { instances: 3 } } },
    });
  });

  it('finds the busiest hour by the cases that start in it, with the steps started in that hour', () => {
    // four more patients start between 10:05 and 10:50; their vitals at 10:15 … 11:00
    const rush = Array.from({ length: 4 }, (_, k) => {
      const at = T0 + (125 + k * 15) * MIN;
      return [
        timed(`rush-${k}`, 'checkin', at, 5, 'D1'),
        timed(`rush-${k}`, 'vitals', at + 10 * MIN, 8, 'N1'),
      ];
    }).flat();
    const seen = observeGoLive(logOf([...goLiveWeek(), ...rush]), clinic);
    expect(seen.activeHours).toBe(4);
    // 10:00 has its own three and the four: seven patients; the last rush vitals start at 11:00
    expect(seen.peak).toEqual({ cases: 7, lanes: { desk: { instances: 7 }, nurse: { instances: 6 } } });
  });

  it('measures no staff time in a log of one time per event', () => {
    const atomic = goLiveWeek().map(({ complete, timed: _, ...e }) => ({ ...e, time: complete ?? e.time }));
    expect(observeGoLive(logOf(atomic), clinic).lanes).toEqual({
      desk: { instances: 10, timed: 0, touchMin: 0, designedTouchMin: 0, people: 1 },
      nurse: { instances: 10, timed: 0, touchMin: 0, designedTouchMin: 0, people: 2 },
    });
  });

  it('attributes an activity to its step through the check’s activity map, as conformance does', () => {
    const renamed = goLiveWeek().map((e) => (e.activity === 'vitals' ? { ...e, activity: 'Obs taken' } : e));
    expect(observeGoLive(logOf(renamed), clinic).lanes.nurse).toBeUndefined();
    expect(
      observeGoLive(logOf(renamed), clinic, { activityMap: { 'Obs taken': 'vitals' } }).lanes.nurse,
    ).toEqual({
      instances: 10,
      timed: 10,
      touchMin: 80,
      designedTouchMin: 60,
      people: 2,
    });
  });

  it('does not depend on the order of the rows (property; replay with the printed seed)', () => {
    const events = goLiveWeek();
    const expected = observeGoLive(logOf(events), clinic);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        expect(observeGoLive(logOf(shuffled), clinic)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });
});

describe('compareForecast', () => {
  const result = checkForecast(clinic, logOf(goLiveWeek()), {});

  it('sets patients per hour, bookings kept, staff speed and time per case beside the forecast', () => {
    const forecast = goLiveMetrics(clinic);
    if (!forecast.ok) throw new Error('the clinic has a forecast');
    expect(result).toMatchObject({
      cases: 10,
      activeHours: 4,
      typed: true,
      // 6 an hour at half the bookings; 10 cases in 4 hours
      casesPerHour: { forecast: 3, observed: 2.5, difference: -0.5, relative: -0.5 / 3 },
      capacityFactor: figure(0.5, 2.5 / 6),
      // 100 planned minutes took 130
      productivityFactor: figure(0.8, 100 / 130),
      cycleMin: figure(forecast.metrics.cycleMin, 18),
      // the busiest hour: three patients, as forecast
      peak: { cases: 3, casesPerHour: figure(3, 3), capacityFactor: figure(0.5, 3 / 6) },
    });
  });

  it('gives each staffed role its load, share busy and speed, and says which it could not compare', () => {
    expect(result.roles).toEqual([
      {
        laneId: 'desk',
        role: 'Front desk',
        staff: 1,
        people: 1,
        occurrences: 10,
        // forecast 3 an hour × 4 / 0.8 min; seen 2.5 an hour × 5 min
        load: figure(0.25, (2.5 * 5) / 60),
        utilisation: figure(0.25, (2.5 * 5) / 60),
        // three check-ins started in the busiest hour, 5 minutes each on average
        peakLoad: figure(0.25, (3 * 5) / 60),
        peakUtilisation: figure(0.25, (3 * 5) / 60),
        productivity: figure(0.8, 0.8),
      },
      {
        laneId: 'nurse',
        role: 'Nurse',
        staff: 2,
        people: 2,
        occurrences: 10,
        load: figure(0.375, (2.5 * 8) / 60),
        utilisation: figure(0.1875, (2.5 * 8) / 60 / 2),
        peakLoad: figure(0.375, (3 * 8) / 60),
        peakUtilisation: figure(0.1875, (3 * 8) / 60 / 2),
        productivity: figure(0.8, 0.75),
      },
      {
        laneId: 'doctor',
        role: 'Doctor',
        staff: 1,
        people: 0,
        occurrences: 0,
        load: null,
        utilisation: null,
        peakLoad: null,
        peakUtilisation: null,
        productivity: null,
      },
    ]);
    expect(result.notCompared).toEqual([
      { subject: 'Doctor', reason: 'none of this role’s steps is in the log.' },
    ]);
  });

  it('compares nothing under the fewest cases, and says so', () => {
    const few = checkForecast(clinic, logOf(goLiveWeek(MIN_CASES - 1)));
    expect(few).toMatchObject({ casesPerHour: null, productivityFactor: null, cycleMin: null });
    expect(few.roles.every((r) => r.load === null && r.productivity === null)).toBe(true);
    expect(few.notCompared).toEqual([
      {
        subject: 'Every figure',
        reason: `the log has ${MIN_CASES - 1} cases, fewer than ${MIN_CASES}: one long visit would swing every figure.`,
      },
    ]);
  });

  it('says when no staff time was measured, and still compares patients per hour', () => {
    const atomic = goLiveWeek().map(({ complete, timed: _, ...e }) => ({ ...e, time: complete ?? e.time }));
    const seen = checkForecast(clinic, logOf(atomic));
    expect(seen.casesPerHour?.forecast).toBe(3);
    expect(seen.productivityFactor).toBeNull();
    expect(seen.roles.map((r) => r.utilisation)).toEqual([null, null, null]);
    expect(seen.notCompared.map((n) => n.subject)).toEqual([
      'Staff speed and how busy each role was',
      'Doctor',
    ]);
  });

  it(`leaves a role with fewer than ${MIN_TIMED} timed steps out of the load and the speed`, () => {
    const observed = observeGoLive(logOf(goLiveWeek()), clinic);
    const nurse = { ...observed.lanes.nurse, timed: MIN_TIMED - 1 } as (typeof observed.lanes)[string];
    const compared = compareForecast(clinic, { ...observed, lanes: { ...observed.lanes, nurse } });
    expect(compared.roles[1]?.utilisation).toBeNull();
    expect(compared.notCompared[0]).toEqual({
      subject: 'Nurse',
      reason: `only ${MIN_TIMED - 1} of its steps have a measured staff time, fewer than ${MIN_TIMED}.`,
    });
    // the speed overall is the desk's alone
    expect(compared.productivityFactor).toEqual(figure(0.8, 0.8));
  });

  it('compares with the default go-live speed when the workflow states none, and says it was assumed', () => {
    const { goLive: _, ...untyped } = clinic;
    const seen = checkForecast(untyped, logOf(goLiveWeek()));
    expect(seen.typed).toBe(false);
    expect(seen.productivityFactor?.forecast).toBe(0.7);
    expect(seen.casesPerHour?.forecast).toBe(6);
  });

  it('compares an observation kept before the busiest hour with the average alone, and says so', () => {
    const { peak: _, ...older } = observeGoLive(logOf(goLiveWeek()), clinic);
    const seen = compareForecast(clinic, older);
    expect(seen.peak).toBeNull();
    expect(seen.roles.map((r) => r.peakUtilisation)).toEqual([null, null, null]);
    // the average figures are as they were
    expect(seen.casesPerHour).toEqual(result.casesPerHour);
    expect(seen.roles.map((r) => r.utilisation)).toEqual(result.roles.map((r) => r.utilisation));
    expect(seen.notCompared[0]).toEqual({
      subject: 'The busiest hour',
      reason:
        'this check was kept before the busiest hour was recorded, so every figure is the average over the hours worked, which quiet hours pull down. Check the log again to compare the busiest hour.',
    });
  });

  it('has no relative difference for a forecast of 0', () => {
    expect(figure(0, 2)).toEqual({ forecast: 0, observed: 2, difference: 2, relative: null });
  });
});
