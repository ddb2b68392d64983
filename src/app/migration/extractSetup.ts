/**
 * What the Migration workspace proposes for the files a user chose, before they press Validate: the
 * column contract of each file, its key column, the links between files and the demographic
 * columns compared for one key. Every proposal is shown and can be changed; none decides alone.
 *
 * A file is bound by its header, never by its name: to the project's check set (a CSV dataset
 * with its saved layout, contract, key, mapping and links) whose columns are the file's header,
 * else whose columns come closest; without one, to the contract whose columns fit the header
 * exactly, else closest (src/core/contract `closestHeader`). A differently shaped file of a known
 * name gets no contract rather than the wrong one. Without a saved key the key is `mrn`, else
 * `<file stem>_id` (encounters.csv → encounter_id), else `id`; without saved links a column
 * `<other stem>_id` links to the other file's column of the same name
 * (encounters.patient_id → patients.patient_id).
 *
 * A file whose header cannot be read (an empty file, or a first line of blank names) has nothing
 * to match by: it is never bound by header — not to a check set, not to a contract — and never
 * saved as a check set of its own. The user may bind it to a saved check set by choice.
 */
import {
  closestHeader,
  compareHeader,
  expectedHeaderOf,
  type HeaderComparison,
  isColumnContract,
} from '../../core/contract/index.ts';
import type { CsvLayout } from '../../core/csv/index.ts';
import type { ReferenceLink } from '../../core/validation/index.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';

/** A file the user chose, with what was sniffed and what they set. */
export interface ChosenExtract {
  /** unique in the list (the file name; a second file of the same name gets " (2)") */
  name: string;
  file: File;
  /** how it is read; `detected` says which fields were sniffed rather than set */
  layout: CsvLayout;
  detected: { encoding: boolean; delimiter: boolean; lineEnding: boolean };
  header: string[];
  /** id of the chosen contract (a project schema or an uploaded one), or '' for none */
  contract: string;
  /** the key column, or '' for none */
  key: string;
  /** id of a saved mapping to an R4 resource type whose records are checked too ('' or absent: none) */
  mapping?: string;
  /** id of the project's check set (CSV dataset) the file was bound to, and how (`chosen`: by the user) */
  checkSet?: { id: string; name: string; exact: boolean; chosen?: boolean };
  /** the contract whose header mismatch the user chose to check anyway */
  headerAccepted?: string;
}

/** Demographic columns compared between records sharing a key, when the file has them (at most 4). */
export const DEMOGRAPHIC_COLUMNS = [
  'last_name',
  'first_name',
  'birth_date',
  'sex',
  'family_name',
  'given_name',
  'date_of_birth',
  'dob',
  'gender',
];

const MAX_DEMOGRAPHICS = 4;

/** "encounters.csv" → "encounter" (the stem, without a plural "s"). */
export function fileStem(name: string): string {
  const base = name.replace(/\.[^.]*$/, '').toLowerCase();
  return base.endsWith('s') ? base.slice(0, -1) : base;
}

/** The line endings a dataset names, as the CSV reader takes them. */
const LINE_ENDINGS: Readonly<Record<NonNullable<Dataset['lineEnding']>, CsvLayout['lineEnding']>> = {
  CRLF: '\r\n',
  LF: '\n',
  CR: '\r',
};

/** The saved check sets of a project: its CSV datasets with their header. */
export function checkSetsOf(project: Project): Dataset[] {
  return project.datasets.filter((d) => d.kind === 'csv' && (d.columns?.length ?? 0) > 0);
}

/** The contracts among a project's schemas (JSON Schemas of one row). */
export function columnContracts(schemas: readonly SchemaDoc[]): SchemaDoc[] {
  return schemas.filter((s) => isColumnContract(s.schema));
}

/** What a chosen file is bound to: a saved check set, or only a contract (or nothing: ''). */
export interface Binding {
  checkSet?: Dataset;
  /** the check set's header is the file's */
  exact: boolean;
  contract: string;
  /** why nothing was matched by header: the file has no column names to match by */
  unmatched?: 'no-header';
}

/** Whether a header has column names to match by: at least one label that is not blank. */
export function headerReadable(header: readonly string[]): boolean {
  return header.some((label) => label.trim() !== '');
}

/**
 * The line that says why a file with no readable header was not matched to a check set; with
 * `offered`, the check sets it may be bound to by choice are listed below it.
 */
export function noHeaderLine(extract: Pick<ChosenExtract, 'file'>, offered: boolean): string {
  const why =
    extract.file.size === 0
      ? 'Not matched to a saved check set: the file is empty, so it has no column names to match by.'
      : 'Not matched to a saved check set: no column names could be read from its first line.';
  return offered ? `${why} If it is a new drop of a saved extract, choose its check set below.` : why;
}

/**
 * Binds a file to the check set whose columns are its header (exact, else the closest), else to the
 * contract whose columns fit it (exact, else the closest); see the file header.
 */
export function bindByHeader(
  project: Project,
  header: readonly string[],
  contracts: readonly SchemaDoc[],
): Binding {
  // nothing to compare: an empty header would "match" any check set or contract without columns
  if (!headerReadable(header)) return { exact: false, contract: '', unmatched: 'no-header' };
  const known = new Set(contracts.map((c) => c.id));
  const set = closestHeader(
    header,
    checkSetsOf(project).map((d) => ({ value: d, expected: { columns: d.columns ?? [] } })),
  );
  if (set) {
    const contract = set.value.contract && known.has(set.value.contract) ? set.value.contract : '';
    return { checkSet: set.value, exact: set.comparison.exact, contract };
  }
  const contract = closestHeader(
    header,
    columnContracts(contracts).map((c) => ({ value: c.id, expected: expectedHeaderOf(c.schema) })),
  );
  return { exact: false, contract: contract?.value ?? '' };
}

/** The layout a check set saved, over the one read from the file (fields it does not save stay). */
export function savedLayout(sniffed: CsvLayout, set: Dataset): CsvLayout {
  return {
    encoding: (set.encoding as CsvLayout['encoding'] | undefined) ?? sniffed.encoding,
    delimiter: set.delimiter ?? sniffed.delimiter,
    quote: set.quote ?? sniffed.quote,
    header: set.header ?? sniffed.header,
    lineEnding: set.lineEnding ? LINE_ENDINGS[set.lineEnding] : sniffed.lineEnding,
  };
}

/** The comparison of a file's header with its chosen contract; undefined when there is nothing to compare. */
export function headerCheck(
  extract: ChosenExtract,
  contracts: readonly SchemaDoc[],
): HeaderComparison | undefined {
  // a file with no readable header has nothing to compare: the run reports it as empty
  if (!extract.contract || !extract.layout.header || !headerReadable(extract.header)) return undefined;
  const doc = contracts.find((c) => c.id === extract.contract);
  if (!doc || !isColumnContract(doc.schema)) return undefined;
  const comparison = compareHeader(expectedHeaderOf(doc.schema), extract.header);
  return comparison.problems.length > 0 ? comparison : undefined;
}

/** True when the file's header does not fit its contract and the user has not chosen to check it anyway. */
export function headerUndecided(extract: ChosenExtract, contracts: readonly SchemaDoc[]): boolean {
  const comparison = headerCheck(extract, contracts);
  return comparison !== undefined && !comparison.fits && extract.headerAccepted !== extract.contract;
}

/**
 * What a new drop of files needs decided before it is checked in one action ("Check the new
 * extract"), one line per file in words for staff; empty when every file is bound to a saved
 * check set whose columns are its header and no header waits for a decision on its contract.
 */
export function newDropDecisions(
  extracts: readonly ChosenExtract[],
  contracts: readonly SchemaDoc[],
): string[] {
  return extracts.flatMap((e) => {
    if (!e.checkSet)
      return [
        headerReadable(e.header)
          ? `${e.name}: its columns match no saved check set. Choose its contract and key below.`
          : `${e.name}: it has no column names to match a saved check set by. Choose its check set below.`,
      ];
    if (!e.checkSet.exact && !e.checkSet.chosen)
      return [
        `${e.name}: its columns are not those of the saved check set “${e.checkSet.name}”. Check the settings taken from it below.`,
      ];
    if (headerUndecided(e, contracts))
      return [
        `${e.name}: its columns do not match its contract. Check the rows anyway, or pick another contract.`,
      ];
    return [];
  });
}

/**
 * The links of the chosen files: a file bound to a check set that saved its links gets those (to
 * the files bound to the linked check sets); any other file gets the proposed ones.
 */
export function linksOf(extracts: readonly ChosenExtract[], project: Project): ReferenceLink[] {
  const byId = new Map(project.datasets.map((d) => [d.id, d]));
  const proposed = proposedLinks(extracts);
  const links: ReferenceLink[] = [];
  for (const child of extracts) {
    const saved = child.checkSet ? byId.get(child.checkSet.id)?.references : undefined;
    if (saved === undefined) {
      links.push(...proposed.filter((l) => l.input === child.name));
      continue;
    }
    for (const reference of saved) {
      const parent = extracts.find((e) => e.checkSet?.id === reference.target);
      if (parent && child.header.includes(reference.column) && parent.header.includes(reference.targetColumn))
        links.push({
          input: child.name,
          column: reference.column,
          target: parent.name,
          targetColumn: reference.targetColumn,
        });
    }
  }
  return links;
}

const LINE_ENDING_TAGS: Readonly<Record<CsvLayout['lineEnding'], NonNullable<Dataset['lineEnding']>>> = {
  '\r\n': 'CRLF',
  '\n': 'LF',
  '\r': 'CR',
};

/**
 * The check sets to keep for the chosen files as they are about to be validated: each file's
 * layout, header, contract, key, mapping and links, under the id of the check set it was bound to
 * (a sample keeps its origin) or under `newIds` for one bound to none.
 */
export function checkSetsToSave(
  extracts: readonly ChosenExtract[],
  links: readonly ReferenceLink[],
  project: Project,
  newIds: ReadonlyMap<string, string>,
): Dataset[] {
  const idOf = (e: ChosenExtract) => e.checkSet?.id ?? newIds.get(e.name) ?? '';
  const schemaIds = new Set(project.schemas.map((s) => s.id));
  const mappingIds = new Set(project.mappings.map((m) => m.id));
  // a file with no readable header is kept only as the check set a user chose for it
  const kept = extracts.filter((e) => headerReadable(e.header) || e.checkSet !== undefined);
  return kept.map((e) => {
    const previous = project.datasets.find((d) => d.id === e.checkSet?.id);
    const references = links
      .filter((l) => l.input === e.name)
      .flatMap((l) => {
        const target = extracts.find((x) => x.name === l.target);
        return target ? [{ column: l.column, target: idOf(target), targetColumn: l.targetColumn }] : [];
      });
    return {
      id: idOf(e),
      name: previous?.name ?? e.name,
      kind: 'csv',
      bytes: previous?.origin.type === 'sample' ? previous.bytes : e.file.size,
      // a file bound to the closest check set, or by choice, does not change what that check set expects
      columns:
        previous && e.checkSet && !e.checkSet.exact ? (previous.columns ?? [...e.header]) : [...e.header],
      encoding: e.layout.encoding,
      delimiter: e.layout.delimiter,
      quote: e.layout.quote,
      lineEnding: LINE_ENDING_TAGS[e.layout.lineEnding],
      header: e.layout.header,
      origin: previous?.origin ?? { type: 'file', lastModified: e.file.lastModified },
      ...(e.contract && schemaIds.has(e.contract) ? { contract: e.contract } : {}),
      ...(e.key ? { key: e.key } : {}),
      ...(e.mapping && mappingIds.has(e.mapping) ? { mapping: e.mapping } : {}),
      references,
    };
  });
}

/** The key column of a file (see the file header), or ''. */
export function proposedKey(fileName: string, header: readonly string[]): string {
  const candidates = ['mrn', `${fileStem(fileName)}_id`, 'id'];
  return candidates.find((c) => header.includes(c)) ?? '';
}

/** Links between the chosen files (see the file header). */
export function proposedLinks(extracts: readonly ChosenExtract[]): ReferenceLink[] {
  const links: ReferenceLink[] = [];
  for (const child of extracts) {
    for (const parent of extracts) {
      if (parent === child) continue;
      const column = `${fileStem(parent.name)}_id`;
      if (child.header.includes(column) && parent.header.includes(column))
        links.push({ input: child.name, column, target: parent.name, targetColumn: column });
    }
  }
  return links;
}

/** The demographic columns a file has (compared for its key), at most 4. */
export function demographicsOf(header: readonly string[], key: string): string[] {
  return DEMOGRAPHIC_COLUMNS.filter((d) => d !== key && header.includes(d)).slice(0, MAX_DEMOGRAPHICS);
}

/** A name for a newly chosen file that no chosen file has yet. */
export function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** Names people read for layouts. */
export const LINE_ENDING_NAMES: Readonly<Record<CsvLayout['lineEnding'], string>> = {
  '\r\n': 'Windows (CRLF)',
  '\n': 'Unix (LF)',
  '\r': 'old Mac (CR)',
};

/** Delimiters offered (the sniffed one is added when it is not among them). */
export const DELIMITERS: readonly { value: string; label: string }[] = [
  { value: ',', label: 'comma ,' },
  { value: ';', label: 'semicolon ;' },
  { value: '\t', label: 'tab' },
  { value: '|', label: 'pipe |' },
];

/** How a delimiter is named on screen. */
export function delimiterName(delimiter: string): string {
  return DELIMITERS.find((d) => d.value === delimiter)?.label ?? `"${delimiter}"`;
}
