/**
 * `preflight check [--json] <file...>`: recognises each file — a Preflight file by its format
 * tag, or a column contract (a JSON Schema, or a Frictionless Table Schema) — and checks it: a
 * Preflight file against its schema, semantic rules and (a project file) integrity hash; a
 * contract by compiling it (a Table Schema as `validate --schema` converts it, what it does not
 * check listed as warnings). Every problem comes with its JSON path.
 *
 * Exit codes (a public contract), by one rule: is the file recognised?
 * - 0: every file is a recognised Preflight file or column contract without errors.
 * - 1: a file was recognised and has problems. Recognised means: its parsed JSON carries a
 *   Preflight format tag or is a column contract; or, when it is not valid JSON or not UTF-8,
 *   its start shows such a tag, `$schema` or schema shape (a truncated or damaged file).
 * - 2: bad usage; a file that cannot be read (missing, a directory, permission, too large); a
 *   file that is not a Preflight file or contract at all (a README, a script, a CSV, an image,
 *   JSON without a tag that is not a JSON Schema) — `unrecognised`; or a Preflight file of a
 *   version this Preflight cannot read (newer, or older without a migration): checking it needs
 *   another Preflight, not an edit.
 * With several files, the exit code is the worst of theirs (2 > 1 > 0); every file is checked.
 * Output never contains values from the files (they may be patient data), only paths and kinds of problems.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import {
  type ContractDialect,
  compileColumnContract,
  contractDialect,
  isColumnContract,
  regexCheckerFor,
} from '../../core/contract/index.ts';
import { isTableSchema, tableSchemaToJsonSchema } from '../../core/mapping/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import { type FormatProblem, PROBLEM_CODES } from '../../formats/loading.ts';
import { MAX_PROJECT_FILE_BYTES } from '../../formats/project.ts';
import { FORMATS, identifyFormat, loadAny } from '../../formats/registry.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { topLevelSkeleton } from '../jsonStart.ts';
import { oneLineStrings } from '../terminalText.ts';

/** Tag of the `--json` output; its shape is documented in src/formats/README.md. */
export const CHECK_RESULT_FORMAT = 'preflight.check-result/v1';

/**
 * Extensions of inputs that are certainly not Preflight JSON files or contracts (data goes through
 * `validate`): they are `unrecognised` without being read, as their content would make them anyway.
 */
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
type CheckStatus = 'ok' | 'invalid' | 'unreadable' | 'unrecognised';

/** The result for one file, as printed by `--json`. */
export interface CheckFileResult {
  /** the path as given on the command line */
  file: string;
  status: CheckStatus;
  /** the format tag it was checked as (after identification), when recognised */
  format?: string;
  /** the older tag it was migrated from, when it was */
  migratedFrom?: string;
  /** true when the file was recognised as a Frictionless Table Schema (a contract `validate --schema` takes) */
  tableSchema?: true;
  /** present when the file was recognised as a column contract: the JSON Schema draft it is in (null: unsupported) */
  columnContract?: { dialect: ContractDialect | null };
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

/** Options of {@link checkFile}. */
interface CheckFileOptions {
  /** largest file read; default {@link CHECK_MAX_BYTES} (tests lower it) */
  maxBytes?: number;
}

function tooLarge(file: string, maxBytes: number): CheckFileResult {
  const limit = byteSizeWords(maxBytes);
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
          `"preflight check" reads Preflight JSON files (${FORMATS.map((f) => f.title).join(', ')}) and column contracts (JSON Schema); a ${extension} file is neither`,
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
  return checkBytes(file, bytes);
}

/** "not a Preflight file or column contract: …": the start of every `unrecognised` message of content. */
const NEITHER = 'not a Preflight file or column contract';

/**
 * Judges content by the one rule of the file header: recognised (a Preflight tag, a column
 * contract — from the parsed value, or from the start of broken text) → `ok` or `invalid`;
 * otherwise `unrecognised`.
 */
async function checkBytes(file: string, bytes: Uint8Array): Promise<CheckFileResult> {
  const decoded = decodeUtf8Strict(bytes, `"${file}"`);
  if (decoded.ok) {
    const parsed = parseJsonText(decoded.text);
    if (parsed.ok) return await checkValue(file, parsed.value);
    return checkBroken(
      file,
      topLevelSkeleton(decoded.text),
      parsed.problem,
      fileProblem(
        PROBLEM_CODES.notPreflight,
        `${NEITHER}: not JSON (line ${parsed.position.line}, column ${parsed.position.column})`,
      ),
    );
  }
  // the bytes before the first invalid one are valid UTF-8: enough to see a tag at the start
  const prefix = new TextDecoder().decode(bytes.subarray(0, Math.max(decoded.offset, 0)));
  return checkBroken(
    file,
    topLevelSkeleton(prefix),
    decoded.problem,
    fileProblem(PROBLEM_CODES.notPreflight, `${NEITHER}: ${decoded.message}`),
  );
}

/** A parsed JSON value: a Preflight file by its tag, else a column contract, else unrecognised. */
async function checkValue(file: string, value: unknown): Promise<CheckFileResult> {
  const identity = identifyFormat(value);
  if (identity.status === 'newer' || identity.status === 'unsupported') {
    const result = loadAny(value);
    return { file, status: 'unrecognised', format: identity.tag, problems: result.ok ? [] : result.problems };
  }
  if (identity.status === 'unknown') {
    if (isTableSchema(value)) return await checkTableSchema(file, value);
    if (isColumnContract(value)) {
      // a pattern is also judged for catastrophic backtracking (the checker loads only for patterns)
      const compiled = compileColumnContract(value, { regexChecker: await regexCheckerFor(value) });
      return compiled.ok
        ? { file, status: 'ok', columnContract: { dialect: compiled.dialect }, problems: [] }
        : {
            file,
            status: 'invalid',
            columnContract: { dialect: compiled.dialect },
            problems: compiled.problems,
          };
    }
    return { file, status: 'unrecognised', problems: [unrecognisedProblem(value)] };
  }
  const result = loadAny(value);
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

/**
 * A Frictionless Table Schema, as `preflight validate --schema` reads one: converted to the row's
 * JSON Schema and compiled. What the conversion cannot use is a problem; what it does not check
 * is a warning (`not-checked`).
 */
async function checkTableSchema(file: string, value: Record<string, unknown>): Promise<CheckFileResult> {
  const base = { file, tableSchema: true } as const;
  const converted = tableSchemaToJsonSchema(value);
  if (!converted.ok) return { ...base, status: 'invalid', problems: converted.problems };
  const problems: FormatProblem[] = [];
  const compiled = compileColumnContract(converted.schema, {
    regexChecker: await regexCheckerFor(converted.schema),
  });
  // the converted schema's problems point into it, not into the Table Schema: name the field
  if (!compiled.ok)
    problems.push(...compiled.problems.map((p) => ({ ...p, path: tableSchemaPath(value, p.path) })));
  const warnings = converted.notes.map((note) => ({
    path: note.path,
    code: 'not-checked',
    message: note.message,
  }));
  return {
    ...base,
    status: problems.length > 0 ? 'invalid' : 'ok',
    problems,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** A pointer into the converted row schema (`/properties/<name>/…`) as one into the Table Schema's field. */
function tableSchemaPath(tableSchema: Record<string, unknown>, path: string): string {
  const match = /^\/properties\/([^/]+)/.exec(path);
  if (!match || !Array.isArray(tableSchema.fields)) return '';
  const name = (match[1] as string).replaceAll('~1', '/').replaceAll('~0', '~');
  const index = tableSchema.fields.findIndex(
    (f: unknown) => typeof f === 'object' && f !== null && (f as { name?: unknown }).name === name,
  );
  return index < 0 ? '' : `/fields/${index}`;
}

/** Why a parsed JSON value is neither a Preflight file nor a column contract. */
function unrecognisedProblem(value: unknown): FormatProblem {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('format' in value && typeof value.format === 'string') {
      const result = loadAny(value); // an unknown tag: say so at /format
      if (!result.ok && result.problems[0]) return result.problems[0];
    }
    return fileProblem(
      PROBLEM_CODES.notPreflight,
      `${NEITHER}: it has no Preflight "format" tag and is not a JSON Schema`,
    );
  }
  return fileProblem(PROBLEM_CODES.notPreflight, `${NEITHER}: expected a JSON object`);
}

/**
 * Text that is not JSON (or not UTF-8): `invalid` with `problem` when its start shows a Preflight
 * tag or a column contract, the same refusal as a parsed file for a newer tag, else
 * `unrecognised` with `unrecognised`.
 */
async function checkBroken(
  file: string,
  skeleton: Record<string, unknown> | null,
  problem: FormatProblem,
  unrecognised: FormatProblem,
): Promise<CheckFileResult> {
  if (skeleton === null) return { file, status: 'unrecognised', problems: [unrecognised] };
  const identity = identifyFormat(skeleton);
  if (identity.status === 'current' || identity.status === 'older')
    return { file, status: 'invalid', format: identity.format.tag, problems: [problem] };
  if (identity.status === 'newer' || identity.status === 'unsupported') return checkValue(file, skeleton);
  if (isColumnContract(skeleton))
    return {
      file,
      status: 'invalid',
      columnContract: { dialect: contractDialect(skeleton) },
      problems: [problem],
    };
  return { file, status: 'unrecognised', problems: [unrecognised] };
}

/** What the file was recognised as, for the human output: "workflow", "column contract, JSON Schema 2020-12". */
function kindOf(result: CheckFileResult): string | undefined {
  if (result.tableSchema) return 'column contract, Frictionless Table Schema';
  if (result.columnContract) {
    const { dialect } = result.columnContract;
    return result.status === 'ok' && dialect ? `column contract, JSON Schema ${dialect}` : 'column contract';
  }
  return FORMATS.find((f) => f.tag === result.format)?.title;
}

function describe(result: CheckFileResult): string {
  const title = kindOf(result);
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
  summary: 'validate Preflight files (workflow, mapping, report, sample plan, project) and column contracts',
  operands: '<file...>',
  options: [
    {
      name: 'json',
      type: 'boolean',
      description: `print one machine-readable result (${CHECK_RESULT_FORMAT}) on stdout`,
    },
  ],
  description: [
    'Recognises each file and checks it, listing every problem with its JSON path. Problems never',
    'quote values from the file.',
    '- A Preflight JSON file, by its "format" tag: validated against its schema and semantic rules',
    '  (a project file also against its integrity hash). A project file whose documents are in a',
    '  draft state (e.g. branch probabilities that do not sum to 1 yet) is ok, with those listed',
    '  as warnings: the app saves such drafts.',
    '- A column contract: a JSON Schema ("$schema" naming json-schema.org, or an object schema',
    '  with "type": "object" and "properties"), drafts 2020-12 (the default), 2019-09 or draft-07.',
    '  It is compiled: a misspelt keyword or type, an unknown format, a bad pattern or a "$ref" to',
    '  nothing is a problem.',
  ].join('\n'),
  notes: [
    `Files larger than ${byteSizeWords(CHECK_MAX_BYTES)} are not read (exit 2): Preflight files are small.`,
    '',
    'Exit codes: 0 every file is a Preflight file or column contract without errors; 1 a file was',
    'recognised (by its tag or schema, or — if it is damaged, e.g. truncated — by its start) and',
    'has problems; 2 bad usage, a file that cannot be read, a file that is neither (a README, a',
    'script, a CSV, an image, JSON without a tag), or one made by a newer Preflight. With several',
    'files, the worst code wins (2 over 1 over 0).',
  ].join('\n'),
  examples: [
    {
      args: ['samples/projects/demo-clinic.preflight.json', 'samples/contracts/patients.contract.json'],
      does: 'check the demo project file and a column contract',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const files = args.operands;
    if (files.length === 0) throw new UsageError('no file given');
    const results: CheckFileResult[] = [];
    for (const file of files) results.push(await checkFile(file, io.cwd));
    const exitCode = Math.max(...results.map((r) => EXIT_OF[r.status]));
    if (args.flag('json')) {
      const output: CheckResult = { format: CHECK_RESULT_FORMAT, exitCode, files: results };
      writeData(io, JSON.stringify(output, null, 2));
    } else {
      for (const result of results) {
        // every string one line: a property name in a problem's path cannot start a line
        const text = describe(oneLineStrings(result));
        if (result.status === 'unreadable' || result.status === 'unrecognised') io.stderr(text);
        else io.stdout(text);
      }
    }
    return exitCode;
  },
};
