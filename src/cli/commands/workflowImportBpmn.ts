/**
 * `preflight workflow import-bpmn <file.bpmn> [-o out.json]`: reads a BPMN 2.0 file with the
 * core's `importBpmn` (the function the app runs in its worker) and prints the workflow as
 * `preflight.workflow/v1` JSON — to stdout, or to the `-o` file.
 *
 * Constraints:
 * - stdout carries only the workflow JSON, so it can be piped; the list of what was not carried
 *   over and the problems go to stderr.
 * - The file's bytes are decoded by the encoding its XML declaration names (ISO-8859-1 too).
 * - A file without a diagram (BPMN DI) is laid out in its lanes, as the app does.
 * - Exit 0: imported (things not carried over are listed, not errors). 1: imported, but the
 *   workflow breaks a rule of the format (e.g. branch probabilities not summing to 1); it is still
 *   written, as a draft to fix. 2: bad usage, or a file that cannot be read or is not BPMN 2.0.
 */
import { type BpmnProblem, importBpmnBytes, type NotCarriedOver } from '../../core/workflow/bpmn/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
} from '../command.ts';
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

/** One stderr line per thing not carried over. */
function formatNotCarried(entry: NotCarriedOver): string {
  return `  - ${entry.elementType} ${entry.elementId}: ${entry.what}. ${entry.why}.`;
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
  if (!result.workflow) {
    for (const problem of result.problems) io.stderr(formatBpmnProblem(file, problem));
    return EXIT_USAGE;
  }
  const failed = await writeOutput(
    `${JSON.stringify(result.workflow, null, 2)}\n`,
    args.string('output'),
    io,
  );
  if (failed) {
    io.stderr(`preflight ${NAME}: ${failed}.`);
    return EXIT_USAGE;
  }
  if (result.notCarriedOver.length > 0) {
    io.stderr(`Not carried over from ${file} (${result.notCarriedOver.length}):`);
    for (const entry of result.notCarriedOver) io.stderr(formatNotCarried(entry));
  }
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
  ],
  description: [
    'Reads a BPMN 2.0 XML file and prints it as a preflight.workflow/v1 JSON document: lanes become',
    'lanes, tasks and sub-process steps become tasks, gateways become decisions, events become',
    'start, end and wait steps, and sequence flows become flows. Preflight attributes written by',
    '"export-bpmn" (the preflight: extension) are read back. What the workflow cannot hold (message',
    "flows, data objects, other tools' extensions, …) is listed on stderr with the reason.",
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
