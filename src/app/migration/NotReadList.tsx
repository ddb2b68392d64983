/**
 * What each file's reader did not use, or used by a choice (`inputs[].notRead`): numbers read with
 * a decimal comma, Parquet INT96 timestamps read by their writer's convention, columns the
 * contract does not name. Shown beside the result so a pass is never read as more than it is;
 * nothing when every column was checked and nothing was chosen. The words are the CLI's and the
 * exports' (core `notReadWords`); names come from the file and React escapes them.
 */
import { notReadWords } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';

export function NotReadList({ report }: { report: Report }) {
  const files = report.inputs
    .map((input) => ({ name: input.name, lines: notReadWords(input.notRead ?? []) }))
    .filter((file) => file.lines.length > 0);
  if (files.length === 0) return null;
  const several = report.inputs.length > 1;
  return (
    <div className="not-checked" role="note" aria-labelledby="not-read-heading">
      <h5 id="not-read-heading">How the files were read</h5>
      <p>What Preflight read by a choice the file does not state, and what it read but did not check.</p>
      <ul data-testid="not-read">
        {files.flatMap(({ name, lines }) =>
          lines.map((line) => <li key={`${name}\u0000${line}`}>{several ? `${name}: ${line}` : line}</li>),
        )}
      </ul>
    </div>
  );
}
