/**
 * `long-wait`: in a workflow measured from an event log, the steps before which cases wait
 * longest.
 *
 * Detection: steps with a measured wait (`observed.wait`, discovery: the gap from the previous
 * activity's complete to this one's start in the same case) whose median is at least
 * `longWaitMin`; of those, the {@link LONGEST_WAITS} with the most waiting in total (mean × waits
 * measured), one finding each. Drawn steps carry no measured wait and never fire.
 *
 * Source: waiting, not work, is most of a case's time; cycle time is processing plus waiting
 * (BIMP, the business-process simulator's definition), and a queue's wait grows steeply near
 * capacity (Erlang C).
 */
import type { Step } from '../../../formats/workflow.ts';
import { duration, finding, loggedCases, num, percent, quoted, show } from './shared.ts';
import type { Finding, LogRule } from './types.ts';

const ID = 'long-wait';
/** Findings at most: the longest waits, not every wait over the threshold. */
const LONGEST_WAITS = 3;

/** Total minutes waited before a step over the log (mean × waits measured). */
function totalWait(step: Step): number {
  const wait = step.observed?.wait;
  return wait ? wait.meanMin * wait.n : 0;
}

/** The `long-wait` finding rule (detection, severity and sources in the header). */
export const longWait: LogRule = {
  id: ID,
  severity: 'warn',
  title: 'Long wait in the log',
  describe:
    'An event log shows cases waiting a long time before this step. Waiting, not work, makes up ' +
    'most of a case’s time (cycle time is processing plus waiting, as BIMP defines it): find out ' +
    'what the case waits for before changing the work itself.',
  requires: [],
  detect(context) {
    const { workflow } = context;
    const limit = context.settings.thresholds.longWaitMin;
    const all = workflow.steps.reduce((sum, step) => sum + totalWait(step), 0);
    const cases = loggedCases(workflow);
    const long = workflow.steps
      .filter((step) => (step.observed?.wait?.medianMin ?? 0) >= limit)
      .sort((a, b) => totalWait(b) - totalWait(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, LONGEST_WAITS);
    return long.map((step): Finding => {
      const wait = step.observed?.wait as NonNullable<NonNullable<Step['observed']>['wait']>;
      const share = all > 0 ? totalWait(step) / all : 0;
      const waited = step.observed?.cases ?? wait.n;
      return finding(
        ID,
        context.severity,
        [step.id],
        `Cases wait a median of ${duration(wait.medianMin)} before ${quoted(step)} (90 % within ` +
          `${duration(wait.p90Min)}, mean ${duration(wait.meanMin)}; ${show(wait.n, 0)} waits in ` +
          `${show(waited, 0)} ${waited === 1 ? 'case' : 'cases'}${cases > 0 ? ` of ${show(cases, 0)}` : ''}), ` +
          `${percent(share)} of all waiting in the log. Waiting, not work, makes up most of a ` +
          'case’s time: find out what the case waits for.',
        {
          casesAffected: waited,
          cases,
          waits: wait.n,
          medianMin: num(wait.medianMin),
          p90Min: num(wait.p90Min),
          meanMin: num(wait.meanMin),
          totalHours: num(totalWait(step) / 60),
          shareOfWaiting: num(share),
          limitMin: limit,
        },
      );
    });
  },
};
