/**
 * The decision form under the record in view: mark fields wrong (and remove a marked one), a
 * comment, the reason for a change when the record was decided before, and the decision buttons.
 * It reads the review store (reviewStore.ts) through selector hooks; saving is the record
 * screen's (`onDecide`), which checks the decision with the same rules the project applies.
 */
import { type RefObject, useId } from 'react';
import {
  DEFECT_CLASSES,
  type Decision,
  type DefectClass,
  type Outcome,
  REASON_CODES,
  type ReasonCode,
} from '../../formats/review.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { CLASS_LABELS, OUTCOME_LABELS, REASON_LABELS } from './reviewLabels.ts';
import { type ReviewState, type ReviewStore, useReview } from './reviewStore.ts';

const selectFindings = (s: ReviewState) => s.findings;

/** Mark a field wrong: field, reason and class (each chosen for this record), and the fields marked. */
function MarkField({
  form,
  fields,
  fieldRef,
  reasonRef,
}: {
  form: ReviewStore;
  fields: readonly { target: string }[];
  fieldRef: RefObject<HTMLSelectElement | null>;
  reasonRef?: RefObject<HTMLSelectElement | null>;
}) {
  const ids = { field: useId(), reason: useId(), cls: useId(), list: useId() };
  const markField = useReview(form, (s) => s.markField);
  const markReason = useReview(form, (s) => s.markReason);
  const markClass = useReview(form, (s) => s.markClass);
  const findings = useReview(form, selectFindings);
  const mark = () => form.dispatch({ type: 'mark', fallbackField: fields[0]?.target });
  return (
    <fieldset className="mark-field">
      <legend>Mark a field wrong</legend>
      <label htmlFor={ids.field}>Field</label>
      <select
        ref={fieldRef}
        id={ids.field}
        value={markField}
        onChange={(e) => form.dispatch({ type: 'edit', edit: { markField: e.currentTarget.value } })}
      >
        {fields.map((f) => (
          <option key={f.target} value={f.target}>
            {f.target}
          </option>
        ))}
      </select>
      <label htmlFor={ids.reason}>Reason</label>
      <select
        ref={reasonRef}
        id={ids.reason}
        value={markReason}
        onChange={(e) =>
          form.dispatch({ type: 'edit', edit: { markReason: e.currentTarget.value as ReasonCode | '' } })
        }
      >
        <option value="">Choose…</option>
        {REASON_CODES.map((r) => (
          <option key={r} value={r}>
            {REASON_LABELS[r]}
          </option>
        ))}
      </select>
      <label htmlFor={ids.cls}>Defect class</label>
      <select
        id={ids.cls}
        value={markClass}
        onChange={(e) =>
          form.dispatch({ type: 'edit', edit: { markClass: e.currentTarget.value as DefectClass | '' } })
        }
      >
        <option value="">Choose…</option>
        {DEFECT_CLASSES.map((c) => (
          <option key={c} value={c}>
            {CLASS_LABELS[c]}
          </option>
        ))}
      </select>
      <button type="button" onClick={mark}>
        Mark field wrong
      </button>
      {findings.length > 0 && (
        <ul className="marked-fields" aria-label="Fields marked wrong">
          {findings.map((f) => (
            <li key={f.field}>
              <BreakableText text={f.field} camelCase />: {REASON_LABELS[f.reason]}, {f.defectClass}{' '}
              <button
                type="button"
                aria-label={`Remove the finding on ${f.field}`}
                onClick={() => form.dispatch({ type: 'unmark', field: f.field })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The comment, and the reason for a change once the record was decided. */
function CommentAndChange({
  form,
  own,
  changeRef,
  commentRef,
  onReject,
}: {
  form: ReviewStore;
  own: Decision | undefined;
  changeRef: RefObject<HTMLTextAreaElement | null>;
  commentRef?: RefObject<HTMLTextAreaElement | null>;
  /** saves the rejection that waits for its comment (Enter in the comment) */
  onReject: () => void;
}) {
  const ids = { comment: useId(), change: useId(), hint: useId() };
  const comment = useReview(form, (s) => s.comment);
  const rejecting = useReview(form, (s) => s.rejecting);
  const changeReason = useReview(form, (s) => s.changeReason);
  return (
    <>
      <label htmlFor={ids.comment} className="decision-comment">
        Comment (saved with your decision; a rejection needs a comment or a field marked wrong)
      </label>
      <p className="field-hint" id={ids.hint}>
        Refer to the record as "the record" and to fields by name: a comment that quotes the record's key
        (MRN), a name, birth date, phone, address or another identifier is not saved.
      </p>
      <textarea
        ref={commentRef}
        className="decision-comment"
        id={ids.comment}
        aria-describedby={ids.hint}
        value={comment}
        autoComplete="off"
        onChange={(e) => form.dispatch({ type: 'edit', edit: { comment: e.currentTarget.value } })}
        onKeyDown={(e) => {
          // a rejection waiting for why is saved with Enter; Shift+Enter still starts a new line
          if (!rejecting || e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
          e.preventDefault();
          onReject();
        }}
        rows={2}
      />
      {own && (
        <>
          <label htmlFor={ids.change} className="decision-comment">
            Reason for changing your decision ({OUTCOME_LABELS[own.outcome].toLowerCase()}); the earlier
            decision stays in the audit trail
          </label>
          <textarea
            ref={changeRef}
            className="decision-comment"
            id={ids.change}
            aria-describedby={ids.hint}
            value={changeReason}
            autoComplete="off"
            onChange={(e) => form.dispatch({ type: 'edit', edit: { changeReason: e.currentTarget.value } })}
            rows={2}
          />
        </>
      )}
    </>
  );
}

/** The save line. */
function SaveStatus({ form }: { form: ReviewStore }) {
  const status = useReview(form, (s) => s.status);
  return (
    <p role="status" data-testid="save-status">
      {status}
    </p>
  );
}

/** The decision form of the record in view (see the file header). */
export function DecisionForm({
  form,
  fields,
  own,
  onDecide,
  onGo,
  atStart,
  atEnd,
  fieldRef,
  reasonRef,
  changeRef,
  commentRef,
}: {
  form: ReviewStore;
  /** what can be marked wrong: the migrated record's fields, and legacy columns it does not migrate */
  fields: readonly { target: string }[];
  /** the reviewer's own decision on this record, if any (then a decision is a change) */
  own: Decision | undefined;
  onDecide: (outcome: Outcome) => void;
  onGo: (delta: number) => void;
  atStart: boolean;
  atEnd: boolean;
  fieldRef: RefObject<HTMLSelectElement | null>;
  /** the mark form's reason, focused when a row's Mark wrong chose the field */
  reasonRef?: RefObject<HTMLSelectElement | null>;
  changeRef: RefObject<HTMLTextAreaElement | null>;
  /** the comment, which takes the keyboard when Reject waits for why */
  commentRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  return (
    <>
      <MarkField form={form} fields={fields} fieldRef={fieldRef} reasonRef={reasonRef} />
      <CommentAndChange
        form={form}
        own={own}
        changeRef={changeRef}
        commentRef={commentRef}
        onReject={() => onDecide('reject')}
      />
      <div className="decide-buttons">
        <button type="button" onClick={() => onDecide('accept')} aria-keyshortcuts="A">
          Accept
        </button>
        <button type="button" onClick={() => onDecide('reject')} aria-keyshortcuts="R">
          Reject
        </button>
        <button type="button" onClick={() => onDecide('cannot-assess')} aria-keyshortcuts="C">
          Cannot assess
        </button>
        <button type="button" onClick={() => onGo(-1)} disabled={atStart} aria-keyshortcuts="P ArrowLeft">
          Previous
        </button>
        <button type="button" onClick={() => onGo(1)} disabled={atEnd} aria-keyshortcuts="N ArrowRight">
          Next
        </button>
      </div>
      <SaveStatus form={form} />
    </>
  );
}
