/**
 * What a validation run did not check (`inputs[].notChecked`): for a CSV run, what the contracts
 * ask that Preflight cannot check (a Table Schema date layout it cannot read, a unique column not
 * chosen as a key…); for a FHIR run, the rules of the FHIR specification that apply to the files
 * and are not checked, each once. Shown beside the result so a pass is never read as more than it
 * is; nothing when everything was checked. The words are the exports' (core `notCheckedLines`).
 */
import { notCheckedLines } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';

export function NotCheckedList({ report }: { report: Report }) {
  const lines = notCheckedLines(report);
  if (lines === undefined) return null;
  const several = report.inputs.length > 1;
  return (
    <div className="not-checked" role="note" aria-labelledby="not-checked-heading">
      <h5 id="not-checked-heading">Not checked</h5>
      <p>{lines.intro}</p>
      <ul data-testid="not-checked">
        {lines.items.map(({ input, what }) => (
          <li key={`${input ?? ''}\u0000${what}`}>
            {several && input !== undefined ? `${input}: ${what}` : what}
          </li>
        ))}
      </ul>
    </div>
  );
}
