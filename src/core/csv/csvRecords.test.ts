import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvRecordTooLongError, createCsvRecordReader } from './csvRecords.ts';
import { createUtf8StreamDecoder, Utf8DecodeError } from './utf8Stream.ts';

/** Bytes → decoder → reader, cut at the given byte offsets. */
function readBytes(bytes: Uint8Array, cuts: number[], delimiter = ',') {
  const decoder = createUtf8StreamDecoder('t.csv');
  const reader = createCsvRecordReader({ delimiter });
  const records: CsvRecord[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    records.push(...reader.push(decoder.decode(bytes.subarray(start, cut))));
    start = cut;
  }
  records.push(...reader.push(decoder.end()), ...reader.finish());
  return { header: reader.header, records, problems: reader.problems };
}

const encode = (text: string) => new TextEncoder().encode(text);
const allCuts = (length: number) => Array.from({ length: length + 1 }, (_, i) => i);

/** Papaparse on the whole text at once: what streaming must reproduce. */
function wholeText(text: string, delimiter = ',') {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { delimiter, skipEmptyLines: true });
  const [header, ...data] = parsed.data;
  return { header, records: data.map((fields, i) => ({ row: i + 1, fields })) };
}

const cases: { description: string; text: string; header: string[]; fields: string[][] }[] = [
  {
    description: 'plain LF',
    text: 'id,name\n1,Ann\n2,Bo\n',
    header: ['id', 'name'],
    fields: [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ],
  },
  {
    description: 'CRLF',
    text: 'id,name\r\n1,Ann\r\n2,Bo\r\n',
    header: ['id', 'name'],
    fields: [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ],
  },
  {
    description: 'CR only',
    text: 'id,name\r1,Ann\r2,Bo',
    header: ['id', 'name'],
    fields: [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ],
  },
  {
    description: 'quoted fields with delimiters, doubled quotes and line breaks',
    text: 'id,note\r\n1,"a, ""b""\r\nc"\r\n2,"x\ny"\r\n',
    header: ['id', 'note'],
    fields: [
      ['1', 'a, "b"\r\nc'],
      ['2', 'x\ny'],
    ],
  },
  { description: 'a BOM', text: '\ufeffid,name\n1,Ann\n', header: ['id', 'name'], fields: [['1', 'Ann']] },
  {
    description: 'multi-byte characters (2, 3 and 4 bytes)',
    text: 'id,name\n1,Müller\n2,€uro\n3,𝄞clef\n',
    header: ['id', 'name'],
    fields: [
      ['1', 'Müller'],
      ['2', '€uro'],
      ['3', '𝄞clef'],
    ],
  },
  {
    description: 'blank lines are not records and get no row number; no final line break',
    text: '\nid,name\n\n1,Ann\n\n2,Bo',
    header: ['id', 'name'],
    fields: [
      ['1', 'Ann'],
      ['2', 'Bo'],
    ],
  },
  { description: 'a header only', text: 'id,name\n', header: ['id', 'name'], fields: [] },
  { description: 'semicolons', text: 'id;name\n1;"A;B"\n', header: ['id', 'name'], fields: [['1', 'A;B']] },
];

describe('createCsvRecordReader (through the streaming UTF-8 decoder)', () => {
  it.each(cases)('reads $description identically at every byte cut', ({ text, header, fields }) => {
    const bytes = encode(text);
    const delimiter = text.includes(';') ? ';' : ',';
    const expected = fields.map((f, i) => ({ row: i + 1, fields: f }));
    for (const cut of allCuts(bytes.length)) {
      const result = readBytes(bytes, [cut], delimiter);
      expect({ cut, header: result.header, records: result.records }).toEqual({
        cut,
        header,
        records: expected,
      });
      expect(result.problems).toEqual([]);
    }
    // and byte by byte
    expect(readBytes(bytes, allCuts(bytes.length), delimiter).records).toEqual(expected);
    expect(wholeText(text, delimiter)).toEqual({ header, records: expected });
  });

  it('equals papaparse on the whole text for any text and any chunking (seed printed on failure)', () => {
    const piece = fc.constantFrom('a', 'é', '𝄞', ',', '"', '""', '\n', '\r\n', '\r', ' ', 'x1');
    const textArb = fc.array(piece, { maxLength: 40 }).map((p) => `h1,h2\n${p.join('')}`);
    fc.assert(
      fc.property(
        textArb.chain((text) =>
          fc.tuple(fc.constant(text), fc.uniqueArray(fc.nat({ max: encode(text).length }), { maxLength: 6 })),
        ),
        ([text, cuts]) => {
          const streamed = readBytes(
            encode(text),
            cuts.sort((a, b) => a - b),
          );
          const whole = wholeText(text);
          expect(streamed.header).toEqual(whole.header);
          expect(streamed.records).toEqual(whole.records);
        },
      ),
    );
  });

  it('reports quote problems by row, never text', () => {
    const result = readBytes(encode('id,n\n1,"a"b"\n2,ok\n3,"open\n'), [7]);
    expect(result.problems).toEqual([
      { code: 'malformed-quotes', row: 1 },
      { code: 'unterminated-quote', row: 3 },
    ]);
  });

  it('stops at a record longer than the cap instead of holding the rest of the file', () => {
    const reader = createCsvRecordReader({ maxRecordChars: 100 });
    reader.push('id,n\n1,ok\n2,"never closed');
    let thrown: unknown;
    try {
      for (let i = 0; i < 10; i++) reader.push('x'.repeat(20));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvRecordTooLongError);
    expect(thrown).toMatchObject({ row: 2 });
  });

  it.each([
    // one line with no line break at all (a 1 GiB line, scaled down): the header, line 1
    {
      description: 'a first line without end',
      noHeader: false,
      expected: /^the name of column 1 in the header /,
    },
    {
      description: 'the same without a header',
      noHeader: true,
      expected: /^the cell in column 1 of row 1 /,
    },
  ])('names the first line when it never ends: $description', ({ noHeader, expected }) => {
    const reader = createCsvRecordReader({ maxRecordChars: 100, noHeader });
    let thrown: unknown;
    try {
      for (let i = 0; i < 10; i++) reader.push('x'.repeat(20));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvRecordTooLongError);
    expect(thrown).toMatchObject({ row: noHeader ? 1 : 0 });
    expect((thrown as Error).message).toMatch(expected);
  });
});

describe('the bounds of a record, a cell, a column name and the columns', () => {
  const small = { maxRecordChars: 64, maxFieldChars: 16, maxColumns: 5, maxNameChars: 8 };
  const cases: {
    name: string;
    text: string;
    refused?: { kind: string; row: number; column?: number; quoted?: boolean };
  }[] = [
    {
      name: 'cells, names and columns at their bounds pass',
      text: 'a,bbbbbbbb,c,d,e\n1,xxxxxxxxxxxxxxxx,3,4,5\n',
    },
    {
      name: 'a cell one character over, in a finished record',
      text: 'a,b\n1,2\n3,xxxxxxxxxxxxxxxxx\n4,5\n',
      refused: { kind: 'field', row: 2, column: 2 },
    },
    {
      name: 'a quoted cell over the bound',
      text: 'a,b\n1,"xxxxxxxx\nxxxxxxxxx"\n',
      refused: { kind: 'field', row: 1, column: 2 },
    },
    {
      name: 'a cell that never ends (no line break after it)',
      text: `a,b,c\n1,2,${'x'.repeat(40)}`,
      refused: { kind: 'field', row: 1, column: 3, quoted: false },
    },
    {
      name: 'a quote never closed',
      text: `a,b\n1,"${'x\n'.repeat(20)}`,
      refused: { kind: 'field', row: 1, column: 2, quoted: true },
    },
    {
      name: 'a header with too many columns',
      text: 'a,b,c,d,e,f\n1,2\n',
      refused: { kind: 'columns', row: 0, column: 6 },
    },
    {
      name: 'a data row with too many columns',
      text: 'a,b\n1,2\n1,2,3,4,5,6\n',
      refused: { kind: 'columns', row: 2, column: 6 },
    },
    {
      name: 'a column name over the bound',
      text: 'a,bbbbbbbbb\n1,2\n',
      refused: { kind: 'name', row: 0, column: 2 },
    },
    {
      name: 'a record over the bound, each cell within it',
      text: `a,b,c,d,e\n${'"xxxxxxxxxxxxxx\n",'.repeat(4)}"xxxxxxxxxxxxx`,
      refused: { kind: 'record', row: 1 },
    },
  ];

  /** Reads `text` pushed in pieces of `size` characters; the bound refused, if any. */
  function refusal(text: string, size: number) {
    const reader = createCsvRecordReader(small);
    try {
      for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
      reader.finish();
    } catch (error) {
      if (!(error instanceof CsvRecordTooLongError)) throw error;
      return error;
    }
    return undefined;
  }

  it.each(cases)('$name', ({ text, refused }) => {
    const error = refusal(text, text.length);
    if (refused === undefined) expect(error).toBeUndefined();
    else expect(error).toMatchObject(refused);
  });

  it('refuses at the same place however the text is cut', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 1, max: 70 }), ({ text, refused }, size) => {
        const error = refusal(text, size);
        if (refused === undefined) expect(error).toBeUndefined();
        else expect(error).toMatchObject({ kind: refused.kind, row: refused.row });
      }),
      { seed: 30, numRuns: 300 },
    );
  });

  it('names places and bounds in its message, never the text', () => {
    for (const { text, refused } of cases) {
      if (refused === undefined) continue;
      const message = (refusal(text, 7) as Error).message;
      expect(message).not.toMatch(/xxx|bbb/);
      expect(message).toMatch(refused.row === 0 ? /header/ : new RegExp(`row ${refused.row}\\b`));
    }
  });

  it('stops a 200 MB cell once it passes the cell bound, not at its end', () => {
    // the default bounds, a cell streamed in 1 MiB chunks: the reader refuses it after at most
    // one chunk past 4 Mi characters, so it never holds more than that of it
    const reader = createCsvRecordReader();
    const chunk = 'x'.repeat(1 << 20);
    reader.push('id,note\n1,short\n2,');
    let pushed = 0;
    let thrown: unknown;
    try {
      for (; pushed < 200; pushed++) reader.push(chunk);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      kind: 'field',
      row: 2,
      column: 2,
      quoted: false,
      place: { charOffset: 16 },
    });
    expect(pushed).toBeLessThanOrEqual(4);
  });

  it('refuses a header of 100,000 columns and a column name of 10 MB with the default bounds', () => {
    const wide = createCsvRecordReader();
    expect(() => wide.push(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1\n`)).toThrow(
      expect.objectContaining({ kind: 'columns', row: 0, column: 16_385 }),
    );
    const named = createCsvRecordReader();
    expect(() => named.push(`id,${'n'.repeat(10 * 1024 * 1024)}\n1,2\n`)).toThrow(
      expect.objectContaining({ kind: 'name', row: 0, column: 2 }),
    );
  });
});

describe('createUtf8StreamDecoder', () => {
  const bad: { description: string; bytes: number[]; offset: number }[] = [
    { description: 'a stray continuation byte', bytes: [0x61, 0x62, 0x80, 0x63], offset: 2 },
    { description: 'a Windows-1252 ü', bytes: [0x4d, 0xfc, 0x6c], offset: 1 },
    {
      description: 'a 3-byte character cut short by an ASCII byte',
      bytes: [0x61, 0xe2, 0x82, 0x41],
      offset: 1,
    },
    { description: 'a character cut off at the end', bytes: [0x61, 0x62, 0xe2, 0x82], offset: 2 },
    { description: 'a surrogate encoded in UTF-8', bytes: [0x61, 0xed, 0xa0, 0x80], offset: 1 },
  ];
  it.each(bad)('reports $description at its byte offset, at every cut', ({ bytes, offset }) => {
    const data = Uint8Array.from(bytes);
    for (const cut of allCuts(data.length)) {
      const decoder = createUtf8StreamDecoder('t.csv');
      let thrown: unknown;
      try {
        decoder.decode(data.subarray(0, cut));
        decoder.decode(data.subarray(cut));
        decoder.end();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `cut ${cut}`).toBeInstanceOf(Utf8DecodeError);
      expect((thrown as Utf8DecodeError).byteOffset, `cut ${cut}`).toBe(offset);
      expect((thrown as Utf8DecodeError).message).toBe(
        `t.csv is not valid UTF-8 text: the byte at line 1, byte ${offset} cannot be read in that encoding; read it in the encoding it was saved in, or export it again as UTF-8`,
      );
    }
  });

  it('counts a BOM in offsets but drops it from the text', () => {
    const decoder = createUtf8StreamDecoder('t.csv');
    expect(decoder.decode(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(() => decoder.decode(Uint8Array.from([0xff]))).toThrow(/line 1, byte 4 /);
  });

  it('says the line of the bad byte, counting the line feeds of earlier chunks', () => {
    const decoder = createUtf8StreamDecoder('t.csv');
    decoder.decode(new TextEncoder().encode('a\nb\n'));
    decoder.decode(new TextEncoder().encode('é\n'));
    expect(() => decoder.decode(Uint8Array.from([0x63, 0x0a, 0xff]))).toThrow(/line 5, byte 9 /);
  });
});
