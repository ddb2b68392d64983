/**
 * The checks across rows the DuckDB engine runs as the default engine does: the header against
 * the contract, conflicting demographics of repeated keys, and column profiles. Each case runs
 * both engines on the same input and compares what they report.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { demoFirstRows, loadDemoProject, withSavedKeys, writeProjectFile } from '../testing/fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CONTRACT = path.join(ROOT, 'samples/contracts/patients.contract.json');
const DEMO = path.join(ROOT, 'samples/legacy/patients.csv');

/** Files that are not text (and their neighbours), by name: their bytes. */
const FILES: Record<string, () => Buffer> = {
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
let dir: string;
let demoHeader: string[];
let demoRows: string[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-duckdb-parity-'));
  const lines = (await readFile(DEMO, 'utf8')).split(/\r?\n/);
  demoHeader = (lines[0] ?? '').split(',');
  demoRows = lines.slice(1, 301);
  for (const [name, bytes] of Object.entries(FILES)) await writeFile(path.join(dir, name), bytes());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function both(args: string[]) {
  const js = await runCli(['validate', ...args, '--json'], dir);
  const duck = await runCli(['validate', '--engine', 'duckdb', ...args, '--json'], dir);
  expect(duck.err).toBe(js.err);
  expect(duck.code).toBe(js.code);
  return { js: JSON.parse(js.out) as Report, duck: JSON.parse(duck.out) as Report };
}

/** The whole report but what only says how and when it ran. */
function findings(report: Report) {
  return {
    inputs: report.inputs.map((i) => ({ ...i, sha256: undefined })),
    summary: report.summary,
    // by rule and place: the order of issues with equal counts is the order each engine met them
    issues: Object.fromEntries(report.issues.map((i) => [`${i.rule} ${i.location}`, i])),
    profiles: report.profiles,
    crossFile: report.crossFile,
  };
}

/** A report's issues in one order both engines can be compared in: by file, rule and place. */
function issuesByFile(report: Report) {
  const fileOf = (i: Report['issues'][number]) => i.examples[0]?.input ?? '';
  return [...report.issues].sort((a, b) =>
    `${fileOf(a)}\u0000${a.rule}\u0000${a.location}`.localeCompare(
      `${fileOf(b)}\u0000${b.rule}\u0000${b.location}`,
    ),
  );
}

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
      const rows = demoRows
        .filter((r) => r !== '')
        .slice(f * 20, f * 20 + 20)
        .map((r, i) => {
          const edit = edits[f]?.[i];
          if (edit === undefined) return r;
          const [column = '', value = ''] = edit.split('=');
          const cells = r.split(',');
          cells[demoHeader.indexOf(column)] = value;
          return cells.join(',');
        });
      await writeFile(path.join(dir, name), `${[demoHeader.join(','), ...rows].join('\r\n')}\r\n`);
    }
    const { js, duck } = await both([...names, '--schema', CONTRACT]);
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
  const table: { description: string; header: () => string[]; extra?: string[]; line: string | null }[] = [
    { description: 'the same header', header: () => demoHeader, line: null },
    {
      description: 'a renamed and an extra column: rows not checked',
      header: () => ['Id', ...demoHeader.slice(1, -1), 'Last Visit'],
      line: 'The columns do not match the contract (3 problems)',
    },
    {
      description: 'columns in another order only: a warning, rows checked',
      header: () => [demoHeader[1] ?? '', demoHeader[0] ?? '', ...demoHeader.slice(2)],
      line: 'The columns differ from the contract, but every row can still be checked',
    },
    {
      description: '--continue-on-header-mismatch checks the rows anyway',
      header: () => ['Id', ...demoHeader.slice(1)],
      extra: ['--continue-on-header-mismatch'],
      line: 'The columns do not match the contract (2 problems)',
    },
  ];
  it.each(table)('$description', async ({ description, header, extra = [], line }) => {
    const csv = path.join(dir, `header-${table.findIndex((t) => t.description === description)}.csv`);
    // the first two columns moved move their cells too (neither holds a quoted comma)
    const swapped = header()[0] === demoHeader[1];
    const rows = demoRows
      .filter((r) => r !== '')
      .map((r) => {
        const [a = '', b = '', ...rest] = r.split(',');
        return swapped ? [b, a, ...rest].join(',') : r;
      });
    await writeFile(csv, `${[header().join(','), ...rows].join('\r\n')}\r\n`);
    const args = [path.basename(csv), '--schema', CONTRACT, ...extra];
    const { js, duck } = await both(args);
    expect(findings(duck).issues).toEqual(findings(js).issues);
    expect(findings(duck).inputs).toEqual(findings(js).inputs);
    expect(duck.summary).toEqual(js.summary);
    const text = await runCli(['validate', '--engine', 'duckdb', ...args], dir);
    const said = text.out.split('\n').filter((l) => l.includes('The columns'));
    if (line === null) expect(said).toEqual([]);
    else expect(said).toEqual([expect.stringContaining(`${path.basename(csv)}: ${line}`)]);
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
    const csv = path.join(dir, `demographics-${table.findIndex((t) => t.description === description)}.csv`);
    await writeFile(csv, `${[HEAD, ...rows].join('\n')}\n`);
    const args = [path.basename(csv), '--key', 'patient_id', ...extra];
    if (extra.includes('surname')) {
      const js = await runCli(['validate', ...args], dir);
      const duck = await runCli(['validate', '--engine', 'duckdb', ...args], dir);
      expect([duck.code, duck.err]).toEqual([2, js.err]);
      expect(js.err).toContain('"surname" (named as a demographic column)');
      return;
    }
    const { js, duck } = await both(args);
    // every case has a key whose records differ (and the white-space cases one whose do not)
    expect(js.crossFile.conflictingRecords?.length).toBeGreaterThan(0);
    expect(duck.crossFile).toEqual(js.crossFile);
    expect(duck.redacted).toBe(js.redacted);
  });

  it('finds the conflicts of the demo extracts', async () => {
    const args = [path.join(ROOT, 'samples/legacy/patients.csv'), '--key', 'mrn', '--key', 'patient_id'];
    const { js, duck } = await both(args);
    expect(js.crossFile.conflictingRecords?.length).toBeGreaterThan(0);
    expect(duck.crossFile).toEqual(js.crossFile);
  });
});

describe('column profiles, on both engines', () => {
  const ids = (n: number) =>
    Array.from({ length: n }, (_, i) => `P${String((i * 7919) % n).padStart(5, '0')}`);
  const table: { description: string; head: string; rows: () => string[]; extra?: string[] }[] = [
    {
      description: 'more values than are tracked: exact counts of the first values, top values partial',
      head: 'id,group',
      rows: () => ids(1500).map((id, i) => `${id},${i % 3 === 0 ? 'A' : id}`),
    },
    {
      description: 'numbers, mixed date layouts and empty cells, quoted or not',
      head: 'amount,seen,code',
      rows: () => ['12,2024-01-02,007', '-3.5,01/31/2024,', '1e3,20240105,""', ',3/4/2024,010', '12,,007'],
    },
    {
      description: 'blank rows are profiled as empty cells',
      head: 'a,b',
      rows: () => ['1,x', ',', '2,y', ',', '2,x'],
    },
    {
      description: '--redact leaves values out of profiles',
      head: 'a,b',
      rows: () => ['1,x', '2,y', '2,x'],
      extra: ['--redact'],
    },
  ];
  it.each(table)('$description', async ({ description, head, rows, extra = [] }) => {
    const csv = path.join(dir, `profiles-${table.findIndex((t) => t.description === description)}.csv`);
    await writeFile(csv, `${[head, ...rows()].join('\n')}\n`);
    const { js, duck } = await both([path.basename(csv), ...extra]);
    expect(js.profiles.length).toBeGreaterThan(0);
    expect(duck.profiles).toEqual(js.profiles);
  });
});

describe('a file that is not text, on both engines', () => {
  const table: { description: string; args: string[]; rule: string | null }[] = [
    {
      description: 'a PDF among CSV files: one fatal problem on it, the others checked',
      args: ['clean.csv', 'scan.csv', 'visits.csv', '--key', 'patient_id'],
      rule: 'csv.not-text',
    },
    { description: 'a PDF alone', args: ['scan.csv'], rule: 'csv.not-text' },
    {
      description: 'a Latin-1 file read as UTF-8',
      args: ['clean.csv', 'latin1.csv', '--encoding', 'utf-8'],
      rule: 'csv.not-in-encoding',
    },
    {
      description: 'a byte Windows-1252 leaves undefined',
      args: ['undefined-byte.csv', 'clean.csv'],
      rule: 'csv.not-in-encoding',
    },
    {
      description: 'a zero byte past the part the layout is sniffed from',
      args: ['late-zero.csv', 'clean.csv', '--schema', 'contract.json'],
      rule: 'csv.not-text',
    },
    {
      description: 'references into a file that is not text are not checked; its header is compared',
      args: [
        'visits.csv',
        'scan.csv',
        '--references',
        'visits.patient_id=scan.patient_id',
        '--schema',
        'scan.csv=contract.json',
      ],
      rule: 'csv.not-text',
    },
    {
      description: 'a Windows-1252 file is read with its own letters, not as Latin-1',
      args: ['cp1252.csv'],
      rule: null,
    },
  ];
  it.each(table)('$description', async ({ args, rule }) => {
    const { js, duck } = await both(args);
    expect(findings(duck)).toEqual(findings(js));
    if (rule === null) {
      expect(js.summary.errors).toBe(0);
      expect(JSON.stringify(js.profiles)).toContain('a – b');
      return;
    }
    // the case is what it says: one fatal problem, exit 1, and the other files' records there
    expect(js.issues.filter((i) => i.rule === rule)).toEqual([
      expect.objectContaining({ severity: 'fatal', count: 1 }),
    ]);
    const text = await runCli(['validate', '--engine', 'duckdb', ...args], dir);
    const plain = await runCli(['validate', ...args], dir);
    expect(text.code).toBe(1);
    // the summary but its timing line
    const untimed = (out: string) => out.split('\n').filter((l) => !/\d ms|\ds\b/.test(l));
    expect(untimed(text.out)).toEqual(untimed(plain.out));
  });
});

describe("--project: the project's saved check sets, on both engines", () => {
  let demo: Project;
  const projectFile = (name: string, project: Project) => writeProjectFile(dir, name, project);
  /** The demo project with a key and a link saved for its check sets (and `edit` of each). */
  function saved(edit: (d: Project['datasets'][number]) => Project['datasets'][number] = (d) => d): Project {
    const keyed = withSavedKeys(demo);
    return { ...keyed, datasets: keyed.datasets.map(edit) };
  }
  beforeAll(async () => {
    demo = await loadDemoProject();
    // a rehearsal drop under names nobody saved: the first rows of the demo's extracts
    await writeFile(path.join(dir, 'pts-2026-11.csv'), await demoFirstRows('patients.csv', 300));
    await writeFile(path.join(dir, 'enc-2026-11.csv'), await demoFirstRows('encounters.csv', 600));
    await writeFile(path.join(dir, 'unknown-layout.csv'), 'Id,Name,Seen\n1,A,2024-01-01\n');
    await projectFile('saved.preflight.json', saved());
    await projectFile(
      'mapped.preflight.json',
      saved((d) => (d.id === 'sample:patients.csv' ? { ...d, mapping: 'patients-to-fhir-patient' } : d)),
    );
  });

  const table: { description: string; args: string[] }[] = [
    {
      description: 'renamed files bound by header: their contracts, keys and saved link',
      args: ['pts-2026-11.csv', 'enc-2026-11.csv', '--project', 'saved.preflight.json'],
    },
    {
      description: "options given replace the project's: --key and --schema",
      args: [
        'pts-2026-11.csv',
        'enc-2026-11.csv',
        '--project',
        'saved.preflight.json',
        '--key',
        'pts-2026-11.mrn',
        '--schema',
        `enc-2026-11.csv=${path.join(ROOT, 'samples/contracts/encounters.contract.json')}`,
      ],
    },
    {
      description: 'a file that is not text among bound files',
      args: [
        'pts-2026-11.csv',
        'scan.csv',
        '--project',
        'saved.preflight.json',
        '--schema',
        'scan.csv=contract.json',
      ],
    },
  ];
  it.each(table)('$description', async ({ args }) => {
    const { js, duck } = await both(args);
    expect(js.inputs.some((i) => i.dataset !== undefined)).toBe(true);
    expect(findings(duck)).toEqual(findings(js));
    // the lines that say what each file was bound to, and the summary, are the same
    const untimed = (out: string) => out.split('\n').filter((l) => !/\d ms|\ds\b/.test(l));
    const text = await runCli(['validate', '--engine', 'duckdb', ...args], dir);
    const plain = await runCli(['validate', ...args], dir);
    expect(text.out).toContain('Check sets of saved.preflight.json (bound by header):');
    if (args.includes('scan.csv'))
      expect(text.out).toContain(
        'scan.csv: not a text file, so no check set is bound to it (its problem is in the report)',
      );
    // issues of equal counts are listed in the order each engine met them (as in the report)
    expect([text.code, untimed(text.out).sort()]).toEqual([plain.code, untimed(plain.out).sort()]);
  });

  it('a file no saved check set matches is refused by name on both engines (exit 2)', async () => {
    const args = ['pts-2026-11.csv', 'unknown-layout.csv', '--project', 'saved.preflight.json'];
    const js = await runCli(['validate', ...args], dir);
    const duck = await runCli(['validate', '--engine', 'duckdb', ...args], dir);
    expect(js.err).toContain('unknown-layout.csv: its columns match no check set saved in');
    expect([duck.code, duck.err, duck.out]).toEqual([2, js.err, '']);
  });

  it('a check set read without a header row, and a Parquet file, are refused by name', async () => {
    await projectFile(
      'headerless.preflight.json',
      saved((d) => (d.id === 'sample:patients.csv' ? { ...d, header: false } : d)),
    );
    const headerless = await runCli(
      ['validate', '--engine', 'duckdb', 'pts-2026-11.csv', '--project', 'headerless.preflight.json'],
      dir,
    );
    expect([headerless.code, headerless.err]).toEqual([
      2,
      'preflight validate: pts-2026-11.csv is bound to the check set "patients.csv", which reads it without a header row; the DuckDB engine needs one: leave out --engine duckdb',
    ]);
    const parquet = await runCli(
      [
        'validate',
        '--engine',
        'duckdb',
        'pts-2026-11.csv',
        'extract.parquet',
        '--project',
        'saved.preflight.json',
      ],
      dir,
    );
    expect([parquet.code, parquet.err]).toEqual([
      2,
      'preflight validate: extract.parquet: --project binds CSV files to saved check sets by their header; check a Parquet file without --project (with --schema, --key and --references)',
    ]);
  });

  it("a check set's saved mapping is refused by name, not skipped", async () => {
    const run = await runCli(
      ['validate', '--engine', 'duckdb', 'pts-2026-11.csv', '--project', 'mapped.preflight.json'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      'preflight validate: pts-2026-11.csv is bound to the check set "patients.csv", whose saved mapping "Legacy patients.csv to FHIR R4 Patient" also checks the records it makes; the DuckDB engine does not run mappings, so those records would not be checked: leave out --engine duckdb to check them',
    );
  });
});

describe('every failing row (--failing-rows), on both engines', () => {
  const CELLS = 'tests-cells.csv';
  const CELLS_CONTRACT = 'tests-cells.contract.json';
  beforeAll(async () => {
    // cells a spreadsheet would run as formulas, a blank row, a quoted line break and quote, a
    // short and a long record, Windows-1252 text
    await writeFile(
      path.join(dir, CELLS),
      Buffer.from(
        [
          'code,kind,note',
          '=1+1,x,plain',
          ',,',
          '"@SUM(A1)",y,"two\r\nlines"',
          'ok,z,"say ""hi"""',
          'short,x',
          'long,y,a,b',
          '-2,x,caf\xe9',
          'good,x,\t+tab',
          '',
        ].join('\r\n'),
        'latin1',
      ),
    );
    await writeFile(
      path.join(dir, CELLS_CONTRACT),
      JSON.stringify({
        type: 'object',
        properties: {
          code: { type: 'string', title: 'Code', pattern: '^[a-z]+$' },
          kind: { enum: ['x', 'y'] },
          note: { type: 'string', maxLength: 5, description: 'A short note.' },
        },
        required: ['code'],
      }),
    );
  });

  const table: { description: string; args: string[]; out: string }[] = [
    {
      description: 'CSV: formulas neutralised, line breaks kept',
      args: [CELLS, '--schema', CELLS_CONTRACT],
      out: 'rows.csv',
    },
    { description: 'NDJSON', args: [CELLS, '--schema', CELLS_CONTRACT], out: 'rows.ndjson' },
    {
      description: '--redact leaves the values out',
      args: [CELLS, '--schema', CELLS_CONTRACT, '--redact'],
      out: 'rows.csv',
    },
    {
      description: 'a header that does not fit: only its structure problems',
      args: [CELLS, '--schema', CONTRACT],
      out: 'rows.csv',
    },
    {
      description: 'several files, one not text',
      args: [
        CELLS,
        'scan.csv',
        'clean.csv',
        'late-zero.csv',
        'cp1252.csv',
        '--schema',
        `${CELLS}=${CELLS_CONTRACT}`,
      ],
      out: 'rows.ndjson',
    },
  ];
  it.each(table)('$description', async ({ args, out }) => {
    const js = await runCli(['validate', ...args, '--failing-rows', `js-${out}`], dir);
    const duck = await runCli(
      ['validate', '--engine', 'duckdb', ...args, '--failing-rows', `duck-${out}`],
      dir,
    );
    expect([duck.code, duck.err]).toEqual([js.code, js.err]);
    expect(js.code).toBe(1);
    const expected = await readFile(path.join(dir, `js-${out}`), 'utf8');
    expect(await readFile(path.join(dir, `duck-${out}`), 'utf8')).toBe(expected);
    // the case holds what it is about
    expect(expected.split('\n').length).toBeGreaterThan(3);
    if (out.endsWith('.csv') && !args.includes('--redact') && args.includes(CELLS_CONTRACT))
      expect(expected).toContain("'=1+1");
    if (args.includes('--redact')) expect(expected).not.toContain('plain');
  });
});
