/**
 * An input a validation run cannot use, in words for clinic staff: what is wrong, where (the file,
 * line, row, column or byte) and what to do. One function per problem, the same sentence on the
 * page and in the CLI: only the control the advice names differs (a field of the page, an option
 * of the command), given as {@link ProblemControls}. Never a cell's value.
 */
import { CsvRecordTooLongError, csvLimitWords, TextDecodeError, textDecodeWords } from '../csv/index.ts';
import { describeLocation, InputReadError } from '../jobs/errors.ts';
import { EmptyInputError, FullValidationRequiredError, UnknownColumnError } from './validateCsv.ts';
import { ReferenceCycleError, UnknownInputError } from './validateInputs.ts';

/** An input problem: the file, what is wrong and where, what to do; where it is when known. */
export interface InputProblemWords {
  /** the file (or contract) concerned */
  file: string;
  /** what is wrong and where (never a cell value) */
  message: string;
  /** what to do about it */
  advice: string;
  byteOffset?: number;
  row?: number;
  /** JSON Pointers into the contract or mapping, for one that does not compile */
  schemaPaths?: string[];
}

/** How the user changes what a problem's advice names: the page's fields or the CLI's options. */
interface ProblemControls {
  /** reading the file in another encoding (a sentence's start) */
  encoding: string;
  /** the delimiter, as in "Check …" */
  delimiter: string;
  /** the quote character, as in "…, or …" */
  quote: string;
  /** telling that a file has no header row (a sentence's end) */
  noHeader: string;
  /** choosing a column for a key or link (a sentence) */
  column: string;
  /** removing a link between files (a sentence) */
  links: string;
  /** starting the run again (a sentence) */
  again: string;
  /** giving a file again (a sentence) */
  chooseAgain: string;
  /** giving the file exported as CSV, "then …" */
  chooseCsv: string;
  /** giving a mapping with the file it was written for, "or …" */
  mappingFile: string;
}

/** The page's fields. */
export const PAGE_CONTROLS: ProblemControls = {
  encoding: 'Choose the encoding the file was saved in under "Read as"',
  delimiter: '"Delimiter"',
  quote: 'choose the right quote character',
  noHeader: 'untick "First row holds column names" if it has none',
  column: 'Pick a column the file has under "Checks across records and files", or check the delimiter.',
  links: 'Remove one of the links under "Checks across records and files".',
  again: 'Reload the page and try again.',
  chooseAgain: 'The file may have been moved, changed or deleted since you chose it. Choose it again.',
  chooseCsv: 'choose the CSV file',
  mappingFile: 'choose the file it was written for',
};

/** The options of `preflight validate`. */
export const CLI_CONTROLS: ProblemControls = {
  encoding: 'Give the encoding the file was saved in with --encoding',
  delimiter: '--delimiter',
  quote: 'check the quote characters in the file',
  noHeader: 'give --no-header if it has none',
  column: 'Name a column the file has, or check --delimiter.',
  links: 'Remove one of the links (--references).',
  again: 'Run the command again.',
  chooseAgain: 'The file may have been moved, changed or deleted. Check its path and run the command again.',
  chooseCsv: 'give the CSV file',
  mappingFile: 'pair it with the file it was written for (--mapping file.csv=mapping.json)',
};

/** A problem as one text: what, where, then what to do (the CLI's line). */
export function inputProblemText(problem: InputProblemWords): string {
  return `${problem.message} ${problem.advice}`;
}

/** Bytes that are not text in the file's encoding (a zero byte: not a text file at all). */
function textDecodeProblem(error: TextDecodeError, controls: ProblemControls): InputProblemWords {
  const { message, advice } = textDecodeWords(error, controls);
  return { file: error.source, byteOffset: error.byteOffset, message: `${message}.`, advice };
}

/** A record, cell, column name or column count over the reader's bounds; `only`: the file when the error does not name it. */
function csvLimitProblem(
  error: CsvRecordTooLongError,
  only: string,
  controls: ProblemControls,
): InputProblemWords {
  const named = error.source === undefined && only !== '' ? error.inSource(only) : error;
  const byteOffset = named.place.byteOffset;
  return {
    file: named.source ?? '',
    row: named.row,
    ...(byteOffset !== undefined ? { byteOffset } : {}),
    ...csvLimitWords(named, controls),
  };
}

/** A file with no header row. */
function emptyInputProblem(error: EmptyInputError, controls: ProblemControls): InputProblemWords {
  return {
    file: error.source,
    message: `${error.source} is empty: it has no header row.`,
    advice: `Choose the full extract, or ${controls.noHeader}.`,
  };
}

/** A column named for a key, link or demographics that the file does not have. */
function unknownColumnProblem(error: UnknownColumnError, controls: ProblemControls): InputProblemWords {
  return {
    file: error.source,
    message: `${error.source} has no column "${error.column}" (named as ${error.role}).`,
    advice: controls.column,
  };
}

/**
 * A mapping (`mapping`: its name as said, such as `mapping "patients.json"`) that cannot run on
 * `file`'s header: the first problems at their places in the mapping (JSON Pointers).
 */
export function mappingCompileProblem(
  mapping: string,
  file: string,
  problems: readonly { path: string; message: string }[],
  controls: ProblemControls,
): InputProblemWords {
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return {
    file,
    message: `The ${mapping} cannot run on ${file}: ${problems
      .slice(0, 3)
      .map((p) => `${p.path || '/'}: ${p.message}`)
      .join('; ')}${more}.`,
    advice: `Correct the mapping at the places named, or ${controls.mappingFile}.`,
    schemaPaths: problems.map((p) => p.path || '/'),
  };
}

/** A mapping (named as in {@link mappingCompileProblem}) whose target is not an R4 resource type. */
export function notFhirTargetProblem(mapping: string, target: string, file: string): InputProblemWords {
  return {
    file,
    message: `The ${mapping} maps to "${target}", which is not an R4 resource type, so its records cannot be checked as FHIR.`,
    advice:
      'Correct the mapping’s target to an R4 resource type (such as Patient or Observation, spelled exactly).',
  };
}

/**
 * The problem of an error that stops a run because an input cannot be used, or undefined for any
 * other error (a bug). `inputs`: the run's files (one: the file an error that does not name it is about).
 */
export function inputProblemOf(
  error: unknown,
  inputs: readonly { name: string }[],
  controls: ProblemControls,
): InputProblemWords | undefined {
  const only = inputs.length === 1 ? (inputs[0]?.name ?? '') : '';
  if (error instanceof TextDecodeError) return textDecodeProblem(error, controls);
  if (error instanceof CsvRecordTooLongError) return csvLimitProblem(error, only, controls);
  if (error instanceof EmptyInputError) return emptyInputProblem(error, controls);
  if (error instanceof UnknownColumnError) return unknownColumnProblem(error, controls);
  if (error instanceof FullValidationRequiredError)
    return {
      file: error.source,
      message: `The contract for ${error.source} needs the full check, which could not start.`,
      advice: controls.again,
    };
  if (error instanceof ReferenceCycleError || error instanceof UnknownInputError)
    return {
      file: only,
      message: `The links between files cannot be checked: ${error.message}.`,
      advice: controls.links,
    };
  if (error instanceof InputReadError)
    return {
      file: error.location.source,
      ...(error.location.byteOffset === undefined ? {} : { byteOffset: error.location.byteOffset }),
      message: `Preflight could not read ${describeLocation(error.location)}${readCause(error.causeName)}.`,
      advice: controls.chooseAgain,
    };
  return undefined;
}

/** Why a read failed, in words, where the system's code says (the code itself otherwise). */
function readCause(cause: string): string {
  const words: Record<string, string> = {
    ENOENT: 'it is no longer there',
    EACCES: 'permission was refused',
    EPERM: 'permission was refused',
    EISDIR: 'it is a folder',
    NotReadableError: 'the browser may no longer read it',
    NotFoundError: 'it is no longer there',
  };
  return cause === '' ? '' : ` (${words[cause] ?? cause})`;
}

/** Files people pick by mistake, told apart by their first bytes (never by their name). */
const NOT_TEXT: readonly { magic: readonly number[]; what: string; advice: string }[] = [
  {
    magic: [0x50, 0x4b, 0x03, 0x04],
    what: 'an Excel workbook or another zipped file',
    advice: 'Open it in its program and save or export each sheet as CSV, then',
  },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an older Excel or Office file',
    advice: 'Open it in Excel and save it as CSV, then',
  },
  {
    magic: [0x25, 0x50, 0x44, 0x46],
    what: 'a PDF document',
    advice: 'Ask for the extract as a CSV or tab-separated text file, then',
  },
];

/** The problem of a file that is not text at all (a workbook, a PDF), from its first bytes. */
export function notTextProblem(
  name: string,
  prefix: Uint8Array,
  controls: ProblemControls,
): InputProblemWords | undefined {
  const hit = NOT_TEXT.find((n) => n.magic.every((byte, i) => prefix[i] === byte));
  return hit
    ? {
        file: name,
        message: `${name} is ${hit.what}, not a CSV or TSV text file.`,
        advice: `${hit.advice} ${controls.chooseCsv}.`,
      }
    : undefined;
}
