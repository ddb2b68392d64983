/**
 * `preflight fhir validate <file…>`: FHIR R4 resources, Bundles and NDJSON exports through the
 * same core and layers as the app, with the same `preflight.report/v1` (`preflight validate --fhir`
 * runs this command too).
 *
 * Constraints:
 * - NDJSON (`.ndjson`, `.jsonl`) is streamed: one strict UTF-8 decoder over the file's chunks,
 *   memory bounded by the chunk and the report, any size. Other files are read whole (a Bundle
 *   is one JSON value), up to {@link MAX_JSON_BYTES}.
 * - stdout and stderr never carry a value from the data: the summary prints rules, locations,
 *   counts and messages only. Values appear only as examples in the --report file (dropped with
 *   --redact).
 * - Exit codes: 0 no errors, 1 some resource has an error, 2 bad usage or an unreadable file.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createUtf8StreamDecoder, Utf8DecodeError } from '../../core/csv/index.ts';
import { generatedModules } from '../../core/migration/fhir/generatedModules.ts';
import { FHIR_LAYERS, type FhirLayer } from '../../core/migration/fhir/rules.ts';
import { createFhirRun, type RecordOutcome, toOperationOutcome } from '../../core/migration/fhir/run.ts';
import { createFhirSession, type UnknownExtensionSeverity } from '../../core/migration/fhir/validator.ts';
import { withDigests } from '../../core/validation/index.ts';
import { decodeUtf8Strict } from '../../formats/jsonText.ts';
import type { Report } from '../../formats/report.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type OptionSpec,
  type ParsedArgs,
  UsageError,
} from '../command.ts';
import { digestFiles } from '../fileDigests.ts';

/** Largest single JSON file read whole (NDJSON has no limit: it is streamed). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** Issue groups printed in the terminal summary (the report holds all). */
const SHOWN_ISSUES = 20;

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Whether a file is NDJSON, by its extension. */
export function isNdjsonFile(file: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(file);
}

class UnreadableFile extends Error {
  override name = 'UnreadableFile';
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

function unreadable(file: string, error: unknown): UnreadableFile {
  if (error instanceof Utf8DecodeError)
    return new UnreadableFile(
      `cannot read "${file}": not UTF-8 text (invalid byte at offset ${error.byteOffset}); save it as UTF-8`,
    );
  const code = (error as { code?: unknown })?.code;
  const why = typeof code === 'string' ? (READ_FAILURES[code] ?? `read error ${code}`) : 'read error';
  return new UnreadableFile(`cannot read "${file}": ${why}.`);
}

async function* decodedChunks(file: string): AsyncGenerator<string> {
  const decoder = createUtf8StreamDecoder(file);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    yield decoder.decode(chunk as Uint8Array);
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/** Layers `--skip` may name: every one but JSON, without which nothing can be read. */
export const SKIPPABLE_LAYERS = FHIR_LAYERS.filter((l) => l !== 'json');
const SKIPPABLE = SKIPPABLE_LAYERS;

function parseLayers(skipped: string[]): FhirLayer[] {
  for (const name of skipped) {
    if (name === 'json')
      throw new UsageError(
        'the json layer cannot be skipped: nothing can be checked without reading the JSON',
      );
    if (!(FHIR_LAYERS as readonly string[]).includes(name))
      throw new UsageError(`unknown layer "${name}" for --skip; layers are: ${SKIPPABLE.join(', ')}`);
  }
  return FHIR_LAYERS.filter((l) => !skipped.includes(l));
}

/** The `--unknown-extensions` option, shared by every command that runs the FHIR layers. */
export const UNKNOWN_EXTENSIONS_OPTION: OptionSpec = {
  name: 'unknown-extensions',
  type: 'string',
  valueName: 'error|warning',
  description:
    'how to report extensions the FHIR specification does not define (default error, as the HL7 validator; warning for exports full of national or vendor extensions)',
};

/** The value of `--unknown-extensions` (default error). */
export function unknownExtensionSeverity(args: ParsedArgs): UnknownExtensionSeverity {
  const value = args.string('unknown-extensions') ?? 'error';
  if (value !== 'error' && value !== 'warning')
    throw new UsageError('--unknown-extensions takes "error" or "warning"');
  return value;
}

/** The FHIR layers the user did not `--skip` (json cannot be skipped). */
export function layersFromArgs(args: ParsedArgs): FhirLayer[] {
  return parseLayers(args.strings('skip'));
}

/** The report without any value from the data (examples keep input, row and location). */
export function redactReport(report: Report): Report {
  return {
    ...report,
    redacted: true,
    issues: report.issues.map((issue) => ({
      ...issue,
      examples: issue.examples.map(({ value: _value, ...rest }) => rest),
    })),
  };
}

function summaryLines(report: Report): string[] {
  const { summary } = report;
  const lines = [
    `${summary.records} resource${summary.records === 1 ? '' : 's'} in ${report.inputs.length} file${report.inputs.length === 1 ? '' : 's'}: ${summary.valid} valid, ${summary.invalid} invalid (${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'})`,
  ];
  for (const issue of report.issues.slice(0, SHOWN_ISSUES)) {
    const first = issue.examples[0];
    const where = first
      ? ` (first: ${first.input ?? ''}${first.row !== undefined ? ` row ${first.row}` : ''}${first.column ? ` ${first.column}` : ''})`
      : '';
    lines.push(
      `  ${issue.severity.padEnd(7)} ${issue.location || '(file)'} ×${issue.count}: ${issue.message ?? issue.rule} [${issue.rule}]${where}`,
    );
  }
  if (report.issues.length > SHOWN_ISSUES)
    lines.push(`  … and ${report.issues.length - SHOWN_ISSUES} more kinds of issue in the report`);
  return lines;
}

/**
 * Makes the generated validators when they are missing or stale (a fresh clone that has not run
 * `npm test` or `npm start` yet): they are build output of src/cli/generateFhir.ts, not committed.
 */
export async function ensureGenerated(io: CliIo, command = 'fhir validate'): Promise<void> {
  const generator = await import('../generateFhir.ts');
  if (generator.isFresh()) return;
  io.stderr(`preflight ${command}: preparing the FHIR R4 validators (once, about 10 seconds)…`);
  generator.writeFhirFiles();
}

/** The `preflight fhir validate` command. */
export const fhirValidateCommand: Command = {
  name: 'fhir validate',
  summary: 'validate FHIR R4 resources, Bundles and NDJSON exports',
  operands: '<file...>',
  options: [
    {
      name: 'report',
      type: 'string',
      valueName: 'file',
      description: 'write the preflight.report/v1 JSON here',
    },
    {
      name: 'outcomes',
      type: 'string',
      valueName: 'file',
      description: 'write one OperationOutcome per resource here, as NDJSON lines {input, row, outcome}',
    },
    {
      name: 'skip',
      type: 'string',
      multiple: true,
      valueName: 'layer',
      description: `switch a layer off (${SKIPPABLE.join(', ')})`,
    },
    {
      name: 'redact',
      type: 'boolean',
      description: 'leave the values out of the report (examples keep row and location)',
    },
    { name: 'json', type: 'boolean', description: 'print the report JSON instead of the summary' },
    UNKNOWN_EXTENSIONS_OPTION,
  ],
  description: [
    'Validates FHIR R4 JSON: a resource or a Bundle per .json file, or NDJSON (.ndjson, .jsonl; one',
    'resource per line, streamed, any size). Layers: JSON, structure (the R4 JSON Schema of each',
    'resource type), cardinality, values, extensions, invariants, bindings (required value sets of',
    'the specification) and references (inside Bundles and across the NDJSON files of one run).',
    'The summary names rules, locations and counts; values appear only in the --report file.',
  ].join('\n'),
  notes: 'Exit codes: 0 no errors, 1 some resource has an error, 2 bad usage or a file cannot be read.',
  run: (args: ParsedArgs, io: CliIo) => validateFhirFiles(args, io, 'fhir validate'),
};

/**
 * The work of `preflight fhir validate` (and of its alias `preflight validate --fhir`): `command`
 * names the command in messages. Reads the options `report`, `outcomes`, `skip`, `redact`, `json`
 * and `unknown-extensions`, which every command calling it declares.
 */
export async function validateFhirFiles(args: ParsedArgs, io: CliIo, command: string): Promise<number> {
  if (args.operands.length === 0) throw new UsageError('give at least one FHIR file to validate');
  const layers = layersFromArgs(args);
  const unknownExtensions = unknownExtensionSeverity(args);
  await ensureGenerated(io, command);
  const startedMs = performance.now();
  const startedAt = new Date().toISOString();
  const session = await createFhirSession(generatedModules, { layers, unknownExtensions });
  const outcomes: string[] = [];
  const outcomesFile = args.string('outcomes');
  const run = createFhirRun(session, {
    ...(outcomesFile
      ? {
          onRecord: (o: RecordOutcome) => {
            outcomes.push(
              JSON.stringify({ input: o.input, row: o.row, outcome: toOperationOutcome(o.issues) }),
            );
          },
        }
      : {}),
  });
  for (const operand of args.operands) {
    const file = path.resolve(io.cwd, operand);
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      if (isNdjsonFile(file)) {
        await run.addNdjson(operand, decodedChunks(file), info.size);
      } else {
        if (info.size > MAX_JSON_BYTES)
          throw new UnreadableFile(
            `cannot read "${operand}": larger than 256 MiB; export it as NDJSON (one resource per line) to validate it streamed`,
          );
        const decoded = decodeUtf8Strict(await readFile(file));
        if (!decoded.ok) throw new Utf8DecodeError(decoded.offset, operand);
        await run.addJson(operand, decoded.text, info.size);
      }
    } catch (error) {
      // file-system and decoding failures are the user's to fix; anything else is a bug (main reports it)
      const failure =
        error instanceof UnreadableFile
          ? error
          : error instanceof Utf8DecodeError || typeof (error as { code?: unknown })?.code === 'string'
            ? unreadable(operand, error)
            : undefined;
      if (!failure) throw error;
      io.stderr(`preflight ${command}: ${failure.message}`);
      return EXIT_USAGE;
    }
  }
  let report = run.report({
    startedAt,
    generatedAt: new Date().toISOString(),
    totalMs: Math.round(performance.now() - startedMs),
    version: VERSION,
  });
  report = withDigests(report, await digestFiles(args.operands, io.cwd));
  if (args.flag('redact')) report = redactReport(report);
  const reportFile = args.string('report');
  if (reportFile) await writeFile(path.resolve(io.cwd, reportFile), `${JSON.stringify(report, null, 2)}\n`);
  if (outcomesFile)
    await writeFile(path.resolve(io.cwd, outcomesFile), outcomes.length ? `${outcomes.join('\n')}\n` : '');
  if (args.flag('json')) io.stdout(JSON.stringify(report, null, 2));
  else io.stdout(summaryLines(report).join('\n'));
  return report.summary.invalid > 0 ? EXIT_FINDINGS : EXIT_OK;
}
