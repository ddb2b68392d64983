/**
 * `preflight workflow conform --project <project.json> [--keep]`: the go-live check of a project's
 * planned workflow from the command line, and keeping it in the project file as the browser keeps
 * it (`workflowChecks`, with `observed`: what the log showed of the forecast load), so a clinic's
 * scheduler can record go-live week without a browser and `preflight readiness` then sets the
 * forecast beside it.
 *
 * The check is built by the core functions the browser's check job uses (`conform`,
 * `observeGoLive`, `workflowCheckOf`) and put with the project reducer's own change
 * (`workflowCheck/put`), so the CLI and the browser keep the same record.
 *
 * Constraints:
 * - The workflow checked is the project's, as the project holds it: a `--workflow` file whose id
 *   the project does not hold, or whose content differs from the project's workflow of that id,
 *   is refused (a kept check of another version would be out of date the moment it is written).
 * - The project file is written whole or not at all (wholeFiles.ts), re-exported with a new
 *   integrity hash, and loaded back with every check of an import before it replaces the file: a
 *   project the app would refuse is never written. A log that does not fit the workflow
 *   (`unfitLogReason`) writes nothing.
 * - The file is replaced only while it still holds the bytes that were read (their SHA-256, read
 *   again just before the write): a project saved by someone else while the check ran is left as
 *   they saved it, and the run exits 2 asking to be run again. The CLI holds no lock.
 * - Messages name files and workflow ids, never a value of the log.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { observeGoLive } from '../../core/forecast/index.ts';
import { canonicalSha256Hex } from '../../core/hash/index.ts';
import { applyChange } from '../../core/project/changes.ts';
import {
  type ConformanceResult,
  type EventLog,
  unfitLogReason,
  workflowCheckOf,
} from '../../core/workflow/eventlog/index.ts';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import type { CliIo } from '../command.ts';
import { ChangedSinceReadError, writeFailure, writeWholeFileIfUnchanged } from '../wholeFiles.ts';
import { UnusableLog } from './eventLogInput.ts';

/** The version of this Preflight, written into the project file as the app's export writes its own. */
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/**
 * The workflow of `project` to check: the one with `fromFile`'s id, which must be the same as
 * `fromFile`; without a file, the project's only planned (future) workflow.
 * @throws UnusableLog naming what to do
 */
export function projectWorkflow(
  project: Project,
  projectFile: string,
  fromFile?: { workflow: Workflow; file: string },
): Workflow {
  if (fromFile) {
    const { workflow, file } = fromFile;
    const held = project.workflows.find((w) => w.id === workflow.id);
    if (!held)
      throw new UnusableLog(
        `"${projectFile}" has no workflow with the id of "${file}" (${JSON.stringify(workflow.id)}): check a workflow of this project, or leave out --workflow to check its planned one.`,
      );
    if (canonicalSha256Hex(held) !== canonicalSha256Hex(workflow))
      throw new UnusableLog(
        `"${file}" is not workflow ${JSON.stringify(workflow.id)} as "${projectFile}" holds it (one of them was edited since): a check of it would be out of date at once. Leave out --workflow to check the project's, or export the workflow again from the project.`,
      );
    return held;
  }
  const planned = project.workflows.filter((w) => w.state === 'future');
  if (planned.length === 1) return planned[0] as Workflow;
  throw new UnusableLog(
    planned.length === 0
      ? `"${projectFile}" has no planned (future) workflow to check the log against.`
      : `"${projectFile}" has ${planned.length} planned workflows (${planned.map((w) => JSON.stringify(w.id)).join(', ')}): give the one to check with --workflow <file>, exported from the project.`,
  );
}

/** What {@link planKeep} needs: the check as made, and where it goes. */
export interface KeptCheck {
  project: Project;
  projectFile: string;
  /** the SHA-256 of the project file's bytes as read: the file is replaced only while it holds them */
  projectSha256: string;
  workflow: Workflow;
  /** the log as read, and the name it is kept under (its base name, as the browser keeps it) */
  log: EventLog;
  logFile: string;
  result: ConformanceResult;
  activityMap?: Readonly<Record<string, string>>;
  /** when the check finished (RFC 3339) */
  now: string;
}

/** A check ready to keep: `write` puts the project file in place and says what was kept. */
interface KeepPlan {
  /** @throws UnusableLog when the file cannot be written (it is left as it was) */
  write(io: CliIo): Promise<string>;
}

/**
 * The project with the check and its observation put, re-exported and loaded back, ready to
 * write. @throws UnusableLog when the log does not fit the workflow or the project would not
 * load: nothing is written then.
 */
export function planKeep(kept: KeptCheck): KeepPlan {
  const { project, projectFile, workflow, result, now } = kept;
  const unfit = unfitLogReason(result);
  if (unfit)
    throw new UnusableLog(
      `"${kept.logFile}" was not kept in "${projectFile}": ${unfit}. Is it the log of workflow ${JSON.stringify(workflow.id)}? Match its activities with --activity-map. Nothing was written.`,
    );
  const observed = observeGoLive(
    kept.log,
    workflow,
    kept.activityMap ? { activityMap: kept.activityMap } : {},
  );
  const check = workflowCheckOf(workflow, path.basename(kept.logFile), now, result, observed);
  const next = applyChange(project, { type: 'workflowCheck/put', workflowCheck: check }, now);
  const text = `${JSON.stringify(createProjectFile(next, { now, appVersion: VERSION }), null, 2)}\n`;
  const reloaded = loadProjectFile(JSON.parse(text));
  if (!reloaded.ok) {
    const first = reloaded.problems
      .slice(0, 3)
      .map((p) => `${p.path || '/'}: ${p.message}`)
      .join('; ');
    throw new UnusableLog(
      `the check cannot be kept in "${projectFile}": the project would not load (${first}). Nothing was written.`,
    );
  }
  const cases = `${observed.cases} ${observed.cases === 1 ? 'case' : 'cases'}`;
  const hours = `${observed.activeHours} working ${observed.activeHours === 1 ? 'hour' : 'hours'}`;
  return {
    async write(io) {
      try {
        await writeWholeFileIfUnchanged(path.resolve(io.cwd, projectFile), text, kept.projectSha256);
      } catch (error) {
        if (error instanceof ChangedSinceReadError)
          throw new UnusableLog(
            `"${projectFile}" changed while the check ran (it was saved again after it was read): nothing was written, so that edit is not lost. Run the command again to keep the check in the file as it is now.`,
          );
        throw new UnusableLog(
          `cannot write "${projectFile}": ${writeFailure(error)}. It was left as it was.`,
        );
      }
      return `Kept the go-live check of "${workflow.name}" in "${projectFile}": ${cases} over ${hours}; "preflight readiness ${projectFile}" sets the forecast beside it.`;
    },
  };
}
