/**
 * Where an example's row is when its input was read from several files (a partitioned Parquet
 * folder): the file and its row there (`examples[].part`), beside the row within the whole input,
 * so a person can open the file the row is in. Given by the adapter that read the files.
 */
import type { Report } from '../../formats/report.ts';

/** The file and its 1-based row of an input's row, or undefined past its last. */
export type RowPlace = (row: number) => { path: string; row: number } | undefined;

/** `report` with each example of an input in `places` naming the file and row it is in. */
export function withDatasetRows(report: Report, places: ReadonlyMap<string, RowPlace>): Report {
  if (places.size === 0) return report;
  // a report of one input names no input in its examples
  const sole = report.inputs.length === 1 ? report.inputs[0]?.name : undefined;
  return {
    ...report,
    issues: report.issues.map((issue) => ({
      ...issue,
      examples: issue.examples.map((example) => {
        const placeOf = places.get(example.input ?? sole ?? '');
        const place = example.row === undefined ? undefined : placeOf?.(example.row);
        return place === undefined ? example : { ...example, part: { file: place.path, row: place.row } };
      }),
    })),
  };
}
