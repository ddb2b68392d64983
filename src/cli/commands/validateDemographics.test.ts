/**
 * The demographic columns compared between records sharing a key, guessed from the header when
 * `--demographics` is not given: Synthea's `FIRST`, `LAST`, `BIRTHDATE` and `GENDER` are found, on
 * both engines, so a repeated patient id with another birth date or sex is a conflict.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

let dir: string;
let demo: Project;

// a Synthea-shaped patients file: one id twice, with another birth date and sex the second time
const SYNTHEA = [
  'Id,BIRTHDATE,DEATHDATE,FIRST,LAST,GENDER,CITY',
  'a1,1980-02-03,,Ana,Reyes,F,Boston',
  'b2,1975-06-07,,Ben,Okafor,M,Salem',
  'a1,1981-02-03,,Ana,Reyes,M,Boston',
  'c3,1990-10-11,,Cy,Lund,M,Lynn',
  'c3,1990-10-11,,Cy,Lund,M,Lynn',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-demographics-'));
  await writeFile(path.join(dir, 'patients.csv'), `${SYNTHEA}\n`);
  const loaded = loadProjectFile(
    JSON.parse(await readFile(path.join(ROOT, 'samples/projects/demo-clinic.preflight.json'), 'utf8')),
  );
  if (!loaded.ok) throw new Error('the demo project does not load');
  demo = loaded.value.project;
  // the demo drop cut to its first rows and every row whose mrn repeats: the repeated keys are
  // what is compared, and 5,000 rows, validated four times per case, would only cost time
  const lines = (await readFile(path.join(ROOT, 'samples/legacy/patients.csv'), 'utf8')).split('\n');
  const mrnOf = (line: string) => /^P\d+,(\d+),/.exec(line)?.[1];
  const seen = new Map<string, number>();
  for (const line of lines) {
    const mrn = mrnOf(line);
    if (mrn !== undefined) seen.set(mrn, (seen.get(mrn) ?? 0) + 1);
  }
  const kept = lines.filter((line, i) => {
    const mrn = mrnOf(line);
    return i <= 200 || (mrn !== undefined && (seen.get(mrn) ?? 0) > 1);
  });
  await writeFile(path.join(dir, 'drop.csv'), `${kept.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validate --key guesses the demographic columns from the header', () => {
  it('compares them for a repeated key', async () => {
    const run = await runCli(['validate', 'patients.csv', '--key', 'patients.Id', '--json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as Report;
    const conflicts = report.crossFile.conflictingRecords ?? [];
    // a1 differs in birth date and sex; c3 is the same record twice
    expect(conflicts.map((c) => [c.column, c.columns])).toEqual([['Id', ['BIRTHDATE', 'GENDER']]]);
  });

  it('--demographics chooses them instead', async () => {
    const run = await runCli(
      ['validate', 'patients.csv', '--key', 'patients.Id', '--demographics', 'CITY', '--json'],
      dir,
    );
    const report = JSON.parse(run.out) as Report;
    expect(report.crossFile.conflictingRecords ?? []).toEqual([]);
  });
});

describe('validate --project compares the columns chosen for the check set', () => {
  /** the demo project with the patients check set keyed on mrn, comparing `demographics` */
  async function projectComparing(name: string, demographics: string[] | undefined): Promise<string> {
    const project: Project = {
      ...demo,
      datasets: demo.datasets.map((d) => {
        if (d.id !== 'sample:patients.csv') return d;
        const { demographics: _, ...rest } = d;
        return { ...rest, key: 'mrn', ...(demographics ? { demographics } : {}) };
      }),
    };
    const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.0.0-test' });
    await writeFile(path.join(dir, name), JSON.stringify(file));
    return name;
  }
  const conflicts = async (argv: string[]) => {
    const run = await runCli(['validate', 'drop.csv', ...argv, '--json'], dir);
    const report = JSON.parse(run.out) as Report;
    return (report.crossFile.conflictingRecords ?? []).map((c) => c.columns.join('+')).sort();
  };
  const table: {
    name: string;
    demographics: string[] | undefined;
    argv: string[];
    expected: string[];
    /** the columns the summary names as compared, when not the choice itself */
    named?: string[];
  }[] = [
    {
      name: 'none chosen: the columns found by name',
      demographics: undefined,
      argv: [],
      expected: [
        'last_name+first_name+birth_date',
        'last_name+first_name+birth_date',
        'last_name+first_name+birth_date+sex',
        'last_name+first_name+birth_date+sex',
      ],
    },
    {
      name: 'only the birth date chosen',
      demographics: ['birth_date'],
      argv: [],
      expected: ['birth_date', 'birth_date', 'birth_date', 'birth_date'],
    },
    { name: 'nothing chosen to compare', demographics: [], argv: [], expected: [] },
    {
      name: 'a chosen column the file lacks is not named',
      demographics: ['birth_date', 'maiden_name'],
      argv: [],
      expected: ['birth_date', 'birth_date', 'birth_date', 'birth_date'],
      named: ['birth_date'],
    },
    {
      name: '--demographics replaces the choice',
      demographics: [],
      argv: ['--demographics', 'sex'],
      expected: ['sex', 'sex'],
    },
  ];
  it.each(table)('$name', async ({ demographics, argv, expected, named }) => {
    const name = await projectComparing('chosen.preflight.json', demographics);
    expect(await conflicts(['--project', name, ...argv])).toEqual(expected);
    // the summary says what is compared when the check set chose it
    const { out } = await runCli(['validate', 'drop.csv', '--project', name, ...argv], dir);
    const line = out.split('\n').find((l) => l.startsWith('  drop.csv: check set'));
    const compared = named ?? demographics;
    if (compared === undefined || argv.length > 0) expect(line).not.toContain('compared for a repeated key');
    else
      expect(line).toContain(
        `key mrn; compared for a repeated key: ${compared.length > 0 ? compared.join(', ') : 'nothing'} (chosen)`,
      );
  });
});
