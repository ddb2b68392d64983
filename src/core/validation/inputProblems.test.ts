import { describe, expect, it } from 'vitest';
import { CsvRecordTooLongError, TextDecodeError } from '../csv/index.ts';
import {
  CLI_CONTROLS,
  EmptyInputError,
  inputProblemOf,
  inputProblemText,
  mappingCompileProblem,
  notFhirTargetProblem,
  notTextProblem,
  PAGE_CONTROLS,
  refusedInputMessage,
  runStopMessage,
  UnknownColumnError,
} from './index.ts';

const ERRORS: [string, Error][] = [
  ['a bad byte', new TextDecodeError(150_002, 'utf-8', 'big.csv', { line: 25_001 })],
  ['a zero byte', new TextDecodeError(6, 'windows-1252', 'scan.csv', { line: 3, binary: true })],
  [
    'a cell too long',
    new CsvRecordTooLongError(2, 4_194_304, 'field', 2, true, 'notes.csv', { byteOffset: 16 }),
  ],
  ['an empty file', new EmptyInputError('empty.csv')],
  ['a column not there', new UnknownColumnError('visits.csv', 'mrn', 'a key')],
];

describe('input problems: one sentence on the page and in the CLI', () => {
  it.each(ERRORS)('%s: what and where are the same; only the control named differs', (_, error) => {
    const page = inputProblemOf(error, [], PAGE_CONTROLS);
    const cli = inputProblemOf(error, [], CLI_CONTROLS);
    expect(page?.message).toBeTruthy();
    expect(cli?.message).toBe(page?.message);
    expect(cli?.file).toBe(page?.file);
    expect(cli?.byteOffset).toBe(page?.byteOffset);
    expect(cli?.advice).not.toMatch(/"Read as"|"Delimiter"|untick|under "Checks/);
  });

  it('names the file, line and byte of a bad byte, and the option to use in the CLI', () => {
    const problem = inputProblemOf(ERRORS[0]?.[1], [], CLI_CONTROLS);
    expect(problem && inputProblemText(problem)).toBe(
      'big.csv is not valid UTF-8 text: the byte at line 25,001, byte 150,002 cannot be read in that encoding. Give the encoding the file was saved in with --encoding (old Windows systems often use Windows-1252), or save the file again as UTF-8.',
    );
    expect(runStopMessage(ERRORS[4]?.[1])).toBe(
      'visits.csv has no column "mrn" (named as a key). Name a column the file has, or check --delimiter.',
    );
  });

  it.each(ERRORS.slice(0, 2))(
    '%s: the report, the error and the page give the same what and where',
    (_, error) => {
      const bad = error as TextDecodeError;
      const place = inputProblemOf(bad, [], PAGE_CONTROLS)?.message.replace(/\.$/, '') as string;
      expect(refusedInputMessage(bad.source, bad).startsWith(place)).toBe(true);
      expect(bad.message.startsWith(place)).toBe(true);
    },
  );

  it('says a bound crossed as the page does: in validate with its options, elsewhere in the error itself', () => {
    const error = ERRORS[2]?.[1] as CsvRecordTooLongError;
    const page = inputProblemOf(error, [], PAGE_CONTROLS);
    expect(page?.message).toBe(
      'notes.csv: the cell in column 2 of row 2 (from byte 16) is longer than 4,194,304 characters.',
    );
    expect(runStopMessage(error)).toBe(
      `${page?.message} Most likely a quote is opened and never closed. Check that cell in the file, or check the quote characters in the file.`,
    );
    // sample and workflow discover, on the page and in the CLI, say the error's own message
    expect(error.message.startsWith(`${page?.message} `)).toBe(true);
    const columns = new CsvRecordTooLongError(7, 16_384, 'columns', 16_385, false, 'wide.csv', {
      byteOffset: 90,
    });
    expect(runStopMessage(columns)).toBe(
      'wide.csv: row 7 (from byte 90) has more than 16,384 columns. Most likely this is not a CSV file, or the delimiter is wrong. Check --delimiter, or export the extract again as CSV.',
    );
    expect(columns.message).toMatch(/ Check the delimiter, or export the extract again as CSV\.$/);
  });

  it('tells a workbook from a text file by its first bytes, in either words', () => {
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);
    expect(notTextProblem('book.csv', xlsx, PAGE_CONTROLS)?.advice).toMatch(/then choose the CSV file\.$/);
    expect(notTextProblem('book.csv', xlsx, CLI_CONTROLS)?.advice).toMatch(/then give the CSV file\.$/);
    expect(notTextProblem('fine.csv', new TextEncoder().encode('id,'), CLI_CONTROLS)).toBeUndefined();
  });

  it('names the places of a mapping that cannot run, and how to give it its file in either words', () => {
    const problems = [1, 2, 3, 4].map((k) => ({ path: `/fields/${k}/target`, message: 'clashes' }));
    const cli = mappingCompileProblem('mapping "m.json"', 'a.csv', problems, CLI_CONTROLS);
    const page = mappingCompileProblem('mapping "m.json"', 'a.csv', problems, PAGE_CONTROLS);
    expect(inputProblemText(cli)).toBe(
      'The mapping "m.json" cannot run on a.csv: /fields/1/target: clashes; /fields/2/target: clashes; /fields/3/target: clashes (and 1 more). Correct the mapping at the places named, or pair it with the file it was written for (--mapping file.csv=mapping.json).',
    );
    expect(page.message).toBe(cli.message);
    expect(page.advice).toMatch(/or choose the file it was written for\.$/);
    expect(page.schemaPaths).toEqual(problems.map((p) => p.path));
    expect(inputProblemText(notFhirTargetProblem('mapping "m.json"', 'Patients', 'a.csv'))).toBe(
      'The mapping "m.json" maps to "Patients", which is not an R4 resource type, so its records cannot be checked as FHIR. Correct the mapping’s target to an R4 resource type (such as Patient or Observation, spelled exactly).',
    );
  });

  it('is undefined for an error that is not the input (a bug)', () => {
    expect(inputProblemOf(new TypeError('x is undefined'), [], CLI_CONTROLS)).toBeUndefined();
    expect(runStopMessage(new TypeError('x is undefined'))).toBeUndefined();
  });
});
