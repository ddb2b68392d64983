/**
 * axe-core on one region of a page: for a journey's later states, where the page around the region
 * passed axe already and only the region changed. The rules that judge a whole document (one main
 * landmark, a level-one heading, every element in a landmark) need the whole page: the page's own
 * check (browser.ts `axeViolations`) gives them. On a long sign-off screen a region costs a
 * fraction of the page: axe's time grows with the elements it visits.
 */
import type { Locator } from 'playwright-core';
import { type AxeViolation, runAxe } from './browser.ts';

/** axe's violations inside `region` (its first match), with the rules the page's check runs. */
export function axeRegionViolations(region: Locator): Promise<AxeViolation[]> {
  return runAxe(region.page(), region);
}
