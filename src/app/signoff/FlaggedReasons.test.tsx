import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ShownRecord } from '../../core/signoff/review/index.ts';
import type { Project } from '../../formats/project.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import {
  FIXTURE_PLAN_HASH,
  fixtureDataset,
  fixtureProject,
  fixtureSamplePlan,
} from '../../formats/testing/fixtures.ts';
import { FlaggedReasons } from './FlaggedReasons.tsx';

/**
 * What a clinician reads on a record validation flagged: each failing check of the dataset's column
 * contract and its column, worked out from the row on screen, never a value of it.
 */
const PLAN: SamplePlan = {
  ...fixtureSamplePlan(),
  population: { ...fixtureSamplePlan().population, dataset: 'patients.csv' },
};
const CONTRACT = {
  type: 'object',
  required: ['mrn'],
  properties: { dob: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
};
const PROJECT: Project = {
  ...fixtureProject(),
  datasets: [fixtureDataset('d1', 's1')],
  schemas: [{ id: 's1', name: 'patients contract', schema: CONTRACT }],
};

function shown(stratum: string, cells: string[]): ShownRecord {
  return {
    planHash: FIXTURE_PLAN_HASH,
    stratum,
    recordKey: cells[0] ?? '',
    source: { file: 'patients.csv', row: 7, header: ['mrn', 'dob'], cells },
    mapping: { id: 'm1', version: 1 },
    target: {},
    alignment: [],
  };
}

describe('FlaggedReasons', () => {
  it('names each failing check and its column on a flagged record, never the value', () => {
    render(
      <FlaggedReasons plan={PLAN} project={PROJECT} shown={shown('flagged', ['MRN-9', '12/17/2013'])} />,
    );
    const why = screen.getByRole('region', { name: 'Why validation flagged this record' });
    expect(within(why).getByText('1 error on this row. Check these fields first:')).toBeTruthy();
    expect(
      within(why)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'dob: The cell does not have the layout the contract agrees (its pattern). (contract.pattern)',
    ]);
    expect(why.textContent).not.toContain('12/17/2013');
  });

  it('says nothing on a record of a stratum validation did not flag', () => {
    render(<FlaggedReasons plan={PLAN} project={PROJECT} shown={shown('patients', ['MRN-1', 'bad'])} />);
    expect(screen.queryByTestId('flagged-reasons')).toBeNull();
  });

  it('on a flagged row whose cells all pass, points at the record key and how the row is written', () => {
    render(
      <FlaggedReasons plan={PLAN} project={PROJECT} shown={shown('flagged', ['MRN-9', '2013-12-17'])} />,
    );
    expect(screen.getByTestId('flagged-reasons').textContent).toMatch(
      /Each cell passes the column contract: validation flagged this record because its record key appears more than once/,
    );
  });

  it('says the errors cannot be shown when the contract is not in this project', () => {
    const without: Project = { ...PROJECT, schemas: [] };
    render(
      <FlaggedReasons plan={PLAN} project={without} shown={shown('flagged', ['MRN-9', '12/17/2013'])} />,
    );
    expect(screen.getByTestId('flagged-reasons').textContent).toMatch(
      /The column contract it was checked against is not in this project on this computer/,
    );
  });
});
