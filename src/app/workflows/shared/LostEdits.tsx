/**
 * What of the person's own changes lost to someone else's removal, above the shared workflow's
 * diagram: which step, lane or flow (by its name), who removed it and when, and what to do — put
 * it back, or dismiss the message. Shown to the person whose work it was, until they dismiss it.
 */
import { useId } from 'react';
import { isBack, type LostEdit } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { lostWords, removedThing } from './lostWords.ts';

export function LostEdits({
  lost,
  workflow,
  canEdit,
  onPutBack,
  onDismiss,
}: {
  lost: readonly LostEdit[];
  workflow: Workflow;
  /** whether the person may change the workflow now (else only dismissing is offered) */
  canEdit: boolean;
  onPutBack: (id: string) => void;
  onDismiss: (id: string) => void;
}) {
  const headingId = useId();
  if (lost.length === 0) return null;
  return (
    <section className="shared-lost" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {lost.length === 1 ? 'A change of yours was lost' : `${lost.length} changes of yours were lost`} to
        someone else’s removal
      </h3>
      <ul>
        {lost.map((edit) => {
          const back = isBack(workflow, edit);
          const { what, todo } = lostWords(edit, workflow, back);
          const thing = removedThing(edit);
          return (
            <li key={edit.id}>
              <p>{what}</p>
              <p>{todo}</p>
              {canEdit && !back && edit.removal && (
                <button type="button" onClick={() => onPutBack(edit.id)}>
                  Put {thing} back
                </button>
              )}{' '}
              <button type="button" onClick={() => onDismiss(edit.id)}>
                Dismiss<span className="visually-hidden"> the message about {thing}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
