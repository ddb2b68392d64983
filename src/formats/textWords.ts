/**
 * The text encodings Preflight reads and the one wording of bytes that are not text in them: what
 * and where (the file, the line and byte), then what to do. Every reader says it so: CSV and its
 * stream decoders (src/core/csv re-exports it), FHIR, and the strict UTF-8 reading of JSON and
 * BPMN files (./jsonText.ts `decodeUtf8Strict`).
 */

/** The encodings Preflight reads. A public contract (the CLI's `--encoding`, report `inputs[].encoding`). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'] as const;

/** One of {@link TEXT_ENCODINGS}. `utf-8-bom` is UTF-8 whose file starts with a byte-order mark. */
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** How a bad byte's advice names reading the file in another encoding and giving it as CSV. */
export interface TextDecodeControls {
  /** reading the file in another encoding (a sentence's start) */
  encoding: string;
  /** giving the file exported as CSV, "then …" */
  chooseCsv: string;
}

/**
 * Bytes that are not text, in the one wording of every reader and screen: what and where (the
 * file, the line and byte), then what to do. With `controls` (the page's fields, the CLI's
 * options) the advice is a sentence naming them; without, it is the report's and the error's own
 * ({@link textDecodeText}).
 */
export function textDecodeWords(
  error: {
    byteOffset: number;
    encoding: TextEncodingName;
    source: string;
    line?: number;
    binary?: boolean;
    /** the file is read only as UTF-8 (a JSON file): the advice is to save it so */
    utf8Only?: boolean;
  },
  controls?: TextDecodeControls,
): { message: string; advice: string } {
  const count = (n: number) => n.toLocaleString('en-US');
  const { source, byteOffset, line } = error;
  if (error.binary)
    return {
      message: `${source} is not a text file (a zero byte at byte ${count(byteOffset)}${line === undefined ? '' : `, line ${count(line)}`})`,
      advice: controls
        ? `It looks like a spreadsheet, PDF or other binary file. Export the data as CSV (in a spreadsheet: Save as, CSV) and ${controls.chooseCsv}.`
        : 'check that it is the right file; a spreadsheet or PDF must be exported as CSV first',
    };
  const where =
    line === undefined ? `offset ${count(byteOffset)}` : `line ${count(line)}, byte ${count(byteOffset)}`;
  return {
    message: `${source} is not valid ${ENCODING_TITLES[error.encoding === 'utf-8-bom' ? 'utf-8' : error.encoding]} text: the byte at ${where} cannot be read in that encoding`,
    advice: error.utf8Only
      ? 'save it again as UTF-8'
      : controls
        ? `${controls.encoding} (old Windows systems often use Windows-1252), or save the file again as UTF-8.`
        : 'read it in the encoding it was saved in, or export it again as UTF-8',
  };
}

/** The words of {@link textDecodeWords} without controls, as one line: the report's and the error's. */
export function textDecodeText(error: Parameters<typeof textDecodeWords>[0]): string {
  const { message, advice } = textDecodeWords(error);
  return `${message}${error.binary ? ':' : ';'} ${advice}`;
}

/** Names shown to people: a file read as UTF-8 with a byte-order mark says so (the card's choice). */
export const ENCODING_TITLES: Readonly<Record<TextEncodingName, string>> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252',
};
