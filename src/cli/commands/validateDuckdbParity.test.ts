/**
 * Checks across rows the DuckDB engine runs as the default engine does: issues of several files,
 * the header against the contract, records with too many or too few cells and conflicting
 * demographics of repeated keys. Each case runs both engines on the same input and compares what
 * they report.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import {
  both,
  bothWithText,
  CONTRACT,
  findings,
  HEADER_CASES,
  headerCaseCsv,
  issuesByFile,
  LONG_LINE_CASES,
  parityFolder,
  QUOTE_CASES,
  type QuoteCase,
  ROOT,
} from '../testing/duckdbParity.ts';

const parity = parityFolder();

describe('issues of several files, on both engines', () => {
  const table: { description: string; edits: [Record<number, string>, Record<number, string>] }[] = [
    {
      description: 'the same rule on the same column of two files: one issue per file',
      edits: [{ 2: 'birth_date=1990-13-45', 5: 'birth_date=not a date' }, { 3: 'birth_date=31/12/1990' }],
    },
    {
      description: 'an empty required cell in both files, and a bad MRN in one',
      edits: [
        { 1: 'last_name=', 4: 'mrn=123' },
        { 6: 'last_name=', 7: 'last_name=' },
      ],
    },
  ];
  it.each(table)('$description', async ({ description, edits }) => {
    const at = table.findIndex((t) => t.description === description);
    const names = [`several-${at}-a.csv`, `several-${at}-b.csv`];
    for (const [f, name] of names.entries()) {
      const rows = parity.demoRows
        .filter((r) => r !== '')
        .slice(f * 20, f * 20 + 20)
        .map((r, i) => {
          const edit = edits[f]?.[i];
          if (edit === undefined) return r;
          const [column = '', value = ''] = edit.split('=');
          const cells = r.split(',');
          cells[parity.demoHeader.indexOf(column)] = value;
          return cells.join(',');
        });
      await writeFile(
        path.join(parity.dir, name),
        `${[parity.demoHeader.join(','), ...rows].join('\r\n')}\r\n`,
      );
    }
    const { js, duck } = await both(parity.dir, [...names, '--schema', CONTRACT]);
    const perFile = issuesByFile(js);
    // the case holds a rule and column that fail in both files: two issues, not one
    const places = perFile.map((i) => `${i.rule} ${i.location}`);
    expect(new Set(places).size).toBeLessThan(places.length);
    expect(issuesByFile(duck)).toEqual(perFile);
    expect(duck.issues.map((i) => [i.severity, i.count])).toEqual(
      js.issues.map((i) => [i.severity, i.count]),
    );
    expect(duck.summary).toEqual(js.summary);
  });
});

describe('the header against the contract, on both engines', () => {
  it.each(HEADER_CASES)('$description', async ({ description, header, extra = [], line }) => {
    const csv = path.join(
      parity.dir,
      `header-${HEADER_CASES.findIndex((t) => t.description === description)}.csv`,
    );
    await writeFile(csv, headerCaseCsv(parity, header(parity.demoHeader)));
    const args = [path.basename(csv), '--schema', CONTRACT, ...extra];
    const { js, duck, text } = await bothWithText(parity.dir, args);
    expect(findings(duck).issues).toEqual(findings(js).issues);
    expect(findings(duck).inputs).toEqual(findings(js).inputs);
    expect(duck.summary).toEqual(js.summary);
    expect(js.summary.records).toBeGreaterThan(0);
    const said = text.out.split('\n').filter((l) => l.includes('The columns'));
    if (line === null) expect(said).toEqual([]);
    else expect(said).toEqual([expect.stringContaining(`${path.basename(csv)}: ${line}`)]);
  });
});

describe('records with too many or too few cells, on both engines', () => {
  it('counts the records of each structure issue as the default engine does', async () => {
    const csv = path.join(parity.dir, 'ragged.csv');
    await writeFile(csv, 'a,b,c\n1,2,3\n4,5,6,7\n6,7,8\n9,10,11,12,13\n4,5\n');
    const { js, duck } = await both(parity.dir, [path.basename(csv)]);
    const counted = (report: Report) => report.issues.map((i) => [i.rule, i.location, i.count, i.records]);
    expect(counted(js)).toEqual([
      ['csv.extra-cell', 'column 4', 2, 2],
      ['csv.extra-cell', 'column 5', 1, 1],
      ['csv.missing-cell', 'c', 1, 1],
    ]);
    expect(counted(duck)).toEqual(counted(js));
  });
});

/**
 * Writes `csv` as `file`, checks the default engine's issues are `issues` and that DuckDB gives the
 * same report (all but the profiles: DuckDB rejects a record with a quote problem or too many or
 * too few cells whole, so its cells are not profiled) and the same failing-rows file, byte for
 * byte. Returns that file's text as the default engine writes it.
 */
async function sameAsDefaultEngine(file: string, csv: string, issues: QuoteCase['issues']): Promise<string> {
  await writeFile(path.join(parity.dir, file), csv);
  const { js, duck } = await both(parity.dir, [file]);
  const counted = (report: Report) => report.issues.map((i) => [i.rule, i.location, i.count, i.records]);
  expect(counted(js)).toEqual(issues);
  const unprofiled = (report: Report) => ({ ...findings(report), profiles: undefined });
  expect(unprofiled(duck)).toEqual(unprofiled(js));
  const failingRows = async (engine: string[]) => {
    const out = `${file}.${engine.length}.failing.csv`;
    await runCli(['validate', ...engine, file, '--failing-rows', out], parity.dir);
    return readFile(path.join(parity.dir, out), 'utf8');
  };
  const byDefault = await failingRows([]);
  expect(await failingRows(['--engine', 'duckdb'])).toBe(byDefault);
  return byDefault;
}

describe('a quote problem, on both engines: as the default engine reads it', () => {
  it.each(QUOTE_CASES)('$description', async ({ description, csv, issues }) => {
    const file = `quote-${QUOTE_CASES.findIndex((t) => t.description === description)}.csv`;
    // every problem of the failing rows: the record with the quote problem as the file has it
    expect(await sameAsDefaultEngine(file, csv, issues)).toMatch(/quote/);
  });
});

describe('a long rejected line, on both engines: read from the file', () => {
  it.each(LONG_LINE_CASES)('$description', async ({ description, csv, issues, value }) => {
    const file = `long-${LONG_LINE_CASES.findIndex((t) => t.description === description)}.csv`;
    // the extra cell's text is the file's, not what is left of it in DuckDB's cut line
    expect(await sameAsDefaultEngine(file, csv, issues)).toContain(`,${value},`);
  });
});

describe('conflicting demographics of repeated keys, on both engines', () => {
  const HEAD = 'patient_id,last_name,first_name,birth_date,sex,note';
  const table: { description: string; rows: string[]; extra?: string[] }[] = [
    {
      description: 'case, surrounding and repeated white space are not conflicts',
      rows: [
        'P1,Smith,Ann,1990-01-01,F,a',
        'P1, SMITH ,ann,1990-01-01,f,b',
        'P1,Smith,Ann  Marie,1990-01-01,F,c',
      ],
    },
    {
      description: 'a tab or a no-break space is white space, as in JavaScript',
      rows: [
        'P1,Van Dyke,Ann,1990-01-01,F,',
        'P1,Van\tDyke,Ann,1990-01-01,F,',
        'P1,Van\u00a0Dyke,Ann,1990-01-01,F,',
        'P2,Lee,Kim,,F,',
        'P2,Lee,Kym,,F,',
      ],
    },
    {
      description: 'each later record against the first: columns listed in the order they differ',
      rows: [
        'P1,Smith,Ann,1990-01-01,F,',
        'P2,Jones,Bob,1980-05-05,M,',
        'P1,Smith,Ann,1990-01-01,M,',
        'P1,Smyth,Ann,1990-01-02,F,',
        'P2,Jones,Bob,1980-05-05,M,',
      ],
    },
    {
      description: 'an empty cell differs from a filled one; two empty cells agree',
      rows: ['P1,Smith,,1990-01-01,F,', 'P1,Smith,,1990-01-01,,', 'P2,Lee,Kim,,F,', 'P2,Lee,Kim,,F,'],
    },
    {
      description: 'keys listed by their first record',
      rows: ['P1,A,A,,,', 'P2,B,B,,,', 'P2,C,B,,,', 'P3,D,D,,,', 'P3,D,E,,,', 'P1,Z,A,,,'],
    },
    {
      description: '--demographics names the columns compared',
      rows: ['P1,Smith,Ann,1990-01-01,F,x', 'P1,Smyth,Ann,1990-01-01,F,y'],
      extra: ['--demographics', 'note,first_name'],
    },
    {
      description: '--demographics naming a column the file lacks',
      rows: ['P1,Smith,Ann,1990-01-01,F,x', 'P1,Smyth,Ann,1990-01-01,F,y'],
      extra: ['--demographics', 'surname'],
    },
    {
      description: '--redact leaves the keys out',
      rows: ['P1,Smith,Ann,1990-01-01,F,x', 'P1,Smyth,Ann,1990-01-01,F,y'],
      extra: ['--redact'],
    },
  ];
  it.each(table)('$description', async ({ description, rows, extra = [] }) => {
    const csv = path.join(
      parity.dir,
      `demographics-${table.findIndex((t) => t.description === description)}.csv`,
    );
    await writeFile(csv, `${[HEAD, ...rows].join('\n')}\n`);
    const args = [path.basename(csv), '--key', 'patient_id', ...extra];
    if (extra.includes('surname')) {
      const js = await runCli(['validate', ...args], parity.dir);
      const duck = await runCli(['validate', '--engine', 'duckdb', ...args], parity.dir);
      expect([duck.code, duck.err]).toEqual([2, js.err]);
      expect(js.err).toContain('"surname" (named as a demographic column)');
      return;
    }
    const { js, duck } = await both(parity.dir, args);
    // every case has a key whose records differ (and the white-space cases one whose do not)
    expect(js.crossFile.conflictingRecords?.length).toBeGreaterThan(0);
    expect(duck.crossFile).toEqual(js.crossFile);
    expect(duck.redacted).toBe(js.redacted);
  });

  it('finds the conflicts of the demo extracts', async () => {
    const args = [path.join(ROOT, 'samples/legacy/patients.csv'), '--key', 'mrn', '--key', 'patient_id'];
    const { js, duck } = await both(parity.dir, args);
    expect(js.crossFile.conflictingRecords?.length).toBeGreaterThan(0);
    expect(duck.crossFile).toEqual(js.crossFile);
  });

  it('refuses a key that one of the files lacks, as the default engine does', async () => {
    await writeFile(path.join(parity.dir, 'keyed.csv'), 'mrn,name\n1,a\n');
    await writeFile(path.join(parity.dir, 'unkeyed.csv'), 'id,name\n1,a\n');
    const args = ['keyed.csv', 'unkeyed.csv', '--key', 'mrn'];
    const js = await runCli(['validate', ...args], parity.dir);
    const duck = await runCli(['validate', '--engine', 'duckdb', ...args], parity.dir);
    expect(js.err).toContain('unkeyed.csv has no column "mrn" (named as a key)');
    expect([duck.code, duck.err]).toEqual([2, js.err]);
  });
});
