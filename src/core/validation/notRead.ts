/**
 * The reader accounts of a run's inputs on its report (`inputs[].notRead`): what a reader saw and
 * did not use — an archive's entries that are not extracts, a folder's files — given by the
 * adapter that read them (the CLI, the browser) by input name, so the JSON, the summary and the
 * screen say the same. Names only, never values.
 */
import type { Report } from '../../formats/report.ts';
import type { AccountLine } from '../readerAccount/index.ts';

/** `report` with each input named in `notRead` carrying those lines (after any it had). */
export function withNotRead(report: Report, notRead: ReadonlyMap<string, readonly AccountLine[]>): Report {
  if (notRead.size === 0) return report;
  return {
    ...report,
    inputs: report.inputs.map((input) => {
      const lines = notRead.get(input.name);
      if (lines === undefined || lines.length === 0) return input;
      return { ...input, notRead: [...(input.notRead ?? []), ...lines.map((line) => ({ ...line }))] };
    }),
  };
}
