/**
 * Test kit of the core tests of mapped rows (fhir/mappedRows.test.ts, mapping/schemaRows.test.ts):
 * one run of the CSV engine with a mapping's row check, and one reading of the demo extract's
 * cells, so "the core's report" and "recomputed from the cells" mean the same for FHIR targets and
 * target JSON Schemas. Test-only: imported by *.test.ts files, never by the app, the CLI or workers.
 */
import type { Report } from '../../../formats/report.ts';
import { buildReport } from '../buildReport.ts';
import type { RowCheckFactory } from '../rowCheck.ts';
import { type CsvSource, validateCsv } from '../validateCsv.ts';
import { detectLayout } from '../validateInputs.ts';

/** `bytes` as the engine's source, named `name`. */
export function bytesSource(name: string, bytes: Uint8Array): CsvSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** A prepared mapped-row check, as `prepareMappedFhirCheck` and `prepareMappedSchemaCheck` return it. */
export interface PreparedMappedCheck {
  rowCheck: RowCheckFactory;
  mapping: { id: string; version: number };
}

/**
 * The core's run: detect the layout, validate with the mapping's row check and its key column,
 * build the report (fixed times) naming `target`.
 */
export async function runMappedCore(
  name: string,
  bytes: Uint8Array,
  check: PreparedMappedCheck,
  key: string,
  target: NonNullable<Report['target']>,
): Promise<Report> {
  const input = bytesSource(name, bytes);
  const { detected: _detected, ...layout } = await detectLayout(input);
  const result = await validateCsv(input, { layout, rowCheck: check.rowCheck, keys: [{ column: key }] });
  return buildReport([result], {
    generatedAt: '2024-07-01T00:00:00Z',
    startedAt: '2024-07-01T00:00:00Z',
    totalMs: 0,
    toolVersion: 'test',
    target,
    mapping: check.mapping,
  });
}

/**
 * The demo extract's data rows as objects by header name, read independently of the engine: its
 * only multi-line cell is quoted and no cell holds a quote and a comma, so a plain reading of
 * RFC 4180 (CR dropped outside quotes) is enough.
 */
export function demoRows(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r') continue;
    else if (ch === '\n') {
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  const [header, ...data] = records;
  return data.map((r) => Object.fromEntries((header as string[]).map((h, i) => [h, r[i] ?? ''])));
}
