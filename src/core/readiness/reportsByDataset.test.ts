import { describe, expect, it } from 'vitest';
import type { Dataset, Project, ProjectReport } from '../../formats/project.ts';
import { assessReadiness } from './index.ts';
import { inputOfDataset } from './preLaunch.ts';
import { goProject, report } from './testing/crafted.ts';

/** A report of one file named `name`, `valid` of 1000 records valid, checked as `dataset`. */
function checked(name: string, valid: number, dataset?: string, at = '2026-11-22T10:00:00Z'): ProjectReport {
  const base = report(valid, 1000, at);
  return {
    ...base,
    id: `r-${name}-${dataset ?? 'none'}-${at}`,
    inputs: base.inputs.map((i) => ({ ...i, name, ...(dataset ? { dataset } : {}) })),
  };
}

const dataset = (id: string, name: string): Dataset => ({
  id,
  name,
  kind: 'csv',
  bytes: 1200,
  origin: { type: 'file' },
});

const preLaunch = (project: Project) => {
  const phase = assessReadiness(project).phases.find((p) => p.id === 'pre-launch');
  return {
    evidence: phase?.evidence.filter((l) => l.includes('.csv')) ?? [],
    blocking: phase?.reasons.filter((r) => r.gate === 'minValidShare').map((r) => r.text) ?? [],
  };
};

describe('a validation report counts for the dataset it was checked as, never by file name', () => {
  it.each<{
    description: string;
    datasets: Dataset[];
    reports: ProjectReport[];
    evidence: string[];
    blocking: number;
  }>([
    {
      description: 'a rehearsal drop under another file name counts for its dataset',
      datasets: [dataset('d1', 'patients.csv')],
      reports: [checked('patients-2026-02.csv', 1000, 'd1')],
      evidence: [
        'patients.csv: 100 % valid (1,000 of 1,000 records), checked 2026-11-22 as patients-2026-02.csv.',
      ],
      blocking: 0,
    },
    {
      description: 'the latest drop counts, whatever each was called',
      datasets: [dataset('d1', 'patients.csv')],
      reports: [
        checked('patients-2026-01.csv', 1000, 'd1', '2026-11-20T10:00:00Z'),
        checked('patients-2026-02.csv', 900, 'd1', '2026-11-22T10:00:00Z'),
      ],
      evidence: [
        'patients.csv: 90 % valid (900 of 1,000 records), checked 2026-11-22 as patients-2026-02.csv.',
      ],
      blocking: 1,
    },
    {
      description: 'two datasets whose files share a name do not mix',
      datasets: [dataset('d1', 'patients.csv'), dataset('d2', 'patients.csv')],
      reports: [checked('patients.csv', 1000, 'd1'), checked('patients.csv', 900, 'd2')],
      evidence: [
        'patients.csv: 100 % valid (1,000 of 1,000 records), checked 2026-11-22.',
        'patients.csv: 90 % valid (900 of 1,000 records), checked 2026-11-22.',
      ],
      blocking: 1,
    },
    {
      description: 'a report naming another dataset does not count, even under the same file name',
      datasets: [dataset('d1', 'patients.csv'), dataset('d2', 'visits.csv')],
      reports: [checked('patients.csv', 1000, 'd2')],
      evidence: [
        'patients.csv: not checked yet.',
        'visits.csv: 100 % valid (1,000 of 1,000 records), checked 2026-11-22 as patients.csv.',
      ],
      blocking: 1,
    },
    {
      description:
        'a report that names no dataset (the CLI’s, or older) counts by a name no other dataset has',
      datasets: [dataset('d1', 'patients.csv')],
      reports: [checked('patients.csv', 1000)],
      evidence: ['patients.csv: 100 % valid (1,000 of 1,000 records), checked 2026-11-22.'],
      blocking: 0,
    },
    {
      description: 'a report that names no dataset, under a name two datasets share, counts for neither',
      datasets: [dataset('d1', 'patients.csv'), dataset('d2', 'patients.csv')],
      reports: [checked('patients.csv', 1000)],
      evidence: [
        'patients.csv: not checked yet as this dataset (a report names a file called patients.csv, but another dataset has that name too).',
        'patients.csv: not checked yet as this dataset (a report names a file called patients.csv, but another dataset has that name too).',
      ],
      blocking: 2,
    },
  ])('$description', ({ datasets, reports, evidence, blocking }) => {
    const judged = preLaunch({ ...goProject(), datasets, reports });
    expect(judged.evidence).toEqual(evidence);
    expect(judged.blocking).toHaveLength(blocking);
  });

  it('inputOfDataset prefers the input naming the dataset over one with its name', () => {
    const d1 = dataset('d1', 'patients.csv');
    const both = {
      ...checked('patients.csv', 1000),
      inputs: [
        { name: 'patients.csv', kind: 'csv' as const, records: 10 },
        { name: 'drop-2.csv', kind: 'csv' as const, records: 10, dataset: 'd1' },
      ],
    };
    expect(inputOfDataset(both, d1, [d1])).toEqual({ input: both.inputs[1] });
  });
});
