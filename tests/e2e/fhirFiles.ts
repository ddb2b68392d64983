/**
 * What the specs that check FHIR files on the Migration workspace share (fhirFollowOnWaiver,
 * fhirWaiverRows, fhirHostile, fhirPackageDifferentials, fhirPackages, fhirUnknownExtensions,
 * fhirValidation): a temporary folder for the spec's files with the workspace open in a watched
 * browser, the FHIR files section and its parts by role and label, and the steps a data team takes
 * there. Every wait is on something the page shows, never on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { launchBrowser, openApp, type Watched } from './browser.ts';

/** The Migration workspace open in a watched browser, beside a temporary folder for its files. */
export interface MigrationSession {
  /** the spec's temporary folder, removed by {@link MigrationSession.close} */
  dir: string;
  browser: Browser;
  context: BrowserContext;
  app: Watched;
  /** closes the browser and removes the folder */
  close(): Promise<void>;
}

/**
 * Makes a temporary folder named from `prefix`, launches the browser and opens the Migration
 * workspace in a context with `contextOptions` (1440 × 1000 unless given). What started is closed
 * again when a later step fails.
 */
export async function openMigration(
  prefix: string,
  contextOptions: BrowserContextOptions = { viewport: { width: 1440, height: 1000 } },
): Promise<MigrationSession> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    browser = await launchBrowser();
    const context = await browser.newContext(contextOptions);
    const app = await openApp(context, '#/migration');
    return { dir, browser, context, app, close };
  } catch (error) {
    await close();
    throw error;
  }
}

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
export const FIRST_RUN_TIMEOUT_MS = 60_000;

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

/** What a data lead writes when accepting a problem. */
export interface Acceptance {
  why: string;
  owner: string;
  /** the last day, as the date input takes it (YYYY-MM-DD) */
  until: string;
  /** the rows it is limited to (e.g. `1-8`), when it is */
  rows?: string;
}

/**
 * Opens the accept form of the problem behind `button` in `report`, fills it with `acceptance` and
 * saves it; the spec waits for the mark it expects.
 */
export async function acceptProblem(report: Locator, button: Locator, acceptance: Acceptance): Promise<void> {
  await button.click();
  const form = report.getByRole('group', { name: /^Accept / });
  await form.getByLabel('Why it is accepted').fill(acceptance.why);
  await form.getByLabel('Owner (who answers for it)').fill(acceptance.owner);
  await form.getByLabel('Accepted until (last day)').fill(acceptance.until);
  if (acceptance.rows !== undefined)
    await form.getByLabel('Only in rows (optional, e.g. 12, 40-45)').fill(acceptance.rows);
  await form.getByRole('button', { name: 'Save the acceptance' }).click();
}

/** The console lines of errors the page printed (what the waiver specs require to be none). */
export const consoleErrors = (app: Watched) =>
  app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'));
