import type { ReadinessResult } from '../../core/readiness/index.ts';

/**
 * The committee's go or no-go as two radio buttons, and the note that a go is recorded against the
 * reasons when Preflight computes no-go. Used by the local and the team server's steering forms.
 */
export function DecisionChoice({
  name,
  choice,
  computed,
  onChoose,
}: {
  /** the radio group's name, unique on the page */
  name: string;
  choice: 'go' | 'no-go';
  computed: ReadinessResult['decision'];
  onChoose: (choice: 'go' | 'no-go') => void;
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
    </>
  );
}
