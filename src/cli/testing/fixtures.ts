/**
 * Fixtures that several CLI tests of `preflight validate` build alike: a small patients contract
 * with a waiver of its empty birth dates, and the demo clinic's project with the keys a data lead
 * saves, its extracts cut to their first rows. Content is invented or the repository's demo data.
 * Test-only: imported by *.test.ts files (src/cli, tests/), never by the CLI.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import type { Waiver } from '../../formats/waivers.ts';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** Patients with an id and a birth date required, and a sex of F or M. */
export const PATIENTS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:patients',
  type: 'object',
  required: ['id', 'birth_date'],
  properties: { id: { type: 'string' }, birth_date: { type: 'string' }, sex: { enum: ['F', 'M'] } },
};

/** A waiver of the empty birth dates (`contract.required` on birth_date), with `fields` replaced. */
export function birthDateWaiver(fields: Partial<Waiver> = {}): Waiver {
  return {
    id: 'w-birth',
    rule: 'contract.required',
    column: 'birth_date',
    rationale: 'walk-in patients were registered without a birth date',
    owner: 'Dana Whitfield',
    expires: '2999-12-31',
    ...fields,
  };
}

/** A new temporary folder named from `prefix`, holding `files` (name → content). */
export async function folderWith(prefix: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** The demo clinic's project (samples/projects), loaded as the CLI loads it. */
export async function loadDemoProject(): Promise<Project> {
  const file = path.join(REPO_ROOT, 'samples/projects/demo-clinic.preflight.json');
  const loaded = loadProjectFile(JSON.parse(await readFile(file, 'utf8')));
  if (!loaded.ok) throw new Error('the demo project does not load');
  return loaded.value.project;
}

/** The first `rows` data rows of a demo extract, as bytes (its header, layout and encoding kept). */
export async function demoFirstRows(sample: string, rows: number): Promise<Buffer> {
  const bytes = await readFile(path.join(REPO_ROOT, 'samples/legacy', sample));
  let end = 0;
  for (let lines = 0; lines <= rows; lines++) end = bytes.indexOf(0x0a, end) + 1;
  return bytes.subarray(0, end);
}

/** Writes `project` into `dir` as the app exports it, under `name`; the name. */
export async function writeProjectFile(dir: string, name: string, project: Project): Promise<string> {
  const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.0.0-test' });
  await writeFile(path.join(dir, name), JSON.stringify(file, null, 2));
  return name;
}

/**
 * The demo project with the key and link a data lead saves for its check sets in the app:
 * patient_id for the patients, encounter_id for the encounters and their patient_id linked to the
 * patients'.
 */
export function withSavedKeys(project: Project): Project {
  return {
    ...project,
    datasets: project.datasets.map((d) =>
      d.id === 'sample:patients.csv'
        ? { ...d, key: 'patient_id', references: [] }
        : d.id === 'sample:encounters.csv'
          ? {
              ...d,
              key: 'encounter_id',
              references: [
                { column: 'patient_id', target: 'sample:patients.csv', targetColumn: 'patient_id' },
              ],
            }
          : d,
    ),
  };
}
