/**
 * The demo sign-off journey's shared steps (the lead's and the clinician's journeys): the demo
 * plan's card and review region, a decision made with its key and waited for until "Saved", a
 * download from the review, and the steps from the plan to the first record in view.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

/** The demo clinic's patient extract (the plan's dataset is named patients.csv). */
export const DEMO_PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
/** The demo plan reviewed in these journeys. */
export const DEMO_PLAN = 'Patient demographics: whole-file sample';

/** The demo plan's card. */
export const planCard = (page: Page): Locator => page.getByRole('article', { name: DEMO_PLAN });
/** The demo plan's review region. */
export const planReview = (page: Page): Locator =>
  page.getByRole('region', { name: `Review of ${DEMO_PLAN}` });
/** The review's sign panel. */
export const signPanel = (page: Page): Locator => planReview(page).getByRole('region', { name: 'Sign off' });

/**
 * Types why the record in view is rejected into its comment (a rejection needs a comment or a field
 * marked wrong) and returns the keyboard to the record with Esc.
 */
export async function rejectionComment(page: Page, scope: Locator): Promise<void> {
  await scope.getByLabel(/^Comment/).fill('The date of birth differs from the legacy record.');
  await page.keyboard.press('Escape');
}

/**
 * Presses `key` in the record region (for R, after typing why) and waits until the decision it
 * makes shows "Saved".
 */
export async function decide(page: Page, key: string, record: number, word: string): Promise<void> {
  if (key === 'r') await rejectionComment(page, planReview(page));
  await page.keyboard.press(key);
  await planReview(page)
    .getByTestId('save-status')
    .filter({ hasText: `Saved: record ${record} ${word}.` })
    .waitFor();
}

/** Clicks the review's `button` and saves the file it downloads as `dir/name`; returns its path. */
export async function downloadFromReview(
  page: Page,
  button: string,
  dir: string,
  name: string,
): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    planReview(page).getByRole('button', { name: button }).click(),
  ]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

/** Who reviews: the identity typed into the review before the first record opens. */
export interface Reviewer {
  name: string;
  role: string;
  id: string;
}

/**
 * Locks the demo plan on `file`, draws its sample (59 records), types the `reviewer` (if given)
 * and opens `file` for review until record 1 of 59 is in view.
 */
export async function openFirstRecord(page: Page, file: string, reviewer?: Reviewer): Promise<void> {
  await planCard(page).getByLabel('Data files').setInputFiles(file);
  await planCard(page).getByRole('button', { name: 'Lock the plan' }).click();
  await planCard(page).getByTestId('plan-hash').waitFor();
  const panel = planReview(page);
  await panel.getByLabel('Data files for the sample').setInputFiles(file);
  await panel.getByText('59 records drawn').waitFor();
  if (reviewer) {
    await panel.getByLabel('Printed name', { exact: true }).fill(reviewer.name);
    await panel.getByLabel('Role', { exact: true }).fill(reviewer.role);
    await panel.getByLabel('Staff id', { exact: true }).fill(reviewer.id);
  }
  await panel.getByLabel('Data file to review').setInputFiles(file);
  await panel.getByRole('region', { name: 'Record 1 of 59' }).waitFor();
}
