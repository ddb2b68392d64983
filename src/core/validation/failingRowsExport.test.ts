import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource, sampleBytes, sampleContract } from '../../../tests/migration/sources.ts';
import type { Report } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { compileColumnContract, compilePlan } from '../contract/index.ts';
import { createCsvRecordReader } from '../csv/index.ts';
import { buildReport } from './buildReport.ts';
import {
  BATCH_ROWS,
  FAILING_ROWS_COLUMNS,
  type FailingRowsFormat,
  failingRowBatches,
  WINDOW_BYTES,
} from './failingRowsExport.ts';
import { contractColumnWords, issueInput, issueSentence } from './issueWords.ts';
import { restoreCsvCell } from './reportExports.ts';
import { type CsvSource, type CsvValidationResult, validateCsv } from './validateCsv.ts';
import { detectLayout, validateInputs } from './validateInputs.ts';
import { rowAcceptance, waivedPositions } from './waivedRows.ts';
import { applyWaivers, rowSetWatches } from './waivers.ts';

const encode = (text: string) => new TextEncoder().encode(text);

const CONTRACT = {
  $id: 'urn:test:people',
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', pattern: '^\\d+$', title: 'Patient number' },
    name: {
      type: 'string',
      pattern: '^[A-Za-z ,]+$',
      title: 'Patient name',
      description: 'Family name, a comma, then given names.',
    },
    birth_date: { type: 'string', format: 'date' },
  },
};

async function run(name: string, bytes: Uint8Array, contract: Record<string, unknown> = CONTRACT) {
  const source = memorySource(name, bytes);
  const compiled = compileColumnContract(contract);
  if (!compiled.ok) throw new Error('contract');
  const result = await validateCsv(source, {
    layout: await detectLayout(source),
    plan: compilePlan(contract),
    fullValidator: compiled.validate,
  });
  const report = buildReport([result], {
    generatedAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.000Z',
    totalMs: 1,
    toolVersion: 'test',
    inputExtras: { [name]: { columnWords: contractColumnWords(contract) } },
  });
  return { source, result, report };
}

function inputOf(source: CsvSource, result: CsvValidationResult) {
  return {
    source,
    layout: result.layout,
    header: result.header,
    rows: result.failingRows.rows,
    offsets: result.failingRows.offsets,
    count: result.failingRows.count,
    groups: result.issueRows.groups,
  };
}

async function exported(
  source: CsvSource,
  result: CsvValidationResult,
  report: ReturnType<typeof buildReport>,
  format: FailingRowsFormat,
  redact = false,
): Promise<{ text: string; batches: number }> {
  let text = '';
  let batches = 0;
  for await (const batch of failingRowBatches([inputOf(source, result)], { format, report, redact })) {
    text += batch;
    batches++;
  }
  return { text, batches };
}

function csvRecords(text: string): string[][] {
  const reader = createCsvRecordReader({ delimiter: ',', quoteChar: '"', newline: '\r\n', noHeader: true });
  return [...reader.push(text), ...reader.finish()].map((r) => r.fields);
}

const PEOPLE = [
  'id,name,birth_date',
  '1,"Smith, Ann",1980-01-02',
  'x2,"Jones, Bob",1990-13-01',
  '3,"=HYPERLINK(""http://x"")",2001-05-05',
  '4,"Lee, Cy",2002-02-02',
  ',"@SUM(A1)",12/31/1999',
  '',
].join('\r\n');

describe('export of every failing row', () => {
  it('lists each problem of each failing row with the report’s words and the cell as read again (CSV)', async () => {
    const { source, result, report } = await run('people.csv', encode(PEOPLE));
    const { text } = await exported(source, result, report, 'csv');
    const [head, ...lines] = csvRecords(text);
    expect(head).toEqual([...FAILING_ROWS_COLUMNS]);
    const byIssue = new Map(report.issues.map((i) => [`${i.rule}|${i.location}`, i]));
    const got = lines.map(([file, row, column, rule, severity, message, value]) => ({
      file,
      row: Number(row),
      column,
      rule,
      severity,
      message,
      value: restoreCsvCell(value as string),
    }));
    // one line per error occurrence of the data rows, every one of them
    expect(got).toHaveLength(report.summary.errors);
    expect(got.map((l) => l.row)).toEqual([2, 2, 3, 5, 5, 5]);
    for (const line of got) {
      const issue = byIssue.get(`${line.rule}|${line.column}`);
      expect(issue, `${line.rule} ${line.column}`).toBeDefined();
      if (!issue) continue;
      // the same words as the screen and the report
      expect(line.message).toBe(issueSentence(issue));
      expect(line.file).toBe('people.csv');
      expect(line.severity).toBe('error');
    }
    expect(got.find((l) => l.row === 3)?.value).toBe('=HYPERLINK("http://x")');
    expect(got.find((l) => l.row === 2 && l.column === 'birth_date')?.value).toBe('1990-13-01');
    expect(got.find((l) => l.row === 5 && l.column === 'birth_date')?.value).toBe('12/31/1999');
    expect(got.find((l) => l.row === 3)?.message).toBe(
      'Patient name (name): is not written in the agreed layout. The agreed layout says: Family name, a comma, then given names.',
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const { source, result, report } = await run('people.csv', encode(PEOPLE));
    const { text } = await exported(source, result, report, 'csv');
    const lines = csvRecords(text).slice(1);
    const values = lines.map((l) => l[6] as string);
    expect(values).toContain(`'=HYPERLINK("http://x")`);
    expect(values).toContain(`'@SUM(A1)`);
    for (const cell of lines.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes NDJSON with the same lines, and leaves values out when redacted', async () => {
    const { source, result, report } = await run('people.csv', encode(PEOPLE));
    const csv = csvRecords((await exported(source, result, report, 'csv')).text).slice(1);
    const ndjson = (await exported(source, result, report, 'ndjson')).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ndjson).toHaveLength(csv.length);
    ndjson.forEach((line, i) => {
      const cells = csv[i] as string[];
      expect(line).toEqual({
        file: cells[0],
        row: Number(cells[1]),
        column: cells[2],
        rule: cells[3],
        severity: cells[4],
        message: cells[5],
        ...(cells[6] === '' && line.value === undefined ? {} : { value: restoreCsvCell(cells[6] as string) }),
      });
    });
    const redacted = (await exported(source, result, report, 'ndjson', true)).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(redacted).toHaveLength(ndjson.length);
    for (const line of redacted) expect(line).not.toHaveProperty('value');
  });

  it('exports every failing row of the demo extract in batches, reading the file about once', async () => {
    const bytes = sampleBytes('patients.csv');
    const contract = sampleContract('patients.contract.json');
    const source = memorySource('patients.csv', bytes);
    const result = await validateCsv(source, {
      layout: await detectLayout(source),
      plan: contract.plan,
      fullValidator: contract.validate,
    });
    const report = buildReport([result], {
      generatedAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalMs: 1,
      toolVersion: 'test',
    });
    let bytesRead = 0;
    const counting: CsvSource = {
      ...source,
      read: async (offset, length) => {
        const got = await source.read(offset, length);
        bytesRead += got.length;
        return got;
      },
    };
    const { text, batches } = await exported(counting, result, report, 'ndjson');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number });
    expect(lines).toHaveLength(report.summary.errors);
    expect(new Set(lines.map((l) => l.row)).size).toBe(result.invalid);
    expect(batches).toBe(Math.ceil(result.invalid / BATCH_ROWS));
    // rows are read from windows: the file about once, not a read per row
    expect(bytesRead).toBeLessThanOrEqual(bytes.length + WINDOW_BYTES);
  });
});

describe('each exported line says whether a waiver accepts its problem in its row', () => {
  const TODAY = '2026-11-24';
  const BIRTH_CONTRACT = {
    type: 'object',
    required: ['id', 'birth_date'],
    properties: { id: { type: 'string', pattern: '^\\d+$' }, birth_date: { type: 'string' } },
  };
  const waiver = (fields: Partial<Waiver>): Waiver => ({
    id: 'wk1',
    rule: 'contract.required',
    column: 'birth_date',
    rationale: 'walk-ins of the first week',
    owner: 'Dana Whitfield',
    expires: '2099-12-31',
    ...fields,
  });
  // 30 rows with an empty birth date (more than the 20 examples kept); row 3 has a bad id too
  const TEXT = `id,birth_date\n${Array.from({ length: 30 }, (_, i) => (i === 2 ? 'x3,' : `${i + 1},`)).join('\n')}\n`;
  const table: {
    name: string;
    waivers: Waiver[];
    /** per waiver id (or '' for still failing): the birth_date rows */
    birthDates: Record<string, string>;
  }[] = [
    { name: 'no waiver: every line still fails', waivers: [], birthDates: { '': '1-30' } },
    {
      name: 'a waiver of rows 1-25 splits the problem: 25 accepted, 5 still fail',
      waivers: [waiver({ rows: [{ from: 1, to: 25 }] })],
      birthDates: { wk1: '1-25', '': '26-30' },
    },
    {
      name: 'two weeks and rows after them',
      waivers: [waiver({ rows: [{ from: 1, to: 10 }] }), waiver({ id: 'wk2', rows: [{ from: 11, to: 20 }] })],
      birthDates: { wk1: '1-10', wk2: '11-20', '': '21-30' },
    },
    {
      name: 'overlapping rows: each row under the first waiver that counted it',
      waivers: [waiver({ rows: [{ from: 1, to: 15 }] }), waiver({ id: 'wk2', rows: [{ from: 11, to: 20 }] })],
      birthDates: { wk1: '1-15', wk2: '16-20', '': '21-30' },
    },
    {
      name: 'a later waiver of the whole column accepts the rest',
      waivers: [waiver({ rows: [{ from: 1, to: 10 }] }), waiver({ id: 'all' })],
      birthDates: { wk1: '1-10', all: '11-30' },
    },
    {
      name: 'a waiver of the whole column accepts every row',
      waivers: [waiver({ id: 'all' })],
      birthDates: { all: '1-30' },
    },
    {
      name: 'an expired waiver accepts nothing',
      waivers: [waiver({ rows: [{ from: 1, to: 25 }], expires: '2020-01-01' })],
      birthDates: { '': '1-30' },
    },
    {
      name: 'all the rows inside: accepted whole',
      waivers: [waiver({ rows: [{ from: 1, to: 40 }] })],
      birthDates: { wk1: '1-30' },
    },
  ];
  const ranges = (rows: number[]): string => {
    const out: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      let j = i;
      while (j + 1 < rows.length && (rows[j + 1] as number) === (rows[j] as number) + 1) j++;
      out.push(i === j ? `${rows[i]}` : `${rows[i]}-${rows[j]}`);
      i = j;
    }
    return out.join(',');
  };
  it.each(table)('$name', async ({ waivers, birthDates }) => {
    const source = memorySource('walk-ins.csv', encode(TEXT));
    const compiled = compileColumnContract(BIRTH_CONTRACT);
    if (!compiled.ok) throw new Error('contract');
    const [result] = await validateInputs(
      [
        {
          source,
          layout: await detectLayout(source),
          plan: compilePlan(BIRTH_CONTRACT),
          fullValidator: compiled.validate,
          rowSets: rowSetWatches(waivers, 'walk-ins.csv', TODAY),
        },
      ],
      [],
    );
    if (!result) throw new Error('no result');
    const report = applyWaivers(
      buildReport([result], {
        generatedAt: `${TODAY}T10:00:01Z`,
        startedAt: `${TODAY}T10:00:00Z`,
        totalMs: 1,
        toolVersion: 'test',
      }),
      waivers,
      TODAY,
    );
    const [head, ...lines] = csvRecords((await exported(source, result, report, 'csv')).text);
    expect(head?.at(-1)).toBe('acceptedBy');
    const byWaiver = new Map<string, number[]>();
    for (const line of lines.filter((l) => l[2] === 'birth_date')) {
      const by = line[7] as string;
      byWaiver.set(by, [...(byWaiver.get(by) ?? []), Number(line[1])]);
    }
    expect(Object.fromEntries([...byWaiver].map(([by, rows]) => [by, ranges(rows)]))).toEqual(birthDates);
    // the bad id of row 3 is no waiver's: it still fails
    expect(lines.filter((l) => l[2] === 'id').map((l) => [l[1], l[7]])).toEqual([['3', '']]);
    // NDJSON carries the same waiver on the same lines, and no field when none accepts
    const ndjson = (await exported(source, result, report, 'ndjson')).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { acceptedBy?: string });
    expect(ndjson.map((l) => l.acceptedBy ?? '')).toEqual(lines.map((l) => l[7]));
    for (const line of ndjson)
      if (line.acceptedBy === undefined) expect(line).not.toHaveProperty('acceptedBy');
    // the lines accepted are as many as the report's accepted occurrences of birth_date
    const accepted = report.issues
      .filter((i) => i.location === 'birth_date' && i.acceptedBy !== undefined)
      .reduce((n, i) => n + i.count, 0);
    expect(lines.filter((l) => l[2] === 'birth_date' && l[7] !== '')).toHaveLength(accepted);
    // the screen's split: a row is accepted when every line of it is, else it still fails
    const index = { input: 'walk-ins.csv', ...result.failingRows, groups: result.issueRows.groups };
    const split = waivedPositions(report, index);
    const rowsOf = (positions: Uint32Array) => ranges([...positions].map((p) => index.rows[p] as number));
    const acceptedRows = [...new Set(lines.map((l) => Number(l[1])))].filter((row) =>
      lines.filter((l) => Number(l[1]) === row).every((l) => l[7] !== ''),
    );
    if (acceptedRows.length === 0) expect(split).toBeUndefined();
    else {
      expect(rowsOf(split?.accepted ?? new Uint32Array())).toBe(ranges(acceptedRows));
      expect((split?.accepted.length ?? 0) + (split?.failing.length ?? 0)).toBe(index.count);
      // row 3 (a bad id, no waiver's) still fails, whichever waiver accepts its birth date
      expect(rowsOf(split?.failing ?? new Uint32Array())).toContain('3');
    }
    const acceptance = rowAcceptance(report, index);
    expect(acceptance(2)).toEqual({
      waivers: lines.filter((l) => l[1] === '3' && l[7] !== '').map((l) => l[7]),
      stillFailing: true,
    });
  });
});

describe('in a run of several files, each line is marked as the report accepts it in its file', () => {
  const TODAY = '2026-11-24';
  const CONTRACT = {
    type: 'object',
    required: ['id', 'birth_date'],
    properties: { id: { type: 'string' }, birth_date: { type: 'string' } },
  };
  const waiver = (id: string, from: number, to: number, input?: string): Waiver => ({
    id,
    rule: 'contract.required',
    column: 'birth_date',
    rows: [{ from, to }],
    rationale: 'walk-ins',
    owner: 'Dana Whitfield',
    expires: '2099-12-31',
    ...(input === undefined ? {} : { input }),
  });
  /** a file of `rows` rows whose birth date is empty in the rows of `empty` */
  const fileText = (rows: number, empty: (row: number) => boolean) =>
    `id,birth_date\n${Array.from({ length: rows }, (_, i) => `${i + 1},${empty(i + 1) ? '' : '2000-01-01'}`).join('\n')}\n`;

  /** the files checked with `waivers` counted, the report as judged, and the export's marks */
  async function marks(files: { name: string; text: string }[], waivers: Waiver[]) {
    const compiled = compileColumnContract(CONTRACT);
    if (!compiled.ok) throw new Error('contract');
    const sources = files.map((f) => memorySource(f.name, encode(f.text)));
    const jobs = await Promise.all(
      sources.map(async (source, i) => ({
        source,
        layout: await detectLayout(source),
        plan: compilePlan(CONTRACT),
        fullValidator: compiled.validate,
        rowSets: rowSetWatches(waivers, (files[i] as { name: string }).name, TODAY),
      })),
    );
    const results = await validateInputs(jobs, []);
    const report = applyWaivers(
      buildReport(results, {
        generatedAt: `${TODAY}T10:00:01Z`,
        startedAt: `${TODAY}T10:00:00Z`,
        totalMs: 1,
        toolVersion: 'test',
      }),
      waivers,
      TODAY,
    );
    let text = '';
    const inputs = results.map((result, i) => inputOf(sources[i] as CsvSource, result));
    for await (const batch of failingRowBatches(inputs, { format: 'csv', report, redact: false }))
      text += batch;
    const [, ...lines] = csvRecords(text);
    /** file -> row -> the waiver marked ('' still failing) */
    const byFile = new Map<string, Map<number, string>>();
    for (const line of lines) {
      const rows = byFile.get(line[0] as string) ?? new Map<number, string>();
      byFile.set(line[0] as string, rows);
      rows.set(Number(line[1]), line[7] as string);
    }
    return { results, report, byFile };
  }

  /** the report's accepted occurrences per "waiver file" */
  function acceptedInReport(report: Report): Record<string, number> {
    const out: Record<string, number> = {};
    for (const issue of report.issues) {
      if (issue.acceptedBy === undefined) continue;
      const key = `${issue.acceptedBy} ${issueInput(report, issue).file ?? '?'}`;
      out[key] = (out[key] ?? 0) + issue.count;
    }
    return out;
  }
  function markedInExport(byFile: Map<string, Map<number, string>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [file, rows] of byFile)
      for (const by of rows.values()) if (by !== '') out[`${by} ${file}`] = (out[`${by} ${file}`] ?? 0) + 1;
    return out;
  }

  const every = () => true;
  const table: { name: string; waivers: Waiver[]; expected: Record<string, Record<string, string>> }[] = [
    {
      name: 'a waiver of any file and one of the second: the second’s rows go to the second file',
      waivers: [waiver('w0', 100, 110), waiver('wB', 200, 290, 'b.csv')],
      expected: {
        'a.csv': { w0: '100-110', '': '1-99,111-300' },
        'b.csv': { w0: '100-110', wB: '200-290', '': '1-99,111-199,291-300' },
      },
    },
    {
      name: 'three waivers of any file: the third part of each file keeps its marks',
      waivers: [waiver('w1', 100, 110), waiver('w2', 200, 210), waiver('w3', 250, 260)],
      expected: {
        'a.csv': { w1: '100-110', w2: '200-210', w3: '250-260', '': '1-99,111-199,211-249,261-300' },
        'b.csv': { w1: '100-110', w2: '200-210', w3: '250-260', '': '1-99,111-199,211-249,261-300' },
      },
    },
    {
      name: 'a passing run: every row of both files accepted, none still failing',
      waivers: [
        waiver('w0', 30, 100),
        waiver('wA', 1, 29, 'a.csv'),
        waiver('wA2', 101, 300, 'a.csv'),
        waiver('wB', 1, 29, 'b.csv'),
        waiver('wB2', 101, 300, 'b.csv'),
      ],
      expected: {
        'a.csv': { wA: '1-29', w0: '30-100', wA2: '101-300' },
        'b.csv': { wB: '1-29', w0: '30-100', wB2: '101-300' },
      },
    },
  ];
  const ranges = (rows: number[]): string => {
    const out: string[] = [];
    const sorted = [...rows].sort((x, y) => x - y);
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
      out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
      i = j;
    }
    return out.join(',');
  };

  it.each(table)('$name', async ({ waivers, expected }) => {
    const files = ['a.csv', 'b.csv'].map((name) => ({ name, text: fileText(300, every) }));
    const { results, report, byFile } = await marks(files, waivers);
    const seen: Record<string, Record<string, string>> = {};
    for (const [file, rows] of byFile) {
      const per = new Map<string, number[]>();
      for (const [row, by] of rows) per.set(by, [...(per.get(by) ?? []), row]);
      seen[file] = Object.fromEntries([...per].map(([by, list]) => [by, ranges(list)]));
    }
    expect(seen).toEqual(expected);
    expect(markedInExport(byFile)).toEqual(acceptedInReport(report));
    // applied again (a report reloaded), the parts and their files come back the same
    expect(applyWaivers(report, waivers, TODAY)).toEqual(report);
    // the screen's split and each row's waivers agree with the export, file by file
    results.forEach((result, i) => {
      const input = (files[i] as { name: string }).name;
      const index = { input, ...result.failingRows, groups: result.issueRows.groups };
      const split = waivedPositions(report, index);
      const acceptance = rowAcceptance(report, index);
      const rows = byFile.get(input) ?? new Map<number, string>();
      const acceptedRows = [...rows].filter(([, by]) => by !== '').map(([row]) => row);
      expect(ranges([...(split?.accepted ?? [])].map((p) => index.rows[p] as number))).toBe(
        ranges(acceptedRows),
      );
      for (let position = 0; position < index.count; position++) {
        const by = rows.get(index.rows[position] as number) ?? '';
        expect(acceptance(position)).toEqual({ waivers: by === '' ? [] : [by], stillFailing: by === '' });
      }
    });
  });

  it('marks, per waiver and file, exactly the occurrences the report accepts (random files and waivers)', async () => {
    const names = ['a.csv', 'b.csv', 'c.csv'];
    const ROWS = 40;
    const arbWaiver = fc.record({
      from: fc.integer({ min: 1, max: ROWS }),
      span: fc.integer({ min: 0, max: ROWS }),
      input: fc.option(fc.constantFrom(...names), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.boolean(), { minLength: ROWS, maxLength: ROWS }), {
          minLength: 2,
          maxLength: 3,
        }),
        fc.array(arbWaiver, { minLength: 1, maxLength: 4 }),
        async (empties, specs) => {
          const files = empties.map((empty, i) => ({
            name: names[i] as string,
            text: fileText(ROWS, (row) => empty[row - 1] === true),
          }));
          const waivers = specs.map((w, i) => waiver(`w${i}`, w.from, w.from + w.span, w.input));
          const { report, byFile } = await marks(files, waivers);
          expect(markedInExport(byFile)).toEqual(acceptedInReport(report));
          // and each row under the first waiver of its file whose rows hold it
          for (const [i, file] of files.entries())
            for (let row = 1; row <= ROWS; row++) {
              if (empties[i]?.[row - 1] !== true) continue;
              const first = waivers.find(
                (w) =>
                  (w.input === undefined || w.input === file.name) &&
                  (w.rows ?? []).some((r) => row >= r.from && row <= r.to),
              );
              expect(byFile.get(file.name)?.get(row)).toBe(first?.id ?? '');
            }
        },
      ),
      { numRuns: 40 },
    );
  });
});
