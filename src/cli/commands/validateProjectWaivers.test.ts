/**
 * `preflight validate --project` applies the waivers recorded in the app as the Migration screen
 * does (`applyWaivers`, judged by `judgeRun`): accepted errors stay in the report, marked, and no
 * longer fail the run; an expired waiver accepts nothing and is said; a `--waivers` file adds to
 * the project's, replacing a waiver of the same id, and the summary says which.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO_PROJECT = path.join(ROOT, 'samples/projects/demo-clinic.preflight.json');

let dir: string;
let demo: Project;

const waiver = (id: string, rule: string, fields: Partial<Waiver> = {}): Waiver => ({
  id,
  rule,
  column: 'birth_date',
  rationale: 'dates typed in the old system before it checked them',
  owner: 'Dana Whitfield',
  expires: '2999-12-31',
  ...fields,
});
// the first 50 rows of the demo's patients: two birth dates that break the contract twice each
const PATTERN = waiver('w-pattern', 'contract.pattern');
const FORMAT = waiver('w-format', 'contract.format');

/** Writes the demo project with `waivers` recorded, as the app exports it, under `name`. */
async function projectWith(name: string, waivers: unknown[]): Promise<string> {
  const project: Project = {
    ...demo,
    meta: { ...demo.meta, settings: { ...demo.meta.settings, waivers } },
  };
  const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.0.0-test' });
  await writeFile(path.join(dir, name), JSON.stringify(file, null, 2));
  return name;
}

async function waiversFile(name: string, waivers: Waiver[]): Promise<string> {
  await writeFile(path.join(dir, name), JSON.stringify(createWaiversFile(waivers)));
  return name;
}

async function readReport(file: string): Promise<Report> {
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
  if (!loaded.ok) throw new Error(`${file} does not load as a report`);
  return loaded.value;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-project-waivers-'));
  const loaded = loadProjectFile(JSON.parse(await readFile(DEMO_PROJECT, 'utf8')));
  if (!loaded.ok) throw new Error('the demo project does not load');
  demo = loaded.value.project;
  const bytes = await readFile(path.join(ROOT, 'samples/legacy/patients.csv'));
  let end = 0;
  for (let lines = 0; lines <= 50; lines++) end = bytes.indexOf(0x0a, end) + 1;
  await writeFile(path.join(dir, 'pts-drop.csv'), bytes.subarray(0, end));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Row {
  description: string;
  project: unknown[];
  file?: Waiver[];
  code: number;
  /** each waiver of the report: id, status, issues it accepted */
  waivers: [string, string, number][];
  /** the errors no waiver accepted */
  failing: number;
  lines: string[];
}

const table: Row[] = [
  {
    description: 'no waiver recorded: the run fails as before, and no waiver is listed',
    project: [],
    code: 1,
    waivers: [],
    failing: 4,
    lines: [],
  },
  {
    description: 'every error accepted by the waivers recorded in the app: exit 0',
    project: [PATTERN, FORMAT],
    code: 0,
    waivers: [
      ['w-pattern', 'active', 1],
      ['w-format', 'active', 1],
    ],
    failing: 0,
    lines: [
      'Waivers: 2 waivers recorded in waived.preflight.json',
      'w-pattern contract.pattern birth_date: accepted until 2999-12-31, owner Dana Whitfield: 1 issue, 2 occurrences',
      'Errors not accepted: 0',
    ],
  },
  {
    description: 'an expired waiver accepts nothing and is said: exit 1',
    project: [PATTERN, { ...FORMAT, expires: '2020-01-31' }],
    code: 1,
    waivers: [
      ['w-pattern', 'active', 1],
      ['w-format', 'expired', 0],
    ],
    failing: 2,
    lines: [
      'w-format contract.format birth_date: expired 2020-01-31: accepts nothing, its problems fail the run again',
      'Errors not accepted: 2',
    ],
  },
  {
    description: 'a --waivers file adds to the project’s waivers',
    project: [PATTERN],
    file: [FORMAT],
    code: 0,
    waivers: [
      ['w-pattern', 'active', 1],
      ['w-format', 'active', 1],
    ],
    failing: 0,
    lines: [
      'Waivers: 1 waiver recorded in waived.preflight.json, and 1 waiver given with --waivers, adding to them',
    ],
  },
  {
    description: 'a --waivers file replaces the project’s waiver of the same id, and says so',
    project: [PATTERN, FORMAT],
    file: [{ ...FORMAT, expires: '2020-01-31' }],
    code: 1,
    waivers: [
      ['w-pattern', 'active', 1],
      ['w-format', 'expired', 0],
    ],
    failing: 2,
    lines: [
      "Waivers: 2 waivers recorded in waived.preflight.json, and 1 waiver given with --waivers, adding to them (1 replaces the project's waiver of the same id: w-format)",
    ],
  },
  {
    description: 'a recorded waiver that does not check accepts nothing, and the summary says where',
    // the schema holds each field; that a waiver names a column or an extension, not both, it cannot
    project: [PATTERN, { ...FORMAT, extension: 'http://example.org/ext' }],
    code: 1,
    waivers: [['w-pattern', 'active', 1]],
    failing: 2,
    lines: [
      'a waiver of waived.preflight.json that cannot be used accepts nothing: /project/meta/settings/waivers/1: has both a column and an extension URL; keep exactly one',
    ],
  },
];

describe('preflight validate --project applies the waivers recorded in the app', () => {
  it.each(table)('$description', async ({ project, file, code, waivers, failing, lines }) => {
    const argv = [
      'validate',
      'pts-drop.csv',
      '--project',
      await projectWith('waived.preflight.json', project),
    ];
    if (file) argv.push('--waivers', await waiversFile('given.waivers.json', file));
    const run = await runCli([...argv, '--report', 'waived.json'], dir);
    expect(run.err).toBe('');
    expect(run.code).toBe(code);
    for (const line of lines) expect(run.out).toContain(line);
    if (waivers.length === 0) expect(run.out).not.toContain('Waivers:');
    const report = await readReport('waived.json');
    expect((report.waivers ?? []).map((w) => [w.waiver.id, w.status, w.issues])).toEqual(waivers);
    const unaccepted = report.issues
      .filter((i) => i.severity === 'error' && i.acceptedBy === undefined)
      .reduce((n, i) => n + i.count, 0);
    expect(unaccepted).toBe(failing);
    // with --json the report is stdout, the same one, and the lines about the waivers go to stderr
    const json = await runCli([...argv, '--json'], dir);
    expect(json.code).toBe(code);
    const fromJson = JSON.parse(json.out) as Report;
    expect(fromJson.waivers).toEqual(report.waivers);
    if (lines[0]?.startsWith('Waivers:')) expect(json.err).toContain(lines[0]);
  });

  it('applies them to FHIR files too (validate --fhir --project)', async () => {
    const ext = 'http://maple-street-clinic.test/fhir/ext/allergy-note';
    await writeFile(
      path.join(dir, 'Patient.ndjson'),
      `${JSON.stringify({ resourceType: 'Patient', id: 'p1', extension: [{ url: ext, valueString: 'x' }] })}\n`,
    );
    const { column: _, ...byExtension } = waiver('w-ext', 'fhir-unknown-extension');
    const name = await projectWith('fhir.preflight.json', [{ ...byExtension, extension: ext }]);
    const without = await runCli(['validate', '--fhir', 'Patient.ndjson'], dir);
    expect(without.code).toBe(1);
    for (const command of [
      ['validate', '--fhir'],
      ['fhir', 'validate'],
    ]) {
      const run = await runCli([...command, 'Patient.ndjson', '--project', name], dir);
      expect(run.code).toBe(0);
      expect(run.out).toContain('Waivers: 1 waiver recorded in fhir.preflight.json');
      expect(run.out).toContain(`w-ext fhir-unknown-extension ${ext}: accepted until 2999-12-31`);
    }
  });
});
