/**
 * How a file is bound to a project's saved check set, and what the binding proposes for it: the
 * same in the Migration workspace and in `preflight validate --project`, so both check a file as
 * the same check set.
 *
 * A file is bound by its header, never by its name: to the project's check set (a CSV dataset
 * with its saved layout, contract, key, mapping and links) whose columns are the file's header,
 * else whose columns come closest; without one, to the contract whose columns fit the header
 * exactly, else closest (`closestHeader` of the contract module). A differently shaped file of a
 * known name gets no contract rather than the wrong one. Without a saved key the key is `mrn`,
 * else `<file stem>_id` (encounters.csv → encounter_id), else `id`; without saved links a column
 * `<other stem>_id` links to the other file's column of the same name
 * (encounters.patient_id → patients.patient_id).
 *
 * A file whose header cannot be read (an empty file, or a first line of blank names) has nothing
 * to match by: it is never bound by header — not to a check set, not to a contract.
 *
 * Pure: a project and headers in, plain objects out.
 */

import { readProjectFhirChecks, SWITCHABLE_FHIR_LAYERS } from '../../formats/fhirChecks.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import type { Report, ReportFhirLayer } from '../../formats/report.ts';
import { closestHeader, expectedHeaderOf, isColumnContract } from '../contract/index.ts';
import type { CsvLayout } from '../csv/index.ts';
import type { ReferenceLink } from './validateInputs.ts';

/**
 * The names a demographic column goes by, one list per thing compared (last name, first name,
 * birth date, sex), best first. Matched ignoring case, spaces and hyphens, so Synthea's `LAST`,
 * `FIRST`, `BIRTHDATE` and `GENDER` and a spreadsheet's "Date of Birth" are found too.
 */
const DEMOGRAPHIC_NAMES: readonly (readonly string[])[] = [
  ['last_name', 'family_name', 'lastname', 'familyname', 'surname', 'last'],
  ['first_name', 'given_name', 'firstname', 'givenname', 'first'],
  ['birth_date', 'date_of_birth', 'birthdate', 'dateofbirth', 'dob'],
  ['sex', 'gender'],
];

/** A column name as the demographic names are written: lower case, spaces and hyphens as `_`. */
function demographicName(column: string): string {
  return column
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Columns compared for a key, at most. */
export const MAX_DEMOGRAPHICS = 4;

/** "encounters.csv" → "encounter" (the stem, without a plural "s"). */
export function fileStem(name: string): string {
  // a path names the file by its last part (the CLI's files are paths as given)
  const base = name
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .toLowerCase();
  return base.endsWith('s') ? base.slice(0, -1) : base;
}

/** The line endings a dataset names, as the CSV reader takes them. */
const LINE_ENDINGS: Readonly<Record<NonNullable<Dataset['lineEnding']>, CsvLayout['lineEnding']>> = {
  CRLF: '\r\n',
  LF: '\n',
  CR: '\r',
};

/** The saved check sets of a project: its CSV datasets with their header. */
export function checkSetsOf(project: Pick<Project, 'datasets'>): Dataset[] {
  return project.datasets.filter((d) => d.kind === 'csv' && (d.columns?.length ?? 0) > 0);
}

/** The contracts among a project's schemas (JSON Schemas of one row). */
export function columnContracts(schemas: readonly SchemaDoc[]): SchemaDoc[] {
  return schemas.filter((s) => isColumnContract(s.schema));
}

/** What a file is bound to: a saved check set, or only a contract (or nothing: ''). */
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
 * Binds a file to the check set whose columns are its header (exact, else the closest), else to the
 * contract whose columns fit it (exact, else the closest); see the file header.
 */
export function bindByHeader(
  project: Pick<Project, 'datasets'>,
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

/**
 * The layout a file bound to `set` is read with, when it is not the one `sniffed`: the check
 * set's, where the options `given` do not say otherwise (its header is read again with it).
 * Undefined: the sniffed layout is the check set's.
 */
export function boundLayout(
  sniffed: CsvLayout,
  set: Dataset,
  given: Partial<CsvLayout> = {},
): CsvLayout | undefined {
  const wanted = { ...savedLayout(sniffed, set), ...given };
  const differs = (Object.keys(wanted) as (keyof CsvLayout)[]).some((k) => wanted[k] !== sniffed[k]);
  return differs ? wanted : undefined;
}

/** The key column a check set saved, when the file has it, else the proposed one (or ''). */
export function keyOf(fileName: string, header: readonly string[], set: Dataset | undefined): string {
  return set?.key && header.includes(set.key) ? set.key : proposedKey(fileName, header);
}

/** A file of a run as the links see it: its name in the run, its header and its check set. */
interface BoundFile {
  name: string;
  header: readonly string[];
  checkSet?: { id: string };
}

/**
 * The links of a run's files: a file bound to a check set that saved its links gets those (to
 * the files bound to the linked check sets); any other file gets the proposed ones.
 */
export function linksOf(files: readonly BoundFile[], project: Pick<Project, 'datasets'>): ReferenceLink[] {
  const byId = new Map(project.datasets.map((d) => [d.id, d]));
  const proposed = proposedLinks(files);
  const links: ReferenceLink[] = [];
  for (const child of files) {
    const saved = child.checkSet ? byId.get(child.checkSet.id)?.references : undefined;
    if (saved === undefined) {
      links.push(...proposed.filter((l) => l.input === child.name));
      continue;
    }
    for (const reference of saved) {
      const parent = files.find((e) => e.checkSet?.id === reference.target);
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

/** The key column of a file (see the file header), or ''. */
export function proposedKey(fileName: string, header: readonly string[]): string {
  const candidates = ['mrn', `${fileStem(fileName)}_id`, 'id'];
  return candidates.find((c) => header.includes(c)) ?? '';
}

/** Links between a run's files (see the file header). */
export function proposedLinks(files: readonly Omit<BoundFile, 'checkSet'>[]): ReferenceLink[] {
  const links: ReferenceLink[] = [];
  for (const child of files) {
    for (const parent of files) {
      if (parent === child) continue;
      const column = `${fileStem(parent.name)}_id`;
      if (child.header.includes(column) && parent.header.includes(column))
        links.push({ input: child.name, column, target: parent.name, targetColumn: column });
    }
  }
  return links;
}

/**
 * The columns compared for a file's key: those its check set keeps, as the user chose them (the
 * ones the header still has, never the key), else those guessed from the header.
 */
export function chosenDemographicsOf(
  header: readonly string[],
  key: string,
  chosen: readonly string[] | undefined,
): string[] {
  if (chosen === undefined) return demographicsOf(header, key);
  return chosen.filter((c) => c !== key && header.includes(c)).slice(0, MAX_DEMOGRAPHICS);
}

/**
 * The demographic columns a file has (compared for its key), as the header names them: at most one
 * per thing compared (last name, first name, birth date, sex), never the key, at most 4.
 */
export function demographicsOf(header: readonly string[], key: string): string[] {
  const found: string[] = [];
  for (const names of DEMOGRAPHIC_NAMES) {
    const column = names
      .map((name) => header.find((h) => h !== key && demographicName(h) === name))
      .find((h) => h !== undefined);
    if (column !== undefined && !found.includes(column)) found.push(column);
  }
  return found.slice(0, MAX_DEMOGRAPHICS);
}

/**
 * The project schema a mapping's schema target names: by document id, by the schema's `$id`, or —
 * for a target written as a path next to the mapping file (as the CLI reads it) — an uploaded
 * target schema of that file name.
 */
export function targetSchemaDoc(
  schemas: readonly SchemaDoc[],
  target: Mapping['target'],
): SchemaDoc | undefined {
  if (target.type !== 'schema') return undefined;
  const fileName = target.schema.slice(
    Math.max(target.schema.lastIndexOf('/'), target.schema.lastIndexOf('\\')) + 1,
  );
  return (
    schemas.find((s) => s.id === target.schema || s.schema.$id === target.schema) ??
    schemas.find((s) => s.id === `target:${fileName}`)
  );
}

/** The saved mapping a check set names, when the project holds it (the app checks its records too). */
export function savedMappingOf(
  project: Pick<Project, 'mappings'>,
  set: Dataset | undefined,
): Mapping | undefined {
  return set?.mapping ? project.mappings.find((m) => m.id === set.mapping) : undefined;
}

/** A saved mapping as the validator takes it (plain data), with what its target needs. */
export interface SavedMappingSpec {
  mapping: Mapping;
  /** the target schema the project holds for a schema target, and its name for messages */
  targetSchema?: { name: string; schema: Record<string, unknown> };
  /** for an R4 resource type target: the FHIR layers that run (`json` always) */
  layers?: ReportFhirLayer[];
  /** for an R4 resource type target: how extensions the specification does not define count */
  unknownExtensions?: 'error' | 'warning';
}

/**
 * How the records a project's saved mapping makes are checked: the mapping, its target schema when
 * the project holds it, and, for a FHIR target, the project's FHIR checks (`meta.settings.fhirChecks`:
 * the layers switched off, how unknown extensions count), exactly as the project's FHIR files are
 * checked. The Migration screen sends this to the validator; `validate --project` applies the same.
 */
export function savedMappingSpec(
  project: Pick<Project, 'mappings' | 'schemas' | 'meta'>,
  mappingId: string | undefined,
): SavedMappingSpec | undefined {
  const mapping = mappingId ? project.mappings.find((m) => m.id === mappingId) : undefined;
  if (!mapping) return undefined;
  if (mapping.target.type !== 'schema') {
    const { off, unknownExtensions } = readProjectFhirChecks(project.meta.settings);
    const layers: ReportFhirLayer[] = ['json', ...SWITCHABLE_FHIR_LAYERS.filter((l) => !off.includes(l))];
    return { mapping, layers, unknownExtensions };
  }
  const doc = targetSchemaDoc(project.schemas, mapping.target);
  return { mapping, ...(doc ? { targetSchema: { name: doc.name, schema: doc.schema } } : {}) };
}

/**
 * `report` with each input naming the project dataset (check set) it was checked as, by input
 * name: readiness counts the report for that dataset whatever the file is called.
 */
export function withCheckSets(report: Report, datasets: ReadonlyMap<string, string>): Report {
  if (datasets.size === 0) return report;
  return {
    ...report,
    inputs: report.inputs.map((input) => {
      const dataset = datasets.get(input.name);
      return dataset ? { ...input, dataset } : input;
    }),
  };
}
