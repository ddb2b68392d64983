import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from '../../../core/workflow/eventlog/index.ts';
import { analyzeWaits, plantedLog } from '../../../core/workflow/waits/index.ts';
import { WaitCausesChart } from './WaitCausesChart.tsx';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'end', resource: 'resource' };
const waits = analyzeWaits(
  readCsvLogText(plantedLog(['batching', 'unavailability'], 11, 2), { mapping: MAPPING }).log,
  (ms) => ms,
).activities;

describe('WaitCausesChart', () => {
  it('draws each activity’s waiting as a stacked bar by cause, with a legend and words', () => {
    render(<WaitCausesChart waits={waits} />);
    expect(screen.getByRole('heading', { name: 'Why cases wait' })).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Colours' });
    expect(within(legend).getByText(/Held for a batch/)).toBeTruthy();
    expect(within(legend).getByText(/Outside working hours/)).toBeTruthy();
    const approve = screen.getByRole('img', {
      name: /^Approve refill: .* waiting per case — held for a batch 9\d %/,
    });
    const segments = approve.querySelectorAll<HTMLElement>('[data-cause]');
    const batching = [...segments].find((s) => s.dataset.cause === 'batching');
    expect(Number.parseFloat(batching?.style.width ?? '0')).toBeGreaterThan(90);
    const review = screen.getByRole('img', { name: /^Physician review: .*outside working hours 9\d %/ });
    // the longest wait is the full width, the others in proportion
    const widths = [approve, review].map((bar) =>
      Number.parseFloat((bar.firstElementChild as HTMLElement).style.width),
    );
    expect(Math.max(...widths)).toBe(100);
    expect(Math.min(...widths)).toBeLessThan(100);
  });

  it('says how batches were told apart, and which activities had too few cases to tell', () => {
    const approve = waits.find((w) => w.activity === 'Approve refill');
    const undecided = { ...(waits.find((w) => w.activity === 'Physician review') as (typeof waits)[number]) };
    undecided.batchGap = { minutes: 1, basis: 'too-few', gaps: 3 };
    render(<WaitCausesChart waits={[approve as (typeof waits)[number], undecided]} />);
    expect(approve?.batchGap.basis).toBe('no-pauses');
    expect(
      screen.getByText(/^Approve refill: no working pauses found between one person's cases/),
    ).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Approve refill: .*; no working pauses found/ })).toBeTruthy();
    expect(
      screen.getByText(
        /^1 activity: too few cases by one person to find the pause between batches; there only/,
      ),
    ).toBeTruthy();
  });

  it('says so when nothing waited', () => {
    render(<WaitCausesChart waits={[]} />);
    expect(screen.getByText(/No activity waited/)).toBeTruthy();
  });
});
