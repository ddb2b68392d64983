import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../testSamples.ts';
import { ProcessDocument } from './ProcessDocument.tsx';

const TODAY = 'Patient intake — current (paper clipboard)';
const PLANNED = 'Patient intake — future (new EHR)';
const project = sampleProject();

const doc = () => screen.getByRole('article', { name: 'Process document: Patient intake' });

describe('ProcessDocument', () => {
  it('has the steps and findings of both workflows, the comparison and a training table by role', () => {
    render(<ProcessDocument project={project} process="patient-intake" />);
    const d = within(doc());
    for (const name of [
      `Today: ${TODAY}`,
      `Planned: ${PLANNED}`,
      'Today vs planned',
      'Training checklist by role',
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
      // the findings: a row each, its severity, its check in words with its codes, what was found
      const findings = d.getByRole('table', { name: `Findings of ${name}, most serious first` });
      expect(
        within(findings)
          .getAllByRole('columnheader')
          .map((h) => h.textContent),
      ).toEqual(['Severity', 'Check', 'What was found']);
      // (cells by selector: role queries over every row are slow in jsdom)
      const rows = [...findings.querySelectorAll('tbody tr')];
      expect(rows.length).toBeGreaterThan(5);
      for (const row of rows) {
        const [severity, check, found] = row.querySelectorAll('td');
        expect(severity?.textContent).toMatch(/(Problem|Warning|Note)$/);
        expect(check?.querySelector('code.rule-id')).toBeTruthy();
        expect(found?.textContent).toMatch(/[.!?”)]$/);
      }
    }
    // why each check matters is said once in the document, under the first findings that name it
    const whys = [...doc().querySelectorAll('.doc-why dd')].filter((dd) =>
      dd.textContent?.startsWith('Why it matters: '),
    );
    const checks = [...doc().querySelectorAll('.doc-findings td:nth-child(2) code.rule-id')];
    const leading = new Set(
      [...doc().querySelectorAll('.doc-findings td:nth-child(2)')].map(
        (td) => td.querySelector('code.rule-id')?.textContent,
      ),
    );
    expect(checks.length).toBeGreaterThan(leading.size);
    expect(whys).toHaveLength(leading.size);
    expect(d.getByText('Why the other checks matter is said under today’s findings.')).toBeTruthy();
    expect(
      d.getAllByRole('table', { name: 'Per patient at the morning peak: today and planned' }),
    ).toHaveLength(1);
    // the training checklist: one table, a row per role
    const training = d.getByRole('table', { name: `Training checklist by role · ${PLANNED}` });
    expect(
      within(training)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Role', 'Does differently or newly', 'No longer does', 'To learn']);
    const roles = [...training.querySelectorAll('tbody th[scope="row"]')];
    expect(roles.length).toBeGreaterThan(3);
    expect(roles.map((r) => r.firstChild?.textContent)).toContain('Front desk');
    expect(d.getByRole('button', { name: 'Print' })).toBeTruthy();
  });

  it('opens with a summary, and prints each map on landscape pages of its own, each part titled', () => {
    render(<ProcessDocument project={project} process="patient-intake" />);
    // the summary first: what changes, the top findings and the capacity verdict
    const summary = within(doc()).getByRole('region', { name: 'Summary' });
    const sections = [...doc().querySelectorAll('section')];
    expect(sections[0]).toBe(summary);
    expect(
      within(summary)
        .getAllByRole('heading', { level: 4 })
        .map((h) => h.textContent),
    ).toEqual(['What changes', 'Top findings', 'Capacity']);
    expect(within(summary).getByText(/^Total time per patient: /)).toBeTruthy();
    expect(within(summary).getAllByRole('listitem').length).toBeGreaterThan(3);
    expect(within(summary).getByText(/^At peak the busiest role/)).toBeTruthy();
    // on paper each map follows its workflow's tables on landscape pages, each part within the page
    const pages = [...doc().querySelectorAll('.doc-map-print .doc-map-page')];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((p) => p.querySelector('.doc-map-title')?.textContent?.split(' — map')[0])).toEqual(
      expect.arrayContaining([`Today: ${TODAY}`, `Planned: ${PLANNED}`]),
    );
    for (const page of pages) {
      const img = page.querySelector('img') as HTMLImageElement;
      expect(Number.parseFloat(img.style.width)).toBeLessThanOrEqual(980);
    }
  });

  it('leads back to the process page', () => {
    render(<ProcessDocument project={project} process="patient-intake" />);
    expect(within(doc()).getByRole('link', { name: 'Back to the process' }).getAttribute('href')).toBe(
      '#/workflows/process/patient-intake/map',
    );
  });
});
