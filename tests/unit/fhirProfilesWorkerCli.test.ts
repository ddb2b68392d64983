/**
 * Browser = CLI for implementation guide packages: the IPS package's examples (and a resource that
 * breaks a profile, and a profile applied to every Patient) validated through the path the
 * Migration screen takes (fhirValidateClient → pool → comlink → fhirValidateApi, the Worker faked,
 * the package's `.tgz` bytes handed over as a Blob) give the same issues, summary and package
 * fields as `preflight validate --fhir --ig … --json` for the same files, and byte for byte the
 * same OperationOutcomes as `--outcomes` (NDJSON and Bundle): the screen's download is the CLI's file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import {
  createFhirSession,
  FHIR_LAYERS,
  generatedModules,
  type OutcomesFormat,
} from '../../src/core/fhir/index.ts';
import type { Report } from '../../src/formats/report.ts';
import {
  createFhirValidateApi,
  type FhirValidateRequest,
  type FhirValidateWorkerApi,
} from '../../workers/fhirValidateApi.ts';
import { fhirOutcomesInPool, validateFhirInPool } from '../../workers/fhirValidateClient.ts';
import { createWorkerPool, type WorkerPool } from '../../workers/pool.ts';
import { FakeWorker } from '../../workers/testing/fakeWorker.ts';
import { IPS_TGZ, ipsExamples } from '../fixtures/ipsPackage.ts';

const PATIENT_PROFILE = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';

let dir: string;
const baseSession = createFhirSession(generatedModules);
const files = new Map<string, string>();
let pools: WorkerPool<FhirValidateWorkerApi>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-ig-browser-cli-'));
  const examples = await ipsExamples();
  for (const e of examples) files.set(e.name, JSON.stringify(e.resource));
  const flag = examples.find((e) => e.name === 'Flag-546482.json')?.resource as Record<string, unknown>;
  files.set('broken-flag.json', JSON.stringify({ ...flag, status: 'inactive' }));
  const patient = { resourceType: 'Patient', name: [{ family: 'Doe' }], birthDate: '1970-01-01' };
  const { birthDate: _b, ...noBirthDate } = patient;
  files.set(
    'patients.ndjson',
    `${JSON.stringify({ ...patient, id: 'a' })}\n${JSON.stringify({ ...noBirthDate, id: 'b' })}\n`,
  );
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const p of pools) p.destroy();
  pools = [];
});

async function cliReport(names: string[], profiles: string[]): Promise<Report> {
  const out: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: () => {}, cwd: dir };
  const args = ['validate', '--fhir', '--ig', IPS_TGZ, ...profiles.flatMap((p) => ['--profile', p])];
  await main([...args, ...names, '--json'], io);
  return JSON.parse(out.join('\n')) as Report;
}

function fakePool(): WorkerPool<FhirValidateWorkerApi> {
  const pool = createWorkerPool<FhirValidateWorkerApi>({
    name: 'fhir-validate',
    size: 1,
    create: () => new FakeWorker(createFhirValidateApi()),
  });
  pools.push(pool);
  return pool;
}

async function browserRequest(names: string[], profiles: string[]): Promise<FhirValidateRequest> {
  return {
    toolVersion: 'test',
    layers: [...FHIR_LAYERS],
    inputs: names.map((name) => ({ name, file: new Blob([files.get(name) as string]) })),
    packages: [{ name: 'hl7.fhir.uv.ips-2.0.0.tgz', file: new Blob([await readFile(IPS_TGZ)]) }],
    profiles,
  };
}

async function browserReport(names: string[], profiles: string[]): Promise<Report> {
  const outcome = await validateFhirInPool(fakePool(), await browserRequest(names, profiles));
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.report;
}

async function cliOutcomes(names: string[], profiles: string[], format: OutcomesFormat): Promise<string> {
  const file = path.join(dir, `outcomes-${format}`);
  const io = { stdout: () => {}, stderr: () => {}, cwd: dir };
  const args = ['fhir', 'validate', '--ig', IPS_TGZ, ...profiles.flatMap((p) => ['--profile', p])];
  await main([...args, ...names, '--outcomes', file, '--outcomes-format', format], io);
  return readFile(file, 'utf8');
}

async function browserOutcomes(names: string[], profiles: string[], format: OutcomesFormat): Promise<string> {
  const made = await fhirOutcomesInPool(fakePool(), await browserRequest(names, profiles), format);
  if (!made.ok) throw new Error(made.problem.message);
  return made.blob.text();
}

/** What both must agree on: every issue (with its examples), the counts and the packages used. */
const compared = (r: Report) => ({ issues: r.issues, summary: r.summary, target: r.target });

describe('implementation guide packages: the browser worker gives the CLI report', () => {
  it.each([
    {
      name: 'the 44 IPS examples and a Flag that breaks its profile',
      pick: () => [...files.keys()].filter((n) => n.endsWith('.json')),
      profiles: [],
    },
    {
      name: 'a profile chosen for every Patient of an NDJSON export',
      pick: () => ['patients.ndjson'],
      profiles: [PATIENT_PROFILE],
    },
  ])('$name', async ({ pick, profiles }) => {
    const names = pick();
    const [cli, browser] = await Promise.all([cliReport(names, profiles), browserReport(names, profiles)]);
    expect(compared(browser)).toEqual(compared(cli));
    // the comparison is about something: the profile's own findings are in both
    expect(cli.issues.some((i) => i.severity === 'error' && i.rule.startsWith('fhir-profile-'))).toBe(true);
    expect(cli.target).toMatchObject({ packages: [{ name: 'hl7.fhir.uv.ips', version: '2.0.0' }] });
    for (const format of ['ndjson', 'bundle'] as const) {
      const [fromCli, fromBrowser] = await Promise.all([
        cliOutcomes(names, profiles, format),
        browserOutcomes(names, profiles, format),
      ]);
      expect(fromBrowser).toBe(fromCli);
      // about something: a profile's error with its place and its profile named
      expect(fromCli).toMatch(/operationoutcome-issue-line/);
      // and valid FHIR R4 by Preflight's own validator
      if (format === 'bundle')
        expect((await (await baseSession).validate(JSON.parse(fromCli))).issues).toEqual([]);
      expect(fromCli).toMatch(
        /"severity":"error".*"diagnostics":"rule fhir-profile-[^;"]*; profile http:\/\/hl7\.org\/fhir\/uv\/ips\//,
      );
    }
  });
});
