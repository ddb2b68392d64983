/**
 * `digitized-paper-step`: a future step that takes over a paper, fax, print, scan or
 * wet-signature step, keeps its kind (an approval stays an approval) and keeps most of its wait —
 * the bottleneck moved onto a screen.
 *
 * Detection: a future step not itself on paper or fax, whose `replaces` include a current step
 * that is paper-like (medium paper or fax, or a label saying print, scan, fax, stamp, wet-sign;
 * "sign" only when the step is not digital: an EHR signature is electronic) of the same kind,
 * and whose wait is at least `mostOfWaitShare` (0.5) of the replaced steps' total wait (replaced
 * waits under `waitFloorMin` are ignored). Raised one level when the step is on
 * the critical path.
 *
 * Sources: "Getting Rid of Stupid Stuff" (Ashton, NEJM Catalyst 2018): documentation "never meant
 * to occur"; HBR on GROSS: "digitizing a pointless or poorly designed process can make it even
 * harder"; CMS-0057-F: payer prior-auth decisions within 72 h / 7 days and a FHIR prior-auth API
 * from 2027 make fax or portal waits avoidable.
 */

import type { Step } from '../../../formats/workflow.ts';
import { replacements } from './replaced.ts';
import { finding, isPaperMedium, num, percent, quoted, show } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

/** Labels that say the work is physical paper handling even when the medium field says otherwise. */
const PAPER_LABEL =
  /\b(print|printed|printing|scan|scanned|scanning|fax|faxed|faxing|stamp|stamped|wet[- ]?sign)/i;

/**
 * Signing: on paper unless the step is done on screen — "sign the note", "co-sign the order" in
 * an EHR are electronic signatures, not wet ones. Whole words only ("signal", "assign" are not).
 */
const SIGNATURE_LABEL = /\b(sign|signs|signed|signing|signature|signatures)\b/i;

/** Paper-like current steps: paper or fax medium, or a paper-handling label. */
function isPaperLike(step: Step): boolean {
  return (
    isPaperMedium(step) ||
    PAPER_LABEL.test(step.label) ||
    (step.medium !== 'digital' && SIGNATURE_LABEL.test(step.label))
  );
}

/** The `digitized-paper-step` finding rule (detection, severity and sources in the header). */
export const digitizedPaperStep: WorkflowRule = {
  id: 'digitized-paper-step',
  severity: 'warn',
  title: 'Paper step rebuilt on screen',
  describe:
    'A paper, fax or signature step that the new system rebuilds as the same kind of step with ' +
    'most of its waiting kept: the bottleneck moves onto a screen instead of going away. ' +
    '"Digitizing a pointless or poorly designed process can make it even harder" (Getting Rid ' +
    'of Stupid Stuff, NEJM Catalyst 2018); payer decisions now have 72-hour / 7-day limits (CMS-0057-F).',
  requires: ['baseline'],
  cause: 'kept-wait',
  detect(context) {
    const { thresholds } = context.settings;
    const critical = new Set(context.metrics?.criticalPath.stepIds ?? []);
    const findings: Finding[] = [];
    if (!context.baseline) return findings;
    for (const { step, replaced, replacedWaitMin } of replacements(context.workflow, context.baseline)) {
      if (isPaperMedium(step)) continue; // still on paper: not "digitized" (print-scan-loop's concern)
      const paperSameKind = replaced.filter((s) => isPaperLike(s) && s.kind === step.kind);
      if (paperSameKind.length === 0) continue;
      if (replacedWaitMin < thresholds.waitFloorMin || replacedWaitMin <= 0) continue;
      const keptShare = step.waitMin / replacedWaitMin;
      if (keptShare < thresholds.mostOfWaitShare) continue;
      const onCriticalPath = critical.has(step.id);
      const paper = paperSameKind[0] as Step;
      findings.push(
        finding(
          'digitized-paper-step',
          onCriticalPath ? raised(context.severity) : context.severity,
          [step.id],
          `${quoted(step)} rebuilds the paper step ${quoted(paper)} as the same kind of step ` +
            `(${step.kind}) and still waits ${show(step.waitMin)} of ${show(replacedWaitMin)} min ` +
            `(${percent(keptShare)}): the bottleneck moved to a screen` +
            `${onCriticalPath ? ', on the critical path' : ''}. Redesigning the step, not ` +
            'digitizing it, removes the wait (Getting Rid of Stupid Stuff, NEJM Catalyst 2018).',
          {
            kind: step.kind,
            replacedStepIds: paperSameKind.map((s) => s.id),
            replacedWaitMin: num(replacedWaitMin),
            futureWaitMin: num(step.waitMin),
            keptShare: num(keptShare),
            threshold: thresholds.mostOfWaitShare,
            onCriticalPath,
          },
        ),
      );
    }
    return findings;
  },
};
