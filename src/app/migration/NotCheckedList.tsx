/**
 * What the contracts of a validation run ask that was not checked (`inputs[].notChecked`): a
 * Table Schema date layout Preflight cannot read, a unique column not chosen as a key… Shown
 * beside the result so a pass is never read as more than it is; nothing when everything was checked.
 */
import type { Report } from '../../formats/report.ts';

export function NotCheckedList({ report }: { report: Report }) {
  const inputs = report.inputs.filter((input) => (input.notChecked?.length ?? 0) > 0);
  if (inputs.length === 0) return null;
  const several = report.inputs.length > 1;
  return (
    <div className="not-checked" role="note" aria-labelledby="not-checked-heading">
      <h5 id="not-checked-heading">Not checked</h5>
      <p>The contract asks for more than this run checked:</p>
      <ul data-testid="not-checked">
        {inputs.flatMap((input) =>
          (input.notChecked ?? []).map((what) => (
            <li key={`${input.name}\u0000${what}`}>
              {several ? `${input.name}: ` : ''}
              {what}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}
