/**
 * A first look at a delimited text file: encoding, delimiter and header columns, from its
 * first bytes only (the caller passes a prefix, never the whole file).
 *
 * Constraint: bytes that are not valid UTF-8 are never silently replaced. A prefix that is
 * not UTF-8 is reported as Windows-1252 only when every byte decodes there. The full, overridable
 * detection (UTF-16, explicit override, line ending) is csvLayout.ts, which builds on this; byte
 * offsets of bad sequences come from the strict decoders (textDecoding.ts).
 */
import Papa from 'papaparse';
import { CP1252_UNDEFINED } from './textDecoding.ts';

/** Delimiters a legacy export plausibly uses, in tie-break order. */
const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

type SniffedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

interface HeaderSniff {
  encoding: SniffedEncoding;
  delimiter: string;
  columns: string[];
}

function detectEncoding(bytes: Uint8Array): { encoding: SniffedEncoding; skip: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8-bom', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  try {
    // stream: true tolerates a multi-byte character cut at the end of the prefix
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return { encoding: 'utf-8', skip: 0 };
  } catch {
    if (bytes.some((b) => CP1252_UNDEFINED.includes(b))) {
      throw new Error(
        'The file is neither UTF-8 nor Windows-1252 text. Save it as UTF-8 CSV and add it again.',
      );
    }
    return { encoding: 'windows-1252', skip: 0 };
  }
}

function decoderLabel(encoding: SniffedEncoding): string {
  return encoding === 'utf-8-bom' ? 'utf-8' : encoding;
}

/** The candidate that occurs most often outside quotes in the header line (ties: list order). */
export function guessDelimiter(line: string): string {
  const counts = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string = CANDIDATE_DELIMITERS[0];
  for (const d of CANDIDATE_DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Reads encoding, delimiter and header columns from the first bytes of a CSV/TSV file. */
export function sniffHeader(prefix: Uint8Array): HeaderSniff {
  const { encoding, skip } = detectEncoding(prefix);
  const text = new TextDecoder(decoderLabel(encoding)).decode(prefix.subarray(skip), { stream: true });
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = guessDelimiter(firstLine);
  const parsed = Papa.parse<string[]>(firstLine, { delimiter });
  const header = parsed.data[0];
  if (!header || header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new Error('The file has no header row: the first line is empty.');
  }
  return { encoding, delimiter, columns: header.map((c) => c.trim()) };
}
