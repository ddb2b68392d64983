/**
 * A cell value as a report holds it. A value over 1 MB (a scanned document pasted into a notes
 * column, a whole file in one quoted field) is cut to its start and marked, so the report, its
 * exports and the screen stay usable and say the value was longer — never silently shortened.
 */

/** Values longer than this many characters (1 MB of text) are cut in reports. */
export const MAX_REPORT_VALUE_CHARS = 1024 * 1024;
/** How much of a cut value is kept. */
export const CUT_VALUE_KEEPS = 1000;

/** The marker that ends a cut value: "… [cut: 1,300,000 characters in all]". */
function cutMarker(length: number): string {
  return `… [cut: ${length.toLocaleString('en-US')} characters in all]`;
}

/** `value` as a report holds it: unchanged up to {@link MAX_REPORT_VALUE_CHARS}, else cut and marked. */
export function reportValue(value: string): string {
  return value.length > MAX_REPORT_VALUE_CHARS
    ? `${value.slice(0, CUT_VALUE_KEEPS)}${cutMarker(value.length)}`
    : value;
}
