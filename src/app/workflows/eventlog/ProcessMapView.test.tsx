/**
 * The process map of a log with loops, as the screen draws it from the core's map: figures on the
 * arrows (how often, how long, in opening hours when asked), the repeat and the loop back, the
 * path slider thinning the map without cutting it, the activity share joining a left-out
 * activity's neighbours, and each box's activity time where the log has starts and completes.
 * jsdom has no Worker: the map is laid out by the core's own layout in the test's thread (the
 * view's `layoutMap`).
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import {
  buildProcessMap,
  createLocalClock,
  createWorkingTime,
  type ProcessMap,
  readCsvLogText,
} from '../../../core/workflow/eventlog/index.ts';
import { layoutProcessMap } from '../../../core/workflow/layout/index.ts';
import { analyzeWaits, plantedLog } from '../../../core/workflow/waits/index.ts';
import { DEFAULT_MAP_SETTINGS, type MapSettings, ProcessMapView } from './ProcessMapView.tsx';

/**
 * 40 visits on Monday 2 March 2026 (UTC): 20 straight through; 8 back from the lab to the doctor
 * the next morning (Labs 17:00 → Visit 09:00: 16 h elapsed, 2 h of an 08–18 day); 5 without
 * triage; 4 with the lab test repeated; 3 with a fax.
 */
function loopLog() {
  const variants: Array<[number, Array<[string, string]>]> = [
    [
      20,
      [
        ['Check in', '08:00'],
        ['Triage', '08:10'],
        ['Visit', '08:30'],
        ['Check out', '09:00'],
      ],
    ],
    [
      8,
      [
        ['Check in', '14:00'],
        ['Triage', '14:10'],
        ['Visit', '14:30'],
        ['Labs', '17:00'],
        ['Visit', '+09:00'],
        ['Check out', '+09:30'],
      ],
    ],
    [
      5,
      [
        ['Check in', '10:00'],
        ['Visit', '10:20'],
        ['Check out', '10:50'],
      ],
    ],
    [
      4,
      [
        ['Check in', '11:00'],
        ['Triage', '11:10'],
        ['Visit', '11:30'],
        ['Labs', '11:50'],
        ['Labs', '12:20'],
        ['Visit', '12:50'],
        ['Check out', '13:10'],
      ],
    ],
    [
      3,
      [
        ['Check in', '12:00'],
        ['Triage', '12:10'],
        ['Fax records', '12:40'],
        ['Visit', '13:00'],
        ['Check out', '13:20'],
      ],
    ],
  ];
  const rows = ['visit,activity,time'];
  let visit = 1;
  for (const [count, steps] of variants) {
    for (let k = 0; k < count; k++, visit++) {
      for (const [activity, at] of steps) {
        const day = at.startsWith('+') ? '2026-03-03' : '2026-03-02';
        rows.push(`V${visit},${activity},${day}T${at.replace('+', '')}:${String(k).padStart(2, '0')}Z`);
      }
    }
  }
  return readCsvLogText(rows.join('\n'), {
    mapping: { case: 'visit', activity: 'activity', timestamp: 'time' },
  }).log;
}

/** 5 visits with a start and a complete per row: Check in takes 5 min, Visit 10–60 min. */
function timedLog() {
  const rows = ['visit,activity,start,complete'];
  [10, 20, 20, 30, 60].forEach((minutes, k) => {
    const hour = String(8 + k).padStart(2, '0');
    rows.push(`T${k},Check in,2026-03-02T${hour}:00:00Z,2026-03-02T${hour}:05:00Z`);
    const end = new Date(Date.parse(`2026-03-02T${hour}:15:00Z`) + minutes * 60_000).toISOString();
    rows.push(`T${k},Visit,2026-03-02T${hour}:15:00Z,${end}`);
  });
  return readCsvLogText(rows.join('\n'), {
    mapping: { case: 'visit', activity: 'activity', start: 'start', complete: 'complete' },
  }).log;
}

/** The map on screen with its settings held as the discovery panel holds them. */
function MapOnScreen({
  map,
  measure,
  activities = 100,
  initial = DEFAULT_MAP_SETTINGS,
}: {
  map: ProcessMap;
  measure: 'frequency' | 'performance';
  activities?: number;
  initial?: MapSettings;
}) {
  const [settings, setSettings] = useState(initial);
  return (
    <ProcessMapView
      layoutMap={layoutProcessMap}
      map={map}
      measure={measure}
      measureHref={(m) => `#/workflows/logs/discover/map/${m}`}
      settings={settings}
      onSettings={setSettings}
      activities={activities}
      onActivities={() => {}}
    />
  );
}

const drawn = () => waitFor(() => screen.getByRole('img', { name: /Process map/ }));
const arrow = (svg: Element, from: string, to: string) =>
  svg.querySelector(`g.map-edge[data-from-name="${from}"][data-to-name="${to}"]`);
const label = (svg: Element, from: string, to: string) =>
  arrow(svg, from, to)?.querySelector('text')?.textContent;
const figure = (svg: Element, name: string) =>
  svg.querySelector(`g.map-activity[data-name="${name}"] .map-activity-figure`)?.textContent;

async function slide(name: RegExp, value: number): Promise<void> {
  await act(async () => {
    fireEvent.change(screen.getByRole('slider', { name }), { target: { value: String(value) } });
  });
}

describe('the process map of a log with loops', () => {
  const log = loopLog();

  it('counts each arrow, draws the repeat and the loop back, and thins without cutting the flow', async () => {
    render(
      <MapOnScreen
        map={buildProcessMap(log)}
        measure="frequency"
        initial={{ ...DEFAULT_MAP_SETTINGS, paths: 100 }}
      />,
    );
    let svg = await drawn();
    await waitFor(() => expect(svg.querySelectorAll('g.map-edge')).toHaveLength(11));
    // 8 + 4 loop back; the arrow from the start carries every visit, and is the widest
    expect(label(svg, 'Labs', 'Visit')).toBe('12');
    expect(label(svg, 'start', 'Check in')).toBe('40');
    expect(arrow(svg, 'Labs', 'Labs')).not.toBeNull();
    const width = (from: string, to: string) =>
      Number.parseFloat(arrow(svg, from, to)?.querySelector('path')?.getAttribute('stroke-width') ?? '0');
    expect(width('start', 'Check in')).toBeGreaterThan(width('Labs', 'Visit'));

    // no paths but the backbone: every activity still reached from the start
    await slide(/^Paths:/, 0);
    await waitFor(() => {
      svg = screen.getByRole('img', { name: /Process map/ });
      expect(svg.querySelectorAll('g.map-edge').length).toBeLessThan(11);
    });
    expect(svg.querySelectorAll('g.map-activity')).toHaveLength(6);
    expect(arrow(svg, 'Labs', 'Labs')).toBeNull();
    await slide(/^Paths:/, 100);
    await waitFor(() =>
      expect(screen.getByRole('img', { name: /Process map/ }).querySelectorAll('g.map-edge')).toHaveLength(
        11,
      ),
    );
  });

  it('leaves out the rarest activity at 84 % and joins its neighbours', async () => {
    expect(label(await renderDrawn(buildProcessMap(log), 100), 'Triage', 'Visit')).toBe('32');
    // the fax (3 times) goes, and its patients go from triage straight to the visit
    const svg = await renderDrawn(buildProcessMap(log, { activityShare: 0.84 }), 84);
    expect(screen.getAllByText('5 of 6 (84 %)').length).toBeGreaterThan(0);
    expect(svg.querySelector('g.map-activity[data-name="Fax records"]')).toBeNull();
    expect(label(svg, 'Triage', 'Visit')).toBe('35');
  });

  it('gives each arrow its wait, elapsed or in opening hours, and says why boxes have no time', async () => {
    const elapsed = await renderDrawn(buildProcessMap(log), 100, 'performance');
    expect(label(elapsed, 'Labs', 'Visit')).toBe('16 h');
    expect(figure(elapsed, 'Visit')).toBe('no duration');
    screen.getByText(/No durations in the boxes: the log has completion times only\./);
    expect(screen.queryByText(/in opening hours only/)).toBeNull();

    // 17:00–18:00 and 08:00–09:00 of an 08–18 day
    const hours = createWorkingTime(
      { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 },
      createLocalClock('UTC'),
    );
    const working = await renderDrawn(
      buildProcessMap(log, { measure: hours, workingTime: true }),
      100,
      'performance',
    );
    expect(label(working, 'Labs', 'Visit')).toBe('2 h');
    screen.getByText(/in opening hours only/);
  });

  it('gives each box its activity’s middle or average time when the log has starts and completes', async () => {
    render(<MapOnScreen map={buildProcessMap(timedLog())} measure="performance" />);
    const svg = await drawn();
    // Visit took 10, 20, 20, 30 and 60 minutes: middle value 20 min, average 28 min
    screen.getByText(/Figures in boxes: the middle time an activity took/);
    expect(figure(svg, 'Visit')).toBe('20 min');
    expect(figure(svg, 'Check in')).toBe('5 min');
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: /^Time/ }), { target: { value: 'mean' } });
    });
    await waitFor(() =>
      expect(figure(screen.getByRole('img', { name: /Process map/ }), 'Visit')).toBe('28 min'),
    );
  });
});

/** Renders a map alone on the screen and waits for its drawing. */
async function renderDrawn(
  map: ProcessMap,
  activities: number,
  measure: 'frequency' | 'performance' = 'frequency',
): Promise<Element> {
  cleanup();
  render(
    <MapOnScreen
      map={map}
      measure={measure}
      activities={activities}
      initial={{ ...DEFAULT_MAP_SETTINGS, paths: 100 }}
    />,
  );
  return drawn();
}

describe('why cases wait, in the performance view', () => {
  it('shows each activity’s waiting by cause under the map in the performance view only', async () => {
    const log = readCsvLogText(plantedLog(['batching'], 5, 1), {
      mapping: { case: 'case', activity: 'activity', start: 'start', complete: 'end', resource: 'resource' },
    }).log;
    const map = buildProcessMap(log);
    const waits = analyzeWaits(log, createLocalClock('UTC')).activities;
    const view = (measure: 'frequency' | 'performance') => (
      <ProcessMapView
        layoutMap={layoutProcessMap}
        map={map}
        waits={waits}
        measure={measure}
        measureHref={(m) => `#/workflows/logs/discover/map/${m}`}
        settings={DEFAULT_MAP_SETTINGS}
        onSettings={() => {}}
        activities={100}
      />
    );
    const { rerender } = render(view('performance'));
    await drawn();
    expect(screen.getByRole('heading', { name: 'Why cases wait' })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Approve refill: .* held for a batch 9\d %/ })).toBeTruthy();
    rerender(view('frequency'));
    expect(screen.queryByRole('heading', { name: 'Why cases wait' })).toBeNull();
    cleanup();
  });
});

describe('the process map of a log without times', () => {
  it('counts the arrows, offers no performance view, and says plainly what it cannot show', async () => {
    const csv = ['case,activity', 'c1,Check in', 'c1,Visit', 'c2,Check in', 'c2,Visit', 'c3,Check in'].join(
      '\n',
    );
    const map = buildProcessMap(readCsvLogText(csv, { mapping: { case: 'case', activity: 'activity' } }).log);
    // asked for the performance view (an address kept from a timed log): frequencies are shown
    render(<MapOnScreen map={map} measure="performance" initial={{ ...DEFAULT_MAP_SETTINGS, paths: 100 }} />);
    const svg = await drawn();
    expect(label(svg, 'Check in', 'Visit')).toBe('2');
    screen.getByText(/The log has no times/);
    screen.getByText(/No durations, no waits and no performance view can be shown/);
    expect(screen.queryByRole('link', { name: /Performance/i })).toBeNull();
    cleanup();
  });
});
