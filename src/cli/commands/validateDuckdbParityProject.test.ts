/**
 * A project's saved check sets (--project) and every failing row (--failing-rows), on both
 * engines: each case runs both on the same input and compares what they write.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import { runCli } from '../cliTestKit.ts';
import { bothWithText, CONTRACT, findings, parityFolder, ROOT } from '../testing/duckdbParity.ts';
import { demoFirstRows, loadDemoProject, withSavedKeys, writeProjectFile } from '../testing/fixtures.ts';
import { CSV_IN_MEMORY_LINE } from './validateDuckdb.ts';

const parity = parityFolder();

describe("--project: the project's saved check sets, on both engines", () => {
  let demo: Project;
  const projectFile = (name: string, project: Project) => writeProjectFile(parity.dir, name, project);
  /** The demo project with a key and a link saved for its check sets (and `edit` of each). */
  function saved(edit: (d: Project['datasets'][number]) => Project['datasets'][number] = (d) => d): Project {
    const keyed = withSavedKeys(demo);
    return { ...keyed, datasets: keyed.datasets.map(edit) };
  }
  beforeAll(async () => {
    demo = await loadDemoProject();
    // a rehearsal drop under names nobody saved: the first rows of the demo's extracts
    await writeFile(path.join(parity.dir, 'pts-2026-11.csv'), await demoFirstRows('patients.csv', 300));
    await writeFile(path.join(parity.dir, 'enc-2026-11.csv'), await demoFirstRows('encounters.csv', 600));
    await writeFile(path.join(parity.dir, 'unknown-layout.csv'), 'Id,Name,Seen\n1,A,2024-01-01\n');
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
    const { js, duck, text, plain } = await bothWithText(parity.dir, args);
    expect(js.inputs.some((i) => i.dataset !== undefined)).toBe(true);
    expect(findings(duck)).toEqual(findings(js));
    // the lines that say what each file was bound to, and the summary, are the same
    // the summary but its timing line, and the line that says what the DuckDB engine is for
    const untimed = (out: string) =>
      out.split('\n').filter((l) => !/\d ms|\ds\b/.test(l) && l !== CSV_IN_MEMORY_LINE);
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
    const js = await runCli(['validate', ...args], parity.dir);
    const duck = await runCli(['validate', '--engine', 'duckdb', ...args], parity.dir);
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
      parity.dir,
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
      parity.dir,
    );
    expect([parquet.code, parquet.err]).toEqual([
      2,
      'preflight validate: extract.parquet: --project binds CSV files to saved check sets by their header; check a Parquet file without --project (with --schema, --key and --references)',
    ]);
  });

  it("a check set's saved mapping is refused by name, not skipped", async () => {
    const run = await runCli(
      ['validate', '--engine', 'duckdb', 'pts-2026-11.csv', '--project', 'mapped.preflight.json'],
      parity.dir,
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
      path.join(parity.dir, CELLS),
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
      path.join(parity.dir, CELLS_CONTRACT),
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
    const js = await runCli(['validate', ...args, '--failing-rows', `js-${out}`], parity.dir);
    const duck = await runCli(
      ['validate', '--engine', 'duckdb', ...args, '--failing-rows', `duck-${out}`],
      parity.dir,
    );
    expect([duck.code, duck.err]).toEqual([js.code, js.err]);
    expect(js.code).toBe(1);
    const expected = await readFile(path.join(parity.dir, `js-${out}`), 'utf8');
    expect(await readFile(path.join(parity.dir, `duck-${out}`), 'utf8')).toBe(expected);
    // the case holds what it is about
    expect(expected.split('\n').length).toBeGreaterThan(3);
    if (out.endsWith('.csv') && !args.includes('--redact') && args.includes(CELLS_CONTRACT))
      expect(expected).toContain("'=1+1");
    if (args.includes('--redact')) expect(expected).not.toContain('plain');
  });
});
