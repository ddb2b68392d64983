/**
 * On a process's Capacity tab: whether today's workflow's capacity model has been checked against
 * a log of the clinic (the back-test kept in the project, eventlog/ModelCheckPanel.tsx), said to
 * be out of date once the workflow changed, with the way to check it. Imports no worker code: the
 * check itself runs on the event-log page.
 */
import { useId, useMemo } from 'react';
import { backTestFreshness } from '../../../core/workflow/eventlog/index.ts';
import type { WorkflowBackTest } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { checkedWhen } from '../../common/format.ts';

/** A kept back-test's verdict in a few words. */
function verdictWords(record: WorkflowBackTest): string {
  const { verdict, checked, reproduced } = record.result;
  if (verdict === 'trusted') return "the model reproduced the log's waits";
  if (verdict === 'cannot-check') return 'the log could not check the model';
  return `the model did not reproduce the log's waits at ${checked - reproduced} of ${checked} checked steps`;
}

/**
 * On a process's Capacity tab: whether today's workflow's model has been checked against a log,
 * with the kept verdict (out of date once the workflow changed), and the way to check it.
 */
export function ModelStanding({
  workflow,
  kept,
  href,
}: {
  workflow: Workflow;
  kept: WorkflowBackTest | undefined;
  /** the capacity-model check of this workflow on the event-log page */
  href: string;
}) {
  const headingId = useId();
  const stale = useMemo(
    () => kept !== undefined && backTestFreshness(kept, workflow) !== 'current',
    [kept, workflow],
  );
  return (
    <section className="model-standing" aria-labelledby={headingId}>
      <h4 id={headingId}>Is the model of {workflow.name} trusted?</h4>
      {kept ? (
        <p data-testid="model-standing">
          Last checked against {kept.log.name} on {checkedWhen(kept.testedAt)}: {verdictWords(kept)}.
          {stale && (
            <>
              {' '}
              <strong>Out of date:</strong> the workflow has changed since.
            </>
          )}
        </p>
      ) : (
        <p data-testid="model-standing">
          Not checked yet: replay a log of the clinic through it before planning on its figures.
        </p>
      )}
      <p>
        <a href={href}>Check the capacity model of {workflow.name} against a log</a>
      </p>
    </section>
  );
}
