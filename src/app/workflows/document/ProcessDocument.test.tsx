import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../testSamples.ts';
import { ProcessDocument } from './ProcessDocument.tsx';

const TODAY = 'Patient intake — current (paper clipboard)';
const PLANNED = 'Patient intake — future (new EHR)';
const project = sampleProject();

const doc = () => screen.getByRole('article', { name: 'Process document: Patient intake' });

describe('ProcessDocument', () => {
  it('has the maps, steps and findings of both workflows, the comparison and a sheet per role', () => {
    render(<ProcessDocument project={project} process="patient-intake" />);
    const d = within(doc());
    for (const name of [
      `Today: ${TODAY}`,
      `Planned: ${PLANNED}`,
      'Today vs planned',
      'Training sheets by role',
    ]) {
      expect(d.getAllByRole('heading', { level: 3, name }), name).toHaveLength(1);
    }
    expect(within(d.getByRole('region', { name: 'In this document' })).getAllByRole('listitem')).toHaveLength(
      4,
    );
    for (const name of ['Map', 'Steps', 'Findings']) {
      expect(d.getAllByRole('heading', { level: 4, name }), name).toHaveLength(2);
    }
    // each map is a picture in its own region (its print slices beside it are the print sheet's:
    // which of them shows is CSS, proved in the browser by processDocument.spec.ts)
    for (const name of [TODAY, PLANNED]) {
      const region = d.getByRole('region', { name: `Diagram of ${name}` });
      expect(within(region).getAllByRole('img').length).toBeGreaterThan(0);
      const table = d.getByRole('table', { name: `Steps of ${name}, in process order` });
      expect(
        within(table)
          .getAllByRole('columnheader')
          .map((h) => h.textContent),
      ).toEqual(['Step', 'Role', 'Kind', 'How', 'System', 'Staff min', 'Wait min', 'Data typed']);
      expect(within(table).getAllByRole('row').length).toBeGreaterThan(5);
    }
    // findings carry their checks' codes and why each check matters
    const rules = doc().querySelectorAll('.doc-rule').length;
    expect(rules).toBeGreaterThan(2);
    expect(d.getAllByText(/^Why it matters: /)).toHaveLength(rules);
    expect(
      d.getAllByRole('table', { name: 'Per patient at the morning peak: today and planned' }),
    ).toHaveLength(1);
    const training = doc().querySelector('.doc-training') as HTMLElement;
    expect(within(training).getAllByRole('heading', { level: 4 }).length).toBeGreaterThan(1);
    expect(d.getByRole('button', { name: 'Print' })).toBeTruthy();
  });

  it('leads back to the process page', () => {
    render(<ProcessDocument project={project} process="patient-intake" />);
    expect(within(doc()).getByRole('link', { name: 'Back to the process' }).getAttribute('href')).toBe(
      '#/workflows/process/patient-intake/map',
    );
  });
});
