/**
 * `preflight validate --project <project.json>`: the files are checked as the project's saved
 * check sets, as the Migration workspace checks them. Each CSV file is bound to a check set by its
 * header, never by its name, with the rule the app uses (src/core/validation `bindByHeader`); the
 * check set's layout, contract, key, links and saved mapping apply, and the demographic columns are those the
 * app compares for that key. FHIR files (`--fhir`) and the records a mapping makes are checked with
 * the project's FHIR checks (`meta.settings.fhirChecks`): the layers it switches off and how unknown
 * extensions count. With `--fhir`, the implementation guide packages the project names
 * (`meta.settings.fhirPackages`, references only) must be given with `--ig`
 * ({@link matchProjectPackages}), and its chosen profiles apply.
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
import { type CsvLayout, TextDecodeError } from '../../core/csv/index.ts';
import { FHIR_LAYERS, type FhirLayer } from '../../core/fhir/index.ts';
import {
  type Binding,
  bindByHeader,
  type CsvSource,
  checkSetsOf,
  chosenDemographicsOf,
  detectLayout,
  headerReadable,
  readRecordAt,
  savedLayout,
} from '../../core/validation/index.ts';
import { readProjectFhirChecks } from '../../formats/fhirChecks.ts';
import { type ProjectFhirPackage, readProjectFhirPackages } from '../../formats/igPackages.ts';
import type { Project, SchemaDoc } from '../../formats/project.ts';
import type { CliIo, OptionSpec, ParsedArgs } from '../command.ts';
import { readProject, UnreadableProject } from './readiness.ts';

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
  try {
    return { ok: true, value: { file, project: await readProject(file, io) } };
  } catch (error) {
    if (error instanceof UnreadableProject) return { ok: false, message: error.message };
    throw error;
  }
}

/** What a CSV file of the run is bound to, and how it is read. */
export interface FileBinding {
  file: string;
  /** the layout it is read with: the check set's, with the options given over it */
  layout: CsvLayout;
  /** its first record, the names it was bound by ([] when none could be read) */
  header: string[];
  binding: Binding;
  /** its first record cannot be read as text (a PDF, a spreadsheet): bound to nothing, its check reports it */
  notText?: true;
  /** the contract the check set names, when the project holds it */
  contract?: SchemaDoc;
}

/** Thrown when files have column names no saved check set matches (exit 2). */
export class UnmatchedFilesError extends Error {}

/** A file's column names as the app reads them: its first record, when the layout says it has a header. */
async function firstRecord(source: CsvSource, layout: CsvLayout): Promise<string[]> {
  if (!layout.header || source.size === 0) return [];
  return (await readRecordAt(source, layout, 0)) ?? [];
}

/**
 * Binds each file to a saved check set by its header (see the file header). `given` holds the
 * layout options given; `contractGiven` the files `--schema` gives a contract, which are checked
 * with it even when no check set matches them.
 * @throws UnmatchedFilesError naming every file no check set matches
 */
export async function bindFiles(
  run: RunProject,
  files: readonly string[],
  sources: readonly CsvSource[],
  given: Partial<CsvLayout>,
  contractGiven: ReadonlySet<string>,
): Promise<FileBinding[]> {
  const { project } = run;
  const bound: FileBinding[] = [];
  const unmatched: string[] = [];
  for (const [i, source] of sources.entries()) {
    const file = files[i] as string;
    const { detected: _, ...sniffed } = await detectLayout(source, given);
    let layout: CsvLayout = sniffed;
    let header: string[];
    try {
      header = await firstRecord(source, layout);
    } catch (error) {
      // not text: no names to bind by; the file's own check reports it as one problem
      if (!(error instanceof TextDecodeError)) throw error;
      bound.push({ file, layout, header: [], binding: bindByHeader(project, [], []), notText: true });
      continue;
    }
    const binding = bindByHeader(project, header, project.schemas);
    const set = binding.checkSet;
    if (set) {
      // the check set's layout, where the options given do not say otherwise; the header read again
      const wanted = { ...savedLayout(sniffed, set), ...given };
      const differs = (Object.keys(wanted) as (keyof CsvLayout)[]).some((k) => wanted[k] !== sniffed[k]);
      if (differs) {
        layout = { ...(await detectLayout(source, wanted)), ...wanted };
        delete (layout as Partial<{ detected: unknown }>).detected;
        header = await firstRecord(source, layout);
      }
    } else if (binding.unmatched === undefined && !contractGiven.has(file)) unmatched.push(file);
    const contract = binding.contract ? project.schemas.find((s) => s.id === binding.contract) : undefined;
    bound.push({ file, layout, header, binding, ...(set && contract ? { contract } : {}) });
  }
  const savedSets = checkSetsOf(project);
  if (unmatched.length > 0)
    throw new UnmatchedFilesError(
      [
        ...unmatched.map(
          (file) => `${file}: its columns match no check set saved in "${run.file}", so it is not checked.`,
        ),
        savedSets.length === 0
          ? `The project has no saved check sets yet.`
          : `Its saved check sets: ${savedSets.map((d) => `"${d.name}" (${d.columns?.length ?? 0} columns)`).join(', ')}.`,
        `Check ${unmatched.length === 1 ? 'it' : 'them'} once in the app (Migration, Check extracts) so the check set is saved, and export the project again; or give a contract with --schema <file>=contract.json.`,
      ].join('\n'),
    );
  return bound;
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

/** The summary's lines that say what each file was bound to, and which options replaced what. */
export function bindingLines(
  run: RunProject,
  bound: readonly FileBinding[],
  settings: {
    contracts: Readonly<Record<string, string | undefined>>;
    keys: Readonly<Record<string, readonly string[]>>;
    links: readonly { input: string; column: string; target: string; targetColumn: string }[];
    /** the files whose records a mapping checks too */
    mapped: ReadonlySet<string>;
    /** of those, the ones checked with their check set's saved mapping */
    savedMapped: ReadonlySet<string>;
    /** whether --demographics replaces the columns the check sets compare */
    demographicsGiven?: boolean;
  },
  overriding: readonly string[],
): string[] {
  const lines = [`Check sets of ${path.basename(run.file)} (bound by header):`];
  for (const b of bound) {
    const set = b.binding.checkSet;
    const contract = settings.contracts[b.file];
    const keys = settings.keys[b.file] ?? [];
    const links = settings.links.filter((l) => l.input === b.file);
    // the columns compared for the key, when chosen in the app (else found by name, as on screen):
    // those of the choice the file has, as the run compares them
    const compared =
      set?.demographics === undefined
        ? undefined
        : chosenDemographicsOf(b.header, keys[0] ?? '', set.demographics);
    const what = [
      contract ? `contract ${contract}` : 'no contract',
      keys.length > 0 ? `key ${keys.join(', ')}` : 'no key',
      ...(keys.length > 0 && compared !== undefined && !settings.demographicsGiven
        ? [`compared for a repeated key: ${compared.length > 0 ? compared.join(', ') : 'nothing'} (chosen)`]
        : []),
      ...links.map((l) => `${l.column} → ${l.target}.${l.targetColumn}`),
      ...(settings.savedMapped.has(b.file) && set?.mapping
        ? [`records also checked with the mapping ${set.mapping}`]
        : []),
    ].join('; ');
    if (!set) {
      lines.push(
        b.notText
          ? `  ${b.file}: not a text file, so no check set is bound to it (its problem is in the report); checked as it is: ${what}`
          : !headerReadable(b.header)
            ? `  ${b.file}: no column names to match a saved check set by (an empty file, or a blank first line); checked as it is: ${what}`
            : `  ${b.file}: no saved check set; checked with the options given: ${what}`,
      );
      continue;
    }
    lines.push(
      `  ${b.file}: check set "${set.name}" (${b.binding.exact ? 'the same columns' : 'the closest columns, not the same'}): ${what}`,
    );
    if (set.mapping && settings.mapped.has(b.file) && !settings.savedMapped.has(b.file))
      lines.push('    its saved mapping is replaced by the --mapping given');
  }
  if (overriding.length > 0)
    lines.push(
      `  given on the command line, replacing the project's: ${overriding.map((o) => `--${o}`).join(', ')}`,
    );
  return lines;
}

/** The FHIR checks of a run with `--project` (see {@link projectFhirChecks}). */
export interface ProjectFhirChecks {
  /** the layers that run; absent when `--skip` replaces the project's */
  layers?: FhirLayer[];
  /** absent when `--unknown-extensions` replaces the project's */
  unknownExtensions?: 'error' | 'warning';
  /** the project file as given, for messages */
  projectFile: string;
  /** the implementation guide packages the project names (by reference: the app keeps their bytes) */
  packages: ProjectFhirPackage[];
  /** the profiles the project applies to every resource of their type; absent when `--profile` replaces them */
  profiles?: string[];
  lines: string[];
}

/**
 * The FHIR checks of a run with `--project`: the project's, unless `--skip` / `--unknown-extensions`
 * / `--profile` say otherwise. The packages it names are matched to the `--ig` packages once they
 * are read ({@link matchProjectPackages}).
 */
export function projectFhirChecks(run: RunProject, args: ParsedArgs): ProjectFhirChecks {
  const checks = readProjectFhirChecks(run.project.meta.settings);
  const { packages, profiles } = readProjectFhirPackages(run.project.meta.settings);
  const profileGiven = args.strings('profile').length > 0;
  const skipGiven = args.strings('skip').length > 0;
  const severityGiven = args.string('unknown-extensions') !== undefined;
  const off = checks.off as readonly string[];
  const lines = [
    `FHIR checks of ${path.basename(run.file)}: ${off.length > 0 ? `switched off: ${off.join(', ')}` : 'every check'}; unknown extensions as ${checks.unknownExtensions === 'warning' ? 'warnings' : 'errors'}`,
  ];
  if (packages.length > 0)
    lines.push(
      `  implementation guide packages it names: ${packages.map((p) => `${p.name} ${p.version}`).join(', ')}${profiles.length > 0 ? `; profiles applied to every resource of their type: ${profiles.join(', ')}` : ''}`,
    );
  const overriding = [
    ...(skipGiven ? ['--skip'] : []),
    ...(severityGiven ? ['--unknown-extensions'] : []),
    ...(profileGiven && profiles.length > 0 ? ['--profile'] : []),
  ];
  if (overriding.length > 0)
    lines.push(`  given on the command line, replacing the project's: ${overriding.join(', ')}`);
  return {
    ...(skipGiven ? {} : { layers: FHIR_LAYERS.filter((l) => !off.includes(l)) }),
    ...(severityGiven ? {} : { unknownExtensions: checks.unknownExtensions }),
    projectFile: run.file,
    packages,
    ...(profileGiven ? {} : { profiles }),
    lines,
  };
}

/** One `--ig` package as read: the option's value and what the package says it is. */
export interface GivenPackage {
  file: string;
  name: string;
  version: string;
  sha256: string;
}

/** Thrown when the project names implementation guide packages `--ig` does not give (exit 2). */
export class MissingProjectPackagesError extends Error {
  override name = 'MissingProjectPackagesError';
}

const shortSha = (sha: string) => `${sha.slice(0, 12)}…`;

/**
 * Matches the packages a project names with the `--ig` packages given, by name and version. The
 * project file holds references only (the app keeps the packages in the browser), so each must be
 * given: one that is not, or only in another version, stops the run rather than checking without
 * it. Returns the lines that say what differs without stopping it (the same name and version from
 * another file; a package the project does not name, whose profiles apply too).
 * @throws MissingProjectPackagesError naming each package not given and what to do
 */
export function matchProjectPackages(
  projectFile: string,
  named: readonly ProjectFhirPackage[],
  given: readonly GivenPackage[],
): string[] {
  const lines: string[] = [];
  const missing: string[] = [];
  const label = (p: { name: string; version: string }) => `${p.name} ${p.version}`;
  for (const p of named) {
    const same = given.find((g) => g.name === p.name && g.version === p.version);
    if (same) {
      if (same.sha256 !== p.sha256)
        lines.push(
          `  --ig ${same.file} is ${label(p)}, as the project names, but not the same file as the one added in the app (SHA-256 ${shortSha(same.sha256)}, the project's ${shortSha(p.sha256)}): its profiles apply`,
        );
      continue;
    }
    const other = given.filter((g) => g.name === p.name);
    missing.push(
      `  ${label(p)} (added in the app as ${p.fileName})${other.map((g) => `: --ig ${g.file} is ${label(g)}, another version`).join('')}`,
    );
  }
  for (const g of given)
    if (!named.some((p) => p.name === g.name))
      lines.push(
        `  --ig ${g.file} is ${label(g)}, which the project does not name: its profiles apply as well`,
      );
  if (missing.length > 0)
    throw new MissingProjectPackagesError(
      [
        `the project "${projectFile}" checks FHIR with ${missing.length === 1 ? 'an implementation guide package' : 'implementation guide packages'} not given with --ig:`,
        ...missing,
        `A project file names its packages but does not hold them (the app keeps them in the browser). Give ${missing.length === 1 ? 'it' : 'each'} with --ig <package.tgz>, the same .tgz file that was added in the app; or remove ${missing.length === 1 ? 'it' : 'them'} from the project in the app (Migration, FHIR files) and export the project again.`,
      ].join('\n'),
    );
  return lines;
}
