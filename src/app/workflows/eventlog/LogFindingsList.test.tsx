import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createLocalClock, discoverWorkflow, readCsvLogText } from '../../../core/workflow/eventlog/index.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { LogFindingsList } from './LogFindingsList.tsx';

// 4 cases; in 2 the nurse and the physician pass the work back and forth (N, P, N, P), so
// "Review" and "Order" are done twice there; every case waits over 2 h before "Sign"
const rows: string[] = ['case,activity,start,complete,who'];
const at = (minutes: number) => new Date(Date.UTC(2025, 5, 2, 8, 0) + minutes * 60_000).toISOString();
for (let k = 1; k <= 4; k++) {
  const steps: Array<[string, number, string]> = [
    ['Review', 0, 'Kim'],
    ['Order', 10, 'Lee'],
  ];
  if (k <= 2) steps.push(['Review', 20, 'Kim'], ['Order', 30, 'Lee']);
  steps.push(['Sign', 160, 'Kim']);
  for (const [activity, m, who] of steps) rows.push(`c${k},${activity},${at(m)},${at(m + 5)},${who}`);
}
const workflow = discoverWorkflow(
  readCsvLogText(rows.join('\n'), {
    mapping: { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' },
    roleMap: { Kim: 'Nurse', Lee: 'Physician' },
  }).log,
  createLocalClock('UTC'),
).workflow;

describe('LogFindingsList', () => {
  it('lists what the log shows, each finding with its figures and a severity in words', () => {
    render(<LogFindingsList workflow={workflow} projectSettings={{}} />);
    const list = within(screen.getByRole('region', { name: 'What the log shows' }));
    const items = list.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toHaveLength(4); // the wait, "Order" and "Review" done again, the bouncing
    expect(
      items.some((t) =>
        t?.startsWith('▲ Warning: Long wait in the log. Cases wait a median of 2.3 h before “Sign”'),
      ),
    ).toBe(true);
    expect(items.some((t) => t?.includes('“Review” is done more than once in 2 of 4 cases (50 %)'))).toBe(
      true,
    );
    expect(
      items.some((t) =>
        t?.includes('Work bounced between roles. Work went back and forth between Nurse and Physician'),
      ),
    ).toBe(true);
  });

  it('follows the project settings: a rule switched off, a threshold raised', () => {
    render(
      <LogFindingsList
        workflow={workflow}
        projectSettings={{
          workflowAnalysis: { severities: { 'long-wait': 'off' }, thresholds: { logPatternMinShare: 0.9 } },
        }}
      />,
    );
    expect(screen.queryAllByRole('listitem')).toEqual([]);
    expect(screen.getByText(/No long waits, steps done again or work bounced/)).toBeTruthy();
  });

  it('says nothing is flagged for a drawn workflow', () => {
    render(<LogFindingsList workflow={sampleWorkflow('patient-intake.current')} projectSettings={{}} />);
    expect(screen.queryAllByRole('listitem')).toEqual([]);
  });
});
