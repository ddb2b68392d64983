/**
 * Small valid documents of every format, for tests (the one fixture module of formats, storage,
 * the CLI and the project reducer). Each call returns a fresh deep copy, so a test may mutate it
 * to build an invalid case. Test-only: nothing in the app imports this file. Content is invented
 * — no real patient or clinic data.
 *
 * One set of builders, `fixture<Kind>(id?, …)`: each returns the same realistic document of the
 * patient-intake example (every transform, a redactable report, a future workflow replacing the
 * current one) under the id a test chooses, and `fixtureProject` assembles them with short ids
 * (`w1`, `w2`, `m1`, `p1`, `r1`, `d1`, `d2`, `s1`; the check of `w2`) that reference each other.
 */
import { canonicalSha256Hex } from '../../core/hash/index.ts';
import { GENESIS_HASH } from '../auditLog.ts';
import { MAPPING_FORMAT, type Mapping } from '../mapping.ts';
import {
  createProjectFile,
  type Dataset,
  type LogMap,
  type Project,
  type ProjectFile,
  type ProjectReport,
  type SchemaDoc,
  type WorkflowBackTest,
  type WorkflowCheck,
} from '../project.ts';
import {
  PROJECT_AUDIT_FORMAT,
  type ProjectAuditFile,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../projectAudit.ts';
import { REPORT_FORMAT } from '../report.ts';
import { type Decision, REVIEW_FORMAT, type Review } from '../review.ts';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../samplePlan.ts';
import { WORKFLOW_FORMAT, type Workflow } from '../workflow.ts';

/** Fixed clock value used by the fixtures. */
export const FIXTURE_NOW = '2025-01-02T03:04:05.000Z';

/** The current-state patient intake: paper form, insurance decision (0.3/0.7), vitals. */
export function fixtureWorkflow(id = 'w1', name = 'Patient intake (current)'): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id,
    name,
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

/** The future-state intake (kiosk, device vitals); its steps replace those of {@link fixtureWorkflow}. */
export function fixtureFutureWorkflow(id = 'w2', baseline = 'w1'): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id,
    name: 'Patient intake (future)',
    process: 'patient-intake',
    state: 'future',
    baseline,
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

/** patients.csv → FHIR Patient, with one field for every transform. */
export function fixtureMapping(id = 'm1'): Mapping {
  return {
    format: MAPPING_FORMAT,
    id,
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

/**
 * A validation report with values (examples, profile top/min/max, a duplicate key), as a project
 * holds it: with its id. A standalone report file may leave the id out (drop it to test that).
 */
export function fixtureReport(id = 'r1', generatedAt = '2025-03-01T09:30:00Z'): ProjectReport {
  return {
    format: REPORT_FORMAT,
    id,
    generatedAt,
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
    mapping: { id: 'm1', version: 2 },
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

/** A stratified sample plan with a flagged census stratum. */
export function fixtureSamplePlan(id = 'p1'): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id,
    name: 'Patients sign-off',
    population: {
      dataset: 'd1',
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

/** A plan hash for review fixtures (any 64 hex digits: fixtures are not locked plans). */
export const FIXTURE_PLAN_HASH = 'a'.repeat(64);

/** A dual review's three reviewers, one for each stage of a decision. */
export const FIXTURE_REVIEWERS = {
  first: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
  second: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
  adjudication: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
} as const;

/** A decision on record `key` of stratum `patients` of {@link fixtureReview}. */
export function fixtureDecision(
  id = 'dec1',
  key = 'MRN-1',
  outcome: Decision['outcome'] = 'accept',
): Decision {
  return {
    id,
    planHash: FIXTURE_PLAN_HASH,
    stratum: 'patients',
    recordKey: key,
    row: 1,
    file: 'patients.csv',
    reviewer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
    decidedAt: '2025-03-02T09:15:00+01:00',
    outcome,
    findings:
      outcome === 'reject' ? [{ field: 'birthDate', reason: 'wrong-value', defectClass: 'major' }] : [],
    mapping: { id: 'm1', version: 1 },
    shownSha256: 'b'.repeat(64),
  };
}

/** A review of plan `p1` with a drawn sample of three records and `decisions`. */
export function fixtureReview(id = 'rv1', decisions: Decision[] = []): Review {
  return {
    format: REVIEW_FORMAT,
    id,
    plan: { id: 'p1', hash: FIXTURE_PLAN_HASH },
    mapping: { id: 'm1', version: 1 },
    sample: {
      drawnAt: '2025-03-02T08:00:00Z',
      seed: '9f2c',
      inputs: [{ file: 'patients.csv', sha256: 'c'.repeat(64), bytes: 1200, rows: 3 }],
      strata: [
        {
          id: 'patients',
          census: false,
          population: 3,
          n: 3,
          records: [
            { file: 'patients.csv', row: 1, key: 'MRN-1' },
            { file: 'patients.csv', row: 2, key: 'MRN-2' },
            { file: 'patients.csv', row: 3, key: 'MRN-3' },
          ],
        },
      ],
    },
    decisions,
  };
}

/** A CSV extract's description (never its content), checked against column contract `contract`. */
export function fixtureDataset(id = 'd1', contract?: string): Dataset {
  return {
    id,
    name: 'patients.csv',
    kind: 'csv',
    bytes: 1200,
    columns: ['mrn', 'dob'],
    origin: { type: 'sample', path: 'samples/legacy/patients.csv' },
    ...(contract === undefined ? {} : { contract }),
  };
}

/** A column contract (a JSON Schema). */
export function fixtureSchema(id = 's1'): SchemaDoc {
  return { id, name: 'patients contract', schema: { type: 'object', required: ['mrn'] } };
}

/**
 * The last back-test of {@link fixtureWorkflow} `id` (as it is) against a month's log: the form's
 * waits reproduced, the insurance check's too few to compare.
 */
export function fixtureWorkflowBackTest(
  id = 'w1',
  workflow: Workflow = fixtureWorkflow(id),
): WorkflowBackTest {
  return {
    id,
    workflowSha256: canonicalSha256Hex(workflow),
    log: { name: 'intake-march.csv', sha256: 'b'.repeat(64) },
    testedAt: '2025-04-02T09:30:00.000Z',
    result: {
      seed: 20_240_701,
      replications: 20,
      cases: 412,
      from: 1_740_787_200_000,
      to: 1_743_379_200_000,
      toleranceMin: 2,
      toleranceShare: 0.1,
      steps: [
        {
          stepId: 'form',
          label: 'Fill in form',
          laneId: 'desk',
          staff: 2,
          observed: { n: 380, meanMin: 6.4, medianMin: 5 },
          delayMeanMin: 1.2,
          simulatedMeanMin: { mean: 6.1, low: 5.8, high: 6.4 },
          expectedRange: { low: 5, high: 7.2 },
          toleranceMin: 2,
          status: 'reproduced',
          touchFromWorkflow: false,
        },
        {
          stepId: 'insured',
          label: 'Insured?',
          laneId: 'desk',
          staff: 2,
          observed: { n: 4, meanMin: 3, medianMin: 2.5 },
          delayMeanMin: 0.5,
          simulatedMeanMin: { mean: 2.8, low: 2.1, high: 3.5 },
          expectedRange: { low: 1.4, high: 4.2 },
          toleranceMin: 2,
          status: 'too-few',
          touchFromWorkflow: true,
        },
      ],
      checked: 1,
      reproduced: 1,
      verdict: 'trusted',
    },
  };
}

/**
 * The last go-live check of {@link fixtureFutureWorkflow} `id` (as it is): 40 cases, the kiosk
 * skipped in 6, a phone call to the front desk as a workaround, vitals measured slower.
 */
export function fixtureWorkflowCheck(
  id = 'w2',
  workflow: Workflow = fixtureFutureWorkflow(id),
): WorkflowCheck {
  return {
    id,
    workflowSha256: canonicalSha256Hex(workflow),
    log: 'golive-week-12.csv',
    checkedAt: '2025-03-14T16:20:00.000Z',
    result: {
      method: 'alignment',
      cases: 40,
      conformingCases: 31,
      fitness: 0.93,
      minCaseFitness: 0.6,
      unalignedCases: 0,
      skipped: { kiosk: 6 },
      inserted: { 'Call front desk': 4 },
      insertedAfter: { arrive: { 'Call front desk': 4 } },
      workarounds: { 'Call front desk': 4 },
      repeatedEntry: { vitals: 2 },
      times: {
        vitals: {
          designedTouchMin: 4,
          designedWaitMin: 2,
          touch: { n: 40, meanMin: 6.5, medianMin: 6, p90Min: 9 },
          slower: 12,
        },
      },
      matched: { Arrive: 'arrive', Kiosk: 'kiosk', Vitals: 'vitals', Roomed: 'roomed' },
      unloggedDecisions: [],
      slowerTolerance: 0.5,
    },
  };
}

/**
 * A process map kept from a log of two activities: 40 visits, 8 of them back from Labs to Visit;
 * Visit takes 20 min in the middle, Labs has completion times only.
 */
export function fixtureLogMap(id = 'last'): LogMap {
  return {
    id,
    log: { name: 'visits-march.csv', bytes: 4096, sha256: 'c'.repeat(64) },
    measuredAt: '2025-03-14T16:20:00.000Z',
    filters: {
      coverage: 100,
      minActivity: 1,
      from: '',
      to: '',
      workingHours: false,
      startHour: 8,
      endHour: 18,
      workingTime: false,
      mapActivities: 100,
      variants: [],
    },
    map: {
      cases: 40,
      casesDrawn: 40,
      activities: [
        { name: 'Visit', n: 48, cases: 40, duration: { meanMin: 22, medianMin: 20, timed: 48 } },
        { name: 'Labs', n: 8, cases: 8 },
      ],
      shown: 2,
      edges: [
        { from: -1, to: 0, n: 40, cases: 40 },
        { from: 0, to: -2, n: 40, cases: 40 },
        { from: 0, to: 1, n: 8, cases: 8, duration: { meanMin: 30, medianMin: 25 } },
        { from: 1, to: 0, n: 8, cases: 8, duration: { meanMin: 960, medianMin: 960 } },
      ],
      variants: [
        { activities: [0], cases: 32 },
        { activities: [0, 1, 0], cases: 8 },
      ],
      variantCount: 2,
      workingTime: false,
    },
  };
}

/**
 * A project holding every kind of document: workflows `w1` (current) and `w2` (its future),
 * mapping `m1`, sample plan `p1`, report `r1`, datasets `d1` (a CSV under contract `s1`) and `d2`
 * (an NDJSON file), schema `s1`. Meta times are {@link FIXTURE_NOW}.
 */
export function fixtureProject(id = 'project-1', name = 'Northside clinic'): Project {
  return {
    meta: {
      id,
      name,
      createdAt: FIXTURE_NOW,
      updatedAt: FIXTURE_NOW,
      settings: { clickBudget: 10, severities: { 'click-burden': 'warning' } },
    },
    workflows: [fixtureWorkflow('w1'), fixtureFutureWorkflow('w2', 'w1')],
    mappings: [fixtureMapping('m1')],
    samplePlans: [fixtureSamplePlan('p1')],
    reports: [fixtureReport('r1')],
    datasets: [
      fixtureDataset('d1', 's1'),
      {
        id: 'd2',
        name: 'export.ndjson',
        kind: 'ndjson',
        bytes: 99,
        origin: { type: 'file', lastModified: 1740000000000 },
      },
    ],
    schemas: [fixtureSchema('s1')],
    workflowChecks: [fixtureWorkflowCheck('w2')],
    logMaps: [fixtureLogMap()],
    workflowBackTests: [fixtureWorkflowBackTest('w1')],
  };
}

/** A project with nothing in it yet, created and last changed `at`. */
export function fixtureEmptyProject(id: string, name: string, at = '2026-03-09T09:00:00Z'): Project {
  return {
    meta: { id, name, createdAt: at, updatedAt: at, settings: {} },
    workflows: [],
    mappings: [],
    samplePlans: [],
    reports: [],
    datasets: [],
    schemas: [],
  };
}

/** {@link fixtureProject} exported as a project file (with its integrity hash). */
export function fixtureProjectFile(): ProjectFile {
  return createProjectFile(fixtureProject(), { now: '2025-03-02T12:00:00Z', appVersion: '0.1.0' });
}

/** The item at `index`, failing the test when there is none (instead of a non-null assertion). */
export function nth<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`test fixture has no item ${index}`);
  return item;
}

/**
 * A project audit log as a lead exports it: the project created, a member added, then changed,
 * each entry chained in the server's log (with other entries between) and in the project's own.
 */
export function fixtureProjectAudit(project = '6f1c2a9e-4b7d-4e21-9a0c-3d5e8f7b1a24'): ProjectAuditFile {
  const lead = { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead' };
  const steps: [number, string, Record<string, string>][] = [
    [3, 'project-created', { project, name: 'Cardiology go-live' }],
    [5, 'member-added', { project, member: 'm-1', subject: 'rita', role: 'reviewer', expiresOn: 'none' }],
    [
      9,
      'member-changed',
      {
        project,
        member: 'm-1',
        subject: 'rita',
        role: 'data',
        previousRole: 'reviewer',
        expiresOn: 'none',
        previousExpiresOn: 'none',
      },
    ],
  ];
  const entries: ServerAuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (const [i, [seq, kind, detail]] of steps.entries()) {
    const entry = {
      seq,
      at: new Date(Date.UTC(2026, 2, 9, 9, i)).toISOString(),
      kind,
      actor: lead,
      detail,
      // the server's entry before belongs to someone else's sign-in or project: only its hash is known
      prevHash: canonicalSha256Hex({ seq: seq - 1 }),
      projectSeq: i + 1,
      projectPrevHash: prev,
    };
    const hash = serverAuditEntryHash(entry);
    entries.push({ ...entry, hash });
    prev = hash;
  }
  return { format: PROJECT_AUDIT_FORMAT, project, entries };
}
