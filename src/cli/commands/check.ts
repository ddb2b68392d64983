/**
 * `preflight check <file...> [--json]`: recognises any Preflight file by its format tag,
 * validates it (schema, semantic checks, project integrity) and prints every problem with its
 * JSON path.
 *
 * Exit codes (a public contract): 0 all files ok; 1 a checked file has errors (invalid JSON,
 * schema or semantic problems, integrity mismatch); 2 bad usage, an unreadable file, bytes that
 * are not UTF-8, or a file without a recognisable Preflight format tag / of a newer version.
 * Output never contains values from the files (STYLE.md 7), only paths and kinds of problems.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import { MAX_PROJECT_FILE_BYTES } from '../../formats/project.ts';
import { FORMATS, identifyFormat, loadAny } from '../../formats/registry.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  splitArgs,
  UsageError,
} from '../command.ts';

/** Tag of the `--json` output; its shape is documented in src/formats/README.md. */
export const CHECK_RESULT_FORMAT = 'preflight.check-result/v1';

/** Extensions of inputs that are certainly not Preflight JSON files (data goes through `validate`). */
const NOT_JSON_EXTENSIONS = new Set([
  '.csv',
  '.tsv',
  '.txt',
  '.ndjson',
  '.jsonl',
  '.xml',
  '.bpmn',
  '.xes',
  '.xlsx',
  '.xls',
]);

/** What happened to one file. */
export type CheckStatus = 'ok' | 'invalid' | 'unreadable' | 'unrecognised';

/** The result for one file, as printed by `--json`. */
export interface CheckFileResult {
  /** the path as given on the command line */
  file: string;
  status: CheckStatus;
  /** the format tag it was checked as (after identification), when recognised */
  format?: string;
  /** the older tag it was migrated from, when it was */
  migratedFrom?: string;
  problems: FormatProblem[];
  /** problems that do not make the file invalid (a project's draft states); absent when none */
  warnings?: FormatProblem[];
}

/** The whole `--json` output. */
export interface CheckResult {
  format: typeof CHECK_RESULT_FORMAT;
  exitCode: number;
  files: CheckFileResult[];
}

const EXIT_OF: Record<CheckStatus, number> = {
  ok: EXIT_OK,
  invalid: EXIT_FINDINGS,
  unreadable: EXIT_USAGE,
  unrecognised: EXIT_USAGE,
};

function fileProblem(code: string, message: string): FormatProblem {
  return { path: '', code, message };
}

function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read${code ? ` (${code})` : ''}`;
  }
}

/**
 * The largest file `preflight check` reads: the largest project file (the largest Preflight file),
 * the same limit as the app's import. A file this large is almost certainly data, and it is
 * refused rather than read whole into memory.
 */
export const CHECK_MAX_BYTES = MAX_PROJECT_FILE_BYTES;

const BYTES_PER_MIB = 1024 * 1024;

/** Options of {@link checkFile}. */
export interface CheckFileOptions {
  /** largest file read; default {@link CHECK_MAX_BYTES} (tests lower it) */
  maxBytes?: number;
}

function tooLarge(file: string, maxBytes: number): CheckFileResult {
  const limit =
    maxBytes >= BYTES_PER_MIB ? `${Math.floor(maxBytes / BYTES_PER_MIB)} MiB` : `${maxBytes} bytes`;
  return {
    file,
    status: 'unreadable',
    problems: [
      fileProblem(
        'too-large',
        `larger than ${limit}, the most "preflight check" reads: Preflight files are small, so this is probably a data file`,
      ),
    ],
  };
}

/** Reads at most `maxBytes + 1` bytes (one more tells a file over the cap), for sources without a known size. */
async function readAtMost(handle: FileHandle, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const chunkBytes = 1 << 20;
  for (;;) {
    const buffer = new Uint8Array(Math.min(chunkBytes, maxBytes + 1 - total));
    if (buffer.length === 0) break;
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks);
}

/** Checks one file; never throws. Files over {@link CHECK_MAX_BYTES} are refused unread (`too-large`). */
export async function checkFile(
  file: string,
  cwd: string,
  options: CheckFileOptions = {},
): Promise<CheckFileResult> {
  const extension = extname(file).toLowerCase();
  if (NOT_JSON_EXTENSIONS.has(extension)) {
    return {
      file,
      status: 'unrecognised',
      problems: [
        fileProblem(
          'not-preflight',
          `"preflight check" reads Preflight JSON files only for now (${FORMATS.map((f) => f.title).join(', ')}); a ${extension} file is not one`,
        ),
      ],
    };
  }
  const maxBytes = options.maxBytes ?? CHECK_MAX_BYTES;
  let bytes: Uint8Array;
  let handle: FileHandle | undefined;
  try {
    handle = await open(resolve(cwd, file), 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      return {
        file,
        status: 'unreadable',
        problems: [fileProblem('unreadable', readErrorMessage({ code: 'EISDIR' }))],
      };
    }
    // a regular file's size is known before reading it; anything else is read up to the cap
    if (stat.isFile() && stat.size > maxBytes) return tooLarge(file, maxBytes);
    bytes = await readAtMost(handle, maxBytes);
    if (bytes.length > maxBytes) return tooLarge(file, maxBytes);
  } catch (error) {
    return { file, status: 'unreadable', problems: [fileProblem('unreadable', readErrorMessage(error))] };
  } finally {
    await handle?.close().catch(() => undefined);
  }
  const decoded = decodeUtf8Strict(bytes);
  if (!decoded.ok) return { file, status: 'unreadable', problems: [decoded.problem] };
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) {
    const hint = extension === '.json' ? '' : ' ("preflight check" reads Preflight JSON files only)';
    return {
      file,
      status: 'invalid',
      problems: [{ ...parsed.problem, message: `${parsed.problem.message}${hint}` }],
    };
  }
  const identity = identifyFormat(parsed.value);
  const result = loadAny(parsed.value);
  if (identity.status === 'unknown' || identity.status === 'newer' || identity.status === 'unsupported') {
    return {
      file,
      status: 'unrecognised',
      ...(identity.status === 'unknown' ? {} : { format: identity.tag }),
      problems: result.ok ? [] : result.problems,
    };
  }
  const base = { file, format: identity.format.tag };
  if (result.ok) {
    return {
      ...base,
      status: 'ok',
      ...(result.migratedFrom ? { migratedFrom: result.migratedFrom } : {}),
      problems: [],
      ...(result.warnings ? { warnings: result.warnings } : {}),
    };
  }
  return { ...base, status: 'invalid', problems: result.problems };
}

function parseArgs(args: readonly string[]): { files: string[]; json: boolean } {
  const { flags, operands } = splitArgs(args, ['--json']);
  if (operands.length === 0) throw new UsageError('no file given');
  return { files: operands, json: flags.has('--json') };
}

function describe(result: CheckFileResult): string {
  const title = FORMATS.find((f) => f.tag === result.format)?.title;
  switch (result.status) {
    case 'ok': {
      const warnings = result.warnings ?? [];
      const summary = `${result.file}: ok (${title}${result.migratedFrom ? `, converted from an older version` : ''}${
        warnings.length > 0 ? `; ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}` : ''
      })`;
      return [
        summary,
        ...warnings.map((p) => `  warning ${p.path || '(file)'}: ${p.message} [${p.code}]`),
      ].join('\n');
    }
    case 'invalid': {
      const count = result.problems.length;
      const lines = result.problems.map((p) => `  ${p.path || '(file)'}: ${p.message} [${p.code}]`);
      return [
        `${result.file}: ${count} ${count === 1 ? 'problem' : 'problems'}${title ? ` (${title})` : ''}`,
        ...lines,
      ].join('\n');
    }
    default:
      return result.problems.map((p) => `${result.file}: ${p.message}`).join('\n');
  }
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate Preflight files (workflow, mapping, report, sample plan, project)',
  usage: [
    'Usage: preflight check [--json] [--] <file...>',
    '',
    'Recognises each Preflight JSON file by its "format" tag, validates it against its schema and',
    'semantic rules (and a project file against its integrity hash), and lists every problem with',
    'its JSON path. Problems never quote values from the file.',
    '',
    'A project file whose documents are in a draft state (e.g. branch probabilities that do not',
    'sum to 1 yet) is ok, with those listed as warnings: the app saves such drafts.',
    '',
    'Options:',
    '  --json  print one machine-readable result (preflight.check-result/v1) on stdout',
    '  --      end of options: later arguments are file names, even if they start with "-"',
    '',
    `Files larger than ${CHECK_MAX_BYTES / BYTES_PER_MIB} MiB are not read (exit 2): Preflight files are small.`,
    '',
    'Exit codes: 0 all files ok; 1 a file has errors (invalid JSON, schema or semantic problems,',
    'integrity mismatch); 2 bad usage, an unreadable or non-UTF-8 file, or not a Preflight file',
    '(or one made by a newer Preflight).',
  ].join('\n'),
  async run(args: string[], io: CliIo): Promise<number> {
    const { files, json } = parseArgs(args);
    const results: CheckFileResult[] = [];
    for (const file of files) results.push(await checkFile(file, io.cwd));
    const exitCode = Math.max(...results.map((r) => EXIT_OF[r.status]));
    if (json) {
      const output: CheckResult = { format: CHECK_RESULT_FORMAT, exitCode, files: results };
      io.stdout(JSON.stringify(output, null, 2));
    } else {
      for (const result of results) {
        const text = describe(result);
        if (result.status === 'unreadable' || result.status === 'unrecognised') io.stderr(text);
        else io.stdout(text);
      }
    }
    return exitCode;
  },
};
