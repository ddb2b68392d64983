/**
 * `preflight validate --project <project.json>`: the files are checked as the project's saved
 * check sets, as the Migration workspace checks them. Each CSV file is bound to a check set by its
 * header, never by its name, with the rule the app uses (src/core/validation `bindByHeader`); the
 * check set's layout, contract, key, links and saved mapping apply, and the demographic columns are those the
 * app compares for that key. FHIR files (`--fhir`) and the records a mapping makes are checked with
 * the project's FHIR checks (`meta.settings.fhirChecks`): the layers it switches off and how unknown
 * extensions count. With `--fhir`, the implementation guide packages the project names
 * (`meta.settings.fhirPackages`, references only) must be given with `--ig`
 * (core fhir `matchProjectPackages`), and its chosen profiles apply.
 *
 * Binding files to check sets and the lines that say what each was bound to are the core's run
 * plan (src/core/validation `bindFiles`, `bindingLines`).
 *
 * Constraints:
 * - A CSV file with column names that no saved check set matches is refused (exit 2, before any
 *   row is read), each such file named with what to do: a pipeline that checks a drop against
 *   its project must not pass a file nobody set up. `--schema <file>=contract.json` checks it
 *   anyway. An empty file (no column names to match by) is checked without a check set, as any
 *   empty file: a warning, an error with `--fail-on-empty`.
 * - Options given with `--project` override the project, setting by setting, and the summary
 *   says which: `--schema` (for the files it names, or every file), `--mapping`, `--key`, `--references`,
 *   `--demographics`, `--encoding`, `--delimiter`, `--no-header`, `--skip`, `--unknown-extensions`;
 *   with `--fhir`, `--profile`.
 * - A project file that cannot be read or is not a usable project is exit 2, before any extract
 *   is read. Messages name files and columns, never values.
 */
import path from 'node:path';
import { projectFhirChecks as fhirChecksOfProject, type ProjectFhirChecks } from '../../core/fhir/index.ts';
import type { Project } from '../../formats/project.ts';
import type { CliIo, OptionSpec, ParsedArgs } from '../command.ts';

export type { ProjectFhirChecks } from '../../core/fhir/index.ts';
/**
 * A report of a run with `--project`, each failing issue naming what uses its data: the core's, as
 * the browser's run applies it, so every engine's report and the app's stay the same.
 */
export { withProjectUsedBy as withProjectTrace } from '../../core/trace/index.ts';

/** The `--project` option of `validate` and `fhir validate`. */
export const PROJECT_OPTION: OptionSpec = {
  name: 'project',
  type: 'string',
  valueName: 'project.json',
  description:
    "check each file as the project's saved check set its header matches; options given override it",
};

/** A project read for a run: the file as given and the project in it. */
export interface RunProject {
  file: string;
  project: Project;
}

/** Reads `--project` when given; a file that cannot be used is a message (exit 2). */
export async function readRunProject(
  args: ParsedArgs,
  io: CliIo,
): Promise<{ ok: true; value?: RunProject } | { ok: false; message: string }> {
  const file = args.string('project');
  if (file === undefined) return { ok: true };
  // loaded only with --project: the readiness command's module brings the workflow, event-log and
  // sign-off code, which a run without a project never uses but would load and compile at start
  const { readProject, UnreadableProject } = await import('./readiness.ts');
  try {
    return { ok: true, value: { file, project: await readProject(file, io) } };
  } catch (error) {
    if (error instanceof UnreadableProject) return { ok: false, message: error.message };
    throw error;
  }
}

/** The options given with `--project` that replace its settings, in words for the summary. */
export function overridingOptions(args: ParsedArgs, names: readonly string[]): string[] {
  return names.filter((name) =>
    name === 'no-header'
      ? args.flag(name)
      : name === 'schema' || name === 'mapping' || name === 'key' || name === 'references' || name === 'skip'
        ? args.strings(name).length > 0
        : args.string(name) !== undefined,
  );
}

/** The FHIR checks of a run with `--project`: the project's, unless `--skip`, `--unknown-extensions` or `--profile` replace them (core fhir). */
export function projectFhirChecks(run: RunProject, args: ParsedArgs): ProjectFhirChecks {
  return fhirChecksOfProject(run.file, path.basename(run.file), run.project.meta.settings, {
    skip: args.strings('skip').length > 0,
    unknownExtensions: args.string('unknown-extensions') !== undefined,
    profiles: args.strings('profile').length > 0,
  });
}
