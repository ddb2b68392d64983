import { useId, useMemo, useState } from 'react';
import { HELD_CAUSES, keptHandoffWaits, waitSaving } from '../../../core/workflow/waits/index.ts';
import type { ObservedWaitCause, Workflow } from '../../../formats/workflow.ts';
import { formatCount } from '../../common/format.ts';

/** What taking each carried cause away means at the clinic, as the choice reads. */
const CHOICES: Record<ObservedWaitCause, string> = {
  batching: 'Release the work as it comes, not in batches',
  unavailability: 'Cover the step at every hour cases wait for it today',
  prioritization: '',
  contention: '',
  extraneous: '',
};

const hours = (h: number) => `${h < 0.1 ? h.toFixed(2) : h.toFixed(1)} h`;

/**
 * The go-live what-if for waits the plan keeps from today (`kept-handoff-wait`): the hand-offs
 * where today's event log held cases in batches or outside working hours, and the waiting saved
 * per case and per day when a cause is taken away. Shown only when the baseline carries a
 * measured split (a workflow discovered from a log, or measured on one); the figures are the
 * core's `waitSaving`, the same as `workflow analyze --remove-wait-cause`.
 */
export function KeptWaitsWhatIf({
  workflow,
  baseline,
  waitFloorMin,
}: {
  workflow: Workflow;
  baseline: Workflow;
  /** the project's floor for a wait worth a finding (minutes per case) */
  waitFloorMin: number;
}) {
  const legendId = useId();
  const kept = useMemo(
    () => keptHandoffWaits(workflow, baseline, waitFloorMin),
    [workflow, baseline, waitFloorMin],
  );
  const [removed, setRemoved] = useState<ObservedWaitCause[]>([]);
  if (kept.length === 0) return null;
  const saving = waitSaving(workflow, baseline, removed, waitFloorMin);
  const toggle = (cause: ObservedWaitCause, on: boolean) =>
    setRemoved((now) => (on ? [...now, cause] : now.filter((c) => c !== cause)));
  return (
    <fieldset className="scenario" aria-labelledby={legendId}>
      <legend id={legendId}>Waiting the plan keeps from today’s log</legend>
      <ul>
        {kept.map((k) => (
          <li key={k.step.id}>
            {k.step.label}: today cases wait {hours(k.causes.waitingHours)} per case at the hand-off from{' '}
            {k.senders.join(' and ')} to {k.role}, {hours(k.causes.hours.batching)} of it for a batch and{' '}
            {hours(k.causes.hours.unavailability)} outside working hours.
          </li>
        ))}
      </ul>
      {HELD_CAUSES.map((cause) => (
        <div key={cause} className="checkbox-field">
          <input
            id={`${legendId}-${cause}`}
            type="checkbox"
            checked={removed.includes(cause)}
            onChange={(e) => toggle(cause, e.currentTarget.checked)}
          />
          <label htmlFor={`${legendId}-${cause}`}>{CHOICES[cause]}</label>
        </div>
      ))}
      <p role="status">
        {saving.removed.length === 0
          ? 'Choose what would change to see the waiting it saves.'
          : `Saves ${hours(saving.savedHoursPerCase)} of waiting per case, ${hours(saving.savedHoursPerDay)} a day over ${formatCount(Math.round(saving.casesPerDay))} cases.`}
      </p>
    </fieldset>
  );
}
