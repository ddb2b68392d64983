/**
 * `preflight workflow import-bpmn <file.bpmn> [-o out.json]`: reads a BPMN 2.0 file with the
 * core's `importBpmn` (the function the app runs in its worker) and prints the workflow as
 * `preflight.workflow/v1` JSON — to stdout, or to the `-o` file.
 *
 * Constraints:
 * - stdout carries only the workflow JSON, so it can be piped; the reader's account (what the file
 *   holds that was not used, each with its count, where it is first seen and its effect) and the
 *   problems go to stderr. With `--json`, stdout carries one object instead:
 *   `{ file, workflow?, notCarriedOver, account, problems }` (the workflow only without `-o`).
 * - Names of elements and attributes come from the file: shown escaped (terminalText.ts); the
 *   account never holds a value.
 * - The file's bytes are decoded by the encoding its XML declaration names (ISO-8859-1 too).
 * - A file without a diagram (BPMN DI) is laid out in its lanes, as the app does.
 * - Exit 0: imported (things not carried over are listed, not errors). 1: imported, but the
 *   workflow breaks a rule of the format (e.g. branch probabilities not summing to 1); it is still
 *   written, as a draft to fix. 2: bad usage, or a file that cannot be read or is not BPMN 2.0.
 */
import { accountWords, type ReaderAccount } from '../../core/readerAccount/index.ts';
import { accountSections, type BpmnProblem, importBpmnBytes } from '../../core/workflow/bpmn/index.ts';
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
import { terminalText } from '../terminalText.ts';
import { withClaimedOutputs, writeOutput } from '../wholeFiles.ts';
import { readInput } from './bpmnFiles.ts';

const NAME = 'workflow import-bpmn';

/** One stderr line per problem: severity, code, where, what. */
function formatBpmnProblem(file: string, problem: BpmnProblem): string {
  const at = [
    problem.line !== undefined
      ? `line ${problem.line}${problem.column !== undefined ? `, column ${problem.column}` : ''}`
      : '',
    problem.elementId !== undefined ? `element ${problem.elementId}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${file}: ${problem.severity} [${problem.code}]${at ? ` (${at})` : ''}: ${problem.message}`;
}

/**
 * The account on stderr: what was not used and what was read by a choice, a line each with its
 * count, place and effect; then the drawing's own details in one line of names and counts.
 */
function accountLines(file: string, account: ReaderAccount): string[] {
  const { byChoice, notUsed, drawing } = accountSections(account);
  const lines: string[] = [];
  const words = (part: ReaderAccount['lines']) =>
    accountWords({ ...account, lines: part }).map((line) => `  - ${terminalText(line)}`);
  if (notUsed.length > 0) lines.push(`Not carried over from ${file} (${notUsed.length}):`, ...words(notUsed));
  if (byChoice.length > 0)
    lines.push(`Read by a choice from ${file} (${byChoice.length}):`, ...words(byChoice));
  if (drawing.length > 0) {
    const names = drawing.map((line) => `${terminalText(line.name)} ×${line.count}`).join(', ');
    lines.push(
      `Details of the drawing not kept (Preflight draws these itself) (${drawing.length}): ${names}`,
    );
  }
  return lines;
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file, ...extra] = args.operands;
  if (file === undefined) throw new UsageError('give the BPMN file to import');
  if (extra.length > 0) throw new UsageError('give one BPMN file at a time');
  const read = await readInput(file, io.cwd);
  if (!read.ok) {
    io.stderr(`preflight ${NAME}: ${read.message}.`);
    return EXIT_USAGE;
  }
  const result = await importBpmnBytes(read.bytes, { layoutWithoutDiagram: true });
  const json = args.flag('json');
  if (!result.workflow) {
    if (json) {
      const { notCarriedOver, account, problems } = result;
      writeData(io, `${JSON.stringify({ file, notCarriedOver, account, problems }, null, 2)}\n`);
    }
    for (const problem of result.problems) io.stderr(formatBpmnProblem(file, problem));
    return EXIT_USAGE;
  }
  const output = args.string('output');
  if (output !== undefined || !json) {
    const failed = await writeOutput(`${JSON.stringify(result.workflow, null, 2)}\n`, output, io);
    if (failed) {
      io.stderr(`preflight ${NAME}: ${failed}.`);
      return EXIT_USAGE;
    }
  }
  if (json) {
    const { workflow, notCarriedOver, account, problems } = result;
    const report = { file, ...(output === undefined ? { workflow } : {}), notCarriedOver, account, problems };
    writeData(io, `${JSON.stringify(report, null, 2)}\n`);
  }
  for (const line of accountLines(file, result.account)) io.stderr(line);
  for (const problem of result.problems) io.stderr(formatBpmnProblem(file, problem));
  return result.problems.some((p) => p.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/** `preflight workflow import-bpmn`. */
export const workflowImportBpmnCommand: Command = {
  name: NAME,
  summary: 'read a BPMN 2.0 file (bpmn.io, Camunda, Signavio, …) as a Preflight workflow',
  operands: '<file.bpmn>',
  options: [
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'out.json',
      description: 'write the workflow JSON to this file instead of stdout',
    },
    {
      name: 'json',
      type: 'boolean',
      description:
        'print one JSON object on stdout: the file, the workflow (unless -o), what was not carried over, the reader account and the problems',
    },
  ],
  description: [
    'Reads a BPMN 2.0 XML file and prints it as a preflight.workflow/v1 JSON document: lanes become',
    'lanes, tasks and sub-process steps become tasks, gateways become decisions, events become',
    'start, end and wait steps, and sequence flows become flows. Preflight attributes written by',
    '"export-bpmn" (the preflight: extension) are read back. Timers become wait minutes where they',
    'are durations; performers and Camunda assignments are kept. Everything else the file holds',
    "(other tools' settings, timers set to a date, details of the drawing, …) is listed on stderr:",
    'each element or attribute by name, how often it was seen, where first, and what that means.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 imported; 1 imported, but the workflow breaks a rule of the format (it is still',
    'written, to be fixed); 2 bad usage, or a file that cannot be read or is not BPMN 2.0.',
  ].join('\n'),
  // the -o file is claimed for the whole run: a killed run is named by the next (wholeFiles.ts)
  examples: [
    {
      args: ['samples/workflows/prescription-refill.current.bpmn'],
      does: 'print a BPMN file as a Preflight workflow',
      exits: 0,
    },
  ],
  run: (args, io) => withClaimedOutputs([args.string('output')], io, () => run(args, io)),
};
