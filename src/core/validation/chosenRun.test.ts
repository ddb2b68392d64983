import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource, REPO_DIR } from '../../../tests/migration/sources.ts';
import { loadProjectFile, type Project } from '../../formats/project.ts';
import type { CsvLayout } from '../csv/index.ts';
import { linksOf } from './checkSets.ts';
import { boundByChoice, chosenRun, type ListedFile, listedFile, planChosen } from './chosenRun.ts';
import { chooseDemographics, jobsOf } from './runPlan.ts';
import { planFromValues } from './runSteps.ts';
import { readRecordAt } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

// The page and the CLI plan a run with the same function: the files of a new drop, listed and
// bound on the page as CheckExtracts.tsx does (`listedFile`, `chosenRun`, then `planChosen` in
// the page's run), give the plan `preflight validate --project` makes of them (`planFromValues`).

const loaded = loadProjectFile(
  JSON.parse(readFileSync(join(REPO_DIR, 'samples/projects/demo-clinic.preflight.json'), 'utf8')),
);
if (!loaded.ok) throw new Error('the demo project loads');
const demo = loaded.value.project;
/** The demo's check sets with the key, compared columns and link a data lead chose in the app. */
const project: Project = {
  ...demo,
  datasets: demo.datasets.map((d) =>
    d.id === 'sample:patients.csv'
      ? { ...d, key: 'patient_id', demographics: ['last_name', 'birth_date'], references: [] }
      : {
          ...d,
          key: 'encounter_id',
          references: [{ column: 'patient_id', target: 'sample:patients.csv', targetColumn: 'patient_id' }],
        },
  ),
};

/** The first lines of a sample extract, as bytes (the encounters are windows-1252). */
function firstLines(sample: string, lines: number): Uint8Array {
  const bytes = readFileSync(join(REPO_DIR, 'samples/legacy', sample));
  let end = 0;
  for (let n = 0; n <= lines; n++) end = bytes.indexOf(0x0a, end) + 1;
  return bytes.subarray(0, end);
}

/** A new drop: the saved extracts renamed, so only their headers can bind them. */
const DROP = {
  'pts-2026-11.csv': firstLines('patients.csv', 30),
  'enc-2026-11.csv': firstLines('encounters.csv', 40),
};
const sources = () => Object.entries(DROP).map(([name, bytes]) => memorySource(name, bytes));

/** What the page's worker reads of a file it lists (workers/validateApi.ts `sniff`). */
async function sniff(name: string, given: Partial<CsvLayout> = {}) {
  const source = sources().find((s) => s.name === name);
  if (!source) throw new Error(`no ${name}`);
  const layout = await detectLayout(source, given);
  return { layout, header: (await readRecordAt(source, layout, 0)) ?? [] };
}

/** The files as the page lists them, each bound by its header. */
async function listed(): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  for (const name of Object.keys(DROP)) {
    const bound = await listedFile(name, name, await sniff(name), {
      project,
      contracts: project.schemas,
      readAgain: (wanted) => sniff(name, wanted),
    });
    files.push(bound.file);
  }
  return files;
}

async function cliPlan() {
  return planFromValues({
    files: Object.keys(DROP),
    contracts: [],
    keys: [],
    references: [],
    layout: () => ({}),
    sources: sources(),
    project: { file: 'clinic.preflight.json', project },
    readContract: () => Promise.reject(new Error('no contract file is given')),
  });
}

describe('a new drop planned on the page and by the CLI', () => {
  it('gives the same plan: contracts, keys, links, check sets and what is not checked', async () => {
    const files = await listed();
    // bound by header to the saved check sets, with their layouts (the encounters' windows-1252)
    expect(files.map((f) => [f.checkSet?.id, f.checkSet?.exact, f.layout.encoding, f.contract])).toEqual([
      ['sample:patients.csv', true, 'utf-8', 'contract:patients'],
      ['sample:encounters.csv', true, 'windows-1252', 'contract:encounters'],
    ]);
    const chosen = chosenRun(files, linksOf(files, project), {
      project,
      contracts: project.schemas,
      now: new Date('2026-11-26T09:00:00Z'),
    });
    const page = planChosen(chosen.inputs, chosen.links, project);
    const { plan } = await cliPlan();
    expect(page).toEqual(plan);
    // not an empty agreement: the check sets' contracts, keys, link and compared columns are in it
    expect(plan.files.map((f) => [f.contract?.id, f.keys])).toEqual([
      ['urn:preflight:sample:patients-contract', ['patient_id']],
      ['urn:preflight:sample:encounters-contract', ['encounter_id']],
    ]);
    expect(plan.links).toEqual([
      {
        input: 'enc-2026-11.csv',
        column: 'patient_id',
        target: 'pts-2026-11.csv',
        targetColumn: 'patient_id',
      },
    ]);
    expect([...plan.checkSetIds.values()]).toEqual(['sample:patients.csv', 'sample:encounters.csv']);
    expect(chosen.headers).toEqual([]);
  });

  it('compares the same columns for each key as the CLI’s jobs', async () => {
    const chosen = chosenRun(await listed(), [], { project, contracts: project.schemas, now: new Date() });
    const { plan, given } = await cliPlan();
    // the keys only: the contracts are left out, as nothing here checks rows
    const keysOnly = { ...plan, files: plan.files.map(({ contract: _, ...f }) => f) };
    const jobs = await jobsOf(keysOnly, sources(), given, [], () => Promise.reject(new Error('no contract')));
    await chooseDemographics(jobs, plan.savedDemographics);
    expect(chosen.inputs.map((i) => i.keys)).toEqual(jobs.map((j) => j.keys));
    expect(chosen.inputs[0]?.keys).toEqual([
      { column: 'patient_id', demographics: ['last_name', 'birth_date'] },
    ]);
  });

  it('takes the contract chosen on screen over the check set’s, and none as none', async () => {
    const [patients, encounters] = (await listed()) as [ListedFile, ListedFile];
    const files = [
      { ...patients, contract: '' },
      { ...encounters, contract: 'contract:patients', headerAccepted: 'contract:patients' },
    ];
    const chosen = chosenRun(files, [], { project, contracts: project.schemas, now: new Date() });
    const plan = planChosen(chosen.inputs, chosen.links, project);
    expect(plan.files.map((f) => f.contract?.id)).toEqual([
      undefined,
      'urn:preflight:sample:patients-contract',
    ]);
    // the encounters' header against the patients' contract: its differences, the rows checked anyway
    expect(chosen.headers.map((h) => [h.input, h.comparison.fits, h.rowsChecked])).toEqual([
      ['enc-2026-11.csv', false, true],
    ]);
    // still checked as their check sets
    expect([...plan.checkSetIds.keys()]).toEqual(['pts-2026-11.csv', 'enc-2026-11.csv']);
  });
});

describe('a file with no column names, bound to the check set a user chose', () => {
  const set = project.datasets.find((d) => d.id === 'sample:encounters.csv');
  const empty = {
    layout: { encoding: 'utf-8', delimiter: ',', quote: '"', lineEnding: '\n', header: true },
    header: [],
  } as const;

  it('takes the check set’s layout, contract and mapping, and its key only where the header has it', () => {
    expect(boundByChoice(empty, set, { project, contracts: project.schemas })).toEqual({
      layout: { encoding: 'windows-1252', delimiter: ';', quote: '"', lineEnding: '\n', header: true },
      contract: 'contract:encounters',
      key: '',
      checkSet: { id: 'sample:encounters.csv', name: 'encounters.csv', exact: false, chosen: true },
    });
    // a contract the screen does not offer is not taken
    expect(boundByChoice(empty, set, { project, contracts: [] }).contract).toBe('');
  });

  it('has no contract once the choice is taken back', () => {
    expect(boundByChoice(empty, undefined, { project, contracts: project.schemas })).toEqual({
      contract: '',
    });
  });
});
