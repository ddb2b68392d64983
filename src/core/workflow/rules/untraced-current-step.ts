/**
 * `untraced-current-step`: a step of the current workflow that no future step `replaces` and the
 * future does not list as `retired` — nobody decided what happens to that work.
 *
 * Detection: needs the baseline; one finding per untraced current step, naming the CURRENT step's
 * id (the finding points into the baseline). Start and end steps count too: a case must still
 * begin and end somewhere.
 *
 * Source: AHRQ workflow toolkit, flowcharting "how processes really happen"; the traceability
 * is what the comparison and the role training checklist rest on.
 */
import { compareIds, finding, quoted } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

const ID = 'untraced-current-step';

/** The `untraced-current-step` finding rule (detection, severity and sources in the header). */
export const untracedCurrentStep: WorkflowRule = {
  id: ID,
  severity: 'error',
  title: 'Current step not accounted for',
  describe:
    'A step done today that the new workflow neither replaces nor deliberately retires: the work ' +
    'may silently stop on go-live day, or go on without anyone trained for it. Mapping every ' +
    'current step, as the AHRQ workflow toolkit asks, is what makes the comparison and the role ' +
    'training checklist trustworthy.',
  requires: ['baseline'],
  detect(context) {
    const { workflow, baseline } = context;
    if (!baseline) return [];
    const traced = new Set<string>([
      ...(workflow.retired ?? []),
      ...workflow.steps.flatMap((s) => s.replaces ?? []),
    ]);
    const findings: Finding[] = [];
    for (const step of [...baseline.steps].sort((a, b) => compareIds(a.id, b.id))) {
      if (traced.has(step.id)) continue;
      findings.push(
        finding(
          ID,
          context.severity,
          [step.id],
          `The current step ${quoted(step)} is neither replaced by a step of the new workflow nor ` +
            'marked as retired: decide who does this work after go-live, or retire it on purpose.',
          { currentStepId: step.id, baselineId: baseline.id },
        ),
      );
    }
    return findings;
  },
};
