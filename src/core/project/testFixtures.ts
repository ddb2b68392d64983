/**
 * Small, valid documents of every kind for the project and storage tests. Test-only: nothing in
 * the app imports this file. Content is invented — no real patient or clinic data.
 */
import { MAPPING_FORMAT, type Mapping } from '../../formats/mapping.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import { REPORT_FORMAT, type Report } from '../../formats/report.ts';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../../formats/samplePlan.ts';
import { WORKFLOW_FORMAT, type Workflow } from '../../formats/workflow.ts';
import { createProject } from './changes.ts';

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

/** A minimal valid report; `generatedAt` is its identity (reports have no id in v1). */
export function fixtureReport(generatedAt: string): Report {
  return {
    format: REPORT_FORMAT,
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

/** A project holding one document of every kind (ids `w1`, `d1`, `m1`, `p1`, the report, `s1`). */
export function fixtureProject(id = 'project-1', name = 'Northside clinic'): Project {
  const project = createProject({ id, name, now: FIXTURE_NOW });
  return {
    ...project,
    workflows: [fixtureWorkflow('w1'), fixtureWorkflow('w2')],
    datasets: [fixtureDataset('d1')],
    mappings: [fixtureMapping('m1')],
    samplePlans: [fixtureSamplePlan('p1')],
    reports: [fixtureReport('2025-01-01T00:00:00.000Z')],
    schemas: [fixtureSchema('s1')],
  };
}
