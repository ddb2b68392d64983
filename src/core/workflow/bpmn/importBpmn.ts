/**
 * BPMN 2.0 XML → `preflight.workflow/v1`.
 *
 * What maps to what (decided by the readers of readers/index.ts, one per kind of element; the
 * table is in this folder's README.md):
 * - Lanes: every leaf `bpmn:lane` of a process's laneSet is a lane; nested lanes are flattened,
 *   the child keeping its path as its name ("Clinic / Front desk"). A pool (participant) without
 *   lanes, and a process without a pool, is one lane. With several pools, each lane names its
 *   pool (`pool`).
 * - Steps: tasks of every flavour, call activities and sub-processes → `task`; start/end events
 *   → `start`/`end`; exclusive gateways → `decision`; parallel and inclusive gateways → their
 *   split or join kinds; event-based and complex gateways → `decision` with a note;
 *   intermediate catch events and boundary events → `wait`; intermediate throw events → `task`.
 *   Approvals exist only through the `preflight:step kind="approval"` extension.
 * - Sub-processes are flattened for the analysis: the sub-process stays as a step (its entry),
 *   its inner steps follow it (a flow from it to each inner start) and carry `within` (its id),
 *   and its outgoing flows leave from its inner end steps. Inner start/end events are therefore
 *   `task`s, not starts/ends of the workflow.
 * - `step.bpmn` records the element a step was (a service task, a call activity, a message
 *   event…) where export would otherwise write another one (elements.ts), so the round trip
 *   keeps it.
 *   An event sub-process is entered by its event: its step carries `boundary` (trigger, and
 *   whether it interrupts) without `attachedTo`, and its inner end events stay `end`s.
 * - A boundary event becomes a `wait` step in its activity's lane with `boundary` { attachedTo,
 *   trigger, interrupting }, reached by a flow from the activity: its exception path, taken with
 *   its own chance (the flow's, or the format's stated default), never an even split.
 * - A link throw event is connected to its link catch event (by reference, else by name at its level).
 *   A compensation boundary event is connected to its handler (the association between them).
 * - Sequence flows → flows; names and conditions go into the source step's notes; probability and
 *   transfer come from `preflight:flow`. Text annotations associated with a step go into its notes.
 * - Positions come from BPMN DI (see geometry.ts); vertical lanes are turned by 90° so lanes
 *   become horizontal bands. No DI → no position ("lay out automatically").
 * - Pools of a collaboration of several → `pools` (each lane names its own), a process with steps
 *   drawn without a pool beside a pool being a pool of its own; message flows →
 *   `messageFlows` (never flows); data object and store references with the associations of the
 *   steps that read and write them (data associations, or plain associations from the data to an
 *   activity or back) → `dataObjects`, one per data object or store, each further reference
 *   drawing it kept among its `drawings` with the links drawn to it. A process with no step beside a collaboration is no pool; its data is read.
 * - Everything else (data objects nothing draws, groups, loop markers,
 *   vendor extensions, a link event without its pair) is listed in `notCarriedOver`.
 *
 * Never throws on any input text: a failure is a problem with the element id or line.
 */

import { createAccount } from '../../readerAccount/index.ts';
import { createXmlTokenLimit, MAX_XML_TOKEN_CHARS } from '../eventlog/xmlTokenLimit.ts';
import { layoutWorkflow } from '../layout/layout.ts';
import { emptyBpmnAccount, finishBpmnAccount } from './account.ts';
import { decodeXmlBytes } from './decode.ts';
import { bpmnModdle, type El, EXPORTER } from './model.ts';
import { MAX_SUBPROCESS_DEPTH, tooDeeplyNested } from './nesting.ts';
import {
  groupUnrecognized,
  parseFailure,
  repairIds,
  resolveQualifiedReferences,
  simulatorChances,
  warningProblem,
  where,
} from './readerProblems.ts';
import { ImportContext, READ_ELEMENTS, runReaders } from './readers/index.ts';
import type { BpmnImportResult, BpmnProblem } from './types.ts';

export { repairIds };

/**
 * Reads a BPMN 2.0 XML text (already decoded, see decode.ts) into a workflow. Never throws.
 *
 * The XML reader under bpmn-moddle (saxes) holds a whole attribute value or text run before it
 * reports it, and the model keeps every name: without a bound, one name is limited only by the
 * file's size limit. So the text is scanned first with the event-log readers' bound
 * (`maxTokenChars`, 1 Mi characters: a process model's names and texts are short) and a longer
 * run is refused at its line and column before the reader sees any of it.
 */
export async function importBpmn(
  xml: string,
  { maxTokenChars = MAX_XML_TOKEN_CHARS }: { maxTokenChars?: number } = {},
): Promise<BpmnImportResult> {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    return fatal({
      severity: 'error',
      code: 'not-xml',
      message: 'the file is empty: there is no BPMN in it',
    });
  }
  const long = createXmlTokenLimit(maxTokenChars).scan(text);
  if (long) {
    return fatal({
      severity: 'error',
      code: 'too-long',
      message: `one element, name, text, attribute value or comment is longer than ${maxTokenChars.toLocaleString('en-US')} characters; a process model's names and texts are short, so this is most likely not a process model, or something large (an embedded picture or document) was pasted into it: remove or shorten it in the modelling tool and export again`,
      line: long.line,
      column: long.column,
    });
  }
  const deep = tooDeeplyNested(text);
  if (deep) {
    return fatal({
      severity: 'error',
      code: 'too-deep',
      message: `sub-processes are nested more than ${MAX_SUBPROCESS_DEPTH} levels deep${deep.id === undefined ? '' : ` (at sub-process ${deep.id})`}; real process models nest a few, so this is most likely not a process model or a damaged export: flatten the nesting in the modelling tool and export again`,
      line: deep.line,
    });
  }
  // The text is decoded already: a declared ISO-8859-1 (or other) encoding would only make the
  // reader warn and fall back to UTF-8, which is what the text now is.
  const repaired = repairIds(
    text.replace(/^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2'),
  );
  const prepared = repaired.text;
  let parsed: Awaited<ReturnType<ReturnType<typeof bpmnModdle>['fromXML']>>;
  try {
    parsed = await bpmnModdle().fromXML(prepared);
  } catch (error) {
    return fatal(...parseFailure(error, prepared));
  }
  const problems = groupUnrecognized(
    resolveQualifiedReferences(
      parsed.rootElement as El,
      parsed.elementsById as Record<string, El>,
      parsed.warnings,
    ).map(warningProblem),
  );
  if (repaired.problem) problems.unshift(repaired.problem);
  try {
    const chances = simulatorChances(prepared);
    for (const problem of problems) {
      if (
        chances.size > 0 &&
        /\(unrecognized element <([\w.-]+:)?processSimulationInfo>\)$/.test(problem.message)
      )
        problem.message = `the simulation settings of BIMP${where(problem)} are another tool's: their ${chances.size} branch chances are read, the rest (arrivals, durations, resources) is left out`;
    }
    const account = createAccount('bpmn');
    // Preflight's own export always writes a process as not executable, and writes it so again
    if ((parsed.rootElement as El).exporter === EXPORTER) account.use('bpmn:process@isExecutable');
    // the branch chances of a simulator's settings are read (simulatorChances); the rest is not
    if (chances.size > 0)
      for (const name of [
        'qbp:processSimulationInfo/qbp:sequenceFlows',
        'qbp:sequenceFlows/qbp:sequenceFlow',
        'qbp:sequenceFlow@elementId',
        'qbp:sequenceFlow@executionProbability',
      ])
        account.use(name);
    const ctx = new ImportContext(
      parsed.rootElement as El,
      parsed.elementsById as Record<string, El>,
      problems,
      account,
      chances,
    );
    runReaders(ctx);
    const result = ctx.workflow
      ? { workflow: ctx.workflow, notCarriedOver: ctx.notCarried, problems: ctx.problems }
      : { notCarriedOver: [], problems: ctx.problems };
    return { ...result, account: finishBpmnAccount(prepared, account, READ_ELEMENTS) };
  } catch (error) {
    // A mapping bug must not crash the app or the CLI; the message carries no file content.
    const name = error instanceof Error ? error.name : 'Error';
    problems.push({
      severity: 'error',
      code: 'unreadable-element',
      message: `the file could not be mapped to a workflow (internal ${name}); please report it with the file`,
    });
    return { notCarriedOver: [], account: emptyBpmnAccount(), problems };
  }
}

/** Options of {@link importBpmnBytes}. */
interface ImportBpmnBytesOptions {
  /**
   * Lay the workflow out (layout.ts) when the file has no diagram, i.e. no step got a position
   * from BPMN DI. A file with a diagram keeps its positions.
   */
  layoutWithoutDiagram?: boolean;
}

/**
 * Reads a BPMN file's bytes: decodes them by the encoding the XML declaration names (decode.ts),
 * then {@link importBpmn}, then optionally lays out a file that has no diagram. An undecodable
 * file is a fatal problem. Never throws. The app's worker and the CLI both call this.
 */
export async function importBpmnBytes(
  bytes: Uint8Array,
  options: ImportBpmnBytesOptions = {},
): Promise<BpmnImportResult> {
  const decoded = decodeXmlBytes(bytes);
  if (!decoded.ok) return fatal({ severity: 'error', code: decoded.code, message: decoded.message });
  const result = await importBpmn(decoded.text);
  const workflow = result.workflow;
  if (!options.layoutWithoutDiagram || !workflow || workflow.steps.some((step) => step.position))
    return result;
  const { positions } = await layoutWorkflow(workflow);
  return {
    ...result,
    workflow: {
      ...workflow,
      steps: workflow.steps.map((step) => {
        const position = positions[step.id];
        return position ? { ...step, position } : step;
      }),
    },
  };
}

function fatal(...problems: BpmnProblem[]): BpmnImportResult {
  return { notCarriedOver: [], account: emptyBpmnAccount(), problems };
}
