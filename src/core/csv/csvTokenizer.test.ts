/**
 * The fast scanner against papaparse: a reader with `engine: 'auto'` (the scanner, papaparse for
 * what it leaves) must give exactly what `engine: 'papaparse'` gives — records, offsets, header,
 * row numbers, quote problems, blank lines, the too-long error — for any text, syntax and chunking
 * (fast-check prints the seed of a failure; pin it below as a case).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvReaderOptions, createCsvRecordReader } from './csvRecords.ts';
import {
  createRecordScanner,
  SCAN_END,
  SCAN_IRREGULAR,
  SCAN_LIMIT,
  SCAN_MORE,
  scannerAccepts,
} from './csvTokenizer.ts';
import { createLineEndingScanner } from './lineEndings.ts';

type Engine = 'auto' | 'papaparse';

/** Everything a reader tells, in order, for `chunks` pushed one by one. */
function readAll(chunks: readonly string[], options: CsvReaderOptions, engine: Engine, viaOnRecord: boolean) {
  const events: unknown[] = [];
  const reader = createCsvRecordReader({
    ...options,
    engine,
    offsets: true,
    onBlankLine: (nextRow) => events.push(['blank', nextRow]),
    ...(viaOnRecord
      ? { onRecord: (row, fields, start, end) => events.push(['record', row, [...fields], start, end]) }
      : {}),
  });
  try {
    for (const chunk of chunks) {
      for (const r of reader.push(chunk)) events.push(['record', r.row, r.fields, r.start, r.end]);
      events.push(['problems', reader.takeProblems()]);
    }
    for (const r of reader.finish()) events.push(['record', r.row, r.fields, r.start, r.end]);
  } catch (error) {
    events.push(['error', (error as Error).name, (error as { row?: number }).row]);
  }
  events.push(['end', reader.header, reader.rows, reader.problems]);
  return events;
}

/** Cuts `text` at the given character offsets. */
function cut(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const c of [...at, text.length]) {
    chunks.push(text.slice(start, c));
    start = c;
  }
  return chunks;
}

const syntaxArb = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  quoteChar: fc.constantFrom('"', "'"),
  newline: fc.constantFrom(undefined, '\r\n', '\n', '\r'),
  noHeader: fc.boolean(),
});

/** Text built from the pieces that matter to a CSV reader, for a syntax. */
function textArb(delimiter: string, quote: string) {
  const piece = fc.constantFrom(
    'a',
    'é',
    '𝄞',
    'x1',
    ' ',
    delimiter,
    delimiter,
    quote,
    quote + quote,
    `${quote}a${delimiter}b${quote}`,
    `${quote}${quote}${quote}`,
    '\n',
    '\r\n',
    '\r',
    '\r\n',
    ',',
    '"',
    '\ufeff',
  );
  return fc
    .tuple(fc.boolean(), fc.array(piece, { maxLength: 60 }))
    .map(([bom, pieces]) => `${bom ? '\ufeff' : ''}${pieces.join('')}`);
}

describe('the fast scanner reads what papaparse reads', () => {
  it('for any text, syntax and chunking (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        syntaxArb.chain((syntax) =>
          fc.tuple(
            fc.constant(syntax),
            textArb(syntax.delimiter, syntax.quoteChar),
            fc.array(fc.nat(400), { maxLength: 8 }),
            fc.boolean(),
          ),
        ),
        ([syntax, text, cuts, viaOnRecord]) => {
          const options: CsvReaderOptions = { ...syntax };
          if (syntax.newline === undefined) delete options.newline;
          const chunks = cut(text, cuts);
          expect(readAll(chunks, options, 'auto', viaOnRecord)).toEqual(
            readAll(chunks, options, 'papaparse', viaOnRecord),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('for records longer than a chunk, and a record cap (the unfinished record completed in steps)', () => {
    const long = (n: number) => 'y'.repeat(n);
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            long(5000),
            `"${long(20_000)}"`,
            `"${long(3000)}""${long(3000)}"`,
            '"a"b',
            '"open',
            'p,q',
            ',',
            '\r\n',
            '\n',
            'é',
          ),
          { maxLength: 12 },
        ),
        fc.array(fc.nat(80_000), { maxLength: 6 }),
        fc.constantFrom(undefined, 30_000),
        (pieces, cuts, maxRecordChars) => {
          const text = `h1,h2\r\n${pieces.join('')}`;
          const options: CsvReaderOptions = { newline: '\r\n' };
          if (maxRecordChars !== undefined) options.maxRecordChars = maxRecordChars;
          const chunks = cut(text, cuts);
          expect(readAll(chunks, options, 'auto', true)).toEqual(readAll(chunks, options, 'papaparse', true));
        },
      ),
      { numRuns: 300 },
    );
  });

  // pinned cases: the quote rules where papaparse repairs or reports, at every cut
  const cases: { description: string; text: string }[] = [
    { description: 'text after a closing quote', text: 'h\r\n"a"b,c\r\nd\r\n' },
    { description: 'spaces between a closing quote and the delimiter', text: 'h,i\r\n"a"  ,b\r\nc,d\r\n' },
    {
      description: 'spaces between a closing quote and the line break',
      text: 'h,i\r\n"a",b  \r\n"c"  \r\nd,e',
    },
    { description: 'a quote that is never closed', text: 'h,i\r\n1,"open\r\n2,x\r\n' },
    { description: 'a closing quote at the very end', text: 'h,i\r\n1,"a""b"' },
    { description: 'a doubled quote at the very end', text: 'h,i\r\n1,"a""' },
    { description: 'a quote inside an unquoted field', text: 'h,i\r\n1,a"b\r\n2,"c"\r\n' },
    { description: 'CR alone after a quoted field in a CRLF file', text: 'h,i\r\n1,"a"\r2,b\r\n' },
    { description: 'blank lines, the last ones at the end', text: '\r\nh,i\r\n\r\n1,a\r\n\r\n\r\n' },
    { description: 'an empty quoted field and an empty last field', text: 'h,i\r\n"",\r\n,""\r\n' },
    { description: 'line breaks inside quotes', text: 'h,i\r\n"a\r\nb","c\nd\re"\r\n' },
  ];
  it.each(cases)('$description, at every cut', ({ text }) => {
    for (let at = 0; at <= text.length; at++) {
      for (const newline of ['\r\n', undefined] as const) {
        const options: CsvReaderOptions = newline ? { newline } : {};
        const chunks = [text.slice(0, at), text.slice(at)];
        expect(readAll(chunks, options, 'auto', true), `cut ${at}`).toEqual(
          readAll(chunks, options, 'papaparse', true),
        );
      }
    }
  });
});

describe('line endings counted in the reading pass', () => {
  /** The counts of a separate pass over the text, and of the reader feeding the scanner. */
  function counts(chunks: readonly string[], newline: '\r\n' | '\n' | '\r', quote: string, engine: Engine) {
    const separate = createLineEndingScanner(newline, quote, true);
    for (const chunk of chunks) separate.push(chunk);
    const fed = createLineEndingScanner(newline, quote, true);
    const seen: string[] = [];
    const reader = createCsvRecordReader({
      newline,
      quoteChar: quote,
      engine,
      lineEndings: {
        push: (text) => {
          seen.push(text);
          fed.push(text);
        },
        plainRecord: (terminated, empty) => fed.plainRecord(terminated, empty),
      },
    });
    for (const chunk of chunks) reader.push(chunk);
    reader.finish();
    return { separate: separate.finish(), fed: fed.finish(), seen: seen.join('') };
  }

  it('gives the counts of a separate pass, for any text, line break and chunking (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.constantFrom('\r\n', '\n', '\r') as fc.Arbitrary<'\r\n' | '\n' | '\r'>,
            fc.constantFrom('"', "'"),
            fc.constantFrom<Engine>('auto', 'papaparse'),
          )
          .chain(([newline, quote, engine]) =>
            fc.tuple(
              fc.constant(newline),
              fc.constant(quote),
              fc.constant(engine),
              textArb(',', quote),
              fc.array(fc.nat(400), { maxLength: 8 }),
            ),
          ),
        ([newline, quote, engine, text, cuts]) => {
          const chunks = cut(text, cuts);
          const result = counts(chunks, newline, quote, engine);
          expect(result.fed).toEqual(result.separate);
          // the reader gives the count all the text it does not vouch for, in order
          if (engine === 'papaparse') expect(result.seen).toBe(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('looks at the text of no record in a well-formed file', () => {
    const text = 'id,note\r\n1,"a, ""b""\r\nc"\r\n\r\n2,x\r\n3,"y"';
    const result = counts([text.slice(0, 20), text.slice(20)], '\r\n', '"', 'auto');
    expect(result.seen).toBe('');
    expect(result.fed).toEqual(result.separate);
    expect(result.fed).toMatchObject({ crlf: 3, unexpected: 0 });
  });
});

describe('createRecordScanner', () => {
  it('accepts the syntaxes it reads exactly as papaparse, and no others', () => {
    const table: { delimiter: string; quote: string; accepted: boolean }[] = [
      { delimiter: ',', quote: '"', accepted: true },
      { delimiter: '\t', quote: "'", accepted: true },
      { delimiter: '"', quote: '"', accepted: false }, // papaparse reads with "," then
      { delimiter: '\r', quote: '"', accepted: false },
      { delimiter: ',,', quote: '"', accepted: false },
      { delimiter: ',', quote: '', accepted: false },
      { delimiter: ',', quote: ',', accepted: false },
    ];
    for (const { delimiter, quote, accepted } of table) {
      expect(scannerAccepts(delimiter, quote), `${JSON.stringify(delimiter)} ${JSON.stringify(quote)}`).toBe(
        accepted,
      );
      expect(createRecordScanner(delimiter, quote, '\n', () => {}) !== undefined).toBe(accepted);
    }
  });

  it('says why it stopped', () => {
    const records: [string[], number, number][] = [];
    const scanner = createRecordScanner(',', '"', '\n', (fields, start, end) =>
      records.push([fields, start, end]),
    );
    if (!scanner) throw new Error('the scanner reads "," and \'"\'');
    const table: { text: string; final: boolean; stopAfter: number; pos: number; stop: number }[] = [
      { text: 'a,b\nc', final: false, stopAfter: Number.POSITIVE_INFINITY, pos: 4, stop: SCAN_MORE },
      { text: 'a,b\nc', final: true, stopAfter: Number.POSITIVE_INFINITY, pos: 5, stop: SCAN_END },
      { text: 'a\nb\nc\n', final: false, stopAfter: 3, pos: 4, stop: SCAN_LIMIT },
      { text: 'a\n"b"c\n', final: false, stopAfter: Number.POSITIVE_INFINITY, pos: 2, stop: SCAN_IRREGULAR },
      { text: 'a\n"b', final: false, stopAfter: Number.POSITIVE_INFINITY, pos: 2, stop: SCAN_MORE },
      { text: 'a\n"b', final: true, stopAfter: Number.POSITIVE_INFINITY, pos: 2, stop: SCAN_IRREGULAR },
    ];
    for (const c of table) {
      expect(scanner.scan(c.text, 0, c.final, c.stopAfter), c.text).toBe(c.pos);
      expect(scanner.stop, c.text).toBe(c.stop);
    }
    records.length = 0;
    scanner.scan('x,"y ""z"""\n', 0, false, Number.POSITIVE_INFINITY);
    expect(records).toEqual([[['x', 'y "z"'], 0, 12]]);
    // as papaparse, the end of a final text after a line break is an empty record (a blank line)
    records.length = 0;
    scanner.scan('a\n', 0, true, Number.POSITIVE_INFINITY);
    expect(records).toEqual([
      [['a'], 0, 2],
      [[''], 2, 2],
    ]);
  });
});
