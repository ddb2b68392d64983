/**
 * A workflow's findings led by their cause: when one event outside the diagram's own logic (a
 * step someone removed while another person was connecting to it) explains many findings, they
 * are told under it, the cause first, instead of one long list with the cause somewhere in it.
 *
 * A finding follows from a cause when it is in the workflow and not in the workflow without the
 * cause (the removed step put back): the missing-step flows, the steps left with no way out, the
 * steps no case reaches any more. Findings are matched by rule, check and steps, not by message
 * (a number in a message may differ between the two).
 *
 * Constraints: pure; `analyze` runs once per cause, so callers give only causes that left
 * something pointing at nothing (a handful at most).
 */
import type { Workflow } from '../../formats/workflow.ts';
import type { Finding } from './rules/types.ts';

/** A cause that may explain some of a workflow's findings: the workflow as it would be without it. */
export interface FindingCause {
  id: string;
  without: Workflow;
}

/** The findings that follow from each cause (in the causes' order), and the rest. */
interface FindingsByCause {
  caused: { id: string; findings: Finding[] }[];
  rest: Finding[];
}

const keyOf = (finding: Finding) =>
  JSON.stringify([finding.rule, finding.evidence.check ?? null, [...finding.stepIds].sort()]);

/**
 * `findings` (of the workflow as it is) told under the `causes` they follow from, each finding
 * under the first cause it follows from; a cause with no finding is left out.
 */
export function findingsByCause(
  findings: readonly Finding[],
  causes: readonly FindingCause[],
  analyze: (workflow: Workflow) => readonly Finding[],
): FindingsByCause {
  let rest = [...findings];
  const caused: FindingsByCause['caused'] = [];
  for (const cause of causes) {
    const without = new Set(analyze(cause.without).map(keyOf));
    const follow = rest.filter((finding) => !without.has(keyOf(finding)));
    if (follow.length === 0) continue;
    caused.push({ id: cause.id, findings: follow });
    rest = rest.filter((finding) => without.has(keyOf(finding)));
  }
  return { caused, rest };
}
