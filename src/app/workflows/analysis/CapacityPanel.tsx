import { useId, useState } from 'react';
import {
  type CapacityStudy,
  DEFAULT_CAPACITY_SEED,
  DEFAULT_OPEN_HOURS,
  DEFAULT_REPLICATIONS,
  DEFAULT_WARMUP_MIN,
  goLiveSettingsOf,
  type Interval,
  isWideInterval,
  MAX_REPLICATIONS,
  MIN_REPLICATIONS,
  type SimulationIntervals,
} from '../../../core/workflow/index.ts';
import { DEFAULT_ANALYSIS_THRESHOLDS } from '../../../formats/analysisSettings.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { formatCount, plural } from '../../common/format.ts';
import { NumberField } from '../../common/NumberField.tsx';
import { TableScroll } from '../../common/TableScroll.tsx';
import { BarChart, type BarGroup } from './BarChart.tsx';
import { KeptWaitsWhatIf } from './KeptWaitsWhatIf.tsx';
import { capacityOutcome, useCapacityStudy } from './useCapacityStudy.ts';

const PERCENT = 100;
/** Charts end at this utilisation unless a value is higher: room to see 85 % and 100 % clearly. */
const CHART_MIN_MAX_UTILISATION = 1.2;
/** Uncertain figures listed by name; the rest are counted. */
const MAX_WIDE_LISTED = 6;

function percent(value: number | null): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return 'no limit';
  return `${Math.round(value * PERCENT)} %`;
}

function minutes(value: number): string {
  if (!Number.isFinite(value)) return 'grows all day';
  return value < 10 ? `${value.toFixed(1)} min` : `${formatCount(Math.round(value))} min`;
}

/** A count that is usually small (patients waiting, per hour) with one decimal. */
function decimal(value: number): string {
  return value < 10 ? value.toFixed(1) : formatCount(Math.round(value));
}

/**
 * How each kind of figure is written (its number, and its unit, if the column does not already
 * say it), and the spread below which its interval is never called wide (a ±0.5 min spread on a
 * 1-minute wait is not worth a warning).
 */
const FIGURES = {
  percent: { number: (v: number) => String(Math.round(v * PERCENT)), unit: ' %', floor: 0.05 },
  minutes: { number: decimal, unit: ' min', floor: 1 },
  count: { number: decimal, unit: '', floor: 0.5 },
} as const;
type FigureKind = keyof typeof FIGURES;

/** One value of a figure with its unit: "7.9 min", "53 %". */
function figure(value: number, kind: FigureKind): string {
  return `${FIGURES[kind].number(value)}${FIGURES[kind].unit}`;
}

/** "7.9 min (95 % CI 5.9–9.8 min)": the mean, then the range the true average lies in. */
function withInterval(interval: Interval, kind: FigureKind): string {
  const { number, unit } = FIGURES[kind];
  const low = number(Math.max(0, interval.low));
  const high = number(interval.high);
  const range = low === high ? low : `${low}–${high}`;
  return `${figure(interval.mean, kind)} (95 % CI ${range}${unit})`;
}

/** A table cell's figure: the mean, and under it its range, kept on one line. */
function FigureWithRange({ interval, kind }: { interval: Interval; kind: FigureKind }) {
  const text = withInterval(interval, kind);
  const mean = figure(interval.mean, kind);
  return (
    <>
      {mean} <span className="figure-range">{text.slice(mean.length + 1)}</span>
    </>
  );
}

/** A figure the simulation is not sure of: its interval is wide. */
interface WideFigure {
  what: string;
  interval: Interval;
  kind: FigureKind;
}

/** Every wide figure of a simulated period, named for the reader ("Physician: average wait, week 1"). */
function wideFigures(
  intervals: SimulationIntervals,
  period: string,
  laneName: (id: string) => string,
): WideFigure[] {
  const figures: WideFigure[] = [];
  const check = (what: string, interval: Interval | null, kind: FigureKind) => {
    if (interval && isWideInterval(interval, FIGURES[kind].floor)) figures.push({ what, interval, kind });
  };
  check(`patients done per hour, ${period}`, intervals.throughputPerHour, 'count');
  check(`time from arrival to done, ${period}`, intervals.meanCycleMin, 'minutes');
  for (const lane of intervals.lanes.filter((l) => l.queued)) {
    check(`${laneName(lane.laneId)}: how busy, ${period}`, lane.utilisation, 'percent');
    check(`${laneName(lane.laneId)}: average wait, ${period}`, lane.meanWaitMin, 'minutes');
  }
  return figures;
}

/** The sentence a practice manager acts on: can the clinic keep up, and what cut keeps it safe. */
function verdict(study: CapacityStudy, laneName: (id: string) => string): string[] {
  const { scheduleCut, goLiveWeeks, options } = study;
  const week1 = goLiveWeeks[0]?.intervals;
  const over =
    week1?.lanes.filter((l) => l.utilisation !== null && l.utilisation.mean >= options.limit) ?? [];
  const lines: string[] = [];
  if (over.length === 0) {
    lines.push(
      `In go-live week 1 every role stays under ${percent(options.limit)} busy at the planned bookings (${percent(options.capacityFactor)} of normal).`,
    );
  } else {
    lines.push(
      `In go-live week 1, ${over.map((l) => `${laneName(l.laneId)} (${l.utilisation ? withInterval(l.utilisation, 'percent') : '—'} busy)`).join(', ')} ${over.length === 1 ? 'is' : 'are'} at or over ${percent(options.limit)}: queues build and patients wait.`,
    );
  }
  if (scheduleCut.reduction === 0) {
    lines.push('No schedule reduction is needed to keep every role under the limit at week-one speed.');
  } else {
    const binding = scheduleCut.bindingLaneId ? laneName(scheduleCut.bindingLaneId) : 'one role';
    lines.push(
      `To keep every role at or under ${percent(options.limit)} busy at week-one speed, book at most ${percent(scheduleCut.bookingsFactor)} of normal appointments (a ${percent(scheduleCut.reduction)} cut; ${binding} needs it most). ` +
        (scheduleCut.plannedReduction <= 0
          ? 'The plan keeps normal bookings.'
          : scheduleCut.plannedIsEnough
            ? `The planned ${percent(scheduleCut.plannedReduction)} cut is enough.`
            : `The planned ${percent(scheduleCut.plannedReduction)} cut is not enough.`),
    );
  }
  return lines;
}

/**
 * Go-live capacity for one workflow: the clinic's numbers (arrivals, staff per role, go-live
 * bookings and speed) are edited here and saved with the workflow; the simulation runs in a worker
 * with progress and cancel, and shows per role how busy it is and how long work waits, at peak and
 * in each go-live week, with the schedule cut that keeps go-live safe.
 */
export function CapacityPanel({
  workflow,
  href,
  onWorkflowChange,
  baseline,
  waitFloorMin = DEFAULT_ANALYSIS_THRESHOLDS.waitFloorMin,
}: {
  /** the address of this panel: where the header's note of a finished study leads */
  href: string;
  workflow: Workflow;
  /** the current workflow a planned one replaces: its measured waits feed the what-if */
  baseline?: Workflow;
  /** the project's floor for a wait worth a finding (minutes per case) */
  waitFloorMin?: number;
  /** saves an edited workflow (arrivals, staff, go-live settings); absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const { ready, job, start, cancel } = useCapacityStudy(workflow.id, href);
  const [weeks, setWeeks] = useState(4);
  const [seed, setSeed] = useState(DEFAULT_CAPACITY_SEED);
  const [replications, setReplications] = useState(DEFAULT_REPLICATIONS);
  const [warmupMin, setWarmupMin] = useState(DEFAULT_WARMUP_MIN);
  const headingId = useId();
  const goLive = goLiveSettingsOf(workflow);
  const running = job?.status === 'running';
  const outcome = capacityOutcome(job);
  const laneName = (id: string) => workflow.lanes.find((l) => l.id === id)?.name ?? id;
  const editable = onWorkflowChange !== undefined;
  const update = (patch: Partial<Workflow>) => onWorkflowChange?.({ ...workflow, ...patch });

  return (
    <section className="capacity-panel" aria-labelledby={headingId}>
      <h4 id={headingId}>Go-live capacity: {workflow.name}</h4>
      <p>
        Simulates busy clinic days at the morning peak, then the first go-live weeks with fewer bookings and
        staff working slower on the new system, recovering week by week. Every period is simulated many times
        over, so each figure comes with the range it is likely to fall in. The same seed always gives the same
        result.
      </p>
      {workflow.steps.some((s) => s.kind === 'parallel-split' || s.kind === 'inclusive-split') && (
        <p className="field-hint">
          Branches after a parallel or inclusive split run at the same time here: each queues for its own
          role, and a patient is done when the slowest branch is.
        </p>
      )}
      <fieldset className="scenario" disabled={!editable}>
        <legend>The clinic's numbers (saved with this workflow)</legend>
        <div className="field-grid">
          <NumberField
            label="Patients per hour at peak"
            value={workflow.arrivalsPerHour}
            rule={{ what: 'patients per hour', min: 0, minExclusive: true, max: 10_000 }}
            onValue={(arrivalsPerHour) => update({ arrivalsPerHour })}
          />
          <NumberField
            label="Go-live bookings (share of normal, 0–1)"
            value={goLive.capacityFactor}
            rule={{ what: 'share of normal bookings', min: 0, minExclusive: true, max: 1 }}
            onValue={(capacityFactor) => update({ goLive: { ...goLive, capacityFactor } })}
            hint="0.5 = half the usual appointments in go-live week"
          />
          <NumberField
            label="Staff speed in week 1 (share of normal, 0–1)"
            value={goLive.productivityFactor}
            rule={{ what: 'share of normal speed', min: 0, minExclusive: true, max: 1 }}
            onValue={(productivityFactor) => update({ goLive: { ...goLive, productivityFactor } })}
            hint="0.7 = every task takes about 1.4 times as long"
          />
          {workflow.lanes.map((lane) => (
            <NumberField
              key={lane.id}
              label={`Staff on shift: ${lane.name}`}
              value={lane.staff}
              step="1"
              rule={{ what: `staff on shift for ${lane.name}`, min: 0, max: 10_000, integer: true }}
              onValue={(staff) =>
                update({ lanes: workflow.lanes.map((l) => (l.id === lane.id ? { ...l, staff } : l)) })
              }
              hint={
                lane.staff === 0 ? 'Not a clinic role (no queue): the patient, an outside lab' : undefined
              }
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="scenario">
        <legend>Simulation</legend>
        <div className="field-grid">
          <NumberField
            label="Go-live weeks to simulate"
            value={weeks}
            step="1"
            rule={{ what: 'number of weeks', min: 1, max: 26, integer: true }}
            onValue={setWeeks}
          />
          <NumberField
            label="Seed"
            value={seed}
            step="1"
            rule={{ what: 'seed', min: 0, max: 4_294_967_295, integer: true }}
            onValue={setSeed}
            hint="Any whole number; the same seed gives the same result"
          />
          <NumberField
            label="Simulation runs per period"
            value={replications}
            step="1"
            rule={{
              what: 'number of simulation runs',
              min: MIN_REPLICATIONS,
              max: MAX_REPLICATIONS,
              integer: true,
            }}
            onValue={setReplications}
            hint="More runs give narrower ranges and take longer"
          />
          <NumberField
            label="Warm-up left out at the start of each day (minutes)"
            value={warmupMin}
            step="1"
            rule={{
              what: 'warm-up in minutes',
              min: 0,
              max: DEFAULT_OPEN_HOURS * 60 - 1,
              integer: true,
            }}
            onValue={setWarmupMin}
            hint="The clinic opens empty; these first minutes are not counted"
          />
        </div>
      </fieldset>
      {baseline && <KeptWaitsWhatIf workflow={workflow} baseline={baseline} waitFloorMin={waitFloorMin} />}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!ready || running}
          onClick={() => start(workflow, { seed, weeks, replications, warmupMin })}
        >
          {job ? 'Run the simulation again' : 'Run the simulation'}
        </button>
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {job?.status === 'running' && (
        <div className="progress-block">
          <progress
            max={PERCENT}
            value={job.progress?.total ? Math.floor((job.progress.done / job.progress.total) * PERCENT) : 0}
            aria-label={`Simulating ${workflow.name}`}
          />
          <p aria-live="polite">
            {job.progress
              ? `${formatCount(job.progress.done)} of ${plural(job.progress.total ?? 0, 'clinic day')} simulated`
              : 'Starting…'}
          </p>
        </div>
      )}
      {job?.status === 'cancelled' && (
        <p className="job-outcome" role="status">
          {job.message}
        </p>
      )}
      {job?.status === 'failed' && (
        <p className="error job-outcome" role="alert">
          The simulation stopped: {job.message}
        </p>
      )}
      {outcome && !outcome.ok && (
        <p className="error job-outcome" role="alert">
          {outcome.problem.message}
        </p>
      )}
      {outcome?.ok && <CapacityResult study={outcome.study} laneName={laneName} />}
    </section>
  );
}

function CapacityResult({ study, laneName }: { study: CapacityStudy; laneName: (id: string) => string }) {
  const queuedLanes = study.erlang.filter((l) => l.queued);
  const weeks = study.goLiveWeeks;
  const peak = study.peakIntervals;
  const week1 = weeks[0]?.intervals;
  const { replications, warmupMin, limit } = study.options;
  const laneOf = (intervals: SimulationIntervals | undefined, laneId: string) =>
    intervals?.lanes.find((l) => l.laneId === laneId);
  const maxUtilisation = Math.max(
    CHART_MIN_MAX_UTILISATION,
    ...peak.lanes.map((l) => l.utilisation?.mean ?? 0),
    ...weeks.flatMap((w) => w.intervals.lanes.map((l) => l.utilisation?.mean ?? 0)),
  );
  const utilisationGroups: BarGroup[] = queuedLanes.map((lane) => {
    const simulatedPeak = laneOf(peak, lane.laneId)?.utilisation?.mean ?? 0;
    return {
      id: lane.laneId,
      name: lane.name,
      bars: [
        {
          series: 'Peak day',
          value: simulatedPeak,
          label: percent(simulatedPeak),
          alert: simulatedPeak >= limit,
        },
        ...weeks.map((w) => {
          const u = laneOf(w.intervals, lane.laneId)?.utilisation?.mean ?? 0;
          return { series: `Go-live week ${w.week}`, value: u, label: percent(u), alert: u >= limit };
        }),
      ],
    };
  });
  const maxWait = Math.max(
    1,
    ...peak.lanes.map((l) => l.p90WaitMin.mean),
    ...(week1?.lanes.map((l) => l.p90WaitMin.mean) ?? []),
  );
  const waitGroups: BarGroup[] = queuedLanes.map((lane) => {
    const atPeak = laneOf(peak, lane.laneId);
    const inWeek1 = laneOf(week1, lane.laneId);
    const bar = (series: string, value: number) => ({ series, value, label: minutes(value) });
    return {
      id: lane.laneId,
      name: lane.name,
      bars: [
        bar('Peak day: average', atPeak?.meanWaitMin.mean ?? 0),
        bar('Peak day: 9 in 10 wait less than', atPeak?.p90WaitMin.mean ?? 0),
        bar('Week 1: average', inWeek1?.meanWaitMin.mean ?? 0),
        bar('Week 1: 9 in 10 wait less than', inWeek1?.p90WaitMin.mean ?? 0),
      ],
    };
  });
  const periods = [
    { name: 'Peak days', intervals: peak },
    ...weeks.map((w) => ({ name: `Go-live week ${w.week}`, intervals: w.intervals })),
  ];
  const wide = periods.flatMap((p) => wideFigures(p.intervals, p.name.toLowerCase(), laneName));
  const cell = (interval: Interval | null | undefined, kind: FigureKind) =>
    interval ? <FigureWithRange interval={interval} kind={kind} /> : '—';
  return (
    <section className="capacity-result" aria-label="Simulation result">
      <ul className="verdict">
        {verdict(study, laneName).map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: two roles may share a name, so a line can come twice; never reordered
          <li key={`${i}:${line}`}>{line}</li>
        ))}
      </ul>
      <p className="interval-note">
        Each figure is the average of {plural(replications, 'simulation run')} per period, with the first{' '}
        {plural(warmupMin, 'minute')} of every day left out while the clinic fills up (warm-up). In brackets,
        “95 % CI” is the range the true average lies in, 95 times out of 100: a narrow range is a firm figure,
        a wide one means the runs disagreed.
      </p>
      {wide.length > 0 && (
        <div className="interval-warning" role="note" aria-label="Uncertain figures">
          <p>
            {wide.length === 1 ? 'One figure is' : `${wide.length} figures are`} uncertain: the runs disagree
            too much to plan on {wide.length === 1 ? 'it' : 'them'} as they stand. Run the simulation again
            with more runs per period for a firmer answer.
          </p>
          <ul>
            {wide.slice(0, MAX_WIDE_LISTED).map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two roles may share a name, so a figure can read the same; never reordered
              <li key={`${i}:${f.what}`}>
                {f.what}: anywhere from {figure(Math.max(0, f.interval.low), f.kind)} to{' '}
                {figure(f.interval.high, f.kind)}
              </li>
            ))}
            {wide.length > MAX_WIDE_LISTED && <li>and {formatCount(wide.length - MAX_WIDE_LISTED)} more</li>}
          </ul>
        </div>
      )}
      {periods.some((p) => p.intervals.truncated) && (
        <p className="error">
          The simulation stopped early at its safety limit; the numbers cover only part of the day.
        </p>
      )}
      <BarChart
        caption="How busy each role is (share of its staff's time, average of the runs)"
        groups={utilisationGroups}
        max={maxUtilisation}
        references={[
          { value: limit, label: percent(limit) },
          { value: 1, label: '100 %' },
        ]}
      />
      <BarChart
        caption="How long work waits for each role (minutes, average of the runs)"
        groups={waitGroups}
        max={maxWait}
      />
      <TableScroll label="Simulation numbers per role">
        <table className="wide">
          <caption>Per role: Erlang C at peak, the simulated peak days and go-live week 1</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Staff</th>
              <th scope="col">Busy at peak (Erlang C)</th>
              <th scope="col">Busy, simulated peak</th>
              <th scope="col">Average wait, peak</th>
              <th scope="col">Patients waiting, peak (on average)</th>
              <th scope="col">Busy, week 1</th>
              <th scope="col">Average wait, week 1</th>
              <th scope="col">9 in 10 wait less than, week 1</th>
              <th scope="col">Longest queue, week 1 (patients)</th>
            </tr>
          </thead>
          <tbody>
            {queuedLanes.map((lane) => {
              const atPeak = laneOf(peak, lane.laneId);
              const inWeek1 = laneOf(week1, lane.laneId);
              return (
                <tr key={lane.laneId}>
                  <th scope="row">{laneName(lane.laneId)}</th>
                  <td>{lane.staff}</td>
                  <td>{percent(lane.utilisation)}</td>
                  <td>{cell(atPeak?.utilisation, 'percent')}</td>
                  <td>{cell(atPeak?.meanWaitMin, 'minutes')}</td>
                  <td>{cell(atPeak?.meanQueueLength, 'count')}</td>
                  <td>{cell(inWeek1?.utilisation, 'percent')}</td>
                  <td>{cell(inWeek1?.meanWaitMin, 'minutes')}</td>
                  <td>{cell(inWeek1?.p90WaitMin, 'minutes')}</td>
                  <td>{cell(inWeek1?.maxQueueLength, 'count')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <TableScroll label="Simulation numbers per period">
        <table className="wide">
          <caption>Per period: patients seen and time from arrival to done</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Patients done per hour</th>
              <th scope="col">Time from arrival to done (average)</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.name}</th>
                <td>{cell(p.intervals.throughputPerHour, 'count')}</td>
                <td>{cell(p.intervals.meanCycleMin, 'minutes')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="field-hint">
        {plural(replications, 'run')} of {plural(study.options.peakDays, 'peak day')} and of each go-live
        week; warm-up {plural(warmupMin, 'minute')} a day; seed {study.options.seed}. Task times vary at
        random around their average, as in the standard queueing formula (Erlang C); real tasks usually vary
        less, so the waits shown err on the side of caution.
      </p>
    </section>
  );
}
