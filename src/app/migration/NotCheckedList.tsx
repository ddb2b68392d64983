/**
 * What a validation run did not check (`inputs[].notChecked`): for a CSV run, what the contracts
 * ask that Preflight cannot check (a Table Schema date layout it cannot read, a unique column not
 * chosen as a key…); for a FHIR run, the rules of the FHIR specification that apply to the files
 * and are not checked, each once. Shown beside the result so a pass is never read as more than it
 * is; nothing when everything was checked.
 */
import type { Report } from '../../formats/report.ts';

export function NotCheckedList({ report }: { report: Report }) {
  const inputs = report.inputs.filter((input) => (input.notChecked?.length ?? 0) > 0);
  if (inputs.length === 0) return null;
  const fhir = report.target?.type === 'fhir';
  const several = report.inputs.length > 1 && !fhir;
  // a FHIR export's files share their unchecked rules: each is listed once
  const items = fhir
    ? [...new Set(inputs.flatMap((input) => input.notChecked ?? []))].map((what) => ({ key: what, what }))
    : inputs.flatMap((input) =>
        (input.notChecked ?? []).map((what) => ({
          key: `${input.name}\u0000${what}`,
          what: several ? `${input.name}: ${what}` : what,
        })),
      );
  return (
    <div className="not-checked" role="note" aria-labelledby="not-checked-heading">
      <h5 id="not-checked-heading">Not checked</h5>
      <p>
        {fhir
          ? 'The FHIR specification asks for more than this run checked:'
          : 'The contract asks for more than this run checked:'}
      </p>
      <ul data-testid="not-checked">
        {items.map(({ key, what }) => (
          <li key={key}>{what}</li>
        ))}
      </ul>
    </div>
  );
}
