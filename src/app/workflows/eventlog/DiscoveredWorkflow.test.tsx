/**
 * The discovered workflow's branch chances as the discovery result shows them: a log whose cases
 * split after triage, discovered by the core, shows each way out with the times it was taken and
 * its share of the cases leaving that step — the chances the workflow carries on its flows.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createLocalClock, discoverWorkflow, readCsvLogText } from '../../../core/workflow/eventlog/index.ts';
import { DiscoveredWorkflow } from './DiscoverPanel.tsx';

/** 20 cases: check in, triage, then 14 are treated and 6 referred (4 of them treated first), then done. */
function log() {
  const base = Date.UTC(2025, 5, 2, 8, 0);
  const lines = ['case,activity,complete'];
  const at = (k: number, minutes: number) => new Date(base + k * 3_600_000 + minutes * 60_000).toISOString();
  for (let k = 0; k < 20; k++) {
    const c = `c${k}`;
    const path = k < 10 ? ['Treat'] : k < 14 ? ['Treat', 'Refer'] : ['Refer'];
    ['Check in', 'Triage', ...path, 'Done'].forEach((activity, i) => {
      lines.push(`${c},${activity},${at(k, 10 * i)}`);
    });
  }
  return readCsvLogText(lines.join('\n'), {
    mapping: { case: 'case', activity: 'activity', timestamp: 'complete' },
  }).log;
}

describe('the discovered workflow', () => {
  const discovery = discoverWorkflow(log(), createLocalClock('UTC'));
  const { workflow } = discovery;
  const id = (label: string) => workflow.steps.find((s) => s.label === label)?.id;

  it('shows the chance of each way out of a step that branches, as the workflow carries it', () => {
    render(
      <DiscoveredWorkflow workflow={workflow} summary={discovery.filters}>
        <p>map</p>
      </DiscoveredWorkflow>,
    );
    const table = screen.getByRole('table', { name: /What follows what/ });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    const row = (from: string, to: string) => rows.find((r) => r[0] === from && r[1] === to);
    // after triage: 14 of 20 treated (70 %), 6 referred (30 %)
    expect(row('Triage', 'Treat')).toEqual(['Triage', 'Treat', '14', '70 %']);
    expect(row('Triage', 'Refer')).toEqual(['Triage', 'Refer', '6', '30 %']);
    // after treating: 4 of 14 referred, the rest done
    expect(row('Treat', 'Refer')).toEqual(['Treat', 'Refer', '4', '29 %']);
    expect(row('Treat', 'Done')).toEqual(['Treat', 'Done', '10', '71 %']);
    // the one way out of check-in: every case
    expect(row('Check in', 'Triage')).toEqual(['Check in', 'Triage', '20', '100 %']);
    // what is shown is what the workflow carries: each branching step's chances add up to one
    const triage = workflow.flows.filter((f) => f.from === id('Triage'));
    expect(triage.map((f) => f.probability).reduce((a = 0, b = 0) => a + b, 0)).toBeCloseTo(1, 9);
    expect(triage.find((f) => f.to === id('Treat'))?.probability).toBeCloseTo(0.7, 9);
  });
});
