/**
 * What the PostgreSQL engine's parity test shares with the default engine's cases: a folder of
 * input files (some not text), the demo extract's first rows, and the header and quote cases.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CONTRACT = path.join(ROOT, 'samples/contracts/patients.contract.json');
export const DEMO = path.join(ROOT, 'samples/legacy/patients.csv');

/** Files that are not text (and their neighbours), by name: their bytes. */
export const FILES: Record<string, () => Buffer> = {
  'clean.csv': () => Buffer.from('patient_id,sex\nP1,F\nP2,M\n'),
  'visits.csv': () => Buffer.from('visit_id,patient_id\nV1,P1\nV2,P9\n'),
  // a PDF saved as .csv: a line of text, then binary bytes
  'scan.csv': () => Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj\n\x00\x01\x02', 'latin1'),
  'latin1.csv': () => Buffer.from('patient_id,city\nP1,Paris\nP2,Montr\xe9al\n', 'latin1'),
  // Windows-1252 (detected: é is not UTF-8) with a byte the code page leaves undefined
  'undefined-byte.csv': () => Buffer.from('patient_id,city\nP1,Montr\xe9al\nP2,\x81x\n', 'latin1'),
  // Windows-1252 text with its own letters: the en dash, curly quotes and the euro sign
  'cp1252.csv': () =>
    Buffer.from('patient_id,note\nP1,a \x96 b\nP2,\x93x\x94 \x80\nP3,Montr\xe9al\n', 'latin1'),
  // text for its first 200,000 bytes (more than the layout is sniffed from), then a zero byte
  'late-zero.csv': () =>
    Buffer.concat([
      Buffer.from(`patient_id,sex\n${Array.from({ length: 20_000 }, (_, i) => `P${i},F`).join('\n')}\n`),
      Buffer.from('P\x00,F\n', 'latin1'),
    ]),
  'contract.json': () =>
    Buffer.from(
      JSON.stringify({
        type: 'object',
        properties: { patient_id: { type: 'string', pattern: '^P[0-9]+$' }, sex: { enum: ['F', 'M'] } },
      }),
    ),
};
/** The folder of one test file, with the demo's header and first 300 rows, made before its tests. */
interface ParityFolder {
  dir: string;
  demoHeader: string[];
  demoRows: string[];
}

/** Makes the folder before the file's tests and removes it after; read its fields inside tests. */
export function parityFolder(): ParityFolder {
  const folder: ParityFolder = { dir: '', demoHeader: [], demoRows: [] };
  beforeAll(async () => {
    folder.dir = await mkdtemp(path.join(tmpdir(), 'preflight-sql-parity-'));
    const lines = (await readFile(DEMO, 'utf8')).split(/\r?\n/);
    folder.demoHeader = (lines[0] ?? '').split(',');
    folder.demoRows = lines.slice(1, 301);
    for (const [name, bytes] of Object.entries(FILES)) await writeFile(path.join(folder.dir, name), bytes());
  });
  afterAll(async () => {
    await rm(folder.dir, { recursive: true, force: true });
  });
  return folder;
}

export { findings } from './reportFindings.ts';

/**
 * The header against the contract, a case of the differential suite (default engine against
 * PostgreSQL): the demo extract's rows under `header` (of the demo's names), with
 * `line`, the header line the summary says (null: none).
 */
interface HeaderCase {
  description: string;
  header: (demo: readonly string[]) => string[];
  extra?: string[];
  line: string | null;
}

export const HEADER_CASES: HeaderCase[] = [
  { description: 'the same header', header: (demo) => [...demo], line: null },
  {
    description: 'a renamed and an extra column: rows not checked',
    header: (demo) => ['Id', ...demo.slice(1, -1), 'Last Visit'],
    line: 'The columns do not match the contract (3 problems)',
  },
  {
    description: 'a missing optional column: a warning, rows checked',
    header: (demo) => demo.slice(0, -1),
    line: 'The columns differ from the contract, but every row can still be checked',
  },
  {
    description: 'a missing required column: rows not checked',
    header: (demo) => demo.filter((name) => name !== 'last_name'),
    line: 'The columns do not match the contract (1 problem)',
  },
  {
    description: 'columns in another order only: a warning, rows checked',
    header: (demo) => [demo[1] ?? '', demo[0] ?? '', ...demo.slice(2)],
    line: 'The columns differ from the contract, but every row can still be checked',
  },
  {
    description: '--continue-on-header-mismatch checks the rows anyway',
    header: (demo) => ['Id', ...demo.slice(1)],
    extra: ['--continue-on-header-mismatch'],
    line: 'The columns do not match the contract (2 problems)',
  },
  {
    // once read as a header that ends at the inner line break, and no records: a pass
    description: 'a header cell with a quoted line break: found, its rows counted',
    header: (demo) => [`${demo[0]}\nid`, ...demo.slice(1)],
    line: 'The columns do not match the contract (1 problem)',
  },
];

/** A CSV line's cells as written (quotes kept), split at the delimiters outside quotes. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/**
 * The CSV of a {@link HeaderCase}: its header (a name with a line break quoted), then the demo's
 * rows, the first two cells swapped where the header swaps the first two columns, and a missing
 * column's cells left out.
 */
export function headerCaseCsv(folder: ParityFolder, header: readonly string[]): string {
  const swapped = header[0] === folder.demoHeader[1];
  const dropped = header.length < folder.demoHeader.length;
  const rows = folder.demoRows
    .filter((r) => r !== '')
    .map((r) => {
      const [a = '', b = '', ...rest] = cellsOf(r);
      const cells = swapped ? [b, a, ...rest] : [a, b, ...rest];
      return (dropped ? cells.filter((_, i) => header.includes(folder.demoHeader[i] ?? '')) : cells).join(
        ',',
      );
    });
  const names = header.map((h) => (/[\n",]/.test(h) ? `"${h.split('"').join('""')}"` : h));
  return `${[names.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * A file with a quote problem, a case of the differential suite: the default engine's reader
 * guesses where its cells end, and the PostgreSQL engine reports it as that reader reads it (its
 * loader refuses it at that row). `issues`:
 * the default engine's rule, place, count and records; `quoteRow`: the first row with a quote problem.
 */
interface QuoteCase {
  description: string;
  csv: string;
  issues: [rule: string, location: string, count: number, records: number][];
  quoteRow: number;
}

export const QUOTE_CASES: QuoteCase[] = [
  {
    description: 'a quote closed before text, no quote after: never closed, to the end of the file',
    csv: 'a,b,c\n1,2,3\n1,"x"y,2\n4,5,6\n',
    issues: [
      ['csv.missing-cell', 'c', 1, 1],
      ['csv.unterminated-quote', '', 1, 1],
    ],
    quoteRow: 2,
  },
  {
    description: 'records with too few cells among good ones, a multi-line cell and a malformed quote',
    csv: 'a,b,c\r\n1,"multi\r\nline",3\r\n4,5\r\n1,"x"y,2,"z"\r\n6\r\n7,8,9\r\n',
    issues: [
      ['csv.missing-cell', 'c', 3, 3],
      ['csv.malformed-quotes', '', 1, 1],
      ['csv.missing-cell', 'b', 1, 1],
    ],
    quoteRow: 3,
  },
];
