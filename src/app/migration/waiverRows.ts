/** Row ranges of a waiver as people write them ("12, 40-45") and back. */
import type { RowRange } from '../../formats/waivers.ts';

/** "12, 40-45" → ranges; null when the text is not such a list. */
export function parseRows(text: string): RowRange[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const ranges: RowRange[] = [];
  for (const part of parts) {
    const match = /^(\d+)\s*[-–]\s*(\d+)$|^(\d+)$/.exec(part);
    if (!match) return null;
    const from = Number(match[1] ?? match[3]);
    const to = Number(match[2] ?? match[3]);
    if (from < 1 || to < from) return null;
    ranges.push({ from, to });
  }
  return ranges;
}

/** Ranges as people write them: "12, 40-45" ('' for none). */
export function rowsText(rows: readonly RowRange[] | undefined): string {
  return (rows ?? []).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ');
}
