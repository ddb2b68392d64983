/**
 * Who is reviewing: the reviewer's printed name, role and staff id (remembered on the project, so
 * a reload does not ask again), and under dual review which of the two passes they make.
 */
import { useId } from 'react';
import type { Reviewer } from '../../formats/review.ts';

/** The reviewer's name, role and staff id. */
export function ReviewerFields({
  reviewer,
  onChange,
}: {
  reviewer: Reviewer;
  onChange: (reviewer: Reviewer) => void;
}) {
  const ids = { name: useId(), role: useId(), staff: useId() };
  return (
    <fieldset className="reviewer">
      <legend>Reviewer</legend>
      <label htmlFor={ids.name}>Printed name</label>
      <input
        id={ids.name}
        value={reviewer.name}
        autoComplete="off"
        onChange={(e) => onChange({ ...reviewer, name: e.currentTarget.value })}
      />
      <label htmlFor={ids.role}>Role</label>
      <input
        id={ids.role}
        value={reviewer.role}
        autoComplete="off"
        onChange={(e) => onChange({ ...reviewer, role: e.currentTarget.value })}
      />
      <label htmlFor={ids.staff}>Staff id</label>
      <input
        id={ids.staff}
        value={reviewer.id}
        autoComplete="off"
        onChange={(e) => onChange({ ...reviewer, id: e.currentTarget.value })}
      />
    </fieldset>
  );
}

/** Which of the two independent reviews this reviewer is making (dual review only). */
export function DualReviewStage({
  stage,
  onStage,
}: {
  stage: 'first' | 'second';
  onStage: (stage: 'first' | 'second') => void;
}) {
  const name = useId();
  return (
    <fieldset className="reviewer">
      <legend>Dual review: two clinicians review every record independently</legend>
      <label>
        <input type="radio" name={name} checked={stage === 'first'} onChange={() => onStage('first')} /> I am
        the first reviewer
      </label>
      <label>
        <input type="radio" name={name} checked={stage === 'second'} onChange={() => onStage('second')} /> I
        am the second reviewer
      </label>
      <p className="step-detail">
        You see only your own decisions until both reviewers have decided a record. Records you disagree on go
        to an adjudicator.
      </p>
    </fieldset>
  );
}
