/**
 * The result of an input that cannot be read as text: one fatal problem on the file, placed by
 * the bad byte's line and offset, and nothing else of it (no rows, profiles or keys). A run of
 * several files then reports the others as usual, and its exit code says the data has an error.
 */
import type { ReportInput } from '../../formats/report.ts';
import { type CsvLayout, type TextDecodeError, textDecodeText } from '../csv/index.ts';
import { createIssueRows } from './issueRows.ts';
import { createIssueTally } from './issueTally.ts';
import { createKeySet } from './keySet.ts';
import { ENGINE_RULES } from './rules/index.ts';
import type { CsvValidationResult, ValidateCsvOptions } from './validateCsv.ts';

const count = (n: number) => n.toLocaleString('en-GB');

/** Where reading of a refused input stopped, as the report says it (`inputs[].stoppedAt`). */
export function stoppedAtOf(error: TextDecodeError): NonNullable<ReportInput['stoppedAt']> {
  return {
    byte: error.byteOffset,
    line: error.line ?? 1,
    ...(error.records === undefined ? {} : { records: error.records }),
  };
}

/**
 * How far a file with a fatal problem was read, in words for the file's line of a summary (the CLI's
 * and the screen's): "0 records" alone would hide the records read before the bad byte.
 */
export function stoppedAtWords(at: NonNullable<ReportInput['stoppedAt']>): string {
  const read =
    at.records === undefined
      ? ''
      : `${count(at.records)} ${at.records === 1 ? 'record' : 'records'} read before it, `;
  return `stopped at line ${count(at.line)}, byte ${count(at.byte)} (a fatal problem): ${read}none checked`;
}

/** The words of the problem: the file, the place, and what to do. */
export function refusedInputMessage(name: string, error: TextDecodeError): string {
  const { byteOffset, encoding, binary } = error;
  return textDecodeText({ byteOffset, encoding, binary, source: name, line: error.line ?? 1 });
}

/**
 * The result of `name` refused at `error`'s byte. Its key sets are empty; references into it are
 * not checked (`refused` tells the run), since every one would look like an orphan.
 */
export function refusedInputResult(
  name: string,
  size: number,
  layout: CsvLayout,
  error: TextDecodeError,
  options: Pick<ValidateCsvOptions, 'keys'> = {},
): CsvValidationResult {
  const rule = error.binary ? ENGINE_RULES.notText : ENGINE_RULES.notInEncoding;
  const tally = createIssueTally();
  tally.add(rule.id, rule.severity, '', {}, { code: rule.code, message: refusedInputMessage(name, error) });
  return {
    input: name,
    bytes: size,
    layout,
    header: [],
    records: 0,
    valid: 0,
    invalid: 0,
    errors: 1,
    warnings: 0,
    planDisagreements: 0,
    issues: tally.entries(),
    profiles: [],
    keys: (options.keys ?? []).map((spec) => ({
      column: spec.column,
      demographics: [...(spec.demographics ?? [])],
      state: createKeySet(0).state(),
    })),
    orphans: [],
    lineEndings: { crlf: 0, lf: 0, cr: 0, unexpectedRows: [], unexpected: 0 },
    failingRows: { count: 0, rows: new Uint32Array(0), offsets: new Float64Array(0) },
    issueRows: createIssueRows().state(),
    refused: {
      byteOffset: error.byteOffset,
      line: error.line ?? 1,
      binary: error.binary,
      ...(error.records === undefined ? {} : { records: error.records }),
    },
  };
}
