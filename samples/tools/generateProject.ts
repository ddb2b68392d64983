/**
 * Generator of the demo clinic as one project file, `samples/projects/demo-clinic.preflight.json`
 * (`preflight.project/v1`, the file the app's Export writes): every sample workflow, mapping,
 * sample plan and column contract, the two legacy extracts' descriptions, and the validation
 * report of both extracts against their contracts — made by `preflight validate` itself, redacted
 * (no values leave the extracts). `preflight readiness` on the file is the demo's go/no-go.
 *
 * Constraints:
 * - Output is a pure function of the samples and the package version: ids and dates are fixed
 *   ({@link DEMO_DATE}), and the report's run time and its start are set to that date, as the
 *   only fields of a validation that depend on the clock. `generateProject.test.ts` regenerates
 *   and compares the text with the committed file.
 * - The readiness gates are written out with their documented defaults, so the file shows the
 *   thresholds its go/no-go is judged on.
 * - The role owners are recorded for every role but two (`samples/roleOwners.ts`, which the app's
 *   demo reads too): the reference lab and billing were never asked, a planted discovery risk.
 * - The readiness records of three weeks before go-live (`samples/readiness.ts`): the safety
 *   self-assessment part-way through the SAFER guides, the cutover runbook with one unowned step,
 *   the command centre, the dress rehearsal, the communication plan, the vendors and interface
 *   partners, the training record with go-live support (the one phase complete) and the
 *   rollback/downtime plan — a realistic partial state, so every section shows content.
 * - The data dictionary as the data lead left it (`samples/dataDictionary.ts`): some links
 *   confirmed, one rejected, the rest suggestions or unlinked.
 *
 * Run: `npm run samples:project` (or `npx tsx samples/tools/generateProject.ts [outFile]`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { sniffHeader } from '../../src/core/csv/index.ts';
import { DEFAULT_READINESS_GATES, PROJECT_READINESS_GATES_KEY } from '../../src/core/readiness/index.ts';
import type { LoadResult } from '../../src/formats/loading.ts';
import { loadMapping } from '../../src/formats/mapping.ts';
import {
  createProjectFile,
  type Dataset,
  type Project,
  type ProjectReport,
  type SchemaDoc,
} from '../../src/formats/project.ts';
import { loadReport } from '../../src/formats/report.ts';
import { withRoleOwners } from '../../src/formats/roleOwners.ts';
import { loadSamplePlan } from '../../src/formats/samplePlan.ts';
import { loadWorkflow } from '../../src/formats/workflow.ts';
import { withDemoDataDictionary } from '../dataDictionary.ts';
import { withDemoReadiness } from '../readiness.ts';
import { DEMO_ROLE_OWNERS } from '../roleOwners.ts';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the generated file is committed. */
export const DEMO_PROJECT_FILE = join(SAMPLES, 'projects', 'demo-clinic.preflight.json');

/** The one date of the demo project: created, checked and exported then. */
export const DEMO_DATE = '2024-07-08T09:00:00Z';

/** The demo project's name and id (the app's demo clinic is named the same). */
const NAME = 'Demo clinic';
const ID = 'demo-clinic';

/** The header is always within the first 64 KiB of a sane extract. */
const HEADER_PREFIX_BYTES = 64 * 1024;

const VERSION = (JSON.parse(readFileSync(join(SAMPLES, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

function loadAll<T>(folder: string, load: (json: unknown) => LoadResult<T>): T[] {
  return readdirSync(join(SAMPLES, folder))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const result = load(JSON.parse(readFileSync(join(SAMPLES, folder, name), 'utf8')));
      if (!result.ok) throw new Error(`samples/${folder}/${name} is invalid at ${result.problems[0]?.path}.`);
      return result.value;
    });
}

/** `patients.contract.json` is the column contract of `patients.csv` (the app's demo uses the same ids). */
const contractIdFor = (csvName: string) => `contract:${csvName.replace(/\.csv$/, '')}`;

function contracts(): SchemaDoc[] {
  return readdirSync(join(SAMPLES, 'contracts'))
    .filter((name) => name.endsWith('.contract.json'))
    .sort()
    .map((name) => {
      const schema = JSON.parse(readFileSync(join(SAMPLES, 'contracts', name), 'utf8')) as Record<
        string,
        unknown
      >;
      return {
        id: contractIdFor(name.replace(/\.contract\.json$/, '.csv')),
        name: typeof schema.title === 'string' ? schema.title : name,
        schema,
      };
    });
}

function extracts(schemas: readonly SchemaDoc[]): Dataset[] {
  return readdirSync(join(SAMPLES, 'legacy'))
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(SAMPLES, 'legacy', name));
      const sniff = sniffHeader(bytes.subarray(0, HEADER_PREFIX_BYTES));
      const contract = contractIdFor(name);
      return {
        id: `sample:${name}`,
        name,
        kind: 'csv',
        bytes: bytes.length,
        columns: sniff.columns,
        encoding: sniff.encoding,
        delimiter: sniff.delimiter,
        origin: { type: 'sample', path: `samples/legacy/${name}` },
        ...(schemas.some((s) => s.id === contract) ? { contract } : {}),
      };
    });
}

/**
 * The validation report of both extracts, by `preflight validate` (contracts, duplicate MRNs,
 * encounters' patient references), redacted, with its clock fields set to {@link DEMO_DATE}.
 */
async function validationReport(): Promise<ProjectReport> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-demo-project-'));
  try {
    const out = join(dir, 'report.json');
    const err: string[] = [];
    // the summary on stdout is not needed; stderr says why a run failed
    const io = { stdout: () => {}, stderr: (text: string) => err.push(text), cwd: join(SAMPLES, 'legacy') };
    const code = await main(
      [
        'validate',
        'patients.csv',
        'encounters.csv',
        '--schema',
        `patients.csv=${join(SAMPLES, 'contracts', 'patients.contract.json')}`,
        '--schema',
        `encounters.csv=${join(SAMPLES, 'contracts', 'encounters.contract.json')}`,
        '--key',
        'patients.mrn',
        '--references',
        'encounters.patient_id=patients.patient_id',
        '--redact',
        '--report',
        out,
      ],
      io,
    );
    // 1: the planted defects were found, as they must be
    if (code !== 1) throw new Error(`preflight validate exited ${code}: ${err.join(' ')}`);
    const loaded = loadReport(JSON.parse(readFileSync(out, 'utf8')));
    if (!loaded.ok) throw new Error(`the validation report is invalid at ${loaded.problems[0]?.path}.`);
    return {
      ...loaded.value,
      id: 'demo-validation',
      generatedAt: DEMO_DATE,
      timings: { startedAt: DEMO_DATE, totalMs: 0 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo project file's text (2-space JSON and a final newline). */
export async function generateDemoProjectText(): Promise<string> {
  const schemas = contracts();
  const project: Project = {
    meta: {
      id: ID,
      name: NAME,
      createdAt: DEMO_DATE,
      updatedAt: DEMO_DATE,
      settings: withDemoDataDictionary(
        withDemoReadiness(
          withRoleOwners({ [PROJECT_READINESS_GATES_KEY]: { ...DEFAULT_READINESS_GATES } }, DEMO_ROLE_OWNERS),
        ),
      ),
    },
    workflows: loadAll('workflows', loadWorkflow),
    mappings: loadAll('mappings', loadMapping),
    samplePlans: loadAll('plans', loadSamplePlan),
    reports: [await validationReport()],
    datasets: extracts(schemas),
    schemas,
  };
  const file = createProjectFile(project, { now: DEMO_DATE, appVersion: VERSION });
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes the demo project file to `path` (default {@link DEMO_PROJECT_FILE}). */
export async function writeDemoProject(path = DEMO_PROJECT_FILE): Promise<void> {
  const text = await generateDemoProjectText();
  await mkdir(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const target = process.argv[2] ? resolve(process.argv[2]) : DEMO_PROJECT_FILE;
  await writeDemoProject(target);
  console.log(`wrote ${target}`);
}
