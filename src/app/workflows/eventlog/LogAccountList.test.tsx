import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { readCsvLogText, readXesLogText } from '../../../core/workflow/eventlog/index.ts';
import { LogAccountList } from './LogAccountList.tsx';

const CSV = [
  'case,activity,time,org:group,ward',
  'c1,Triage,2025-01-02T08:00:00Z,Team A,SECRET-1',
  'c1,Visit,2025-01-02T09:00:00Z,Team A,SECRET-1',
].join('\n');

describe('the log account beside the map', () => {
  it('lists each column the figures do not use, with what that means, never a value', () => {
    const { account } = readCsvLogText(CSV, {
      mapping: { case: 'case', activity: 'activity', timestamp: 'time' },
    });
    render(<LogAccountList account={account} />);
    const summary = screen.getByText(/What the log holds that the figures do not use: 2 columns/);
    fireEvent.click(summary);
    const section = screen.getByRole('region', { name: /figures do not use/ });
    expect(section.textContent).toContain('org:group');
    expect(section.textContent).toContain('lanes come from who did the work');
    expect(section.textContent).toContain('ward');
    expect(section.textContent).not.toContain('SECRET');
  });

  it('names XES keys by where they sit, and says when everything is used', () => {
    const xes =
      '<log><string key="origin" value="x"/><trace><string key="concept:name" value="1"/>' +
      '<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2025-01-02T08:00:00Z"/>' +
      '<float key="cost:total" value="3"/></event></trace></log>';
    const { account } = readXesLogText(xes, { mapping: { case: '', activity: '' } });
    const { unmount } = render(<LogAccountList account={account} />);
    const section = screen.getByRole('region', { name: /2 items/ });
    expect(section.textContent).toContain('event@cost:total');
    expect(section.textContent).toContain('costs are not counted');
    expect(section.textContent).toContain('log@origin');
    unmount();
    render(<LogAccountList account={{ reader: 'csv-log', used: ['case'], lines: [] }} />);
    expect(screen.getByText('Every column of the log is used in the figures.')).toBeTruthy();
  });
});
