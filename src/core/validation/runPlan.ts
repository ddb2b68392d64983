/**
 * A validation run's plan, made once for every engine: which contract checks each file, which
 * keys and links run, what is not checked and which saved check set each file was bound to by
 * its header. The streaming engine (`validateInputs`) and the SQL engine consume the same plan;
 * the CLI parses its options into a {@link PlanRequest}; the page binds files with the same
 * check-set rules (checkSets.ts) as it lists them and plans its run here with the choices made on
 * screen. See docs/decisions/0105-one-validation-run.md.
 *
 * Constraints:
 * - Files are named by the run as given; options name them by path, base name or base name
 *   without extension ({@link namesOf}).
 * - Order is part of the report: keys are listed as given, then each bound file's check-set key,
 *   then each contract's own keys; links as given (else the saved ones), then each file's foreign
 *   keys in file order. Both engines read them in that order, so their reports agree.
 * - No I/O besides the files' first records (binding by header): contracts are read by the caller.
 */

import type { Project, SchemaDoc } from '../../formats/project.ts';
import { notCheckedOf, type ValidationPlan, withNotChecked } from '../contract/index.ts';
import { type CsvLayout, TextDecodeError } from '../csv/index.ts';
import type { ReportedInput } from './buildReport.ts';
import {
  type Binding,
  bindByHeader,
  boundLayout,
  checkSetsOf,
  chosenDemographicsOf,
  headerReadable,
  keyOf,
  linksOf,
} from './checkSets.ts';
import type { CsvSource, FullRowValidator } from './validateCsv.ts';
import { readRecordAt, WHOLE_ROW } from './validateCsv.ts';
import { detectLayout, type InputJob, type ReferenceLink } from './validateInputs.ts';

/** An option's value that names no file, or a file twice: the caller's usage error. */
export class PlanUsageError extends Error {
  override name = 'PlanUsageError';
}

/** Files whose column names no saved check set matches (the run is refused before any row). */
export class UnmatchedFilesError extends Error {
  override name = 'UnmatchedFilesError';
}

/** A contract of the run: a JSON Schema of rows, with what a Table Schema adds to it. */
export interface RunContract {
  contract: Record<string, unknown>;
  /** a Table Schema's unique fields and primary key */
  keys: string[];
  /** a Table Schema's single-column foreign keys ("resource": "" is the file itself) */
  foreignKeys: { column: string; resource: string; targetColumn: string }[];
  /** what the Table Schema asks that is not checked, in words */
  notChecked: string[];
  /** its name in the project, when the project keeps it (its id in the report without a $id) */
  savedName?: string;
}

/**
 * A Table Schema converted to a contract (core/mapping `tableSchemaChecks`) as a run's contract:
 * its texts for "no value" travel in the contract, where the plan reads them back.
 */
export function tableSchemaContract(
  schema: Record<string, unknown>,
  missingValues: readonly string[],
  checks: Pick<RunContract, 'keys' | 'foreignKeys' | 'notChecked'>,
): RunContract {
  const contract = withNotChecked(schema, { notChecked: [], missingValues: [...missingValues] });
  return { contract, ...checks };
}

/**
 * A contract the project keeps (or the page was given) as a run's contract: it says itself what it
 * asks beyond one row (its keys, links and what is not checked travel in it), read by the plan.
 */
export function savedContract(doc: { name: string; schema: Record<string, unknown> }): RunContract {
  return { contract: doc.schema, keys: [], foreignKeys: [], notChecked: [], savedName: doc.name };
}

/**
 * A run's contract as the project keeps it ({@link savedContract} reads it back): its keys, links
 * and what it does not check recorded in the contract itself.
 */
export function contractToSave(read: RunContract): Record<string, unknown> {
  return withNotChecked(read.contract, {
    notChecked: read.notChecked,
    keys: read.keys,
    links: read.foreignKeys,
  });
}

/** How a file is named in options: its path as given, its base name, or its base name without extension. */
export function namesOf(file: string): string[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return [file, base, stem];
}

function findFile(files: readonly string[], name: string, option: string): string {
  const hits = files.filter((f) => namesOf(f).includes(name));
  if (hits.length === 0) throw new PlanUsageError(`${option} names "${name}", which is not one of the files`);
  if (hits.length > 1)
    throw new PlanUsageError(`${option} names "${name}", which matches more than one file`);
  return hits[0] as string;
}

/** `--schema [file=]contract.json` values → contract per file. */
export function pairContracts(files: readonly string[], values: readonly string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  const bare: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq > 0) {
      const file = findFile(files, value.slice(0, eq), '--schema');
      if (pairs.has(file)) throw new PlanUsageError(`--schema is given twice for "${file}"`);
      pairs.set(file, value.slice(eq + 1));
    } else bare.push(value);
  }
  const unpaired = files.filter((f) => !pairs.has(f));
  if (bare.length === 1) for (const f of unpaired) pairs.set(f, bare[0] as string);
  else if (bare.length > 1) {
    if (bare.length !== unpaired.length) {
      throw new PlanUsageError(
        `${bare.length} --schema files without a file name for ${unpaired.length} files: pair them as --schema <file>=<contract.json>, or give one per file in the same order`,
      );
    }
    unpaired.forEach((f, i) => {
      pairs.set(f, bare[i] as string);
    });
  }
  return pairs;
}

/** Whether `name` names `file` for `--mapping`: its path, base name, or base name without extension. */
function matches(file: string, name: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return file === name || base === name || base.slice(0, base.lastIndexOf('.')) === name;
}

/**
 * `--mapping [file=]mapping.json` values → mapping file per input file: by `file=`, else by the
 * mapping's `source` (`sourceOf`, the file name it was written for), else the only file.
 */
export async function pairMappings(
  files: readonly string[],
  values: readonly string[],
  sourceOf: (mappingFile: string) => Promise<string>,
): Promise<Map<string, string>> {
  const pairs = new Map<string, string>();
  const pair = (file: string, mappingFile: string) => {
    if (pairs.has(file)) throw new PlanUsageError(`--mapping is given twice for "${file}"`);
    pairs.set(file, mappingFile);
  };
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq > 0) {
      const name = value.slice(0, eq);
      const hits = files.filter((f) => matches(f, name));
      if (hits.length !== 1)
        throw new PlanUsageError(
          `--mapping names "${name}", which ${hits.length === 0 ? 'is not one of the files' : 'matches more than one file'}`,
        );
      pair(hits[0] as string, value.slice(eq + 1));
      continue;
    }
    if (files.length === 1) {
      pair(files[0] as string, value);
      continue;
    }
    const source = await sourceOf(value);
    const hits = files.filter((f) => matches(f, source));
    if (hits.length !== 1)
      throw new PlanUsageError(
        `the mapping "${value}" is for "${source}", which ${hits.length === 0 ? 'is not one of the files' : 'matches more than one file'}: pair it as --mapping <file>=${value}`,
      );
    pair(hits[0] as string, value);
  }
  return pairs;
}

/** A key column of the run: of one file, or of every file that has it. */
export interface PlannedKey {
  file?: string;
  column: string;
}

/** `--key [file.]column` values → key columns per file (a bare column: every file that has it). */
export function parseKeys(files: readonly string[], values: readonly string[]): PlannedKey[] {
  return values.map((value) => {
    const dot = value.indexOf('.');
    if (dot > 0) {
      const name = value.slice(0, dot);
      if (files.some((f) => namesOf(f).includes(name)))
        return { file: findFile(files, name, '--key'), column: value.slice(dot + 1) };
    }
    return { column: value };
  });
}

/** `--references child.col=parent.col` values → links. */
export function parseReferences(files: readonly string[], values: readonly string[]): ReferenceLink[] {
  return values.map((value) => {
    const match = /^([^=]+)\.([^.=]+)=([^=]+)\.([^.=]+)$/.exec(value);
    if (!match) {
      throw new PlanUsageError(
        `--references takes <file>.<column>=<file>.<column>, e.g. --references encounters.patient_id=patients.patient_id`,
      );
    }
    return {
      input: findFile(files, match[1] as string, '--references'),
      column: match[2] as string,
      target: findFile(files, match[3] as string, '--references'),
      targetColumn: match[4] as string,
    };
  });
}

/**
 * A Table Schema's foreign keys of `file` as reference links: into the file itself
 * (`"resource": ""`) or into a file of the run named by the resource. One whose resource is not
 * among the files is listed as not checked.
 */
export function foreignKeyLinks(
  files: readonly string[],
  file: string,
  foreignKeys: RunContract['foreignKeys'],
): { links: ReferenceLink[]; notChecked: string[] } {
  const links: ReferenceLink[] = [];
  const notChecked: string[] = [];
  for (const fk of foreignKeys) {
    const target = fk.resource === '' ? file : files.find((f) => namesOf(f).includes(fk.resource));
    if (target === undefined)
      notChecked.push(
        `the foreign key ${fk.column} → ${fk.resource}.${fk.targetColumn} is not checked: no file named "${fk.resource}" is in this run`,
      );
    else links.push({ input: file, column: fk.column, target, targetColumn: fk.targetColumn });
  }
  return { links, notChecked };
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

/** A file's column names as the app reads them: its first record, when the layout says it has a header. */
async function firstRecord(source: CsvSource, layout: CsvLayout): Promise<string[]> {
  if (!layout.header || source.size === 0) return [];
  return (await readRecordAt(source, layout, 0)) ?? [];
}

/**
 * Binds each file to a saved check set by its header, with the rule the app uses
 * ({@link bindByHeader}); the check set's layout applies where `given` (the layout options given)
 * does not say otherwise. `contractGiven`: the files given a contract, checked with it even when
 * no check set matches them.
 * @throws UnmatchedFilesError naming every file no check set matches, and what to do
 */
export async function bindFiles(
  projectFile: string,
  project: Project,
  sources: readonly CsvSource[],
  given: Partial<CsvLayout>,
  contractGiven: ReadonlySet<string>,
): Promise<FileBinding[]> {
  const bound: FileBinding[] = [];
  const unmatched: string[] = [];
  for (const source of sources) {
    const file = source.name;
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
      const wanted = boundLayout(sniffed, set, { ...given, ...source.layout });
      if (wanted) {
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
          (file) =>
            `${file}: its columns match no check set saved in "${projectFile}", so it is not checked.`,
        ),
        savedSets.length === 0
          ? `The project has no saved check sets yet.`
          : `Its saved check sets: ${savedSets.map((d) => `"${d.name}" (${d.columns?.length ?? 0} columns)`).join(', ')}.`,
        `Check ${unmatched.length === 1 ? 'it' : 'them'} once in the app (Migration, Check extracts) so the check set is saved, and export the project again; or give a contract with --schema <file>=contract.json.`,
      ].join('\n'),
    );
  return bound;
}

/** What a run is asked to check, before the plan is made. */
interface PlanRequest {
  files: readonly string[];
  /** the contract given for a file, read by the caller, with a key naming it (files sharing one share it) */
  contracts: ReadonlyMap<string, { key: string; read: RunContract }>;
  /** the keys given (`--key`); with none, each bound file's check-set key */
  keys: readonly PlannedKey[];
  keysGiven: boolean;
  /** the links given (`--references`); with none, the saved links of the bound files */
  links: readonly ReferenceLink[];
  linksGiven: boolean;
  /** with a project: the check sets each file is bound to by header, in file order */
  project?: { project: Project; bound: readonly FileBinding[] };
}

/** One file of a plan. */
export interface PlannedFile {
  file: string;
  /** its contract: given, else the one its check set names */
  contract?: { key: string; read: RunContract; id: string };
  /** its key columns, in the order they run */
  keys: string[];
  /** what its contract asks that is not checked, in words */
  notChecked: string[];
  /** with a project: what it is bound to */
  bound?: FileBinding;
}

/** A run's plan: the files, keys and links every engine checks. */
export interface RunPlan {
  files: PlannedFile[];
  /** every key of the run, in the order the cross-record checks list them */
  keys: PlannedKey[];
  links: ReferenceLink[];
  /** the check set each file was checked as (the report names it) */
  checkSetIds: Map<string, string>;
  /** the demographic columns chosen in the app for a file's check set */
  savedDemographics: Map<string, readonly string[]>;
}

/** Makes the plan of a run (see the file header). */
export function planRun(request: PlanRequest): RunPlan {
  const { files, project } = request;
  const bound = new Map((project?.bound ?? []).map((b) => [b.file, b]));
  const keys: PlannedKey[] = [...request.keys];
  const links: ReferenceLink[] = [...request.links];
  if (project && !request.linksGiven)
    links.push(
      ...linksOf(
        project.bound.map((b) => ({
          name: b.file,
          header: b.header,
          ...(b.binding.checkSet ? { checkSet: b.binding.checkSet } : {}),
        })),
        project.project,
      ),
    );
  // with a project and no --key: each check set's key (or the one the app proposes)
  if (project && !request.keysGiven)
    for (const b of project.bound) {
      if (!b.layout.header) continue;
      const key = keyOf(namesOf(b.file)[1] as string, b.header, b.binding.checkSet);
      if (key) keys.push({ file: b.file, column: key });
    }
  const keysOf = (file: string) =>
    keys.filter((k) => k.file === undefined || k.file === file).map((k) => k.column);
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const b = bound.get(file);
    let contract = request.contracts.get(file);
    if (!contract && b?.contract)
      contract = { key: `project:${b.contract.id}`, read: savedContract(b.contract) };
    // a Table Schema's primary key and unique columns are keys too
    for (const column of contract?.read.keys ?? [])
      if (!keysOf(file).includes(column)) keys.push({ file, column });
    // a Table Schema's foreign keys: into this file ("resource": "") or into a file of the run by name
    const fk = foreignKeyLinks(files, file, contract?.read.foreignKeys ?? []);
    for (const link of fk.links)
      if (!links.some((l) => l.input === file && l.column === link.column)) links.push(link);
    const notChecked = [...(contract?.read.notChecked ?? []), ...fk.notChecked];
    // a project's contract says itself what it asks that is not checked, as the app reads it
    if (contract?.read.savedName !== undefined)
      notChecked.push(
        ...notCheckedOf(contract.read.contract, {
          keys: keysOf(file),
          linkedColumns: links.filter((l) => l.input === file).map((l) => l.column),
        }),
      );
    const id = contract
      ? typeof contract.read.contract.$id === 'string'
        ? contract.read.contract.$id
        : (contract.read.savedName ?? contract.key)
      : undefined;
    planned.push({
      file,
      ...(contract ? { contract: { ...contract, id: id as string } } : {}),
      keys: keysOf(file),
      notChecked,
      ...(b ? { bound: b } : {}),
    });
  }
  const sets = project?.bound ?? [];
  return {
    files: planned,
    keys,
    links,
    checkSetIds: new Map(
      sets.flatMap((b) => (b.binding.checkSet ? [[b.file, b.binding.checkSet.id] as const] : [])),
    ),
    savedDemographics: new Map(
      sets.flatMap((b) =>
        b.binding.checkSet?.demographics ? [[b.file, b.binding.checkSet.demographics] as const] : [],
      ),
    ),
  };
}

/** Each file of a plan as its report names it: its contract (by its id) and what is not checked. */
export function reportedInputs(plan: RunPlan): ReportedInput[] {
  return plan.files.map((f) => ({
    name: f.file,
    ...(f.contract ? { contract: { id: f.contract.id, schema: f.contract.read.contract } } : {}),
    notChecked: f.notChecked,
  }));
}

/** The lines that say what each file was bound to, and which options replaced the project's. */
export function bindingLines(
  projectFile: string,
  bound: readonly FileBinding[],
  settings: {
    contracts: Readonly<Record<string, string | undefined>>;
    keys: Readonly<Record<string, readonly string[]>>;
    links: readonly ReferenceLink[];
    /** the files whose records a mapping checks too */
    mapped: ReadonlySet<string>;
    /** of those, the ones checked with their check set's saved mapping */
    savedMapped: ReadonlySet<string>;
    /** whether --demographics replaces the columns the check sets compare */
    demographicsGiven?: boolean;
  },
  overriding: readonly string[],
): string[] {
  const lines = [`Check sets of ${namesOf(projectFile)[1]} (bound by header):`];
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

/**
 * The demographic columns compared for each key of `jobs` where none were given: those chosen in
 * the app for the file's check set (`saved`, by file), else the usual names its header has. A file
 * whose header is not text has none (its own pass reports it as one problem).
 */
export async function chooseDemographics(
  jobs: readonly InputJob[],
  saved: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  for (const job of jobs) {
    let header: string[] = [];
    try {
      if (job.layout.header) header = (await readRecordAt(job.source, job.layout, 0)) ?? [];
    } catch (error) {
      if (!(error instanceof TextDecodeError)) throw error;
    }
    for (const key of job.keys ?? []) {
      if (key.column === WHOLE_ROW) continue;
      (key as { demographics?: readonly string[] }).demographics = chosenDemographicsOf(
        header,
        key.column,
        saved.get(job.source.name),
      );
    }
  }
}

/**
 * The streaming engine's jobs of a plan, one per source (in the plan's file order): the layout
 * its check set saved, else the one detected with `given` over it; its contract compiled once
 * however many files share it (`compile`, the caller's); its keys, compared on `demographics`.
 */
export async function jobsOf(
  plan: RunPlan,
  sources: readonly CsvSource[],
  given: Partial<CsvLayout>,
  demographics: readonly string[],
  compile: (
    contract: NonNullable<PlannedFile['contract']>,
  ) => Promise<{ plan: ValidationPlan; validate?: FullRowValidator }>,
): Promise<InputJob[]> {
  const compiled = new Map<string, Awaited<ReturnType<typeof compile>>>();
  const jobs: InputJob[] = [];
  for (const [i, source] of sources.entries()) {
    const planned = plan.files[i] as PlannedFile;
    let layout: CsvLayout;
    if (planned.bound) layout = { ...planned.bound.layout };
    else {
      const { detected: _, ...sniffed } = await detectLayout(source, given);
      layout = sniffed;
    }
    const job: InputJob = { source, layout };
    // the decimal mark chosen for the file's check set in the app; a run's own choice replaces it
    const decimalMark = planned.bound?.binding.checkSet?.decimalMark;
    if (decimalMark) job.decimalMark = decimalMark;
    const contract = planned.contract;
    if (contract) {
      let entry = compiled.get(contract.key);
      if (!entry) {
        entry = await compile(contract);
        compiled.set(contract.key, entry);
      }
      job.plan = entry.plan;
      if (entry.validate) job.fullValidator = entry.validate;
    }
    job.keys = planned.keys.map((column) => ({
      column,
      demographics: column === WHOLE_ROW ? [] : demographics,
    }));
    jobs.push(job);
  }
  return jobs;
}
