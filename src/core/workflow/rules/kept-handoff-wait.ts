/**
 * `kept-handoff-wait`: a future step that keeps a hand-off at which today's event log shows cases
 * held in batches or outside the working hours of the person who takes them over.
 *
 * Detection (waits/keptHandoffs.ts): a future step replacing a current step with a measured split
 * of its wait (`observed.waitCauses`), done by the same role and handed over from a role that
 * hands over to it today, where batching + unavailability are at least `waitFloorMin` minutes per
 * case. The finding gives those hours and their evidence (batch sizes and release times, the
 * pause that told the batches apart as found in the log, the working time found); it does not
 * read the future step's drawn wait: the habit is kept whatever the drawing expects.
 *
 * It shares the `kept-wait` root cause with `digitized-paper-step` and `carried-over-wait`: on the
 * same step they are one finding, this one adding the measured hours.
 *
 * Source: "Why am I waiting?" (Lashkevich, Milani, Chapela-Campa, Suvorau, Dumas) for the split;
 * Getting Rid of Stupid Stuff (Ashton, NEJM Catalyst 2018) for rebuilt paper habits.
 */
import type { ObservedWaitCauses } from '../../../formats/workflow.ts';
import { batchGapWords } from '../waits/batchGap.ts';
import { HELD_CAUSES, keptHandoffWaits } from '../waits/keptHandoffs.ts';
import { finding, num, percent, quoted } from './shared.ts';
import type { Finding, JsonValue, WorkflowRule } from './types.ts';

const hours = (h: number) => `${h < 0.1 ? h.toFixed(2) : h.toFixed(1)} h`;

/** "2026-01-05T16:02:11Z" → "Mon 16:02 UTC": when a batch was released, for a message. */
function released(iso: string): string {
  const d = new Date(iso);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** What the log showed, in words: the batches and the working time found. */
function evidenceWords(causes: ObservedWaitCauses): string[] {
  const said: string[] = [];
  const share = (h: number) => (causes.waitingHours > 0 ? ` (${percent(h / causes.waitingHours)})` : '');
  const b = causes.batches;
  if (causes.hours.batching > 0) {
    const sizes = b ? (b.minSize === b.maxSize ? `${b.minSize}` : `${b.minSize}–${b.maxSize}`) : '';
    said.push(
      `${hours(causes.hours.batching)}${share(causes.hours.batching)} held for a batch` +
        (b
          ? ` (${b.count} ${b.count === 1 ? 'batch' : 'batches'} of ${sizes} cases, released ${b.firstReleases.slice(0, 3).map(released).join(', ')}${b.count > 3 ? ', …' : ''}` +
            `${causes.batchGap ? `; ${batchGapWords(causes.batchGap)}` : ''})`
          : ''),
    );
  }
  if (causes.hours.unavailability > 0) {
    const calendar = causes.calendars?.[0];
    const spans = calendar?.spans.map((s) => `${s.day} ${s.from}–${s.to}`).join(', ');
    said.push(
      `${hours(causes.hours.unavailability)}${share(causes.hours.unavailability)} outside working hours` +
        (calendar && spans
          ? ` (${calendar.resource} works ${spans}, ${calendar.hoursPerWeek} h a week)`
          : ''),
    );
  }
  return said;
}

/** The `kept-handoff-wait` finding rule (detection, severity and sources in the header). */
export const keptHandoffWait: WorkflowRule = {
  id: 'kept-handoff-wait',
  severity: 'warn',
  title: 'Batched hand-off kept',
  describe:
    'Today’s event log shows cases held at this hand-off in batches or until the person who ' +
    'takes them over is in; the new design keeps the same hand-off, and a new screen keeps the ' +
    'habit: the in-basket is worked the same way. Waiting split by cause after “Why am I ' +
    'waiting?” (Lashkevich et al.); rebuilt paper habits: Getting Rid of Stupid Stuff (NEJM Catalyst 2018).',
  requires: ['baseline'],
  cause: 'kept-wait',
  detect(context) {
    if (!context.baseline) return [];
    const kept = keptHandoffWaits(
      context.workflow,
      context.baseline,
      context.settings.thresholds.waitFloorMin,
    );
    return kept.map(({ step, replaced, causes, senders, role, heldHours }): Finding => {
      const calendars: JsonValue = (causes.calendars ?? []).map((c) => ({
        resource: c.resource,
        hoursPerWeek: c.hoursPerWeek,
        spans: c.spans.map((s) => ({ day: s.day, from: s.from, to: s.to })),
      }));
      return finding(
        'kept-handoff-wait',
        context.severity,
        [step.id],
        `${quoted(step)} keeps today’s hand-off from ${senders.join(' and ')} to ${role}, where the ` +
          `event log shows cases waiting ${hours(causes.waitingHours)} per case before ${quoted(replaced)}: ` +
          `${evidenceWords(causes).join('; ')}. Work handed to one person in a queue is batched the same ` +
          'way on screen; release it as it comes, or plan who covers it (the go-live what-if shows the saving).',
        {
          replacedStepId: replaced.id,
          cases: causes.cases,
          waitingHoursPerCase: num(causes.waitingHours),
          heldHoursPerCase: num(heldHours),
          batchingHoursPerCase: num(causes.hours.batching),
          unavailabilityHoursPerCase: num(causes.hours.unavailability),
          heldCauses: [...HELD_CAUSES],
          senders,
          role,
          batches: causes.batches
            ? {
                count: causes.batches.count,
                minSize: causes.batches.minSize,
                maxSize: causes.batches.maxSize,
                meanSize: num(causes.batches.meanSize),
                firstReleases: [...causes.batches.firstReleases],
              }
            : null,
          batchGap: causes.batchGap ? { ...causes.batchGap } : null,
          calendars,
        },
      );
    });
  },
};
