/**
 * Differential tests: the default (JS) engine and the DuckDB engine give the same records, valid
 * and invalid counts, rule × column counts, examples, column profiles, duplicate keys, conflicting
 * demographics and orphan references on the
 * demo extracts and on the csv-spectrum, frictionless-py and csvlint.rb files — or the case is in
 * {@link KNOWN_DIFFERENCES} with the reason (docs/decisions/0022-duckdb-engine.md).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BENCH_CONTRACT,
  type GroundTruth,
  writeLegacyPatients,
} from '../../../tests/bench/legacyPatients.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { DUCKDB_THREADS_ENV } from '../duckdbEngine.ts';
// the command's modules, which `preflight validate` imports on first use: with the test file, so
// the first case does not pay for compiling them (tens of seconds on a loaded machine)
import './validate.ts';
import './validateDuckdb.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SPECTRUM = 'tests/fixtures/external/csv-spectrum/csvs';
const FRICTIONLESS = 'tests/fixtures/external/frictionless-py/data';
const CSVLINT = 'tests/fixtures/external/csvlint-rb';

interface Case {
  name: string;
  args: string[];
}

/**
 * Cases whose findings differ, and why. `usage-error`: the DuckDB engine refuses the input (exit
 * 2, naming why); `records-and-structure`: only the inputs and the structure issues are compared;
 * `all-but-profiles`: everything but the column profiles; `records`: the number of records of
 * each input (what differs is in the reason).
 */
const KNOWN_DIFFERENCES: Record<
  string,
  {
    reason: string;
    compare: 'usage-error' | 'records' | 'records-and-structure' | 'all-but-profiles';
  }
> = {
  [`${FRICTIONLESS}/schema-errors.csv with schema-valid.json`]: {
    reason:
      'DuckDB rejects a record with extra cells whole, so its contract checks do not run (the default engine checks its first cells)',
    compare: 'records-and-structure',
  },
  ...Object.fromEntries(
    ['defective-rows', 'schema-errors', 'structure-errors', 'without-headers-extra'].map((name) => [
      `${FRICTIONLESS}/${name}.csv`,
      {
        reason:
          'records with too many or too few cells: DuckDB rejects them whole, so their cells are not in the column profiles (the default engine profiles them)',
        compare: 'all-but-profiles',
      },
    ]),
  ),
  [`${CSVLINT}/fixtures/inconsistent-line-endings-unquoted.csv`]: {
    reason:
      'CRLF and LF in one file with unquoted cells: DuckDB stops ("invalid state"), so the engine names the file and sends it to the default engine',
    compare: 'usage-error',
  },
  [`${CSVLINT}/fixtures/invalid-byte-sequence.csv`]: {
    reason: 'its header is not valid UTF-8 where a column name should be: a blank or repeated name, refused',
    compare: 'usage-error',
  },
  [`${CSVLINT}/fixtures/inconsistent-line-endings.csv`]: {
    reason:
      'CRLF and LF in one file: DuckDB takes the first line break for the whole file, so it reads the LF record as part of another (extra and malformed cells), and mixed line endings need the raw bytes',
    compare: 'records',
  },
  'csvlint.rb: CSV with ragged rows': {
    reason:
      'a record with too few cells: DuckDB rejects it whole, so its cells are not in the column profiles',
    compare: 'all-but-profiles',
  },
  'csvlint.rb: CSV with incorrect quoting': {
    reason:
      'a quote left open at the end of the file: read again as the default engine reads it, but DuckDB rejects the record whole, so its cells are not profiled',
    compare: 'records',
  },
  'csvlint.rb: Successfully report a CSV with incorrect whitespace': {
    reason: 'a space before a quote is found in the raw bytes, which the DuckDB engine does not read',
    compare: 'records',
  },
  'csvlint.rb: Successfully report a CSV with an empty row': {
    reason:
      'an empty line is found in the raw bytes, which the DuckDB engine does not read (DuckDB skips it)',
    compare: 'records',
  },
  [`${FRICTIONLESS}/blank-headers.csv`]: {
    reason: 'a blank column name: DuckDB would invent one, so the engine refuses the file',
    compare: 'usage-error',
  },
  [`${FRICTIONLESS}/duplicate-headers.csv`]: {
    reason: 'a repeated column name: DuckDB would rename it, so the engine refuses the file',
    compare: 'usage-error',
  },
  [`${FRICTIONLESS}/invalid.csv`]: {
    reason: 'blank and repeated column names (as above)',
    compare: 'usage-error',
  },
};

function findings(report: Report) {
  return {
    // every field of each input (encoding, layout, counts, contract) but its hash
    inputs: report.inputs.map((i) => ({ ...i, sha256: undefined })),
    summary: report.summary,
    issues: Object.fromEntries(
      report.issues.map((i) => [
        `${i.rule} ${i.location}`,
        { count: i.count, examples: i.examples.map((e) => [e.input, e.row, e.column, e.value]) },
      ]),
    ),
    profiles: report.profiles,
    duplicateKeys: report.crossFile.duplicateKeys,
    duplicateTotals: report.crossFile.duplicateTotals ?? [],
    conflictingRecords: report.crossFile.conflictingRecords ?? [],
    orphanReferences: report.crossFile.orphanReferences,
  };
}

const demo: Case = {
  name: 'demo extracts (samples/legacy with samples/contracts)',
  args: [
    'samples/legacy/patients.csv',
    'samples/legacy/encounters.csv',
    '--schema',
    'patients=samples/contracts/patients.contract.json',
    '--schema',
    'encounters=samples/contracts/encounters.contract.json',
    '--key',
    'patients.patient_id',
    '--key',
    'patients.mrn',
    '--key',
    'encounters.encounter_id',
    '--references',
    'encounters.patient_id=patients.patient_id',
  ],
};

const files = (dir: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, args: [`${dir}/${f}`] }));

// Small files, one DuckDB each: one thread costs less CPU (vitest runs another file on the other
// core). The parity files (validateDuckdbParity*.test.ts) keep DuckDB's default, every core.
// Put back after the file by the unit set-up (vi.unstubAllEnvs).
beforeAll(() => {
  vi.stubEnv(DUCKDB_THREADS_ENV, '1');
});

/** Files the cases write: csvlint.rb's inline scenarios and the benchmark's seeded extract. */
const scratch = mkdtempSync(path.join(tmpdir(), 'preflight-differential-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The benchmark generator's extract (seeded: quoted cells with commas and line breaks, mixed date
 * layouts, planted bad values and repeated MRNs) with its contract; its ground truth is checked.
 */
const BENCH_FILE = path.join(scratch, 'bench-patients.csv');
const BENCH_SCHEMA = path.join(scratch, 'bench-contract.json');
let benchTruth: GroundTruth | undefined;
beforeAll(async () => {
  benchTruth = await writeLegacyPatients(BENCH_FILE, 3000);
  writeFileSync(BENCH_SCHEMA, JSON.stringify(BENCH_CONTRACT));
});
const csvlintScenarios: Case[] = (
  JSON.parse(readFileSync(path.join(ROOT, CSVLINT, 'validation-errors.json'), 'utf8')) as {
    cases: { name: string; csv?: string; needsHttpOrFile: boolean }[];
  }
).cases
  .filter((c) => !c.needsHttpOrFile && c.csv !== undefined)
  .map((c, i) => {
    const file = path.join(scratch, `scenario-${i + 1}.csv`);
    writeFileSync(file, c.csv as string);
    return { name: `csvlint.rb: ${c.name}`, args: [file] };
  });

/**
 * Pinned: a header with a quoted line break in a CRLF file, then a repeated key. DuckDB once
 * ended the header at the inner line break and read the rest as 0 records (a pass, exit 0).
 */
const QUOTED_BREAK_HEADER = path.join(scratch, 'quoted-break-header.csv');
writeFileSync(QUOTED_BREAK_HEADER, 'mrn,"e\nf",g\r\nX,2,3\r\nX,5,6\r\n');
/** The same header in an LF file, then a row its contract fails: found, never 0 records. */
const QUOTED_BREAK_HEADER_LF = path.join(scratch, 'quoted-break-header-lf.csv');
const QUOTED_BREAK_CONTRACT = path.join(scratch, 'quoted-break-contract.json');
writeFileSync(QUOTED_BREAK_HEADER_LF, 'mrn,"e\nf",g\nA1,2,\n5,6,7\n');
writeFileSync(
  QUOTED_BREAK_CONTRACT,
  JSON.stringify({
    type: 'object',
    required: ['mrn', 'g'],
    properties: {
      mrn: { type: 'string', pattern: '^[0-9]+$' },
      'e\nf': { type: 'string' },
      g: { type: 'string' },
    },
  }),
);

const CASES: Case[] = [
  demo,
  {
    name: 'a header with a quoted line break (CRLF), then a repeated key',
    args: [QUOTED_BREAK_HEADER, '--key', 'mrn'],
  },
  {
    name: 'a header with a quoted line break (LF), then a bad row',
    args: [QUOTED_BREAK_HEADER_LF, '--schema', QUOTED_BREAK_CONTRACT],
  },
  ...files(SPECTRUM),
  ...files(FRICTIONLESS),
  ...files(`${CSVLINT}/fixtures`),
  ...csvlintScenarios,
  {
    name: "the benchmark generator's planted defects (3,000 rows)",
    args: [BENCH_FILE, '--schema', BENCH_SCHEMA, '--key', 'mrn'],
  },
  {
    name: `${FRICTIONLESS}/unique-field.csv with its Table Schema`,
    args: [`${FRICTIONLESS}/unique-field.csv`, '--schema', `${FRICTIONLESS}/unique-field.json`],
  },
  {
    name: 'tests/fixtures/table-schema/visits.csv with its Table Schema (date and time layouts)',
    args: [
      'tests/fixtures/table-schema/visits.csv',
      '--schema',
      'tests/fixtures/table-schema/visits.schema.json',
    ],
  },
  {
    name: 'tests/fixtures/table-schema/readings.csv with its Table Schema (missing values, keys)',
    args: [
      'tests/fixtures/table-schema/readings.csv',
      '--schema',
      'tests/fixtures/table-schema/readings.schema.json',
    ],
  },
  {
    name: `${FRICTIONLESS}/schema-errors.csv with schema-valid.json`,
    args: [`${FRICTIONLESS}/schema-errors.csv`, '--schema', `${FRICTIONLESS}/schema-valid.json`],
  },
];

describe('the DuckDB engine against the default engine', () => {
  it.each(CASES)('$name', async ({ name, args }) => {
    // every failing row exported too: the two files must be the same, byte for byte
    const at = CASES.findIndex((c) => c.name === name);
    const exported = { js: path.join(scratch, `js-${at}.csv`), duck: path.join(scratch, `duck-${at}.csv`) };
    const js = await runCli(['validate', ...args, '--json', '--failing-rows', exported.js], ROOT);
    const duck = await runCli(
      ['validate', '--engine', 'duckdb', ...args, '--json', '--failing-rows', exported.duck],
      ROOT,
    );
    const known = KNOWN_DIFFERENCES[name];
    if (known?.compare === 'usage-error') {
      expect(duck.code, duck.err).toBe(2);
      expect(duck.err).toContain('use the default engine');
      // a file-level refusal names its file, whichever step of DuckDB's found the problem
      expect(duck.err).toContain(`"${args[0]}"`);
      return;
    }
    const jsReport = JSON.parse(js.out || '{}') as Report;
    if (known?.compare === 'records') {
      const duckReport = JSON.parse(duck.out) as Report;
      expect(duckReport.inputs.map((i) => i.records)).toEqual(jsReport.inputs.map((i) => i.records));
      return;
    }
    expect(duck.code, duck.err).toBe(js.code);
    if (js.code === 2) return;
    // the records DuckDB rejects and blank rows are read as the default engine reads them
    expect(readFileSync(exported.duck, 'utf8')).toBe(readFileSync(exported.js, 'utf8'));
    const duckReport = JSON.parse(duck.out) as Report;
    expect(duckReport.engine).toBe('duckdb');
    if (known?.compare === 'records-and-structure') {
      const structure = (report: Report) => {
        const { inputs, issues } = findings(report);
        return { inputs, issues: Object.entries(issues).filter(([rule]) => rule.startsWith('csv.')) };
      };
      expect(structure(duckReport)).toEqual(structure(jsReport));
      return;
    }
    if (known?.compare === 'all-but-profiles') {
      expect({ ...findings(duckReport), profiles: [] }).toEqual({ ...findings(jsReport), profiles: [] });
      return;
    }
    expect(findings(duckReport)).toEqual(findings(jsReport));
    if (args[0] === BENCH_FILE) {
      // what the generator planted, found: one defect per invalid row, each repeated MRN once
      expect(jsReport.summary.invalid).toBe(benchTruth?.invalidRows);
      expect(jsReport.crossFile.duplicateKeys).toHaveLength(benchTruth?.duplicateMrnPairs ?? -1);
    }
  });
});

describe('the DuckDB engine on Parquet', () => {
  it('gives the findings of the same extract as CSV', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-parquet-'));
    try {
      const parquet = path.join(dir, 'patients.parquet');
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const csv = path.join(ROOT, 'samples/legacy/patients.csv');
      await connection.run(
        `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, header = true)) TO '${parquet}' (FORMAT parquet)`,
      );
      connection.closeSync();
      instance.closeSync();
      const schema = [
        '--schema',
        path.join(ROOT, 'samples/contracts/patients.contract.json'),
        '--key',
        'mrn',
      ];
      const rows = { csv: path.join(dir, 'csv.ndjson'), parquet: path.join(dir, 'parquet.ndjson') };
      const fromCsv = await runCli(
        ['validate', '--engine', 'duckdb', csv, ...schema, '--json', '--failing-rows', rows.csv],
        ROOT,
      );
      const fromParquet = await runCli(
        ['validate', '--engine', 'duckdb', parquet, ...schema, '--json', '--failing-rows', rows.parquet],
        ROOT,
      );
      // every failing row, the same but for the file's name
      const exported = readFileSync(rows.csv, 'utf8');
      expect(exported.length).toBeGreaterThan(0);
      expect(readFileSync(rows.parquet, 'utf8')).toBe(
        exported.replaceAll(JSON.stringify(csv), JSON.stringify(parquet)),
      );
      expect(fromParquet.code, fromParquet.err).toBe(1);
      const a = findings(JSON.parse(fromCsv.out) as Report);
      const b = findings(JSON.parse(fromParquet.out) as Report);
      expect(b.summary).toEqual(a.summary);
      expect(b.issues).toEqual(a.issues);
      expect(b.duplicateKeys.map((d) => d.rows)).toEqual(a.duplicateKeys.map((d) => d.rows));
      expect(a.summary.invalid).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a memory limit that is not a size, and one without the DuckDB engine', async () => {
    const file = 'samples/legacy/patients.csv';
    const bad = await runCli(['validate', '--engine', 'duckdb', file, '--memory-limit', 'lots'], ROOT);
    expect([bad.code, bad.err]).toEqual([
      2,
      expect.stringContaining('--memory-limit takes a size such as 4GB'),
    ]);
    const alone = await runCli(['validate', file, '--memory-limit', '1GB'], ROOT);
    expect([alone.code, alone.err]).toEqual([
      2,
      expect.stringContaining('--memory-limit needs --engine duckdb'),
    ]);
  });

  it('under a memory limit finds what it finds without one, and says so when the limit is too small', async () => {
    const args = [
      'validate',
      '--engine',
      'duckdb',
      BENCH_FILE,
      '--schema',
      BENCH_SCHEMA,
      '--key',
      'mrn',
      '--json',
    ];
    const free = await runCli(args, ROOT);
    const limited = await runCli([...args, '--memory-limit', '64MB'], ROOT);
    expect(free.code).toBe(1);
    expect(limited.code).toBe(1);
    const a = findings(JSON.parse(free.out) as Report);
    const b = findings(JSON.parse(limited.out) as Report);
    expect(b.summary).toEqual(a.summary);
    expect(b.issues).toEqual(a.issues);
    expect(b.duplicateKeys.map((d) => d.rows)).toEqual(a.duplicateKeys.map((d) => d.rows));
    // the CSV reader's buffer alone is more than 1 MB
    const tiny = await runCli([...args, '--memory-limit', '1MB'], ROOT);
    expect([tiny.code, tiny.err]).toEqual([
      2,
      expect.stringContaining('DuckDB needs more memory than --memory-limit 1MB allows for these files'),
    ]);
  });

  it.each([
    { option: ['--no-header'], said: '--no-header runs on the default engine only' },
    {
      option: ['--skip', 'terminology'],
      said: '--skip is for FHIR checks, of FHIR files or of the records a mapping makes, and the DuckDB engine runs neither',
    },
    { option: ['--unknown-extensions', 'warning'], said: '--unknown-extensions is for FHIR checks' },
    { option: ['--outcomes', 'out.ndjson'], said: '--outcomes needs --fhir (FHIR files)' },
  ])('refuses $option.0, which it cannot honour, by name', async ({ option, said }) => {
    const { code, err } = await runCli(
      ['validate', '--engine', 'duckdb', 'samples/legacy/patients.csv', ...option],
      ROOT,
    );
    expect(code).toBe(2);
    expect(err).toContain(said);
  });
});
