/**
 * What the Migration workspace proposes for the files a user chose, before they press Validate: the
 * column contract of each file, its key column, the links between files and the demographic
 * columns compared for one key. Every proposal is shown and can be changed; none decides alone.
 *
 * Proposals are by name only (never by content): a project dataset of the same file name gives
 * its contract; the key is `mrn`, else `<file stem>_id` (encounters.csv → encounter_id), else `id`;
 * a column `<other stem>_id` links to the other file's column of the same name
 * (encounters.patient_id → patients.patient_id).
 */
import type { CsvLayout } from '../../core/csv/index.ts';
import type { ReferenceLink } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';

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

/** The contract of a file: the project dataset's of the same name, if any. */
export function proposedContract(project: Project, fileName: string): string {
  const dataset = project.datasets.find((d) => d.name === fileName);
  return dataset?.contract && project.schemas.some((s) => s.id === dataset.contract) ? dataset.contract : '';
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
