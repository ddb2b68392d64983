/**
 * The drift overlay: a go-live check's conformance result (core/workflow/eventlog/conform.ts) as
 * marks drawn over the planned workflow's canvas — per step, how many cases skipped it and the
 * measured against the planned staff and wait times (medians, with how many were measured); per
 * workaround (an activity the design does not have), a mark beside the step it was done after.
 *
 * Constraints:
 * - A view only: nothing here changes the workflow document. The marks are derived from the
 *   result and the workflow as it is now; a step removed since the check has no mark, and a
 *   workaround after such a step is counted in `unplaced` rather than drawn in the wrong place.
 * - Words for clinic staff, never colour alone: every mark carries its text, and `spoken` is what
 *   a screen reader hears for a step (appended to the step's name on the canvas).
 * - Activity names come from the log (what staff did, e.g. "Print form"), never patient content:
 *   conformance keeps no cell values but case ids, and case ids are never shown.
 */
import { BEFORE_START, type ConformanceResult } from '../../../core/workflow/eventlog/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { formatMinutes, formatShare } from '../eventlog/driftReport.ts';

/** Workaround marks drawn per step; the rest are summed into the step's "more" count. */
export const MAX_WORKAROUNDS_PER_STEP = 3;

/** A measured time next to the planned one. */
export interface MeasuredTime {
  /** median of the log, minutes */
  medianMin: number;
  /** how many occurrences were measured */
  n: number;
  /** the planned minutes of the step */
  plannedMin: number;
}

/** One line of a step's drift card. */
export interface DriftLine {
  kind: 'skipped' | 'again' | 'touch' | 'wait';
  /** the words shown */
  text: string;
  /** true when the line is drift (skipped, entered again, or slower than planned) */
  drift: boolean;
}

/** The overlay of one planned step. */
export interface StepDrift {
  skippedCases: number;
  /** skipped cases over the cases compared step by step, 0…1 */
  skippedShare: number;
  /** cases that entered the step's data more than once */
  againCases: number;
  touch?: MeasuredTime;
  wait?: MeasuredTime;
  /** the card's lines, in reading order */
  lines: DriftLine[];
  /** workarounds done after this step beyond the ones drawn */
  moreWorkarounds: number;
  /** what a screen reader hears after the step's name */
  spoken: string;
  /** any line is drift */
  drift: boolean;
}

/** A workaround drawn beside the step it was done after. */
export interface WorkaroundMark {
  /** unique among the marks: `drift:<step id>:<activity>` */
  id: string;
  afterStepId: string;
  /** its place among the marks of that step, 0 nearest the step */
  slot: number;
  activity: string;
  /** occurrences after that step */
  times: number;
  /** the words shown and heard */
  text: string;
}

/** Everything the canvas draws for one check. */
export interface DriftOverlay {
  /** cases compared step by step (the denominator of the shares) */
  comparedCases: number;
  steps: ReadonlyMap<string, StepDrift>;
  workarounds: WorkaroundMark[];
  /** workaround occurrences after steps the workflow no longer has (edited since the check) */
  unplaced: number;
}

const times = (n: number) => (n === 1 ? 'once' : `${n.toLocaleString('en-US')} times`);
const casesText = (n: number) => plural(n, 'case');

/** Measured slower than planned: above the planned minutes by more than rounding (planned 0 is not judged). */
function slowerThanPlanned(t: MeasuredTime): boolean {
  return t.plannedMin > 0 && t.medianMin > t.plannedMin * 1.05;
}

function timeLine(kind: 'touch' | 'wait', t: MeasuredTime): DriftLine {
  const what = kind === 'touch' ? 'Staff time' : 'Wait before';
  return {
    kind,
    text: `${what} ${formatMinutes(t.medianMin)}, planned ${formatMinutes(t.plannedMin)} (${t.n.toLocaleString('en-US')} measured)`,
    drift: slowerThanPlanned(t),
  };
}

/** Builds the overlay of `result` on `workflow` (see the file header). */
export function driftOverlay(result: ConformanceResult, workflow: Workflow): DriftOverlay {
  const compared = Math.max(0, result.cases - result.unalignedCases);
  const stepIds = new Set(workflow.steps.map((s) => s.id));
  const startId = workflow.steps.find((s) => s.kind === 'start')?.id;

  // workarounds by the step they followed; the largest nearest the step
  const byStep = new Map<string, Array<{ activity: string; times: number }>>();
  let unplaced = 0;
  for (const [after, byActivity] of Object.entries(result.insertedAfter)) {
    const stepId = after === BEFORE_START ? startId : after;
    for (const [activity, count] of Object.entries(byActivity)) {
      if (!(activity in result.workarounds) || count <= 0) continue;
      if (stepId === undefined || !stepIds.has(stepId)) {
        unplaced += count;
        continue;
      }
      byStep.set(stepId, [...(byStep.get(stepId) ?? []), { activity, times: count }]);
    }
  }
  const workarounds: WorkaroundMark[] = [];
  const more = new Map<string, number>();
  for (const [stepId, list] of byStep) {
    list.sort((a, b) => b.times - a.times || (a.activity < b.activity ? -1 : 1));
    list.forEach((w, slot) => {
      if (slot >= MAX_WORKAROUNDS_PER_STEP) {
        more.set(stepId, (more.get(stepId) ?? 0) + w.times);
        return;
      }
      workarounds.push({
        id: `drift:${stepId}:${w.activity}`,
        afterStepId: stepId,
        slot,
        activity: w.activity,
        times: w.times,
        text: `Not in the design: “${w.activity}”, ${times(w.times)} after this step`,
      });
    });
  }

  const steps = new Map<string, StepDrift>();
  for (const step of workflow.steps) {
    const t = result.times[step.id];
    const skippedCases = result.skipped[step.id] ?? 0;
    const againCases = result.repeatedEntry[step.id] ?? 0;
    const moreWorkarounds = more.get(step.id) ?? 0;
    const touch: MeasuredTime | undefined = t?.touch
      ? { medianMin: t.touch.medianMin, n: t.touch.n, plannedMin: t.designedTouchMin }
      : undefined;
    const wait: MeasuredTime | undefined = t?.wait
      ? { medianMin: t.wait.medianMin, n: t.wait.n, plannedMin: t.designedWaitMin }
      : undefined;
    const skippedShare = compared > 0 ? skippedCases / compared : 0;
    const lines: DriftLine[] = [];
    if (skippedCases > 0)
      lines.push({
        kind: 'skipped',
        text: `Skipped in ${formatShare(skippedShare)} of cases (${casesText(skippedCases)})`,
        drift: true,
      });
    if (againCases > 0)
      lines.push({ kind: 'again', text: `Entered again in ${casesText(againCases)}`, drift: true });
    if (touch) lines.push(timeLine('touch', touch));
    if (wait) lines.push(timeLine('wait', wait));
    if (lines.length === 0 && moreWorkarounds === 0) continue;
    const spokenParts = lines.map((l) => l.text);
    if (moreWorkarounds > 0)
      spokenParts.push(`${times(moreWorkarounds)} more not in the design after this step`);
    steps.set(step.id, {
      skippedCases,
      skippedShare,
      againCases,
      ...(touch ? { touch } : {}),
      ...(wait ? { wait } : {}),
      lines,
      moreWorkarounds,
      spoken: spokenParts.join('; '),
      drift: lines.some((l) => l.drift) || moreWorkarounds > 0,
    });
  }
  return { comparedCases: compared, steps, workarounds, unplaced };
}
