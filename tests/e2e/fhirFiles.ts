/**
 * What the specs that check FHIR files on the Migration workspace share (journeyFhir, fhirHostile):
 * the FHIR files section and its parts by role and label, and the steps a data team takes there.
 * Every wait is on something the page shows, never on time.
 */
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { scaled } from '../waits.ts';

/** The one file input of the Migration workspace: extracts and FHIR files alike. */
export const extractFiles = (page: Page) =>
  page.getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)');

/** The FHIR files section of the Migration workspace. */
export const fhirSection = (page: Page) => page.getByRole('region', { name: 'FHIR files' });

/** The FHIR files' validation result, once there is one. */
export const fhirResult = (page: Page) =>
  fhirSection(page).getByRole('region', { name: 'Validation result' });

/** The panel of implementation guide packages. */
export const packagesPanel = (page: Page) =>
  page.getByRole('region', { name: 'Implementation guide packages' });

/** The label of the button that validates `count` chosen FHIR files. */
export const validateLabel = (count: number) => `Validate ${count} FHIR file${count === 1 ? '' : 's'}`;

/** Chooses FHIR files (paths) in the file input and waits until the FHIR section lists each. */
export async function chooseFhirFiles(page: Page, paths: string | readonly string[]): Promise<void> {
  const all = typeof paths === 'string' ? [paths] : paths;
  await extractFiles(page).setInputFiles([...all]);
  for (const path of all) await fhirSection(page).getByText(basename(path)).first().waitFor();
}

/** How long a spec gives a first FHIR run on a cold worker to show its scores. */
export const FIRST_RUN_TIMEOUT_MS = scaled(60_000);

/**
 * Presses the FHIR section's Validate button for `count` files and waits for the run's scores (up
 * to `timeout` ms; Playwright's default when not given): for a page that shows no result yet, as a
 * result already on screen would answer at once. The result, to read.
 */
export async function validateFhirFiles(page: Page, count: number, timeout?: number): Promise<Locator> {
  await fhirSection(page)
    .getByRole('button', { name: validateLabel(count) })
    .click();
  const result = fhirResult(page);
  await result.getByTestId('score-records').waitFor({ timeout });
  return result;
}
