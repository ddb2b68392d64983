import { useId, useState } from 'react';
import type { CapacityStudy } from '../../../core/workflow/capacity.ts';
import { DEFAULT_CAPACITY_SEED } from '../../../core/workflow/capacity.ts';
import { goLiveSettingsOf } from '../../../core/workflow/goLive.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { formatCount, plural } from '../../common/format.ts';
import { NumberField } from '../../common/NumberField.tsx';
import { TableScroll } from '../../common/TableScroll.tsx';
import { BarChart, type BarGroup } from './BarChart.tsx';
import { capacityOutcome, useCapacityStudy } from './useCapacityStudy.ts';

const PERCENT = 100;
/** Charts end at this utilisation unless a value is higher: room to see 85 % and 100 % clearly. */
const CHART_MIN_MAX_UTILISATION = 1.2;

function percent(value: number | null): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return 'no limit';
  return `${Math.round(value * PERCENT)} %`;
}

function minutes(value: number): string {
  if (!Number.isFinite(value)) return 'grows all day';
  return value < 10 ? `${value.toFixed(1)} min` : `${formatCount(Math.round(value))} min`;
}

/** The sentence a practice manager acts on: can the clinic keep up, and what cut keeps it safe. */
function verdict(study: CapacityStudy, laneName: (id: string) => string): string[] {
  const { scheduleCut, goLiveWeeks, options } = study;
  const week1 = goLiveWeeks[0]?.result;
  const over = week1?.lanes.filter((l) => l.utilisation !== null && l.utilisation >= options.limit) ?? [];
  const lines: string[] = [];
  if (over.length === 0) {
    lines.push(
      `In go-live week 1 every role stays under ${percent(options.limit)} busy at the planned bookings (${percent(options.capacityFactor)} of normal).`,
    );
  } else {
    lines.push(
      `In go-live week 1, ${over.map((l) => `${laneName(l.laneId)} (${percent(l.utilisation)} busy)`).join(', ')} ${over.length === 1 ? 'is' : 'are'} at or over ${percent(options.limit)}: queues build and patients wait.`,
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
}: {
  /** the address of this panel: where the header's note of a finished study leads */
  href: string;
  workflow: Workflow;
  /** saves an edited workflow (arrivals, staff, go-live settings); absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const { ready, job, start, cancel } = useCapacityStudy(workflow.id, href);
  const [weeks, setWeeks] = useState(4);
  const [seed, setSeed] = useState(DEFAULT_CAPACITY_SEED);
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
        staff working slower on the new system, recovering week by week. The same seed always gives the same
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
        </div>
      </fieldset>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!ready || running}
          onClick={() => start(workflow, { seed, weeks })}
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
  const maxUtilisation = Math.max(
    CHART_MIN_MAX_UTILISATION,
    ...study.peak.lanes.map((l) => l.utilisation ?? 0),
    ...weeks.flatMap((w) => w.result.lanes.map((l) => l.utilisation ?? 0)),
  );
  const limit = study.options.limit;
  const utilisationGroups: BarGroup[] = queuedLanes.map((lane) => {
    const simulatedPeak = study.peak.lanes.find((l) => l.laneId === lane.laneId)?.utilisation ?? 0;
    return {
      name: lane.name,
      bars: [
        {
          series: 'Peak day',
          value: simulatedPeak,
          label: percent(simulatedPeak),
          alert: simulatedPeak >= limit,
        },
        ...weeks.map((w) => {
          const u = w.result.lanes.find((l) => l.laneId === lane.laneId)?.utilisation ?? 0;
          return { series: `Go-live week ${w.week}`, value: u, label: percent(u), alert: u >= limit };
        }),
      ],
    };
  });
  const maxWait = Math.max(
    1,
    ...study.peak.lanes.map((l) => l.p90WaitMin),
    ...(weeks[0]?.result.lanes.map((l) => l.p90WaitMin) ?? []),
  );
  const waitGroups: BarGroup[] = queuedLanes.map((lane) => {
    const peak = study.peak.lanes.find((l) => l.laneId === lane.laneId);
    const week1 = weeks[0]?.result.lanes.find((l) => l.laneId === lane.laneId);
    return {
      name: lane.name,
      bars: [
        {
          series: 'Peak day: average',
          value: peak?.meanWaitMin ?? 0,
          label: minutes(peak?.meanWaitMin ?? 0),
        },
        {
          series: 'Peak day: 9 in 10 wait less than',
          value: peak?.p90WaitMin ?? 0,
          label: minutes(peak?.p90WaitMin ?? 0),
        },
        {
          series: 'Week 1: average',
          value: week1?.meanWaitMin ?? 0,
          label: minutes(week1?.meanWaitMin ?? 0),
        },
        {
          series: 'Week 1: 9 in 10 wait less than',
          value: week1?.p90WaitMin ?? 0,
          label: minutes(week1?.p90WaitMin ?? 0),
        },
      ],
    };
  });
  return (
    <section className="capacity-result" aria-label="Simulation result">
      <ul className="verdict">
        {verdict(study, laneName).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {study.peak.truncated && (
        <p className="error">
          The simulation stopped early at its safety limit; the numbers cover only part of the day.
        </p>
      )}
      <BarChart
        caption="How busy each role is (share of its staff's time)"
        groups={utilisationGroups}
        max={maxUtilisation}
        references={[
          { value: limit, label: percent(limit) },
          { value: 1, label: '100 %' },
        ]}
      />
      <BarChart caption="How long work waits for each role (minutes)" groups={waitGroups} max={maxWait} />
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
              <th scope="col">Busy, week 1</th>
              <th scope="col">Average wait, week 1</th>
              <th scope="col">9 in 10 wait less than, week 1</th>
              <th scope="col">Longest queue, week 1</th>
            </tr>
          </thead>
          <tbody>
            {queuedLanes.map((lane) => {
              const peak = study.peak.lanes.find((l) => l.laneId === lane.laneId);
              const week1 = weeks[0]?.result.lanes.find((l) => l.laneId === lane.laneId);
              return (
                <tr key={lane.laneId}>
                  <th scope="row">{laneName(lane.laneId)}</th>
                  <td>{lane.staff}</td>
                  <td>{percent(lane.utilisation)}</td>
                  <td>{percent(peak?.utilisation ?? null)}</td>
                  <td>{minutes(peak?.meanWaitMin ?? 0)}</td>
                  <td>{percent(week1?.utilisation ?? null)}</td>
                  <td>{minutes(week1?.meanWaitMin ?? 0)}</td>
                  <td>{minutes(week1?.p90WaitMin ?? 0)}</td>
                  <td>{formatCount(week1?.maxQueueLength ?? 0)} waiting</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <p className="field-hint">
        {plural(study.peak.casesArrived, 'patient')} over {plural(study.options.peakDays, 'peak day')}; seed{' '}
        {study.options.seed}. Task times vary at random around their average, as in the standard queueing
        formula (Erlang C); real tasks usually vary less, so the waits shown err on the side of caution.
      </p>
    </section>
  );
}
