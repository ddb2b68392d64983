/**
 * Builds the "Demo clinic" project from the files in samples/, bundled by Vite.
 * Workflows, mappings, plans and contracts are loaded through the same format loaders as a
 * user's files, so a broken sample fails loudly instead of showing half a demo. The legacy
 * extracts stay files: only their description (size, encoding, columns) enters the project. The
 * role owners (samples/roleOwners.ts) and the readiness records (samples/readiness.ts) are the ones
 * the demo project file records, so the demo opened here and the file a pipeline judges name the
 * same unowned roles and show the same runbook, command centre, rehearsal and safety answers.
 */

import { withDemoDataDictionary } from '../../../samples/dataDictionary.ts';
import { demoGoLiveFor, demoShiftDays, movedDates } from '../../../samples/demoDates.ts';
import { withDemoReadiness } from '../../../samples/readiness.ts';
import { DEMO_ROLE_OWNERS } from '../../../samples/roleOwners.ts';
import { sniffHeader } from '../../core/csv/index.ts';
import { newId } from '../../core/project/changes.ts';
import { loadMapping } from '../../formats/mapping.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import { withRoleOwners } from '../../formats/roleOwners.ts';
import { loadSamplePlan } from '../../formats/samplePlan.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { DEMO_PROJECT_NAME } from './demoName.ts';
import { SAMPLE_EXTRACTS } from './sampleExtracts.ts';

const workflowFiles = import.meta.glob<unknown>('../../../samples/workflows/*.json', {
  eager: true,
  import: 'default',
});
const mappingFiles = import.meta.glob<unknown>('../../../samples/mappings/*.json', {
  eager: true,
  import: 'default',
});
const planFiles = import.meta.glob<unknown>('../../../samples/plans/*.json', {
  eager: true,
  import: 'default',
});
const contractFiles = import.meta.glob<Record<string, unknown>>('../../../samples/contracts/*.json', {
  eager: true,
  import: 'default',
});
/** The header is always within the first 64 KiB of a sane extract. */
const HEADER_PREFIX_BYTES = 64 * 1024;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function loadAll<T>(
  files: Record<string, unknown>,
  load: (
    json: unknown,
  ) => { ok: true; value: T } | { ok: false; problems: { path: string; message: string }[] },
): T[] {
  return Object.entries(files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, json]) => {
      const result = load(json);
      if (!result.ok) {
        const first = result.problems[0];
        throw new Error(
          `Bundled sample ${baseName(path)} is invalid: ${first?.message ?? 'unknown problem'} at ${first?.path ?? '/'}.`,
        );
      }
      return result.value;
    });
}

/** `patients.contract.json` is the column contract of `patients.csv`. */
function contractIdFor(csvName: string): string {
  return `contract:${csvName.replace(/\.csv$/, '')}`;
}

async function describeExtract(path: string, url: string, schemas: SchemaDoc[]): Promise<Dataset> {
  const name = baseName(path);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Bundled sample ${name} could not be read (HTTP ${response.status}).`);
  const blob = await response.blob();
  const prefix = new Uint8Array(await blob.slice(0, HEADER_PREFIX_BYTES).arrayBuffer());
  const sniff = sniffHeader(prefix);
  const contract = contractIdFor(name);
  return {
    id: `sample:${name}`,
    name,
    kind: 'csv',
    bytes: blob.size,
    columns: sniff.columns,
    encoding: sniff.encoding,
    delimiter: sniff.delimiter,
    origin: { type: 'sample', path: `samples/legacy/${name}` },
    ...(schemas.some((s) => s.id === contract) ? { contract } : {}),
  };
}

/**
 * The demo's settings: the role owners of samples/roleOwners.ts, the readiness records of
 * samples/readiness.ts (every gate at its default) and the data dictionary of
 * samples/dataDictionary.ts. Opened on `today` (YYYY-MM-DD or a timestamp), every date in them
 * moves so go-live is two to three weeks ahead (samples/demoDates.ts): a fresh demo reads as a
 * plan. Without `today`, as written, as the demo project file keeps them.
 */
export function demoSettings(today?: string): Record<string, unknown> {
  const written = withDemoDataDictionary(withDemoReadiness(withRoleOwners({}, DEMO_ROLE_OWNERS)));
  return today === undefined ? written : movedDates(written, demoShiftDays(demoGoLiveFor(today)));
}

/**
 * Creates the demo clinic project (new id each time, so it can be re-created after a wipe), its
 * go-live planned two to three weeks after `now`.
 */
export async function createDemoProject(now: string): Promise<Project> {
  const schemas: SchemaDoc[] = Object.entries(contractFiles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, schema]) => {
      const file = baseName(path);
      return {
        id: contractIdFor(file.replace(/\.contract\.json$/, '.csv')),
        name: typeof schema.title === 'string' ? schema.title : file,
        schema,
      };
    });
  const datasets = await Promise.all(
    SAMPLE_EXTRACTS.map((sample) => describeExtract(sample.path, sample.url, schemas)),
  );
  return {
    meta: {
      id: newId(),
      name: DEMO_PROJECT_NAME,
      createdAt: now,
      updatedAt: now,
      settings: demoSettings(now),
    },
    workflows: loadAll(workflowFiles, loadWorkflow),
    mappings: loadAll(mappingFiles, loadMapping),
    samplePlans: loadAll(planFiles, loadSamplePlan),
    reports: [],
    datasets,
    schemas,
  };
}
