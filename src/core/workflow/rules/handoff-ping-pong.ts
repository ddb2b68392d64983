/**
 * `handoff-ping-pong`: in a workflow measured from an event log, cases that go back and forth
 * between the same two roles.
 *
 * Detection: pairs of lanes in `observed.pingPong` (discovery: a case's role runs alternating
 * A, B, A, B or longer, three handoffs or more; A → B → A alone is an ordinary visit) seen in at
 * least `logPatternMinShare` of the log's cases; one finding per pair. Its steps are the steps of
 * the two lanes with a flow to the other lane, where the work changes hands. A pair naming a lane
 * the workflow no longer has is ignored. Drawn workflows carry no such evidence and never fire.
 *
 * Source: The Joint Commission, Sentinel Event Alert 58 (2017): communication failures in
 * hand-offs contributed to 30 % of malpractice claims; each bounce is another hand-off.
 */
import {
  compareIds,
  duration,
  finding,
  laneName,
  loggedCases,
  num,
  percent,
  show,
  sortedIds,
} from './shared.ts';
import type { Finding, LogRule } from './types.ts';

const ID = 'handoff-ping-pong';

/** The `handoff-ping-pong` finding rule (detection, severity and sources in the header). */
export const handoffPingPong: LogRule = {
  id: ID,
  severity: 'warn',
  title: 'Work bounced between roles',
  describe:
    'An event log shows cases passed back and forth between the same two roles. Every handoff ' +
    'is a chance to lose information: communication failures contributed to 30 % of malpractice ' +
    'claims (The Joint Commission, Sentinel Event Alert 58, 2017).',
  requires: [],
  detect(context) {
    const { workflow } = context;
    const minShare = context.settings.thresholds.logPatternMinShare;
    const cases = loggedCases(workflow);
    const pairs = workflow.observed?.pingPong ?? [];
    if (cases <= 0 || pairs.length === 0) return [];
    const laneIds = new Set(workflow.lanes.map((lane) => lane.id));
    const laneOfStep = new Map(workflow.steps.map((step) => [step.id, step.lane] as const));
    const findings: Finding[] = [];
    for (const pair of pairs) {
      const [a, b] = [...pair.lanes].sort(compareIds) as [string, string];
      if (a === b || !laneIds.has(a) || !laneIds.has(b)) continue;
      const share = pair.cases / cases;
      if (share < minShare) continue;
      const handing = sortedIds(
        workflow.flows.flatMap((flow) => {
          const from = laneOfStep.get(flow.from);
          const to = laneOfStep.get(flow.to);
          return (from === a && to === b) || (from === b && to === a) ? [flow.from, flow.to] : [];
        }),
      );
      const perCase = pair.handoffs / pair.cases;
      const span = pair.span;
      const names = `${laneName(workflow, a)} and ${laneName(workflow, b)}`;
      findings.push(
        finding(
          ID,
          context.severity,
          handing,
          `Work went back and forth between ${names} (there, back and there again, or more) in ` +
            `${show(pair.cases, 0)} of ${show(cases, 0)} cases (${percent(share)}): ` +
            `${show(pair.handoffs, 0)} handoffs, about ${show(perCase, 1)} in each of those cases` +
            (span
              ? `, over a median of ${duration(span.medianMin)} (90 % within ${duration(span.p90Min)})`
              : '') +
            '. Every handoff is a chance to lose information: communication failures contributed to ' +
            '30 % of malpractice claims (The Joint Commission, Sentinel Event Alert 58).',
          {
            lanes: [a, b],
            casesAffected: pair.cases,
            cases,
            shareOfCases: num(share),
            handoffs: pair.handoffs,
            handoffsPerAffectedCase: num(perCase),
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
