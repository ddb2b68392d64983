/**
 * What the boxes of a process map say in the performance view: each activity's active time, from
 * its start to its complete, where the log recorded both (src/core's `buildProcessMap`).
 */
import type { ProcessMap } from '../../../core/workflow/eventlog/index.ts';
import { plural } from '../../common/format.ts';

/** Which figure of a duration the performance view shows. */
export type PerformanceFigure = 'median' | 'mean';

/** The line under the map that says what the boxes' times are, in the performance view. */
export function activityTimesNote(map: ProcessMap, performance: PerformanceFigure): string {
  const shown = map.activities.slice(0, map.shown);
  const timed = shown.filter((a) => a.duration).length;
  if (map.activities.every((a) => !a.duration))
    return 'No durations in the boxes: the log has completion times only.';
  const figure = performance === 'mean' ? 'average' : 'middle';
  const hours = map.workingTime ? ', in opening hours only' : '';
  const some =
    timed < shown.length
      ? ` ${plural(shown.length - timed, 'activity', 'activities')} without a start time ${shown.length - timed === 1 ? 'has' : 'have'} none.`
      : '';
  return `Figures in boxes: the ${figure} time an activity took, from its start to its complete${hours}.${some}`;
}
