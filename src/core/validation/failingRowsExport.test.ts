import { describe, expect, it } from 'vitest';
import { memorySource, sampleBytes, sampleContract } from '../../../tests/migration/sources.ts';
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
import { contractColumnWords, issueSentence } from './issueWords.ts';
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
