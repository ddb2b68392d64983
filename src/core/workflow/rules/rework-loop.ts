/**
 * `rework-loop`: in a workflow measured from an event log, a step done more than once in the
 * same case.
 *
 * Detection: steps whose `observed.repeated` (discovery: cases that did the activity more than
 * once) covers at least `logPatternMinShare` of the log's cases; one finding per step, with the
 * cases affected, the extra times and the span from the first to the last time in those cases.
 * Drawn steps carry no such evidence and never fire. Planned repeats (a lab value taken every few
 * hours) are repeats too: the message asks whether they are rework or planned.
 *
 * Source: work done again is one of the wastes of Lean (defects and rework: IHI, Going Lean in
 * Health Care, 2005); it costs staff time again and lengthens the case.
 */
import { duration, finding, loggedCases, num, percent, quoted, show } from './shared.ts';
import type { Finding, LogRule } from './types.ts';

const ID = 'rework-loop';

/** The `rework-loop` finding rule (detection, severity and sources in the header). */
export const reworkLoop: LogRule = {
  id: ID,
  severity: 'warn',
  title: 'Step done again',
  describe:
    'An event log shows the same step done more than once in a case. Work done again costs staff ' +
    'time again and lengthens the case; rework is one of the wastes Lean removes (IHI, Going Lean ' +
    'in Health Care, 2005).',
  requires: [],
  detect(context) {
    const { workflow } = context;
    const minShare = context.settings.thresholds.logPatternMinShare;
    const cases = loggedCases(workflow);
    if (cases <= 0) return [];
    const findings: Finding[] = [];
    for (const step of workflow.steps) {
      const repeated = step.observed?.repeated;
      if (!repeated || step.kind === 'start' || step.kind === 'end') continue;
      const share = repeated.cases / cases;
      if (share < minShare) continue;
      const perCase = 1 + repeated.extra / repeated.cases;
      const span = repeated.span;
      findings.push(
        finding(
          ID,
          context.severity,
          [step.id],
          `${quoted(step)} is done more than once in ${show(repeated.cases, 0)} of ${show(cases, 0)} ` +
            `cases (${percent(share)}): ${show(repeated.extra, 0)} extra ${repeated.extra === 1 ? 'time' : 'times'}, ` +
            `about ${show(perCase, 1)} times in each of those cases` +
            (span
              ? `; from the first to the last time takes a median of ${duration(span.medianMin)} (90 % within ${duration(span.p90Min)})`
              : '') +
            '. Check whether the repeats are rework or planned checks: work done again costs staff time again.',
          {
            casesAffected: repeated.cases,
            cases,
            shareOfCases: num(share),
            extraTimes: repeated.extra,
            timesPerAffectedCase: num(perCase),
            spanMedianMin: span ? num(span.medianMin) : null,
            spanP90Min: span ? num(span.p90Min) : null,
            minShare,
          },
        ),
      );
    }
    return findings;
  },
};
