/**
 * Journey: a data analyst pulls the new EHR's patients through the FHIR server panel from a server
 * that offers bulk export (`$export`, the local test server with the demo clinic's patients). The
 * panel says the server offers it and follows the export as it happens: started, the server
 * preparing it (its own progress words, the next check as Retry-After asks), downloading. A
 * cancelled export is withdrawn on the server; a failed one says what happened and offers to read
 * the same records page by page instead. A finished export is downloaded as NDJSON (every patient,
 * once) and validated. The FHIR checks chosen under "FHIR files" are the project's: after a
 * reload a new pull is validated with them, and a project export and import carries them. When
 * the administrator switches bulk export off, the panel says so and reads page by page, without
 * asking for an export.
 *
 * Self-contained: the FHIR server starts on a free port and the browser reaches it as the one
 * origin the shared FHIR build allows in its CSP (fhirApp.ts, fhirBuild.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from '../fhirServer/demoServer.ts';
import { axeViolations, type Watched, waitForSaved } from './browser.ts';
import { connectLocalFhirServer, type FhirAppSession, startFhirAppSession } from './fhirApp.ts';

const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let session: FhirAppSession<DemoFhirServer> | undefined;
let fhir: DemoFhirServer;
let watched: Watched;

/** Whether the server offers `$export` now (its administrator's switch). */
let offered = true;
/** Every request the server was asked, as it saw it. */
const requests: { method: string; path: string; search: string }[] = [];
/** While set, the second status check of an export waits for `release` (a slow export). */
let hold: { reached: () => void; released: Promise<void> } | undefined;
/** While true, the next status check of an export fails (the server's export job broke). */
let failNextStatus = false;

const isStatusCheck = (r: { method: string; path: string }) =>
  r.method === 'GET' && r.path.startsWith('$export-status/');

/** Makes the server keep the second status check of the next export unanswered, until released. */
function holdSecondStatusCheck(): { reached: Promise<void>; release: () => void } {
  let reached = () => {};
  let release = () => {};
  const reachedPromise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = () => {
      hold = undefined;
      resolve();
    };
  });
  hold = { reached, released };
  return { reached: reachedPromise, release };
}

const dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-export-'));
/** A FHIR file to drop: it puts the "FHIR files" section, with its checks, on screen. */
const onePatient = join(dir, 'one-patient.json');
writeFileSync(onePatient, JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }));

const unknownAsWarnings = (page: Page) =>
  page
    .getByRole('region', { name: 'FHIR files' })
    .getByRole('group', { name: 'Report unknown extensions' })
    .getByRole('radio', { name: 'As warnings: listed, but the resource still counts as valid' });
const panel = (page: Page) => page.getByRole('region', { name: 'FHIR server' });
const pulledItem = (page: Page) =>
  panel(page)
    .getByRole('listitem')
    .filter({ hasText: /^Patient from http:\/\/127\.0\.0\.1:\d+:/ });

beforeAll(async () => {
  session = await startFhirAppSession((options) =>
    startDemoFhirServer({
      ...options,
      bulkExport: () => offered,
      beforeAnswer: (request) => {
        requests.push(request);
        if (!isStatusCheck(request)) return;
        if (failNextStatus) {
          failNextStatus = false;
          throw new Error('The export job stopped');
        }
        const checks = requests.filter((r) => r.path === request.path && isStatusCheck(r)).length;
        if (hold && checks === 2) {
          hold.reached();
          return hold.released;
        }
      },
    }),
  );
  ({ fhir, watched } = session);
  await watched.page.getByRole('link', { name: 'Migration' }).click();
  await panel(watched.page).waitFor();
}, 180_000);

afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bulk export through the FHIR server panel', () => {
  it('says the server offers bulk export', async () => {
    const { page } = watched;
    await connectLocalFhirServer(page, fhir.baseUrl);
    await panel(page)
      .getByRole('status')
      .filter({ hasText: /6 kinds of record; offers bulk export\.$/ })
      .waitFor();
  });

  it('shows the server preparing the export, and withdraws it there when cancelled', async () => {
    const { page } = watched;
    const slow = holdSecondStatusCheck();
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await slow.reached;
    // the first check said "in progress" and to come back in a second; the second is unanswered
    await panel(page)
      .getByRole('status')
      .filter({
        hasText: `${fhir.origin} is preparing the Patient export (it says: “in progress”). Checking again in 1 second (check 1)…`,
      })
      .waitFor();
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) await panel(page).screenshot({ path: join(SHOTS, `fhir-export-preparing-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await panel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    const alert = panel(page).getByRole('alert');
    await alert.getByText('Cancelled while exporting Patient records.').waitFor();
    // a cancelled export has no other way offered: the user chose to stop
    expect(await alert.getByRole('button').count()).toBe(0);
    const status = requests.find(isStatusCheck)?.path;
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([status]);
    // nothing was read, so nothing is listed as pulled
    expect(await pulledItem(page).count()).toBe(0);
    slow.release();
  });

  it('says what failed in an export and reads the records page by page instead when asked', async () => {
    const { page } = watched;
    failNextStatus = true;
    const before = requests.length;
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    const alert = panel(page).getByRole('alert');
    await alert
      .getByText(
        new RegExp(
          `^${fhir.origin.replaceAll('.', '\\.')} answered with an error \\(HTTP \\d+\\) while exporting Patient records`,
        ),
      )
      .waitFor();
    await alert.getByText(/The same records can also be read page by page, with ordinary searches/).waitFor();
    const instead = alert.getByRole('button', { name: 'Read Patient records page by page instead' });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) await panel(page).screenshot({ path: join(SHOTS, `fhir-export-failed-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    // the failed export was withdrawn on the server
    expect(requests.slice(before).some((r) => r.method === 'DELETE')).toBe(true);
    const asked = requests.length;
    await instead.click();
    const count = fhir.patients.length.toLocaleString('en-US');
    await pulledItem(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read page by page.`)
      .waitFor({ timeout: 60_000 });
    expect(requests.slice(asked).some((r) => r.path.includes('$export'))).toBe(false);
    expect(await panel(page).getByRole('alert').count()).toBe(0);
  });

  it('exports every patient, downloads them as NDJSON and validates them', async () => {
    const { page } = watched;
    const before = requests.length;
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    const count = fhir.patients.length.toLocaleString('en-US');
    await pulledItem(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read with bulk export ($export).`)
      .waitFor({ timeout: 60_000 });
    const asked = requests.slice(before).map((r) => `${r.method} ${r.path.replace(/e\d+/, 'job')}`);
    expect(asked).toEqual([
      'GET Patient/$export',
      'GET $export-status/job',
      'GET $export-status/job',
      'GET $export-file/job/Patient.ndjson',
    ]);
    const downloading = page.waitForEvent('download');
    await pulledItem(page)
      .getByRole('button', { name: /^Download Patient-127\.0\.0\.1-\d+\.ndjson$/ })
      .click();
    const ndjson = readFileSync((await (await downloading).path()) as string, 'utf8');
    const records = ndjson
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { resourceType: string; id: string });
    expect(records).toHaveLength(fhir.patients.length);
    expect(new Set(records.map((r) => r.resourceType))).toEqual(new Set(['Patient']));
    // every patient the server holds, each once
    expect(new Set(records.map((r) => r.id)).size).toBe(fhir.patients.length);
    await panel(page).getByRole('button', { name: 'Validate pulled records' }).click();
    const result = panel(page).getByRole('region', { name: 'Validation result' });
    await expect
      .poll(() => result.getByTestId('score-records').textContent(), { timeout: 90_000 })
      .toBe(count);
    await result.getByRole('button', { name: 'Saved in the project' }).waitFor();
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      if (SHOTS) await panel(page).screenshot({ path: join(SHOTS, `fhir-export-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('keeps the FHIR checks in the project: after a reload a pull is validated with them', async () => {
    const { page } = watched;
    // a FHIR file puts the "FHIR files" section, with its checks, on screen
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(onePatient);
    const files = page.getByRole('region', { name: 'FHIR files' });
    await files
      .getByText('Kept with the project, for these files and for records pulled from a FHIR server.')
      .waitFor();
    await files.getByRole('checkbox', { name: /^Codes:/ }).uncheck();
    await unknownAsWarnings(page).check();
    await waitForSaved(page);

    await page.reload();
    await panel(page).waitFor();
    await connectLocalFhirServer(page, fhir.baseUrl);
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    const count = fhir.patients.length.toLocaleString('en-US');
    await pulledItem(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read with bulk export ($export).`)
      .waitFor({ timeout: 60_000 });
    await panel(page)
      .getByText(
        'With the project’s FHIR checks (chosen under “FHIR files”, shown once a FHIR file is added): Checks switched off: Codes. Unknown extensions count as warnings.',
      )
      .waitFor();
    await panel(page).getByRole('button', { name: 'Validate pulled records' }).click();
    const result = panel(page).getByRole('region', { name: 'Validation result' });
    await expect
      .poll(() => result.getByTestId('fhir-run-options').textContent(), { timeout: 90_000 })
      .toBe(
        'Checks switched off: Codes. Unknown extensions (not defined in the FHIR specification) were counted as warnings: a resource with one still counts as valid.',
      );
    // and a dropped file is checked with the same choices, shown as kept
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(onePatient);
    expect(await files.getByRole('checkbox', { name: /^Codes:/ }).isChecked()).toBe(false);
    expect(await unknownAsWarnings(page).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('carries the FHIR checks in an exported project file, and an import brings them back', async () => {
    const { page } = watched;
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const exported = join(dir, 'exported.preflight.json');
    await (await downloading).saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8')) as {
      project: { meta: { settings: Record<string, unknown> } };
    };
    expect(file.project.meta.settings.fhirChecks).toEqual({
      off: ['bindings'],
      unknownExtensions: 'warning',
    });
    // the imported copy, a project of its own, opens with the same checks
    await page.getByLabel('Import a project file').setInputFiles(exported);
    await page
      .getByRole('status')
      .filter({ hasText: /^Imported “/ })
      .waitFor();
    await expect(
      page
        .getByLabel('Project', { exact: true })
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
    ).resolves.toMatch(/\(imported/);
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(onePatient);
    const files = page.getByRole('region', { name: 'FHIR files' });
    await files.getByRole('checkbox', { name: /^Codes:/ }).waitFor();
    expect(await files.getByRole('checkbox', { name: /^Codes:/ }).isChecked()).toBe(false);
    expect(await unknownAsWarnings(page).isChecked()).toBe(true);
  });

  it('reads page by page, and says why, from a server that no longer offers bulk export', async () => {
    const { page } = watched;
    offered = false;
    await panel(page).getByRole('button', { name: 'Connect' }).click();
    await panel(page)
      .getByRole('status')
      .filter({ hasText: /; no bulk export \(records are read page by page\)\.$/ })
      .waitFor();
    const before = requests.length;
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    const count = fhir.patients.length.toLocaleString('en-US');
    await pulledItem(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read page by page.`)
      .waitFor({ timeout: 60_000 });
    expect(requests.slice(before).some((r) => r.path.includes('$export'))).toBe(false);
  });

  it('had no CSP violation, and nothing in the console but the failed status check', () => {
    expect(watched.cspViolations).toEqual([]);
    // the browser itself logs the answer of the export that failed on purpose; nothing else may appear
    expect(watched.console).toEqual([
      expect.stringMatching(/^error: Failed to load resource: the server responded with a status of \d+/),
    ]);
  });
});
