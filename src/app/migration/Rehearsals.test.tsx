/**
 * Rehearsals: every run of the same check (files by their contract, whatever they are called) is
 * kept, and the latest is compared with the one before it — fixed, new, worse, still failing —
 * with the errors of each run in a small chart whose numbers are also text. Reports are the real
 * engine's (testing/runReport.ts), kept in a project by the project's own changes.
 */
import { render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { addReport, applyChanges, createProject } from '../../core/project/changes.ts';
import { reportSummaryOf } from '../../core/teamRecords/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { Rehearsals } from './Rehearsals.tsx';
import { PATIENTS_CONTRACT, PATIENTS_FEB, PATIENTS_JAN } from './testing/patientsFixtures.ts';
import { runReport } from './testing/runReport.ts';

const NOW = '2026-03-01T09:00:00.000Z';

async function run(name: string, bytes: string, at: string): Promise<Report> {
  const { report } = await runReport([{ name, bytes, contract: { ...PATIENTS_CONTRACT } }]);
  return { ...report, generatedAt: at };
}

function projectWith(...reports: Report[]): Project {
  return applyChanges(
    createProject({ name: 'Maple Street', now: NOW }),
    reports.map((r, i) => addReport(r, `run-${i}`)),
    NOW,
  );
}

let jan: Report;
let feb: Report;
beforeAll(async () => {
  jan = await run('patients-jan.csv', PATIENTS_JAN, '2026-01-05T10:00:00.000Z');
  feb = await run('patients-feb.csv', PATIENTS_FEB, '2026-02-05T10:00:00.000Z');
});

describe('Rehearsals', () => {
  it('shows nothing before a run is kept', () => {
    const { container } = render(<Rehearsals project={projectWith()} />);
    expect(container.textContent).toBe('');
  });

  it('keeps the first run and says the next one will be compared with it', () => {
    render(<Rehearsals project={projectWith(jan)} />);
    const first = screen.getByRole('region', {
      name: 'Rehearsals of patients-jan.csv against urn:clinic:patients',
    });
    expect(within(first).getByText(/^One run so far/)).toBeTruthy();
    expect(within(first).getByTestId('trend-errors').textContent).toBe('4');
  });

  it('compares February with January, by contract not by file name: fixed, new, worse and still failing', () => {
    render(<Rehearsals project={projectWith(jan, feb)} />);
    const second = screen.getByRole('region', {
      name: 'Rehearsals of patients-feb.csv against urn:clinic:patients',
    });
    expect({
      fixed: within(second).getByTestId('compare-fixed').textContent,
      new: within(second).getByTestId('compare-new').textContent,
      still: within(second).getByTestId('compare-still').textContent,
      worse: within(second).getByTestId('compare-worse').textContent,
    }).toEqual({ fixed: '1', new: '1', still: '1', worse: '1' });
    const table = within(second).getByRole('table', { name: 'Each problem since the previous run' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    expect(rows.map((r) => [r[0]?.split(':')[0], r[1], r[2], r[3]])).toEqual([
      ['id', 'New', '0', '1'],
      ['birth_date', 'Worse', '2', '3'],
      ['sex', 'Still failing', '1', '1'],
      ['birth_date', 'Fixed', '1', '0'],
    ]);
    expect(within(second).getByTestId('trend-errors').textContent).toBe('4, 5');
    expect(within(second).getByText(/\(4 errors then, 5 now\):$/)).toBeTruthy();
  });

  it('orders the team’s runs by when the server received them, and says a run dated after that', () => {
    // a member's computer dated the January run 2099; the server received it before February's
    const ahead = { ...jan, id: 'jan', generatedAt: '2099-01-05T10:00:00.000Z' };
    const team = {
      phase: 'read' as const,
      summaries: [
        { summary: reportSummaryOf(ahead), by: 'Ari Patel', at: '2026-01-05T10:01:00.000Z' },
        { summary: reportSummaryOf({ ...feb, id: 'feb' }), by: 'Dana Reyes', at: '2026-02-05T10:01:00.000Z' },
      ],
    };
    render(<Rehearsals project={projectWith()} team={team} />);
    const region = screen.getByRole('region', {
      name: 'Rehearsals of patients-feb.csv against urn:clinic:patients',
    });
    const rows = within(region)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    expect(rows[0]).toContain('5 Jan 2099');
    expect(rows[0]).toContain('dated after it was received, 5 Jan 2026');
    expect(rows[1]).toContain('5 Feb 2026');
    expect(rows[1]).not.toContain('dated after');
  });

  it('compares repeated keys too: a patient number that repeats now is new, in words', async () => {
    const keyed = async (name: string, bytes: string, at: string) => {
      const { report } = await runReport([
        { name, bytes, contract: { ...PATIENTS_CONTRACT }, keys: [{ column: 'id' }] },
      ]);
      return { ...report, generatedAt: at };
    };
    const before = await keyed('patients-jan.csv', PATIENTS_JAN, '2026-01-05T10:00:00.000Z');
    const repeated = `${PATIENTS_JAN}4,1990-01-02,F\n`;
    const after = await keyed('patients-mar.csv', repeated, '2026-03-05T10:00:00.000Z');
    render(<Rehearsals project={projectWith(before, after)} />);
    const table = screen.getByRole('table', { name: 'Each problem since the previous run' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    expect(rows[0]).toEqual(['id: the same key occurs in more than one record', 'New', '0', '1']);
    expect(screen.getByTestId('compare-new').textContent).toBe('1');
  });

  it('compares references to missing records too: a visit of a patient not in the drop is new', async () => {
    const linked = async (visits: string, at: string) => {
      const { report } = await runReport(
        [
          {
            name: 'patients.csv',
            bytes: PATIENTS_JAN,
            contract: { ...PATIENTS_CONTRACT },
            keys: [{ column: 'id' }],
          },
          { name: 'visits.csv', bytes: visits },
        ],
        [{ input: 'visits.csv', column: 'patient', target: 'patients.csv', targetColumn: 'id' }],
      );
      return { ...report, generatedAt: at };
    };
    const before = await linked('visit,patient\nV1,1\n', '2026-01-05T10:00:00.000Z');
    const after = await linked('visit,patient\nV1,1\nV2,99\n', '2026-03-05T10:00:00.000Z');
    expect(after.crossFile.orphanReferences).toMatchObject([{ column: 'patient', count: 1 }]);
    render(<Rehearsals project={projectWith(before, after)} />);
    const table = screen.getByRole('table', { name: 'Each problem since the previous run' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
    expect(rows.filter((r) => r[1] === 'New')).toEqual([
      [expect.stringMatching(/^visits\.csv · patient: /), 'New', '0', '1'],
    ]);
  });
});
