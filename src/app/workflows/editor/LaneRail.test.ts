import { describe, expect, it } from 'vitest';
import { laneRailScale, laneRailWidth } from './LaneRail.tsx';

describe('laneRailScale', () => {
  it("draws the names at the diagram's zoom where the canvas has room", () => {
    expect(laneRailScale(0.9, 1216)).toBe(0.9);
    expect(laneRailScale(1.866, 1216)).toBe(1.866);
  });

  it('keeps the rail to 40 % of a phone’s canvas zoomed in, its names still 9 px or more', () => {
    const scale = laneRailScale(2, 364);
    expect(laneRailWidth(2, 364)).toBeCloseTo(0.4 * 364);
    expect(12 * scale).toBeGreaterThanOrEqual(9);
    // a canvas too narrow for both: the names stay readable, the rail takes what they need
    expect(laneRailScale(2, 200)).toBe(0.75);
  });

  it('never draws the names larger than the diagram', () => {
    expect(laneRailScale(0.5, 364)).toBe(0.5);
  });
});
