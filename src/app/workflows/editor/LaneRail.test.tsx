import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../testSamples.ts';
import { layoutCanvas } from './canvasModel.ts';
import { LaneRailView, laneRailNarrow, laneRailScale, laneRailWidth } from './LaneRail.tsx';

describe('laneRailScale', () => {
  it("draws the names at the diagram's zoom where the canvas has room", () => {
    expect(laneRailScale(0.9, 1216)).toBe(0.9);
    expect(laneRailScale(1.866, 1216)).toBe(1.866);
  });

  it('keeps the rail to 40 % of a tablet’s canvas zoomed in, its names still 9 px or more', () => {
    const scale = laneRailScale(2, 700);
    expect(laneRailWidth(2, 700)).toBeCloseTo(0.4 * 700);
    expect(12 * scale).toBeGreaterThanOrEqual(9);
  });

  it('never draws the names larger than the diagram', () => {
    expect(laneRailScale(0.5, 800)).toBe(0.5);
  });

  it('gives a phone’s canvas a strip 28 px wide at any zoom, its names at their own size', () => {
    expect(laneRailNarrow(364)).toBe(true);
    expect(laneRailNarrow(1216)).toBe(false);
    for (const zoom of [0.5, 1, 2]) {
      expect(laneRailWidth(zoom, 364)).toBe(28);
      expect(laneRailScale(zoom, 364)).toBe(1);
    }
  });
});

describe('LaneRailView', () => {
  const layout = layoutCanvas(sampleWorkflow('patient-intake.current'));
  const panned = { x: -700, y: 40, zoom: 2 };

  it('draws nothing while the lane headers are in view', () => {
    const { container } = render(
      <LaneRailView layout={layout} view={{ x: -layout.left * 2, y: 0, zoom: 2 }} canvasWidth={364} />,
    );
    expect(container.querySelector('.wf-lane-rail')).toBeNull();
  });

  it('on a phone, sets each name on end beside its lane, the whole name and staff on hover', () => {
    const { container } = render(<LaneRailView layout={layout} view={panned} canvasWidth={364} />);
    const rail = container.querySelector<HTMLElement>('.wf-lane-rail');
    expect(rail?.className).toBe('wf-lane-rail is-narrow');
    expect(rail?.getAttribute('aria-hidden')).toBe('true');
    expect(rail?.style.transform).toBe('translate(0px, 40px) scale(1)');
    const headers = [...container.querySelectorAll<HTMLElement>('.wf-lane-rail-header')];
    expect(headers.map((h) => h.querySelector('.wf-lane-name')?.textContent)).toEqual(
      layout.lanes.map((lane) => lane.name),
    );
    for (const [i, header] of headers.entries()) {
      const lane = layout.lanes[i];
      if (!lane) throw new Error('a header without its lane');
      expect(header.style.top).toBe(`${lane.top * 2}px`);
      expect(header.style.height).toBe(`${lane.height * 2}px`);
      expect(header.title).toBe(
        `${lane.name}, ${lane.staff === 0 ? 'Not a staffed role' : `${lane.staff} on shift`}`,
      );
      // the staff line is the tooltip's only, so the strip stays a line wide
      expect(header.querySelector('.wf-lane-staff')).toBeNull();
    }
  });

  it('on a wide canvas, draws the names and staff at the diagram’s zoom, without a tooltip', () => {
    const { container } = render(<LaneRailView layout={layout} view={panned} canvasWidth={1216} />);
    expect(container.querySelector('.wf-lane-rail')?.className).toBe('wf-lane-rail');
    const header = container.querySelector<HTMLElement>('.wf-lane-rail-header');
    expect(header?.title).toBe('');
    expect(header?.querySelector('.wf-lane-staff')?.textContent).toMatch(/on shift|Not a staffed role/);
  });
});
