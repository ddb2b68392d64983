/**
 * Every bundled sample loads through the format loaders the app uses, and the samples agree with
 * each other and with samples/README.md: contracts against the CSVs, the sample plan's strata
 * against what the contract flags, the mapping's columns against the header, and the planted
 * workflow bottlenecks where the README says they are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadMapping } from '../src/formats/mapping.ts';
import { loadAny } from '../src/formats/registry.ts';
import { loadSamplePlan } from '../src/formats/samplePlan.ts';
import { checkWorkflowAgainstBaseline, loadWorkflow, type Workflow } from '../src/formats/workflow.ts';
import { decodeWindows1252, PATIENT_COLUMNS } from './tools/generateLegacy.ts';

const SAMPLES_DIR = dirname(fileURLToPath(import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(SAMPLES_DIR, path), 'utf8'));
const jsonFiles = (folder: string) =>
  readdirSync(join(SAMPLES_DIR, folder))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => `${folder}/${name}`);

const WORKFLOW_FILES = jsonFiles('workflows');
const MAPPING_FILES = jsonFiles('mappings');
const PLAN_FILES = jsonFiles('plans');
const CONTRACT_FILES = jsonFiles('contracts');

/** Current steps the intake future deliberately leaves untraced (README: `untraced-current-step`). */
const UNTRACED = {
  'patient-intake': ['copy-insurance-card', 'fax-referral'],
  'lab-results': [],
  'referral-processing': [],
  'prescription-refill': [],
} as const;

function loadedWorkflow(path: string): Workflow {
  const result = loadWorkflow(readJson(path));
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.problems)}`);
  return result.value;
}

type Row = Record<string, string>;
/** A CSV row as the column contract sees it: header → cell, empty cells absent. */
function contractRows(text: string, delimiter: string): Row[] {
  const parsed = Papa.parse<Row>(text, { header: true, delimiter, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data.map((row) => Object.fromEntries(Object.entries(row).filter(([, cell]) => cell !== '')));
}

describe('sample files load through the format loaders', () => {
  it('finds the expected files', () => {
    expect(WORKFLOW_FILES).toEqual([
      'workflows/lab-results.current.json',
      'workflows/lab-results.future.json',
      'workflows/patient-intake.current.json',
      'workflows/patient-intake.future.json',
      'workflows/prescription-refill.current.json',
      'workflows/prescription-refill.future.json',
      'workflows/referral-processing.current.json',
      'workflows/referral-processing.future.json',
    ]);
    expect(MAPPING_FILES).toEqual(['mappings/patients-to-fhir-patient.json']);
    expect(PLAN_FILES).toEqual(['plans/patients-by-file.sampleplan.json', 'plans/patients.sampleplan.json']);
    expect(CONTRACT_FILES).toEqual([
      'contracts/encounters.contract.json',
      'contracts/patients.contract.json',
    ]);
  });

  it.each(WORKFLOW_FILES)('%s is a valid workflow', (path) => {
    expect(loadWorkflow(readJson(path))).toMatchObject({ ok: true });
  });

  it.each(MAPPING_FILES)('%s is a valid mapping', (path) => {
    expect(loadMapping(readJson(path))).toMatchObject({ ok: true });
  });

  it.each(PLAN_FILES)('%s is a valid sample plan', (path) => {
    expect(loadSamplePlan(readJson(path))).toMatchObject({ ok: true });
  });

  it.each([
    ...WORKFLOW_FILES.map((path) => [path, 'preflight.workflow/v1']),
    ...MAPPING_FILES.map((path) => [path, 'preflight.mapping/v1']),
    ...PLAN_FILES.map((path) => [path, 'preflight.sampleplan/v1']),
  ])('%s loads through loadAny as %s', (path, tag) => {
    const result = loadAny(readJson(path));
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.format?.tag).toBe(tag);
  });
});

describe('workflows', () => {
  const pairs = [
    ['patient-intake', 'workflows/patient-intake.current.json', 'workflows/patient-intake.future.json'],
    ['lab-results', 'workflows/lab-results.current.json', 'workflows/lab-results.future.json'],
    [
      'referral-processing',
      'workflows/referral-processing.current.json',
      'workflows/referral-processing.future.json',
    ],
    [
      'prescription-refill',
      'workflows/prescription-refill.current.json',
      'workflows/prescription-refill.future.json',
    ],
  ] as const;

  /** The clinic's staff (README): lanes of the same role have the same staff in every workflow. */
  const CLINIC_STAFF: Record<string, number> = {
    physician: 3,
    'medical-assistant': 2,
    'front-desk': 3,
    billing: 1,
    'practice-manager': 1,
  };
  it.each(WORKFLOW_FILES)('%s: staff numbers agree with the clinic, positions follow the grid', (path) => {
    const workflow = loadedWorkflow(path);
    for (const lane of workflow.lanes) {
      if (lane.id in CLINIC_STAFF) expect([lane.id, lane.staff]).toEqual([lane.id, CLINIC_STAFF[lane.id]]);
    }
    const laneIndex = new Map(workflow.lanes.map((lane, index) => [lane.id, index]));
    for (const step of workflow.steps) {
      expect(step.position?.y, step.id).toBe(40 + 160 * (laneIndex.get(step.lane) ?? -1));
      expect(((step.position?.x ?? 0) - 40) % 200, step.id).toBe(0);
    }
  });

  it.each(pairs)(
    '%s: future names its baseline and every reference resolves',
    (process, currentPath, futurePath) => {
      const current = loadedWorkflow(currentPath);
      const future = loadedWorkflow(futurePath);
      expect([current.process, future.process]).toEqual([process, process]);
      expect([current.state, future.state]).toEqual(['current', 'future']);
      expect(future.baseline).toBe(current.id);
      expect(checkWorkflowAgainstBaseline(future, current)).toEqual([]);
      for (const workflow of [current, future]) {
        expect(workflow.goLive).toEqual({ capacityFactor: 0.5, productivityFactor: 0.7 });
        expect(workflow.steps.every((step) => step.position !== undefined)).toBe(true);
      }
    },
  );

  it.each(pairs)(
    '%s: every current step is replaced or retired, except the planted untraced ones',
    (process, c, f) => {
      const current = loadedWorkflow(c);
      const future = loadedWorkflow(f);
      const traced = new Set([
        ...future.steps.flatMap((step) => step.replaces ?? []),
        ...(future.retired ?? []),
      ]);
      expect(current.steps.filter((step) => !traced.has(step.id)).map((step) => step.id)).toEqual([
        ...UNTRACED[process],
      ]);
    },
  );

  it('patient-intake future carries the planted bottlenecks the README lists', () => {
    const current = loadedWorkflow('workflows/patient-intake.current.json');
    const future = loadedWorkflow('workflows/patient-intake.future.json');
    const step = (workflow: Workflow, id: string) => {
      const found = workflow.steps.find((s) => s.id === id);
      if (!found) throw new Error(`no step ${id} in ${workflow.id}`);
      return found;
    };
    const next = (workflow: Workflow, id: string) =>
      workflow.flows.filter((f) => f.from === id).map((f) => f.to);

    // digitized-paper-step / carried-over-wait: an approval rebuilt as an e-form that keeps most of its wait
    const eform = step(future, 'manager-approves-selfpay-eform');
    const paper = step(current, 'manager-approves-selfpay');
    expect([paper.medium, paper.kind, eform.kind, eform.replaces]).toEqual([
      'paper',
      'approval',
      'approval',
      ['manager-approves-selfpay'],
    ]);
    expect(eform.waitMin / paper.waitMin).toBeGreaterThanOrEqual(0.5);
    // serial-approval
    expect(next(future, 'manager-approves-selfpay-eform')).toEqual(['billing-lead-approves-discount']);
    expect(step(future, 'billing-lead-approves-discount').kind).toBe('approval');
    // duplicate-entry / manual-transcription: allergies in the portal and again by the MA
    for (const id of ['portal-preregistration', 'ma-allergy-med-entry']) {
      expect(step(future, id).enters).toEqual(expect.arrayContaining(['allergies', 'medications']));
    }
    expect(step(future, 'portal-preregistration').system).not.toBe(
      step(future, 'ma-allergy-med-entry').system,
    );
    // print-scan-loop: digital → paper → paper → digital
    expect(
      ['check-in-desk', 'print-consent', 'sign-consent-paper', 'scan-consent'].map(
        (id) => step(future, id).medium,
      ),
    ).toEqual(['digital', 'paper', 'paper', 'digital']);
    // click-burden
    expect(step(future, 'checkout').clicks).toBeGreaterThan(50);
    // no-op-decision: both branches end at the physician visit, the detour enters nothing
    expect(next(future, 'attest-fall-risk').sort()).toEqual(['dismiss-fall-risk-alert', 'physician-visit']);
    expect(next(future, 'dismiss-fall-risk-alert')).toEqual(['physician-visit']);
    expect(step(future, 'dismiss-fall-risk-alert').enters).toEqual([]);
    // genuine improvements next to them
    expect(step(future, 'vitals-device').replaces).toEqual(['vitals-on-paper', 'type-vitals']);
    expect(future.flows.find((f) => f.from === 'vitals-device')?.transfer).toBe('electronic');
  });

  it('lab-results future leaves the result unacknowledged on the auto-file path only', () => {
    const future = loadedWorkflow('workflows/lab-results.future.json');
    const targets = (id: string) => future.flows.filter((f) => f.from === id).map((f) => f.to);
    const acknowledges = (id: string) =>
      future.steps.find((s) => s.id === id)?.enters.includes('result.acknowledged');
    // every path from the decision, collecting whether it passes an acknowledgement
    const paths = (id: string, acked: boolean): boolean[] => {
      const now = acked || !!acknowledges(id);
      const out = targets(id);
      return out.length === 0 ? [now] : out.flatMap((to) => paths(to, now));
    };
    expect(paths('cpoe-lab-order', false).sort()).toEqual([false, true]);
  });
});

describe('column contracts against the legacy extracts', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const patientsContract = readJson('contracts/patients.contract.json') as Record<string, unknown>;
  const encountersContract = readJson('contracts/encounters.contract.json') as Record<string, unknown>;
  const validatePatient = ajv.compile(patientsContract);
  const validateEncounter = ajv.compile(encountersContract);
  const patients = contractRows(readFileSync(join(SAMPLES_DIR, 'legacy/patients.csv'), 'utf8'), ',');
  const encounters = contractRows(
    decodeWindows1252(readFileSync(join(SAMPLES_DIR, 'legacy/encounters.csv'))),
    ';',
  );

  it('have ids, and a title and description for every column', () => {
    expect(patientsContract.$id).toBe('urn:preflight:sample:patients-contract');
    expect(encountersContract.$id).toBe('urn:preflight:sample:encounters-contract');
    for (const contract of [patientsContract, encountersContract]) {
      for (const column of Object.values(contract.properties as Record<string, Record<string, unknown>>)) {
        expect(typeof column.title).toBe('string');
        expect(typeof column.description).toBe('string');
      }
    }
    expect(Object.keys(patientsContract.properties as object)).toEqual([...PATIENT_COLUMNS]);
  });

  it('flag exactly the README counts: 238 patient rows, 25 encounter rows', () => {
    expect(patients.filter((row) => !validatePatient(row))).toHaveLength(238);
    expect(encounters.filter((row) => !validateEncounter(row))).toHaveLength(25);
  });

  it('agree with the sample plan: flagged = contract errors ∪ duplicate mrn', () => {
    const plan = loadSamplePlan(readJson('plans/patients.sampleplan.json'));
    if (!plan.ok) throw new Error('plan does not load');
    const mrnCount = new Map<string, number>();
    for (const row of patients) mrnCount.set(row.mrn ?? '', (mrnCount.get(row.mrn ?? '') ?? 0) + 1);
    const flagged = patients.filter((row) => !validatePatient(row) || (mrnCount.get(row.mrn ?? '') ?? 0) > 1);
    const sizes = Object.fromEntries(plan.value.population.strata.map((s) => [s.id, s.size]));
    expect(sizes).toEqual({ clean: patients.length - flagged.length, flagged: flagged.length });
    expect(flagged).toHaveLength(262);
  });

  it('the target-schema mapping (targets/) loads, reads only columns of patients.csv and names its schema beside it', () => {
    expect(jsonFiles('targets')).toEqual([
      'targets/patients-to-target-patient.json',
      'targets/target-patient.schema.json',
    ]);
    const mapping = loadMapping(readJson('targets/patients-to-target-patient.json'));
    if (!mapping.ok) throw new Error('mapping does not load');
    expect(mapping.value.target).toEqual({ type: 'schema', schema: 'target-patient.schema.json' });
    for (const column of [...mapping.value.fields.flatMap((f) => f.from ?? []), mapping.value.key].flat())
      expect(PATIENT_COLUMNS).toContain(column);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    expect(() => ajv.compile(readJson('targets/target-patient.schema.json') as object)).not.toThrow();
  });

  it('the mapping reads only columns of patients.csv', () => {
    const mapping = loadMapping(readJson('mappings/patients-to-fhir-patient.json'));
    if (!mapping.ok) throw new Error('mapping does not load');
    const sources = mapping.value.fields.flatMap((field) => field.from ?? []);
    const keys = [mapping.value.key].flat();
    for (const column of [...sources, ...keys]) expect(PATIENT_COLUMNS).toContain(column);
  });
});
