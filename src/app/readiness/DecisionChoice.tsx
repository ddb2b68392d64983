import type { ReactNode } from 'react';
import type { ReadinessResult } from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';

/**
 * The committee's go or no-go as two radio buttons, the note that a go is recorded against the
 * reasons when Preflight computes no-go, and the rationale. Used by the local and the team
 * server's steering forms.
 */
export function DecisionChoice({
  name,
  choice,
  computed,
  onChoose,
  rationaleId,
  rationale,
  onRationale,
}: {
  /** the radio group's name, unique on the page */
  name: string;
  choice: 'go' | 'no-go';
  computed: ReadinessResult['decision'];
  onChoose: (choice: 'go' | 'no-go') => void;
  /** the rationale field's id, unique on the page */
  rationaleId: string;
  rationale: string;
  onRationale: (text: string) => void;
}) {
  return (
    <>
      <fieldset>
        <legend>The committee decides</legend>
        <label className="radio">
          <input type="radio" name={name} checked={choice === 'go'} onChange={() => onChoose('go')} /> Go live
        </label>
        <label className="radio">
          <input type="radio" name={name} checked={choice === 'no-go'} onChange={() => onChoose('no-go')} />{' '}
          Do not go live yet
        </label>
      </fieldset>
      {choice === 'go' && computed === 'no-go' && (
        <p className="fail" role="note">
          Preflight computes no-go: the reasons on the Go/no-go tab block go-live. A go decision is recorded
          against them.
        </p>
      )}
      <label htmlFor={rationaleId}>Rationale</label>
      <textarea
        autoComplete="off"
        id={rationaleId}
        rows={3}
        value={rationale}
        onChange={(e) => onRationale(e.currentTarget.value)}
      />
    </>
  );
}

/**
 * The committee's latest decision: go or no-go, when, current or stale, what Preflight computed
 * then, the readiness it signed against the readiness now, its rationale, and then `children`
 * (its signatures). Used by the local and the team server's steering forms.
 */
export function DecisionSummary({
  latest,
  nowSha256,
  stateTestId,
  children,
}: {
  latest: {
    decision: 'go' | 'no-go';
    recordedAt: string;
    state: 'current' | 'stale';
    readiness: ReadinessResult['decision'];
    resultSha256: string;
    rationale: string;
  };
  /** the readiness on this page, as its hash */
  nowSha256: string;
  /** the test id of the headline */
  stateTestId: string;
  children: ReactNode;
}) {
  return (
    <div className={`steering-latest steering-${latest.state}`}>
      <p>
        <strong data-testid={stateTestId}>
          {latest.decision === 'go' ? 'Go' : 'No-go'}, decided {formatRecordedTime(latest.recordedAt)} ·{' '}
          {latest.state === 'current' ? 'Current' : 'Stale'}
        </strong>
      </p>
      <p>
        {latest.state === 'current'
          ? 'It was taken on the readiness shown on this page: nothing has changed since.'
          : 'The evidence changed after this decision was taken, so it no longer covers the readiness shown on this page. The committee must decide again.'}{' '}
        Preflight computed {latest.readiness === 'go' ? 'go' : 'no-go'} then. Readiness signed{' '}
        <code>{latest.resultSha256.slice(0, 12)}…</code>, readiness now <code>{nowSha256.slice(0, 12)}…</code>
      </p>
      <p>Rationale: {latest.rationale}</p>
      {children}
    </div>
  );
}

/**
 * The button that signs the committee's decision and, beside it, what signing says as it goes
 * (a role="status" line, red on a failure). Used by the local and the team server's steering forms.
 */
export function SignDecision({
  onSign,
  disabled,
  describedBy,
  status,
  statusTestId,
}: {
  onSign: () => void;
  disabled: boolean;
  /** the id of the text that says what signing means */
  describedBy: string;
  status: { kind: string; text: string };
  statusTestId: string;
}) {
  return (
    <>
      <button type="button" onClick={onSign} disabled={disabled} aria-describedby={describedBy}>
        Sign the decision
      </button>
      <p role="status" data-testid={statusTestId} className={status.kind === 'error' ? 'fail' : undefined}>
        {status.text}
      </p>
    </>
  );
}
