/**
 * What a column profile's top values mean, in words for the people who read the report: whether
 * the counts listed are every cell's, or only those counted before the column held more different
 * values than the profile keeps (columnProfile.ts).
 */
import type { ColumnProfile } from '../../formats/report.ts';
import { MAX_TRACKED_VALUES } from './columnProfile.ts';

/** Whether a profile's top values are partial: the column passed the values the profile keeps. */
function topValuesPartial(profile: Pick<ColumnProfile, 'approximate' | 'topPartial'>): boolean {
  return profile.approximate === true || profile.topPartial === true;
}

/**
 * The sentence shown with a profile's top values when they are partial (undefined when every
 * count is exact): the counts stop where the column passed the values kept, so each is at least
 * the real count, and a value first met later is not listed.
 */
export function topValuesNote(
  profile: Pick<ColumnProfile, 'approximate' | 'topPartial'>,
): string | undefined {
  if (!topValuesPartial(profile)) return undefined;
  const kept = MAX_TRACKED_VALUES.toLocaleString('en-US');
  return `Counted only up to the row where the column passed ${kept} different values: each count is a minimum, and a value that first appears after that row is not listed.`;
}
