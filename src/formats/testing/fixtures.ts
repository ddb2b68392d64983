/**
 * Small valid documents of every format, for tests (the one fixture module of formats, storage,
 * the CLI and the project reducer). Each call returns a fresh deep copy, so a test may mutate it
 * to build an invalid case. Test-only: nothing in the app imports this file. Content is invented
 * — no real patient or clinic data.
 *
 * Two sets: the named documents below (a realistic intake project, `project()`), and the
 * `fixture*` builders further down, which take the ids a test needs.
 */
import { MAPPING_FORMAT, type Mapping } from '../mapping.ts';
import {
  createProjectFile,
  type Dataset,
  type Project,
  type ProjectFile,
  type ProjectReport,
  type SchemaDoc,
} from '../project.ts';
import { REPORT_FORMAT, type Report } from '../report.ts';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../samplePlan.ts';
import { WORKFLOW_FORMAT, type Workflow } from '../workflow.ts';

export function currentWorkflow(): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id: 'intake-current',
    name: 'Patient intake (current)',
    process: 'patient-intake',
    state: 'current',
    arrivalsPerHour: 6,
    lanes: [
      { id: 'desk', name: 'Front desk', staff: 2 },
      { id: 'nurse', name: 'Nurse', staff: 1 },
    ],
    steps: [
      {
        id: 'arrive',
        label: 'Patient arrives',
        lane: 'desk',
        kind: 'start',
        medium: 'verbal',
        system: 'None',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
      {
        id: 'form',
        label: 'Paper intake form',
        lane: 'desk',
        kind: 'task',
        medium: 'paper',
        system: 'Paper chart',
        touchMin: 4,
        waitMin: 2,
        clicks: 0,
        enters: ['allergies'],
      },
      {
        id: 'insured',
        label: 'Insurance on file?',
        lane: 'desk',
        kind: 'decision',
        medium: 'digital',
        system: 'PM system',
        touchMin: 1,
        waitMin: 0,
        clicks: 3,
        enters: [],
      },
      {
        id: 'scan-card',
        label: 'Scan insurance card',
        lane: 'desk',
        kind: 'task',
        medium: 'paper',
        system: 'Scanner',
        touchMin: 2,
        waitMin: 0,
        clicks: 5,
        enters: ['insurance.member_id'],
      },
      {
        id: 'vitals',
        label: 'Take vitals',
        lane: 'nurse',
        kind: 'task',
        medium: 'paper',
        system: 'Paper chart',
        touchMin: 5,
        waitMin: 0,
        clicks: 0,
        enters: ['vitals'],
      },
      {
        id: 'roomed',
        label: 'Patient roomed',
        lane: 'nurse',
        kind: 'end',
        medium: 'verbal',
        system: 'None',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
    ],
    flows: [
      { from: 'arrive', to: 'form', transfer: 'none' },
      { from: 'form', to: 'insured', transfer: 'paper' },
      { from: 'insured', to: 'scan-card', probability: 0.3, transfer: 'none' },
      { from: 'insured', to: 'vitals', probability: 0.7, transfer: 'paper' },
      { from: 'scan-card', to: 'vitals', transfer: 'paper' },
      { from: 'vitals', to: 'roomed', transfer: 'none' },
    ],
    goLive: { capacityFactor: 0.5, productivityFactor: 0.7 },
  };
}

export function futureWorkflow(): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id: 'intake-future',
    name: 'Patient intake (future)',
    process: 'patient-intake',
    state: 'future',
    baseline: 'intake-current',
    arrivalsPerHour: 6,
    lanes: [
      { id: 'desk', name: 'Front desk', staff: 2 },
      { id: 'nurse', name: 'Nurse', staff: 1 },
      { id: 'patient', name: 'Patient', staff: 0 },
    ],
    steps: [
      {
        id: 'arrive',
        label: 'Patient arrives',
        lane: 'desk',
        kind: 'start',
        medium: 'verbal',
        system: 'None',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
        replaces: ['arrive'],
      },
      {
        id: 'kiosk',
        label: 'Kiosk check-in',
        lane: 'patient',
        kind: 'task',
        medium: 'digital',
        system: 'Kiosk',
        touchMin: 3,
        waitMin: 0,
        clicks: 12,
        enters: ['allergies', 'insurance.member_id'],
        replaces: ['form', 'insured', 'scan-card'],
      },
      {
        id: 'vitals',
        label: 'Vitals from device',
        lane: 'nurse',
        kind: 'task',
        medium: 'digital',
        system: 'EHR',
        touchMin: 3,
        waitMin: 0,
        clicks: 4,
        enters: [],
        replaces: ['vitals'],
        position: { x: 10, y: 20 },
      },
      {
        id: 'roomed',
        label: 'Patient roomed',
        lane: 'nurse',
        kind: 'end',
        medium: 'digital',
        system: 'EHR',
        touchMin: 0,
        waitMin: 0,
        clicks: 1,
        enters: [],
        replaces: ['roomed'],
      },
    ],
    flows: [
      { from: 'arrive', to: 'kiosk', transfer: 'none' },
      { from: 'kiosk', to: 'vitals', transfer: 'electronic' },
      { from: 'vitals', to: 'roomed', transfer: 'none' },
    ],
    retired: [],
  };
}

export function mapping(): Mapping {
  return {
    format: MAPPING_FORMAT,
    id: 'patients-to-patient',
    name: 'patients.csv to FHIR Patient',
    version: 2,
    source: 'patients.csv',
    target: { type: 'fhir', resourceType: 'Patient' },
    key: 'mrn',
    fields: [
      { target: 'identifier[0].value', from: 'mrn', transform: [{ op: 'trim' }], required: true },
      { target: 'active', const: true },
      {
        target: 'name[0].text',
        from: ['first', 'last'],
        transform: [
          { op: 'concat', separator: ' ' },
          { op: 'case', to: 'title' },
        ],
      },
      {
        target: 'birthDate',
        from: 'dob',
        transform: [{ op: 'date', formats: ['MM/DD/YYYY', 'YYYY-MM-DD'], output: 'date' }],
      },
      {
        target: 'gender',
        from: 'sex',
        transform: [{ op: 'codeMap', map: { M: 'male', F: 'female' }, default: null, caseSensitive: false }],
      },
      { target: 'extension[0].valueDecimal', from: 'weight', transform: [{ op: 'number', decimal: ',' }] },
      {
        target: 'deceasedBoolean',
        from: 'deceased',
        transform: [{ op: 'boolean', true: ['Y'], false: ['N', ''] }],
      },
      {
        target: 'address[0].postalCode',
        from: 'zip',
        transform: [{ op: 'split', separator: '-', index: 0 }],
      },
      {
        target: 'telecom[0].value',
        from: 'phone',
        transform: [{ op: 'regexReplace', pattern: '[^0-9]', flags: 'g', replacement: '' }],
      },
    ],
  };
}

export function report(): Report {
  return {
    format: REPORT_FORMAT,
    generatedAt: '2025-03-01T09:30:00Z',
    tool: { name: 'preflight', version: '0.1.0' },
    inputs: [
      {
        name: 'patients.csv',
        kind: 'csv',
        bytes: 1200,
        sha256: 'a'.repeat(64),
        encoding: 'utf-8',
        delimiter: ',',
        records: 10,
      },
    ],
    target: { type: 'fhir', resourceType: 'Patient' },
    mapping: { id: 'patients-to-patient', version: 2 },
    summary: { records: 10, valid: 8, invalid: 2, errors: 3, warnings: 1 },
    issues: [
      {
        rule: 'required',
        severity: 'error',
        code: 'required',
        location: 'Patient.birthDate',
        message: 'birth date is missing',
        count: 2,
        examples: [{ input: 'patients.csv', row: 3, column: 'dob', value: '' }],
      },
    ],
    profiles: [
      {
        input: 'patients.csv',
        column: 'dob',
        count: 10,
        empty: 2,
        distinct: 8,
        kinds: { 'date:MM/DD/YYYY': 8 },
        top: [{ value: '01/02/1980', count: 1 }],
        min: '01/02/1980',
        max: 12,
      },
    ],
    crossFile: {
      duplicateKeys: [{ input: 'patients.csv', key: 'MRN-1', count: 2, rows: [1, 5] }],
      orphanReferences: [
        { input: 'encounters.csv', column: 'mrn', target: 'patients.csv', count: 1, examples: [{ row: 4 }] },
      ],
    },
    timings: { startedAt: '2025-03-01T09:29:58.120+01:00', totalMs: 1880, parseMs: 400, phase: 'done' },
  };
}

export function samplePlan(): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id: 'plan-1',
    name: 'Patients sign-off',
    population: {
      dataset: 'patients',
      stratifyBy: 'file',
      strata: [
        { id: 'patients', label: 'patients.csv', size: 5000 },
        { id: 'flagged', label: 'Flagged by validation', size: 40, flagged: true, census: true },
      ],
    },
    targetErrorRate: 0.02,
    confidence: 0.95,
    acceptanceNumber: 0,
    minorTargetErrorRate: 0.05,
    seed: '9f2c',
    dualReview: false,
    createdAt: '2025-03-01T10:00:00Z',
  };
}

export function project(): Project {
  return {
    meta: {
      id: 'project-1',
      name: 'Maple Street',
      createdAt: '2025-02-01T08:00:00Z',
      updatedAt: '2025-03-01T08:00:00Z',
      settings: { clickBudget: 10, severities: { 'click-burden': 'warning' } },
    },
    workflows: [currentWorkflow(), futureWorkflow()],
    mappings: [mapping()],
    samplePlans: [samplePlan()],
    reports: [{ ...report(), id: 'validation-1' }],
    datasets: [
      {
        id: 'patients',
        name: 'patients.csv',
        kind: 'csv',
        bytes: 1200,
        columns: ['mrn', 'dob'],
        origin: { type: 'sample', path: 'samples/legacy/patients.csv' },
        contract: 'patients-contract',
      },
      {
        id: 'fhir',
        name: 'export.ndjson',
        kind: 'ndjson',
        bytes: 99,
        origin: { type: 'file', lastModified: 1740000000000 },
      },
    ],
    schemas: [
      { id: 'patients-contract', name: 'patients contract', schema: { type: 'object', required: ['mrn'] } },
    ],
  };
}

export function projectFile(): ProjectFile {
  return createProjectFile(project(), { now: '2025-03-02T12:00:00Z', appVersion: '0.1.0' });
}

/** The item at `index`, failing the test when there is none (instead of a non-null assertion). */
export function nth<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`test fixture has no item ${index}`);
  return item;
}

// ---- builders with test-chosen ids ---------------------------------------------------------

/** Fixed clock value used by the fixtures. */
export const FIXTURE_NOW = '2025-01-02T03:04:05.000Z';

/** A minimal valid current-state workflow: start → task → end. */
export function fixtureWorkflow(id: string, name = `Workflow ${id}`): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id,
    name,
    state: 'current',
    arrivalsPerHour: 6,
    lanes: [{ id: 'front', name: 'Front desk', staff: 2 }],
    steps: [
      {
        id: 's',
        label: 'Arrive',
        lane: 'front',
        kind: 'start',
        medium: 'verbal',
        system: '',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
      {
        id: 't',
        label: 'Check in',
        lane: 'front',
        kind: 'task',
        medium: 'paper',
        system: 'Paper chart',
        touchMin: 4,
        waitMin: 2,
        clicks: 0,
        enters: ['demographics'],
      },
      {
        id: 'e',
        label: 'Done',
        lane: 'front',
        kind: 'end',
        medium: 'digital',
        system: 'EHR',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
    ],
    flows: [
      { from: 's', to: 't', transfer: 'none' },
      { from: 't', to: 'e', transfer: 'paper' },
    ],
  };
}

/** A minimal valid dataset description. */
export function fixtureDataset(id: string): Dataset {
  return {
    id,
    name: `${id}.csv`,
    kind: 'csv',
    bytes: 1234,
    columns: ['mrn', 'dob'],
    origin: { type: 'file' },
  };
}

/** A minimal valid mapping. */
export function fixtureMapping(id: string): Mapping {
  return {
    format: MAPPING_FORMAT,
    id,
    name: `Mapping ${id}`,
    version: 1,
    source: 'patients.csv',
    target: { type: 'fhir', resourceType: 'Patient' },
    key: 'mrn',
    fields: [{ target: 'birthDate', from: 'dob', transform: [{ op: 'date', formats: ['MM/DD/YYYY'] }] }],
  };
}

/** A minimal valid sample plan. */
export function fixtureSamplePlan(id: string): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id,
    name: `Plan ${id}`,
    population: { dataset: 'patients', stratifyBy: 'file', strata: [{ id: 'all', label: 'All', size: 200 }] },
    targetErrorRate: 0.02,
    confidence: 0.95,
    acceptanceNumber: 0,
    seed: '42',
    createdAt: FIXTURE_NOW,
  };
}

/** A minimal valid report of a project, with its id (every report in a project has one). */
export function fixtureReport(id: string, generatedAt = '2025-01-01T00:00:00.000Z'): ProjectReport {
  return {
    format: REPORT_FORMAT,
    id,
    generatedAt,
    tool: { name: 'preflight', version: '0.1.0' },
    inputs: [{ name: 'patients.csv', kind: 'csv', records: 3 }],
    summary: { records: 3, valid: 2, invalid: 1, errors: 1, warnings: 0 },
    issues: [
      {
        rule: 'required',
        severity: 'error',
        location: 'dob',
        count: 1,
        examples: [{ row: 2, column: 'dob' }],
      },
    ],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    timings: { startedAt: generatedAt, totalMs: 12 },
  };
}

/** A minimal valid schema document. */
export function fixtureSchema(id: string): SchemaDoc {
  return { id, name: `Schema ${id}`, schema: { type: 'object', required: ['mrn'] } };
}

/** A project holding one document of every kind (ids `w1` and `w2`, `d1`, `m1`, `p1`, `r1`, `s1`). */
export function fixtureProject(id = 'project-1', name = 'Northside clinic'): Project {
  return {
    meta: { id, name, createdAt: FIXTURE_NOW, updatedAt: FIXTURE_NOW, settings: {} },
    workflows: [fixtureWorkflow('w1'), fixtureWorkflow('w2')],
    datasets: [fixtureDataset('d1')],
    mappings: [fixtureMapping('m1')],
    samplePlans: [fixtureSamplePlan('p1')],
    reports: [fixtureReport('r1')],
    schemas: [fixtureSchema('s1')],
  };
}
