/**
 * What the Migration workspace proposes for the files a user chose, before they press Validate: the
 * column contract of each file, its key column, the links between files and the demographic
 * columns compared for one key. Every proposal is shown and can be changed; none decides alone.
 *
 * A file is bound by its header, never by its name, with the rules `preflight validate --project`
 * uses too, in src/core/validation: `listedFile` binds a file as it is listed, `linksOf` proposes
 * the links, `headerCheck` compares a header with its contract (re-exported here for the screen).
 * A file whose header cannot be read is never bound by header and never saved as a check set of
 * its own; the user may bind it to a saved check set by choice.
 */
import { type CsvLayout, DEFAULT_MAX_NAME_CHARS } from '../../core/csv/index.ts';
import {
  headerReadable,
  headerUndecided,
  type ListedFile,
  type ReferenceLink,
} from '../../core/validation/index.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';

export {
  bindByHeader,
  checkSetsOf,
  demographicsOf,
  fileStem,
  headerCheck,
  headerReadable,
  headerUndecided,
  linksOf,
  proposedKey,
  proposedLinks,
  savedLayout,
} from '../../core/validation/index.ts';

/**
 * A file the user chose: the core's listed file (its name unique in the list: a second file of the
 * same name gets " (2)"; its layout, header, contract id or '', key or '', compared columns,
 * mapping id and check set), with its bytes, which layout fields were sniffed rather than set, and
 * whether the user bound it to its check set by choice.
 */
export interface ChosenExtract extends ListedFile {
  file: File;
  detected: { encoding: boolean; delimiter: boolean; lineEnding: boolean };
  /** the project's check set (CSV dataset) the file was bound to, and how (`chosen`: by the user) */
  checkSet?: { id: string; name: string; exact: boolean; chosen?: boolean };
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

const LINE_ENDING_TAGS: Readonly<Record<CsvLayout['lineEnding'], NonNullable<Dataset['lineEnding']>>> = {
  '\r\n': 'CRLF',
  '\n': 'LF',
  '\r': 'CR',
};

/**
 * Whether a file's header is kept as a check set of its own, for a later file to be matched by: not
 * when no column name can be read from it, nor when a name is over the reader's bound (a file built
 * to exhaust memory, refused at its header: the layout sniff holds a cut copy of that name, up to a
 * megabyte, which the project would then keep and every list of its columns show).
 */
export function headerKept(header: readonly string[]): boolean {
  return headerReadable(header) && header.every((name) => name.length <= DEFAULT_MAX_NAME_CHARS);
}

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
  // a file with no header to keep is kept only as the check set a user chose for it
  const kept = extracts.filter((e) => headerKept(e.header) || e.checkSet !== undefined);
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
      ...(e.decimalMark ? { decimalMark: e.decimalMark } : {}),
      origin: previous?.origin ?? { type: 'file', lastModified: e.file.lastModified },
      ...(e.contract && schemaIds.has(e.contract) ? { contract: e.contract } : {}),
      ...(e.key ? { key: e.key } : {}),
      ...(e.key && e.demographics ? { demographics: [...e.demographics] } : {}),
      ...(e.mapping && mappingIds.has(e.mapping) ? { mapping: e.mapping } : {}),
      references,
    };
  });
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
