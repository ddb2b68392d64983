import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import {
  chosenRun,
  type ListedFile,
  linksOf,
  listedFile,
  savedMappingSpec,
} from '../../src/core/validation/index.ts';
import { createProjectFile, loadProjectFile, type Project } from '../../src/formats/project.ts';
import type { Report } from '../../src/formats/report.ts';
import { createValidateApi } from '../../workers/validateApi.ts';
import { runValidation } from '../../workers/validateRun.ts';

// Browser = CLI: a drop of renamed files checked as a project's saved check sets gives the same
// report on the Migration screen (the request CheckExtracts.tsx builds with the core's steps, run
// by workers/validateRun.ts with the worker API called directly) and from
// `preflight validate --project` on the exported project.

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

let dir: string;
let project: Project;
const DROP = ['pts-2026-11.csv', 'enc-2026-11.csv'];
/** An extension the specification does not define (not an example.org address, which is never reported). */
const ALLERGY_NOTE = 'http://maple-street-clinic.test/fhir/ext/allergy-note';

async function firstRows(sample: string, rows: number): Promise<Buffer> {
  const bytes = await readFile(path.join(ROOT, 'samples/legacy', sample));
  let end = 0;
  for (let lines = 0; lines <= rows; lines++) end = bytes.indexOf(0x0a, end) + 1;
  return bytes.subarray(0, end);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-checksets-cli-'));
  const loaded = loadProjectFile(
    JSON.parse(await readFile(path.join(ROOT, 'samples/projects/demo-clinic.preflight.json'), 'utf8')),
  );
  if (!loaded.ok) throw new Error('the demo project does not load');
  // the key and link a data lead chose in the app, saved with each check set; the patients'
  // mapping writes an extension of the clinic's own, and the project counts unknown extensions as
  // warnings with the invariants switched off (not the defaults)
  const demo = loaded.value.project;
  project = {
    ...demo,
    meta: {
      ...demo.meta,
      settings: { ...demo.meta.settings, fhirChecks: { off: ['invariants'], unknownExtensions: 'warning' } },
    },
    mappings: demo.mappings.map((m) =>
      m.id === 'patients-to-fhir-patient'
        ? {
            ...m,
            fields: [
              ...m.fields,
              { target: 'extension[0].url', const: ALLERGY_NOTE },
              { target: 'extension[0].valueString', from: 'allergies', transform: [{ op: 'trim' }] },
            ],
          }
        : m,
    ),
    datasets: demo.datasets.map((d) =>
      d.id === 'sample:patients.csv'
        ? { ...d, key: 'patient_id', references: [], mapping: 'patients-to-fhir-patient' }
        : {
            ...d,
            key: 'encounter_id',
            references: [{ column: 'patient_id', target: 'sample:patients.csv', targetColumn: 'patient_id' }],
          },
    ),
  };
  const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: VERSION });
  await writeFile(path.join(dir, 'clinic.preflight.json'), JSON.stringify(file));
  await writeFile(path.join(dir, DROP[0] as string), await firstRows('patients.csv', 400));
  await writeFile(path.join(dir, DROP[1] as string), await firstRows('encounters.csv', 900));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * The run the Migration screen makes of the drop, through the core's steps CheckExtracts.tsx
 * calls: each file listed and bound by header (`listedFile`), the run of the files as listed
 * (`chosenRun`), its plan made in workers/validateRun.ts with the project (`planChosen`).
 */
async function screenReport(): Promise<Report> {
  const api = createValidateApi();
  const listed: ListedFile[] = [];
  const blobs = new Map<string, Blob>();
  for (const name of DROP) {
    const file = new Blob([await readFile(path.join(dir, name))]);
    blobs.set(name, file);
    const sniffed = await api.sniff(file, name);
    if (!sniffed.ok) throw new Error(sniffed.problem.message);
    const bound = await listedFile(name, name, sniffed, {
      project,
      contracts: project.schemas,
      readAgain: async (wanted) => {
        const again = await api.sniff(file, name, wanted);
        return again.ok ? again : undefined;
      },
    });
    if (!bound.file.checkSet) throw new Error(`${name} is bound to no check set`);
    listed.push(bound.file);
  }
  const chosen = chosenRun(listed, linksOf(listed, project), {
    project,
    contracts: project.schemas,
    now: new Date(),
  });
  let n = 0;
  const outcome = await runValidation(
    {
      toolVersion: VERSION,
      links: chosen.links,
      project,
      headers: chosen.headers,
      inputs: chosen.inputs.map((input) => {
        // the saved mapping as CheckExtracts.tsx sends it (mappedSpec), with the project's FHIR checks
        const mapping = savedMappingSpec(project, listed.find((l) => l.name === input.name)?.mapping);
        return { ...input, file: blobs.get(input.name) as Blob, ...(mapping ? { mapping } : {}) };
      }),
    },
    {
      filesAtOnce: 1,
      runFile: (task, onProgress) => api.validateFile(`file-${n++}`, task, onProgress),
      // the page's fingerprint of each file (a hash worker there): its SHA-256
      digest: async (file) =>
        createHash('sha256')
          .update(new Uint8Array(await file.arrayBuffer()))
          .digest('hex'),
    },
  );
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.report;
}

/** A report without what differs between two runs of the same files (times). */
function comparable(report: Report): unknown {
  const { generatedAt: _g, timings: _t, ...rest } = report;
  return rest;
}

describe('a drop checked as the saved check sets: screen and command line agree', () => {
  it('gives the same report JSON', async () => {
    const cli = await runCli(['validate', ...DROP, '--project', 'clinic.preflight.json', '--json'], dir);
    expect(cli.code).toBe(1);
    const fromCli = JSON.parse(cli.out) as Report;
    const fromScreen = await screenReport();
    expect(comparable(fromCli)).toEqual(comparable(fromScreen));
    // what uses each failing column, from the project's data dictionary, on both
    expect(fromCli.issues.some((i) => i.usedBy && i.usedBy.length > 0)).toBe(true);
    // the check sets' contracts, keys, link and the patients' saved mapping all ran
    expect(fromCli.issues.some((i) => i.rule.startsWith('mapping.'))).toBe(true);
    expect(fromCli.inputs.map((i) => i.dataset)).toEqual(['sample:patients.csv', 'sample:encounters.csv']);
    expect(fromCli.inputs.map((i) => i.schema)).toEqual([
      'urn:preflight:sample:patients-contract',
      'urn:preflight:sample:encounters-contract',
    ]);
    expect(fromCli.crossFile.orphanReferences.length).toBeGreaterThan(0);
    expect(fromCli.crossFile.conflictingRecords?.length ?? 0).toBe(0);
    // the mapped records were checked with the project's FHIR checks, not the defaults
    const unknown = fromCli.issues.filter((i) => i.rule === 'fhir-unknown-extension');
    expect(unknown.map((i) => i.severity)).toEqual(['warning']);
    expect(cli.err).toContain(
      'FHIR checks of clinic.preflight.json: switched off: invariants; unknown extensions as warnings',
    );
  });
});
