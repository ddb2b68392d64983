/**
 * `preflight workflow conform <log.csv|log.xes> --workflow future.json [--json]`: checks a log from
 * the new system against the designed workflow with the core's `conform` (optimal alignments),
 * the function the browser's drift overlay uses. With `--project <project.json>` the workflow is
 * the project's, and `--keep` keeps the check and what the log showed of the forecast load in the
 * project file, as the browser keeps it (workflowConformProject.ts).
 *
 * Exit 0 when the mean per-case fitness is at least `--min-fitness` (default
 * {@link DEFAULT_MIN_FITNESS}); 1 below it (the log drifted from the design); 2 bad usage, or a
 * workflow or log that cannot be used. stdout carries only the result (text, or JSON with
 * `--json`); how the log was read goes to stderr. Activity names are the log's own labels
 * (what staff did, e.g. "spreadsheet update"), never record values.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  applyBoundaryChances,
  type BoundaryChanceEstimate,
  type ConformanceResult,
  conform,
  DEFAULT_MIN_FITNESS,
  DEFAULT_SLOWER_TOLERANCE,
  estimateBoundaryChances,
  isSlowerThanDesigned,
  MAX_ALIGNED_CASE_EVENTS,
  readingTexts,
  slowerToleranceText,
  UnknownStepError,
  UnrunnableWorkflowError,
} from '../../core/workflow/eventlog/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import type { Project } from '../../formats/project.ts';
import { DEFAULT_BOUNDARY_CHANCE, loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { oneLineStrings } from '../terminalText.ts';
import { withClaimedOutputs, writeOutput } from '../wholeFiles.ts';
import {
  isXes,
  LOG_OPTIONS,
  readingReport,
  readLogFile,
  readLogOptions,
  requireUsable,
  UnusableLog,
} from './eventLogInput.ts';

const MAX_JSON_BYTES = 64 * 1024 * 1024;

async function readJsonFile(file: string, cwd: string, what: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path.resolve(cwd, file));
    if (!info.isFile()) throw new UnusableLog(`cannot read ${what} "${file}": it is not a regular file.`);
    if (info.size > MAX_JSON_BYTES) throw new UnusableLog(`"${file}" is too large to be a ${what}.`);
    bytes = await readFile(path.resolve(cwd, file));
  } catch (error) {
    if (error instanceof UnusableLog) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnusableLog(
      `cannot read ${what} "${file}": ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}.`,
    );
  }
  const decoded = decodeUtf8Strict(bytes, `${what} "${file}"`);
  if (!decoded.ok) throw new UnusableLog(`${decoded.problem.message}.`);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) throw new UnusableLog(`${what} "${file}": ${parsed.problem.message}.`);
  return parsed.value;
}

/** Reads and loads a workflow file; throws {@link UnusableLog} naming the file and each problem. */
export async function readWorkflow(file: string, cwd: string): Promise<Workflow> {
  const loaded = loadWorkflow(await readJsonFile(file, cwd, 'workflow'));
  if (!loaded.ok) {
    const lines = loaded.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new UnusableLog(`"${file}" is not a usable workflow (preflight.workflow/v1):\n${lines.join('\n')}`);
  }
  return loaded.value;
}

async function readActivityMap(file: string, cwd: string): Promise<Record<string, string>> {
  const value = await readJsonFile(file, cwd, 'activity map');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnusableLog(`activity map "${file}" must be a JSON object: {"activity": "step id", …}.`);
  }
  const map: Record<string, string> = {};
  for (const [activity, step] of Object.entries(value)) {
    if (typeof step !== 'string')
      throw new UnusableLog(`activity map "${file}": every value must be a step id.`);
    map[activity] = step;
  }
  return map;
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The short drift report, in a practice manager's words. */
export function driftReport(result: ConformanceResult, workflow: Workflow, minFitness: number): string {
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const top = (record: Record<string, number>) =>
    Object.entries(record).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const lines = [
    `${result.conformingCases} of ${result.cases} cases followed the design exactly; fitness ${result.fitness.toFixed(3)} (threshold ${minFitness}).`,
  ];
  lines.push(...readingTexts(result, label));
  if (result.unalignedCases > 0) {
    lines.push(
      `${result.unalignedCases} ${result.unalignedCases === 1 ? 'case has' : 'cases have'} over ${MAX_ALIGNED_CASE_EVENTS.toLocaleString('en-US')} activities each and were not checked: is the case id column right?`,
    );
  }
  const skipped = top(result.skipped);
  if (skipped.length > 0) {
    lines.push('Steps left out:');
    for (const [id, n] of skipped)
      lines.push(`  ${label(id)} — ${n} ${n === 1 ? 'case' : 'cases'} (${percent(n / result.cases)})`);
  }
  const workarounds = top(result.workarounds);
  if (workarounds.length > 0) {
    lines.push('Work the design does not have (workarounds):');
    for (const [activity, n] of workarounds) lines.push(`  ${activity} — ${n} times`);
  }
  const extra = top(result.inserted).filter(([activity]) => !(activity in result.workarounds));
  if (extra.length > 0) {
    lines.push('Designed steps done again or out of place:');
    for (const [activity, n] of extra) lines.push(`  ${activity} — ${n} extra times`);
  }
  const repeated = top(result.repeatedEntry);
  if (repeated.length > 0) {
    lines.push('The same data entered twice:');
    for (const [id, n] of repeated) lines.push(`  ${label(id)} — ${n} ${n === 1 ? 'case' : 'cases'}`);
  }
  const tolerance = result.slowerTolerance ?? DEFAULT_SLOWER_TOLERANCE;
  const slower = Object.entries(result.times)
    .filter(([, t]) => isSlowerThanDesigned(t, tolerance))
    .sort((a, b) => b[1].slower - a[1].slower);
  if (slower.length > 0) {
    lines.push(`Slower than designed (the ${slowerToleranceText(tolerance)}):`);
    for (const [id, t] of slower) {
      lines.push(
        `  ${label(id)} — median ${t.touch?.medianMin ?? 0} min, mean ${t.touch?.meanMin ?? 0} min, against ${t.designedTouchMin} min designed; ${t.slower} ${t.slower === 1 ? 'time' : 'times'} beyond it`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The chances of the workflow's exception paths (boundary events) measured from the log, each with
 * its n of m cases and the chance the workflow gives now; empty when the workflow has none.
 */
function boundaryChancesReport(estimates: readonly BoundaryChanceEstimate[], workflow: Workflow): string[] {
  if (estimates.length === 0) return [];
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const lines = ['Exception paths (boundary events) measured from the log:'];
  for (const e of estimates) {
    const now =
      e.current === undefined
        ? `now the default ${percent(DEFAULT_BOUNDARY_CHANCE)}`
        : `now ${percent(e.current)}`;
    const what = `  ${label(e.taskId)} → ${label(e.boundaryId)}`;
    if (e.estimate) {
      const { cases, ofCases, chance } = e.estimate;
      lines.push(
        `${what}: ${percent(chance)} — ${cases} of ${ofCases} cases doing the task took it (${now})`,
      );
    } else if (e.noEstimate === 'task-not-in-log') {
      lines.push(`${what}: no estimate — the task never appears in the log (${now})`);
    } else if (e.noEstimate === 'path-not-distinct') {
      lines.push(
        `${what}: no estimate — the path leads straight to where the task's normal path goes (${now})`,
      );
    } else {
      lines.push(
        `${what}: no estimate — no activity of the log matches the path's first step; match it with --activity-map (${now})`,
      );
    }
  }
  return lines;
}

/** The `preflight workflow conform` command. */
export const workflowConformCommand: Command = {
  name: 'workflow conform',
  summary: 'check a log from the new system against the designed (future) workflow: drift after go-live',
  operands: '<log.csv|log.xes>',
  options: [
    ...LOG_OPTIONS,
    {
      name: 'workflow',
      type: 'string',
      valueName: 'future.json',
      description:
        "the designed workflow (required without --project; with it, the project's planned one by default)",
    },
    {
      name: 'project',
      type: 'string',
      valueName: 'project.json',
      description: "check the project's workflow (--workflow must then be the project's own)",
    },
    {
      name: 'keep',
      type: 'boolean',
      description:
        "keep the check and what the log showed (cases, hours, each role's steps and minutes) in the --project file, as the browser does",
    },
    {
      name: 'activity-map',
      type: 'string',
      valueName: 'file.json',
      description: 'JSON object mapping log activities to step ids, when labels differ',
    },
    {
      name: 'min-fitness',
      type: 'string',
      valueName: '0..1',
      description: `fitness below which the exit code is 1 (default ${DEFAULT_MIN_FITNESS})`,
    },
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
    {
      name: 'write-chances',
      type: 'string',
      valueName: 'out.json',
      description: "write the workflow with its exception paths' chances measured from the log",
    },
  ],
  description: [
    "Aligns each case of the log with the workflow's steps and reports per-case fitness (1 = followed",
    'the design), steps left out, work the design does not explain (workarounds), data entered twice,',
    'and times against the design. Activities match steps by label or id, or through --activity-map.',
    "The chance of each boundary event's exception path is measured too (of the cases doing its task,",
    'those that go on to the path); --write-chances writes the workflow with those chances set.',
    'With --project and --keep, the check and what the log showed of the forecast load are kept in',
    "the project file, as the browser keeps them; 'preflight readiness' then sets the forecast beside them.",
  ].join('\n'),
  notes: [
    `Exit codes: 0 fitness ≥ threshold (default ${DEFAULT_MIN_FITNESS}); 1 below it; 2 bad usage, an unusable file, or`,
    'a --keep project file saved again while the check ran (nothing written: run it again).',
    'The column options are those of discover. Alignment and --json: docs/cli.md#preflight-workflow-conform',
  ].join('\n'),
  examples: [
    {
      args: [
        'samples/logs/prescription-refill.current.csv',
        '--workflow',
        'samples/workflows/prescription-refill.current.json',
        '--case',
        'case',
        '--activity',
        'activity',
        '--timestamp',
        'timestamp',
        '--lifecycle',
        'lifecycle',
      ],
      does: "how closely a day's log follows the workflow as drawn",
      exits: 0,
    },
    {
      args: [
        'samples/logs/prescription-refill.current.csv',
        '--workflow',
        'samples/workflows/prescription-refill.future.json',
        '--case',
        'case',
        '--activity',
        'activity',
        '--timestamp',
        'timestamp',
        '--lifecycle',
        'lifecycle',
      ],
      does: 'the same log against the planned workflow, which it does not follow',
      exits: 1,
    },
  ],
  run: (args: ParsedArgs, io: CliIo) =>
    withClaimedOutputs(
      [args.string('write-chances'), args.flag('keep') ? args.string('project') : undefined],
      io,
      () => conformLog(args, io),
    ),
};

/** The workflow to check: `--workflow`'s file, or with `--project` the project's (workflowConformProject.ts). */
async function workflowToCheck(
  args: ParsedArgs,
  io: CliIo,
): Promise<{ workflow: Workflow; project?: { file: string; project: Project; sha256: string } }> {
  const workflowFile = args.string('workflow');
  const projectFile = args.string('project');
  const fromFile = workflowFile === undefined ? undefined : await readWorkflow(workflowFile, io.cwd);
  if (projectFile === undefined) return { workflow: fromFile as Workflow };
  // loaded only with --project: the readiness module is large, and conform starts without it
  const { readProjectWithSha256, UnreadableProject } = await import('./readiness.ts');
  const { projectWorkflow } = await import('./workflowConformProject.ts');
  let project: Project;
  let sha256: string;
  try {
    ({ project, sha256 } = await readProjectWithSha256(projectFile, io));
  } catch (error) {
    if (error instanceof UnreadableProject) throw new UnusableLog(error.message);
    throw error;
  }
  const workflow = projectWorkflow(
    project,
    projectFile,
    fromFile && workflowFile !== undefined ? { workflow: fromFile, file: workflowFile } : undefined,
  );
  return { workflow, project: { file: projectFile, project, sha256 } };
}

async function conformLog(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file, ...extra] = args.operands;
  if (file === undefined || extra.length > 0) throw new UsageError('give exactly one event log file');
  if (args.string('workflow') === undefined && args.string('project') === undefined)
    throw new UsageError(
      'give the designed workflow with --workflow <file>, or a project with --project <file>',
    );
  if (args.flag('keep') && args.string('project') === undefined)
    throw new UsageError('--keep keeps the check in a project file: give it with --project <file>');
  const minText = args.string('min-fitness');
  const minFitness = minText === undefined ? DEFAULT_MIN_FITNESS : Number(minText);
  if (!Number.isFinite(minFitness) || minFitness < 0 || minFitness > 1) {
    throw new UsageError('--min-fitness takes a number from 0 to 1, e.g. 0.9');
  }
  try {
    const workflowFile = args.string('workflow');
    const { workflow, project } = await workflowToCheck(args, io);
    const mapFile = args.string('activity-map');
    const activityMap = mapFile ? await readActivityMap(mapFile, io.cwd) : undefined;
    const options = await readLogOptions(args, io.cwd, isXes(file), file);
    const read = await readLogFile(file, io.cwd, options);
    // each a line of its own: a column or activity name from the log cannot start another
    for (const line of readingReport(file, read, options)) io.stderr(oneLineStrings(line));
    requireUsable(file, read, args.flag('skip-bad-rows'));
    let result: ConformanceResult;
    let chances: BoundaryChanceEstimate[];
    try {
      result = conform(read.log, workflow, activityMap ? { activityMap } : {});
      chances = estimateBoundaryChances(read.log, workflow, activityMap ? { activityMap } : {});
    } catch (error) {
      if (error instanceof UnknownStepError || error instanceof UnrunnableWorkflowError) {
        throw new UnusableLog(
          `${workflowFile === undefined ? `workflow ${JSON.stringify(workflow.id)}` : `"${workflowFile}"`}: ${error.message}.`,
        );
      }
      throw error;
    }
    // a check that cannot be kept is refused before anything is printed or written
    const keeping =
      project && args.flag('keep')
        ? (await import('./workflowConformProject.ts')).planKeep({
            project: project.project,
            projectFile: project.file,
            projectSha256: project.sha256,
            workflow,
            log: read.log,
            logFile: file,
            result,
            ...(activityMap ? { activityMap } : {}),
            now: new Date().toISOString(),
          })
        : undefined;
    writeResult(
      io,
      args.flag('json'),
      args.flag('json')
        ? JSON.stringify({ ...result, boundaryChances: chances, account: read.account }, null, 2)
        : [driftReport(result, workflow, minFitness), ...boundaryChancesReport(chances, workflow)].join('\n'),
    );
    const out = args.string('write-chances');
    if (out !== undefined) {
      const failed = await writeOutput(
        `${JSON.stringify(applyBoundaryChances(workflow, chances), null, 2)}\n`,
        out,
        io,
      );
      if (failed) throw new UnusableLog(failed);
      const set = chances.filter((c) => c.estimate).length;
      io.stderr(`Wrote ${out} with ${set} measured ${set === 1 ? 'chance' : 'chances'}.`);
    }
    if (keeping) io.stderr(oneLineStrings(await keeping.write(io)));
    return result.fitness < minFitness ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    if (error instanceof UnusableLog) {
      io.stderr(`preflight workflow conform: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
