/**
 * The Readiness screen's tabs for end-to-end journeys: each journey moves between them as a user
 * does, by clicking a tab by its name.
 */
import type { Page } from 'playwright-core';

/** The Readiness screen's tabs, as the tab list names them, in the order shown. */
export const READINESS_TAB_NAMES = [
  'Go/no-go',
  'Phases',
  'Training and support',
  'Downtime and safety',
  'Cutover and command centre',
  'Gates',
  'Steering decision',
  'Evidence pack',
] as const;

export type ReadinessTabName = (typeof READINESS_TAB_NAMES)[number];

/** A tab of the Readiness screen. */
export const readinessTab = (page: Page, name: ReadinessTabName) =>
  page.getByRole('tablist', { name: 'Readiness' }).getByRole('tab', { name, exact: true });

/** Shows a tab of the Readiness screen by clicking it, and waits until it is the selected one. */
export async function openReadinessTab(page: Page, name: ReadinessTabName): Promise<void> {
  const tab = readinessTab(page, name);
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await page
    .getByRole('tablist', { name: 'Readiness' })
    .getByRole('tab', { name, exact: true, selected: true })
    .waitFor();
}
