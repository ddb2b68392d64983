/**
 * The drift report: a conformance result (src/core/workflow/eventlog/conform.ts) turned into what
 * a practice manager reads — a few sentences, one row per designed step, one row per extra
 * activity — and the steps to highlight on the workflow's step list (the drift overlay).
 *
 * Pure and without React, so the sentences are tested as data. Activity names come from the log
 * (what staff did, e.g. "Print form"), never patient content: discovery and conformance keep no
 * cell values but case ids, and case ids are never shown.
 */
import {
  BEFORE_START,
  type ConformanceResult,
  DEFAULT_SLOWER_TOLERANCE,
  isSlowerThanDesigned,
  readingTexts,
  slowerToleranceText,
} from '../../../core/workflow/eventlog/index.ts';
import { listWords } from '../../../formats/listWords.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';

const PERCENT = 100;
/** Sentences name at most this many steps or activities each; the tables list all. */
const MAX_NAMED = 3;

/** One designed step in the report. */
interface DriftStepRow {
  stepId: string;
  label: string;
  /** cases that skipped it */
  skipped: number;
  /** cases that entered its data more than once */
  repeated: number;
  /** times it took longer than designed */
  slower: number;
  designedTouchMin: number;
  designedWaitMin: number;
  /** measured medians, when the log timed the step */
  touchMedianMin?: number;
  waitMedianMin?: number;
  /** the step shows drift (skipped, repeated or slower) */
  drift: boolean;
}

/** One activity the design does not explain. */
interface DriftExtraRow {
  activity: string;
  times: number;
  /** the design has no such step at all: a workaround */
  workaround: boolean;
  /** the step after which it happened most often (label), or "before the first step" */
  mostlyAfter: string | undefined;
}

/** The whole report. */
interface DriftReport {
  sentences: string[];
  steps: DriftStepRow[];
  extras: DriftExtraRow[];
  /** step ids to highlight (the drift overlay) */
  highlighted: Set<string>;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * PERCENT) : 0);
const quote = (name: string) => `“${name}”`;
const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const cases = (n: number) => plural(n, 'case');

/** Builds the report of `result`, checked against `workflow`. */
export function driftReport(result: ConformanceResult, workflow: Workflow): DriftReport {
  const labelOf = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const steps: DriftStepRow[] = workflow.steps
    .filter((s) => s.kind !== 'start' && s.kind !== 'end')
    .map((s) => {
      const t = result.times[s.id];
      const skipped = result.skipped[s.id] ?? 0;
      const repeated = result.repeatedEntry[s.id] ?? 0;
      const slower = t?.slower ?? 0;
      return {
        stepId: s.id,
        label: s.label,
        skipped,
        repeated,
        slower,
        designedTouchMin: t?.designedTouchMin ?? s.touchMin,
        designedWaitMin: t?.designedWaitMin ?? s.waitMin,
        ...(t?.touch ? { touchMedianMin: t.touch.medianMin } : {}),
        ...(t?.wait ? { waitMedianMin: t.wait.medianMin } : {}),
        drift:
          skipped > 0 ||
          repeated > 0 ||
          (t !== undefined && isSlowerThanDesigned(t, result.slowerTolerance ?? DEFAULT_SLOWER_TOLERANCE)),
      };
    });
  const extras: DriftExtraRow[] = Object.entries(result.inserted)
    .map(([activity, n]) => {
      let best: string | undefined;
      let bestCount = 0;
      for (const [after, byActivity] of Object.entries(result.insertedAfter)) {
        const count = byActivity[activity] ?? 0;
        if (count > bestCount) {
          bestCount = count;
          best = after === BEFORE_START ? 'before the first step' : labelOf(after);
        }
      }
      return { activity, times: n, workaround: activity in result.workarounds, mostlyAfter: best };
    })
    .sort((a, b) => b.times - a.times || (a.activity < b.activity ? -1 : 1));

  const sentences: string[] = [];
  sentences.push(
    `Of ${cases(result.cases)} in the log, ${result.conformingCases} (${pct(result.conformingCases, result.cases)} %) followed the planned workflow exactly. Overall the log fits the design at ${Math.round(result.fitness * PERCENT)} % (100 % means every case did every planned step in a planned order and nothing else).`,
  );
  sentences.push(...readingTexts(result, labelOf, 'planned', quote));
  const skipped = steps.filter((s) => s.skipped > 0).sort((a, b) => b.skipped - a.skipped);
  if (skipped.length > 0) {
    sentences.push(
      `Steps left out: ${listWords(skipped.slice(0, MAX_NAMED).map((s) => `${quote(s.label)} in ${cases(s.skipped)}`))}${skipped.length > MAX_NAMED ? `, and ${skipped.length - MAX_NAMED} more steps` : ''}.`,
    );
  }
  const workarounds = extras.filter((e) => e.workaround);
  if (workarounds.length > 0) {
    sentences.push(
      `Staff did ${workarounds.length === 1 ? 'one thing' : `${workarounds.length} things`} the design does not have — likely workarounds: ${listWords(workarounds.slice(0, MAX_NAMED).map((e) => `${quote(e.activity)} (${times(e.times)})`))}${workarounds.length > MAX_NAMED ? ', and more' : ''}.`,
    );
  }
  const repeated = steps.filter((s) => s.repeated > 0).sort((a, b) => b.repeated - a.repeated);
  if (repeated.length > 0) {
    sentences.push(
      `The same details were entered again: ${listWords(repeated.slice(0, MAX_NAMED).map((s) => `${quote(s.label)} in ${cases(s.repeated)}`))}.`,
    );
  }
  const tolerance = result.slowerTolerance ?? DEFAULT_SLOWER_TOLERANCE;
  const slowStep = (s: DriftStepRow) => {
    const t = result.times[s.stepId];
    return t !== undefined && isSlowerThanDesigned(t, tolerance);
  };
  const slow = steps.filter(slowStep).sort((a, b) => b.slower - a.slower);
  if (slow.length > 0) {
    sentences.push(
      `Slower than planned (the ${slowerToleranceText(tolerance, 'planned')}): ${listWords(
        slow
          .slice(0, MAX_NAMED)
          .map(
            (s) =>
              `${quote(s.label)} (typically ${formatMinutes(s.touchMedianMin)} against ${formatMinutes(s.designedTouchMin)} planned; ${times(s.slower)} beyond it)`,
          ),
      )}.`,
    );
  }
  const longVisits = steps.filter((s) => s.slower > 0 && !slowStep(s)).sort((a, b) => b.slower - a.slower);
  if (longVisits.length > 0) {
    sentences.push(
      `Some visits ran more than ${Math.round(tolerance * 100)} % over the planned staff time, while the step typically takes about the planned time: ${listWords(
        longVisits.slice(0, MAX_NAMED).map((s) => `${quote(s.label)} (${times(s.slower)})`),
      )}.`,
    );
  }
  if (result.unalignedCases > 0) {
    sentences.push(
      `${cases(result.unalignedCases)} had too many entries to compare step by step and are left out of the figures.`,
    );
  }
  if (
    skipped.length === 0 &&
    extras.length === 0 &&
    slow.length === 0 &&
    longVisits.length === 0 &&
    result.cases > 0
  ) {
    sentences.push('No drift: staff work the way the workflow was designed.');
  }
  return {
    sentences,
    steps,
    extras,
    highlighted: new Set(steps.filter((s) => s.drift).map((s) => s.stepId)),
  };
}

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 1440;
/** Above this many minutes a duration reads in hours, above this many hours in days. */
const SHOW_HOURS_FROM_MIN = 120;
const SHOW_DAYS_FROM_MIN = 2 * MINUTES_PER_DAY;

/** A duration for reading: "4.5 min", "12 min", "3.2 h", "2.5 days"; "—" when not measured. */
export function formatMinutes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const oneDecimal = (x: number) => Math.round(x * 10) / 10;
  if (value >= SHOW_DAYS_FROM_MIN) return `${oneDecimal(value / MINUTES_PER_DAY)} days`;
  if (value >= SHOW_HOURS_FROM_MIN) return `${oneDecimal(value / MINUTES_PER_HOUR)} h`;
  return value < 10 ? `${oneDecimal(value)} min` : `${Math.round(value)} min`;
}

/** A share for reading: "52 %", "under 1 %" (never a misleading "0 %" for something that happens). */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.005) return 'under 1 %';
  return `${Math.round(share * PERCENT)} %`;
}
