/**
 * The log's findings marked on the process map: the activity a long wait is before and the arrows
 * into it carry a mark with the finding's words, and the map's description counts the marked
 * places. jsdom has no Worker: the map is laid out by the core's own layout in the test's thread (the
 * view's `layoutMap`).
 */
import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  buildProcessMap,
  createLocalClock,
  discoverWorkflow,
  readCsvLogText,
} from '../../../core/workflow/eventlog/index.ts';
import { logFindingMarks, logFindings } from '../../../core/workflow/index.ts';
import { layoutProcessMap } from '../../../core/workflow/layout/index.ts';
import { DEFAULT_MAP_SETTINGS, ProcessMapView } from './ProcessMapView.tsx';

/** 6 cases that wait 3 hours between checking in and the review. */
function log() {
  const base = Date.UTC(2025, 5, 2, 8, 0);
  const lines = ['case,activity,start,complete,who'];
  for (let k = 1; k <= 6; k++) {
    for (const [activity, at, who] of [
      ['Check in', 0, 'Sam'],
      ['Review', 185, 'Kim'],
    ] as const) {
      const start = base + at * 60_000;
      lines.push(
        `c${k},${activity},${new Date(start).toISOString()},${new Date(start + 300_000).toISOString()},${who}`,
      );
    }
  }
  return readCsvLogText(lines.join('\n'), {
    mapping: { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' },
  }).log;
}

describe('ProcessMapView with the log’s findings', () => {
  it('marks the long wait on the activity waited for and the arrow into it', async () => {
    const events = log();
    const workflow = discoverWorkflow(events, createLocalClock('UTC')).workflow;
    const findings = logFindings(workflow);
    expect(findings.map((f) => f.rule)).toContain('long-wait');
    render(
      <ProcessMapView
        layoutMap={layoutProcessMap}
        map={buildProcessMap(events)}
        measure="frequency"
        measureHref={(m) => `#/workflows/logs/discover/map/${m}`}
        settings={DEFAULT_MAP_SETTINGS}
        onSettings={() => {}}
        activities={100}
        marks={logFindingMarks(workflow, findings)}
      />,
    );
    const map = await waitFor(() => screen.getByRole('img', { name: /Process map/ }));
    expect(map.getAttribute('aria-label')).toContain('2 places marked with what the log shows');
    const review = map.querySelector('.map-activity[data-name="Review"]');
    expect(review?.getAttribute('data-findings')).toBe('long-wait');
    expect(review?.querySelector('title')?.textContent).toContain('Cases wait a median of');
    expect(map.querySelector('.map-activity[data-name="Check in"]')?.hasAttribute('data-findings')).toBe(
      false,
    );
    const arrow = map.querySelector('.map-edge[data-from-name="Check in"][data-to-name="Review"]');
    expect(arrow?.getAttribute('data-findings')).toBe('long-wait');
  });
});
