/**
 * `preflight workflow export-bpmn <workflow.json> [-o out.bpmn]`: writes a `preflight.workflow/v1`
 * file as BPMN 2.0 XML with diagram interchange, with the core's `exportBpmn` (the app's too), so
 * bpmn.io, Camunda Modeler and Signavio open it laid out, with every Preflight attribute kept in
 * the `preflight:` extension for the way back.
 *
 * Constraints:
 * - The workflow is loaded like everywhere else (`loadWorkflow`: tag, migrations, schema, rules);
 *   problems are printed with their JSON path, never a value from the file.
 * - Exit 0 written; 1 the file is a workflow with problems (nothing is written); 2 bad usage, or a
 *   file that cannot be read or is not a workflow.
 */
import { exportBpmn } from '../../core/workflow/bpmn/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import { identifyFormat } from '../../formats/registry.ts';
import { loadWorkflow, WORKFLOW_FORMAT } from '../../formats/workflow.ts';
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

const NAME = 'workflow export-bpmn';

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file, ...extra] = args.operands;
  if (file === undefined) throw new UsageError('give the workflow JSON file to export');
  if (extra.length > 0) throw new UsageError('give one workflow file at a time');
  const fail = (message: string, code = EXIT_USAGE) => {
    io.stderr(`preflight ${NAME}: ${file}: ${message}`);
    return code;
  };
  const read = await readInput(file, io.cwd);
  if (!read.ok) {
    io.stderr(`preflight ${NAME}: ${read.message}.`);
    return EXIT_USAGE;
  }
  const decoded = decodeUtf8Strict(read.bytes, file);
  if (!decoded.ok) {
    io.stderr(`preflight ${NAME}: ${decoded.problem.message}.`);
    return EXIT_USAGE;
  }
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) {
    return fail(
      `not JSON (line ${parsed.position.line}, column ${parsed.position.column}); give a ${WORKFLOW_FORMAT} file.`,
    );
  }
  const identity = identifyFormat(parsed.value);
  const loaded = loadWorkflow(parsed.value);
  if (!loaded.ok) {
    // a workflow whose content breaks the format is "1, fix it"; anything else is "2, wrong file"
    const readable =
      (identity.status === 'current' || identity.status === 'older') &&
      identity.format.tag === WORKFLOW_FORMAT;
    if (!readable) {
      const first = loaded.problems[0];
      return fail(`${first ? first.message : 'not a workflow'}; give a ${WORKFLOW_FORMAT} file.`);
    }
    for (const problem of loaded.problems)
      io.stderr(`${file}: ${problem.path || '/'}: ${problem.message} [${problem.code}]`);
    return fail('the workflow has problems (above); fix them and export again.', EXIT_FINDINGS);
  }
  const failed = await writeOutput(await exportBpmn(loaded.value), args.string('output'), io);
  if (failed) {
    io.stderr(`preflight ${NAME}: ${failed}.`);
    return EXIT_USAGE;
  }
  return EXIT_OK;
}

/** `preflight workflow export-bpmn`. */
export const workflowExportBpmnCommand: Command = {
  name: NAME,
  summary: 'write a Preflight workflow as BPMN 2.0 XML for bpmn.io, Camunda Modeler, Signavio',
  operands: '<workflow.json>',
  options: [
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'out.bpmn',
      description: 'write the BPMN XML to this file instead of stdout',
    },
  ],
  description: [
    'Writes a preflight.workflow/v1 file as BPMN 2.0 XML with its diagram (one pool, a lane per',
    'role, a shape per step, an edge per flow), so other BPMN tools open it laid out. Every Preflight',
    'attribute (medium, system, minutes, clicks, data entered, probabilities, …) is kept in the',
    'preflight: extension namespace, which those tools keep, and "import-bpmn" reads back.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 written; 1 the workflow has problems (listed with their JSON paths; nothing is',
    'written); 2 bad usage, or a file that cannot be read or is not a workflow.',
  ].join('\n'),
  // the -o file is claimed for the whole run: a killed run is named by the next (wholeFiles.ts)
  examples: [
    {
      args: ['samples/workflows/prescription-refill.current.json'],
      does: 'print the current refill workflow as BPMN 2.0 XML',
      exits: 0,
    },
  ],
  run: (args, io) => withClaimedOutputs([args.string('output')], io, () => run(args, io)),
};
