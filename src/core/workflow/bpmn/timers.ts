/**
 * BPMN timers (`bpmn:timerEventDefinition` with `timeDuration`, `timeDate` or `timeCycle`) as the
 * wait of the step they stand for.
 *
 * A timer catch or boundary event is a wait the model states: "remind after 5 days" is 7,200
 * minutes the case spends there, and the analysis counts it in the cycle time. What can be turned
 * into minutes is:
 * - a duration in ISO 8601 (`P5D`, `PT4H`, `P1DT2H30M`, `PT1.5H`, `P2W`): exact for weeks, days,
 *   hours, minutes and seconds; years and months have no fixed length and are read as 365 and 30
 *   days, said as a choice;
 * - a cycle `R[n]/<duration>` (`R3/PT10M`, `R/P1D`): the first firing comes one period after the
 *   case arrives, so the wait is one period, said as a choice (the repetitions are not a wait of
 *   the case).
 * What cannot: a date (`2026-03-01T09:00:00Z`: the wait depends on when a case reaches the step),
 * a cycle with a start or end date or in cron syntax (Camunda 8's `0 0 9 * * MON`), and an
 * expression an engine evaluates (`=reminderDue`, `${dueDate}`, `#{due}`). Those leave the wait
 * at 0 and are said, with that effect, in the reader's account.
 *
 * The expression is kept as written (`Step.bpmn.timer`) so export writes the same timer back.
 */
import type { StepTimer } from '../../../formats/workflow.ts';

/** Minutes per unit of an ISO 8601 duration; Y and M (months) are conventions, see the header. */
const MINUTES = {
  Y: 365 * 24 * 60,
  M: 30 * 24 * 60,
  W: 7 * 24 * 60,
  D: 24 * 60,
  H: 60,
  TM: 1,
  S: 1 / 60,
} as const;

const DURATION =
  /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** A duration in minutes, and whether it used a unit of no fixed length (years, months). */
export interface DurationMinutes {
  minutes: number;
  calendar: boolean;
}

/**
 * An ISO 8601 duration (`P5D`, `PT4H`, `P1DT2H30M`) in minutes, rounded to a hundredth; undefined
 * when the text is not one. Years and months count as 365 and 30 days (`calendar` is then true).
 */
export function isoDurationMinutes(text: string): DurationMinutes | undefined {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match) return undefined;
  const [, y, mo, w, d, h, mi, s] = match;
  const parts: [string | undefined, number][] = [
    [y, MINUTES.Y],
    [mo, MINUTES.M],
    [w, MINUTES.W],
    [d, MINUTES.D],
    [h, MINUTES.H],
    [mi, MINUTES.TM],
    [s, MINUTES.S],
  ];
  let minutes = 0;
  for (const [value, per] of parts) if (value !== undefined) minutes += Number(value.replace(',', '.')) * per;
  if (!Number.isFinite(minutes)) return undefined;
  return { minutes: Math.round(minutes * 100) / 100, calendar: y !== undefined || mo !== undefined };
}

/** What a timer means for the step's wait. */
export type TimerReading =
  /** the wait in minutes, exactly as written */
  | { status: 'minutes'; minutes: number }
  /** the wait in minutes by a stated choice (`why` says which) */
  | { status: 'interpreted'; minutes: number; why: string }
  /** no wait can be read; `why` says why and what the analyst should do */
  | { status: 'unreadable'; why: string };

const ENGINE_EXPRESSION = /^\s*(=|\$\{|#\{)/;
const CYCLE = /^R(\d*)\/(.+)$/i;

/** Reads a timer's expression (see the file comment). Never throws; never quotes the text. */
export function readTimer(timer: StepTimer): TimerReading {
  const text = timer.expression.trim();
  if (ENGINE_EXPRESSION.test(text)) {
    return {
      status: 'unreadable',
      why: 'the timer is an expression the process engine works out per case, so its wait is left at 0 minutes: enter the usual wait in the editor',
    };
  }
  if (timer.kind === 'date') {
    return {
      status: 'unreadable',
      why: 'the timer waits until a fixed date and time, so how long a case waits depends on when it gets there; its wait is left at 0 minutes: enter the usual wait in the editor',
    };
  }
  if (timer.kind === 'duration') {
    const duration = isoDurationMinutes(text);
    if (!duration) {
      return {
        status: 'unreadable',
        why: 'the timer’s duration is not written as an ISO 8601 duration (like P5D or PT4H), so its wait is left at 0 minutes: enter the wait in the editor',
      };
    }
    return duration.calendar
      ? {
          status: 'interpreted',
          minutes: duration.minutes,
          why: 'years and months have no fixed length: a year is counted as 365 days and a month as 30 days in the step’s wait',
        }
      : { status: 'minutes', minutes: duration.minutes };
  }
  const cycle = CYCLE.exec(text);
  const period = cycle?.[2] !== undefined ? isoDurationMinutes(cycle[2]) : undefined;
  if (!period) {
    return {
      status: 'unreadable',
      why: 'the repeating timer is written with a start or end date or as a schedule (cron), so its wait is left at 0 minutes: enter the usual wait in the editor',
    };
  }
  return {
    status: 'interpreted',
    minutes: period.minutes,
    why: 'a repeating timer first fires one period after the case arrives: the step’s wait is one period, and the repetitions are not counted as waiting',
  };
}
