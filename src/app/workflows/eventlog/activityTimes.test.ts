import { describe, expect, it } from 'vitest';
import type { MapActivity, ProcessMap } from '../../../core/workflow/eventlog/index.ts';
import { activityTimesNote } from './activityTimes.ts';

const timed = (name: string): MapActivity => ({
  name,
  n: 2,
  cases: 2,
  duration: { medianMin: 10, meanMin: 12, timed: 2 },
});
const untimed = (name: string): MapActivity => ({ name, n: 1, cases: 1 });

function map(activities: MapActivity[], shown = activities.length, workingTime = false): ProcessMap {
  return {
    cases: 2,
    casesDrawn: 2,
    activities,
    shown,
    edges: [],
    variants: [],
    variantCount: 0,
    workingTime,
  };
}

describe('activityTimesNote', () => {
  it.each([
    {
      title: 'a log of completion times only',
      map: map([untimed('Visit'), untimed('Labs')]),
      note: 'No durations in the boxes: the log has completion times only.',
    },
    {
      title: 'every activity timed',
      map: map([timed('Visit'), timed('Labs')]),
      note: 'Figures in boxes: the middle time an activity took, from its start to its complete.',
    },
    {
      title: 'one shown activity without a start',
      map: map([timed('Visit'), untimed('Labs')]),
      note: 'Figures in boxes: the middle time an activity took, from its start to its complete. 1 activity without a start time has none.',
    },
    {
      title: 'the untimed activity left out by the slider',
      map: map([timed('Visit'), untimed('Labs')], 1),
      note: 'Figures in boxes: the middle time an activity took, from its start to its complete.',
    },
    {
      title: 'working time',
      map: map([timed('Visit'), untimed('Labs'), untimed('Fax')], 3, true),
      note: 'Figures in boxes: the middle time an activity took, from its start to its complete, in opening hours only. 2 activities without a start time have none.',
    },
  ])('says what the boxes show: $title', ({ map: m, note }) => {
    expect(activityTimesNote(m, 'median')).toBe(note);
  });

  it('names the average when the view shows means', () => {
    expect(activityTimesNote(map([timed('Visit')]), 'mean')).toMatch(/^Figures in boxes: the average time/);
  });
});
