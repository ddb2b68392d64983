/**
 * The page's run, made by the core as the CLI's is. The page lists files, each bound to a saved
 * check set by header as it is added ({@link listedFile}, with the rules of checkSets.ts; one
 * with no column names to bind it by, to the check set the user chooses: {@link boundByChoice}),
 * and lets the user change every choice; at Validate, {@link chosenRun} turns the files as listed
 * into the run's inputs (each file's contract, keys with the columns compared for them, and the
 * rows of waivers limited to rows), the links between listed files and the header differences; {@link planChosen} makes the plan of
 * those inputs with `planRun`, binding each to its check set in the project. For the same files
 * and the choices the page proposes, that plan is the one `preflight validate --project` makes
 * (`planFromValues`). See docs/decisions/0105-one-validation-run.md.
 *
 * Constraints:
 * - No I/O: the page has read each file's header and layout; the contracts are the ones it offers.
 * - A contract chosen by the user over the check set's is given, as the CLI's `--schema` is: it
 *   replaces the check set's, and "None" checks the file's structure only.
 */

import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import {
  compareHeader,
  expectedHeaderOf,
  type HeaderComparison,
  isColumnContract,
} from '../contract/index.ts';
import type { CsvLayout, SniffedLayout } from '../csv/index.ts';
import {
  type Binding,
  bindByHeader,
  boundLayout,
  chosenDemographicsOf,
  headerReadable,
  keyOf,
  savedLayout,
} from './checkSets.ts';
import type { DecimalMark } from './decimalMark.ts';
import type { HeaderMismatch } from './headerChecks.ts';
import type { RowSetWatch } from './issueTally.ts';
import {
  type FileBinding,
  type PlannedKey,
  planRun,
  type RunContract,
  type RunPlan,
  savedContract,
} from './runPlan.ts';
import type { KeySpec } from './validateCsv.ts';
import type { ReferenceLink } from './validateInputs.ts';
import { localDay, rowSetWatches } from './waivers.ts';

/** A file as the page lists it: how it is read, its header and what was chosen for it. */
interface ChosenFile {
  /** unique among the files listed */
  name: string;
  layout: CsvLayout;
  /** its first record as read with `layout` ([] when none could be read) */
  header: readonly string[];
  /** id of the chosen contract, or '' for none */
  contract: string;
  /** the key column, or '' for none */
  key: string;
  /** the columns compared between records sharing the key (absent: found by name) */
  demographics?: readonly string[] | undefined;
  /** the project's check set it is checked as, and whether its columns are the file's header */
  checkSet?: { id: string; exact: boolean } | undefined;
  /** the contract whose header differences the user chose to check the rows against anyway */
  headerAccepted?: string | undefined;
  /** the decimal mark of its numbers, as chosen in its settings (absent: detected from the file) */
  decimalMark?: DecimalMark | undefined;
}

/** A file's layout (with what was detected) and first record, as the page reads them. */
interface SniffedFile {
  layout: SniffedLayout;
  header: string[];
}

/** A file as listed once bound: the choices proposed for it, with its saved mapping. */
export interface ListedFile extends ChosenFile {
  header: string[];
  demographics?: string[];
  /** the project's mapping its check set names, whose records are checked too */
  mapping?: string;
  checkSet?: { id: string; name: string; exact: boolean };
}

/**
 * A file being listed, bound by its header to a saved check set (else to the contract that fits
 * it), as `preflight validate --project` binds it: the check set's layout, where it differs from
 * the one `sniffed` (the header is read again with it, by `readAgain`; undefined keeps the first
 * reading), its contract, key, the columns it compares for the key and its mapping. `fileName`
 * is the file's own name (the key is proposed from it), `name` the one it is listed as.
 */
export async function listedFile<S extends SniffedFile>(
  name: string,
  fileName: string,
  first: S,
  options: {
    project: Project;
    contracts: readonly SchemaDoc[];
    readAgain: (layout: CsvLayout) => Promise<S | undefined>;
  },
): Promise<{ sniffed: S; file: ListedFile }> {
  const { project } = options;
  let sniffed = first;
  const binding = bindByHeader(project, sniffed.header, options.contracts);
  const set = binding.checkSet;
  if (set) {
    const { detected: _, ...layout } = sniffed.layout;
    const wanted = boundLayout(layout, set);
    if (wanted) sniffed = (await options.readAgain(wanted)) ?? sniffed;
  }
  const { detected: _, ...layout } = sniffed.layout;
  const header = sniffed.header;
  return {
    sniffed,
    file: {
      name,
      layout,
      header,
      contract: binding.contract,
      key: keyOf(fileName, header, set),
      // the columns compared for the key, as chosen for the check set
      ...(set?.demographics ? { demographics: [...set.demographics] } : {}),
      ...(set?.mapping && project.mappings.some((m) => m.id === set.mapping) ? { mapping: set.mapping } : {}),
      ...(set ? { checkSet: { id: set.id, name: set.name, exact: binding.exact } } : {}),
      ...(set?.decimalMark ? { decimalMark: set.decimalMark } : {}),
    },
  };
}

/**
 * What binding a listed file to the check set a user chose for it sets (a file with no column
 * names to bind it by): the check set's layout over the file's, its contract (when one of
 * `contracts`), its key (when the header has it), its compared columns and mapping. Without a
 * check set (`set` undefined), the file has no contract.
 */
export function boundByChoice(
  file: Pick<ChosenFile, 'layout' | 'header'>,
  set: Dataset | undefined,
  options: { project: Project; contracts: readonly SchemaDoc[] },
): Partial<ListedFile> & Pick<ListedFile, 'contract'> & { checkSet?: { chosen: true } } {
  if (!set) return { contract: '' };
  const { project, contracts } = options;
  return {
    layout: savedLayout(file.layout, set),
    contract: set.contract && contracts.some((c) => c.id === set.contract) ? set.contract : '',
    key: set.key && file.header.includes(set.key) ? set.key : '',
    ...(set.demographics ? { demographics: [...set.demographics] } : {}),
    ...(set.mapping && project.mappings.some((m) => m.id === set.mapping) ? { mapping: set.mapping } : {}),
    ...(set.decimalMark ? { decimalMark: set.decimalMark } : {}),
    checkSet: { id: set.id, name: set.name, exact: false, chosen: true },
  };
}

/** One input of the page's run: what {@link planChosen} plans and the engine checks. */
export interface ChosenInput {
  name: string;
  layout: CsvLayout;
  /** its first record, the names it was bound by */
  header?: readonly string[];
  contract?: { id: string; name: string; schema: Record<string, unknown> };
  keys: KeySpec[];
  /** the project's check set it is checked as (its report counts for that check set) */
  checkSet?: { id: string; exact: boolean };
  /** the row sets of the project's waivers limited to rows: the pass counts occurrences inside them */
  rowSets?: RowSetWatch[];
  /** the decimal mark of its numbers, as chosen in its file settings; absent: detected */
  decimalMark?: DecimalMark;
}

/** The page's run before its engine: see {@link chosenRun}. */
interface ChosenRun {
  inputs: ChosenInput[];
  /** the links chosen whose two files are listed */
  links: ReferenceLink[];
  /** the header differences found before any row (issues of the report too) */
  headers: HeaderMismatch[];
}

/** The comparison of a file's header with its chosen contract; undefined when there is nothing to compare. */
export function headerCheck(
  file: Pick<ChosenFile, 'contract' | 'layout' | 'header'>,
  contracts: readonly SchemaDoc[],
): HeaderComparison | undefined {
  // a file with no readable header has nothing to compare: the run reports it as empty
  if (!file.contract || !file.layout.header || !headerReadable(file.header)) return undefined;
  const doc = contracts.find((c) => c.id === file.contract);
  if (!doc || !isColumnContract(doc.schema)) return undefined;
  const comparison = compareHeader(expectedHeaderOf(doc.schema), file.header);
  return comparison.problems.length > 0 ? comparison : undefined;
}

/** True when the file's header does not fit its contract and the user has not chosen to check it anyway. */
export function headerUndecided(
  file: Pick<ChosenFile, 'contract' | 'layout' | 'header' | 'headerAccepted'>,
  contracts: readonly SchemaDoc[],
): boolean {
  const comparison = headerCheck(file, contracts);
  return comparison !== undefined && !comparison.fits && file.headerAccepted !== file.contract;
}

/**
 * The run of the files as listed: each file's contract (one of `contracts`), its key compared on
 * the columns chosen for it, the rows of the project's waivers limited to rows (as of `now`), the
 * links whose two files are listed, and each header's differences from its contract.
 */
export function chosenRun(
  files: readonly ChosenFile[],
  links: readonly ReferenceLink[],
  options: { project: Project; contracts: readonly SchemaDoc[]; now: Date },
): ChosenRun {
  const { contracts } = options;
  const { waivers } = readProjectWaivers(options.project.meta.settings);
  const today = localDay(options.now);
  const listed = new Set(files.map((f) => f.name));
  const inputs = files.map((f): ChosenInput => {
    const doc = contracts.find((c) => c.id === f.contract);
    const rowSets = rowSetWatches(waivers, f.name, today);
    return {
      name: f.name,
      layout: f.layout,
      header: [...f.header],
      keys: f.key
        ? [{ column: f.key, demographics: chosenDemographicsOf(f.header, f.key, f.demographics) }]
        : [],
      ...(doc ? { contract: { id: doc.id, name: doc.name, schema: doc.schema } } : {}),
      ...(f.checkSet ? { checkSet: { id: f.checkSet.id, exact: f.checkSet.exact } } : {}),
      ...(rowSets.length > 0 ? { rowSets } : {}),
      ...(f.decimalMark ? { decimalMark: f.decimalMark } : {}),
    };
  });
  const headers = files.flatMap((f): HeaderMismatch[] => {
    const comparison = headerCheck(f, contracts);
    if (!comparison) return [];
    return [{ input: f.name, comparison, rowsChecked: comparison.fits || f.headerAccepted === f.contract }];
  });
  return {
    inputs,
    links: links.filter((l) => listed.has(l.input) && listed.has(l.target)),
    headers,
  };
}

/**
 * The plan of the page's inputs: the files, contracts, keys and links as chosen; with `project`,
 * each file bound to the check set it is checked as (the report names it, and its saved columns
 * compared for the key are the plan's). A contract that is the check set's is the check set's, as
 * the CLI binds it; another one is given.
 */
export function planChosen(
  inputs: readonly Pick<ChosenInput, 'name' | 'layout' | 'header' | 'contract' | 'keys' | 'checkSet'>[],
  links: readonly ReferenceLink[],
  project?: Project,
): RunPlan {
  const contracts = new Map<string, { key: string; read: RunContract }>();
  const bound: FileBinding[] = [];
  for (const input of inputs) {
    const header = [...(input.header ?? [])];
    const set = input.checkSet && project?.datasets.find((d) => d.id === input.checkSet?.id);
    const setContract =
      set?.contract && project?.schemas.some((s) => s.id === set.contract) ? set.contract : '';
    // the check set's own contract, as the CLI's binding gives it
    const own =
      setContract !== '' && input.contract?.id === setContract
        ? project?.schemas.find((s) => s.id === setContract)
        : undefined;
    if (input.contract && !own)
      contracts.set(input.name, { key: `project:${input.contract.id}`, read: savedContract(input.contract) });
    if (!project) continue;
    const binding: Binding = set
      ? { checkSet: set, exact: input.checkSet?.exact === true, contract: setContract }
      : {
          exact: false,
          contract: input.contract?.id ?? '',
          ...(headerReadable(header) ? {} : { unmatched: 'no-header' as const }),
        };
    bound.push({
      file: input.name,
      layout: input.layout,
      header,
      binding,
      ...(own ? { contract: own } : {}),
    });
  }
  const keys: PlannedKey[] = inputs.flatMap((i) => i.keys.map((k) => ({ file: i.name, column: k.column })));
  return planRun({
    files: inputs.map((i) => i.name),
    contracts,
    keys,
    keysGiven: true,
    links,
    linksGiven: true,
    ...(project ? { project: { project, bound } } : {}),
  });
}
