/**
 * Journey: a data team drops the target EHR's bulk export (samples/fhir/*.ndjson, 20 planted
 * defects: samples/README.md) on the Migration workspace, gets exactly the report the CLI gives for
 * the same files (minus times), opens an issue at its location in the resource, exports the
 * OperationOutcomes (the CLI's `--outcomes-format bundle` file, byte for byte), cancels a long run
 * on a generated export, reads the line and column of a malformed file, mixes CSV and FHIR files in
 * one drop, and finds the saved report after a reload. CSP, console and axe are watched
 * throughout, as in migration.spec.ts.
 *
 * Time to first validation (the pre-warmed worker: Validate pressed → first resource validated;
 * and new Worker → warm) is read from the app's `performance.measure` entries and written to
 * tests/e2e/.artifacts/fhir-first-validation.json (and PREFLIGHT_TEST_RESULTS when set): a
 * measurement, never an assertion on time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_DEFECTS, EXPORT_RESOURCES } from '../../samples/tools/fhirClinic.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { FIRST_VALIDATION_MEASURE, WORKER_READY_MEASURE } from '../../workers/fhirValidateClient.ts';
import { axeViolations, type Watched, waitForSaved } from './browser.ts';
import {
  fhirResult,
  fhirSection,
  extractFiles as fileInput,
  type MigrationSession,
  openMigration,
} from './fhirFiles.ts';

const FHIR = resolve(import.meta.dirname, '../../samples/fhir');
const LEGACY = resolve(import.meta.dirname, '../../samples/legacy');
const FILES = ['Patient', 'Encounter', 'Observation', 'Condition', 'MedicationRequest'].map(
  (t) => `${t}.ndjson`,
);
/** Resources of the generated export to cancel: far more than a worker checks before Cancel lands. */
const BIG_RESOURCES = 400_000;
const ARTIFACTS = resolve(import.meta.dirname, '.artifacts');
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let session: MigrationSession;
let app: Watched;
let dir: string;

beforeAll(async () => {
  session = await openMigration('preflight-fhir-e2e-', {
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
  });
  ({ app, dir } = session);
});

afterAll(async () => {
  await session?.close();
});

async function removeFhirFiles(page: Page): Promise<void> {
  for (;;) {
    const remove = fhirSection(page).getByRole('button', { name: /^Remove .*\.(ndjson|json)$/ });
    if ((await remove.count()) === 0) return;
    await remove.first().click();
  }
}

/** What a test reads of an OperationOutcome issue. */
interface OutcomeIssue {
  expression?: string[];
  extension?: { url: string; valueInteger: number }[];
}

/** A report without what differs between two runs of the same files. */
function comparable(report: Report): unknown {
  const { generatedAt: _g, timings: _t, tool: _tool, ...rest } = report;
  return rest;
}

async function cliReport(): Promise<Report> {
  const out = join(dir, 'cli-report.json');
  const io: CliIo = { stdout: () => {}, stderr: () => {}, cwd: FHIR };
  expect(await main(['fhir', 'validate', ...FILES, '--report', out], io)).toBe(1);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

async function issueByLocation(result: Locator, location: string): Promise<Locator> {
  const issue = result
    .locator('.issue')
    .filter({ has: result.page().locator('summary strong', { hasText: location }) });
  await issue.locator('summary').click();
  return issue;
}

describe('FHIR: the demo bulk export', () => {
  it('validates the five NDJSON files in the worker and gives the CLI report', async () => {
    const { page } = app;
    await fileInput(page).setInputFiles(FILES.map((f) => join(FHIR, f)));
    await page.getByRole('button', { name: 'Validate 5 FHIR files' }).click();
    const result = fhirResult(page);
    await result.waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe(
      EXPORT_RESOURCES.toLocaleString('en-US'),
    );
    const planted = EXPORT_DEFECTS.filter((d) => d.rule !== 'fhir-reference-not-in-export').reduce(
      (n, d) => n + d.count,
      0,
    );
    await expect(result.getByTestId('score-invalid').textContent()).resolves.toBe(String(planted));

    // the report the page exports is the CLI's for the same files, minus times and tool version
    const downloading = page.waitForEvent('download');
    await result.getByRole('button', { name: 'Export JSON' }).click();
    const browserReport = JSON.parse(
      readFileSync((await (await downloading).path()) as string, 'utf8'),
    ) as Report;
    expect(comparable(browserReport)).toEqual(comparable(await cliReport()));
    const found = browserReport.issues.map((i) => `${i.rule} @ ${i.location} ×${i.count}`).sort();
    expect(found).toEqual(EXPORT_DEFECTS.map((d) => `${d.rule} @ ${d.location} ×${d.count}`).sort());

    // the specification's rules the run did not check, each once for the five files
    const notChecked = result.getByRole('note', { name: 'Not checked' });
    await expect(notChecked.getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^FHIR rule dom-3 .* is not checked: /),
    ]);
    if (SHOTS) await notChecked.screenshot({ path: join(SHOTS, 'fhir-not-checked-1440.png') });

    // time to first validation, as the app measured it (recorded, not asserted)
    const measures = await page.evaluate(
      ([first, ready]) =>
        Object.fromEntries(
          [first, ready].map((name) => [
            name,
            performance.getEntriesByName(name as string).map((e) => Math.round(e.duration)),
          ]),
        ),
      [FIRST_VALIDATION_MEASURE, WORKER_READY_MEASURE],
    );
    expect(measures[FIRST_VALIDATION_MEASURE]).toHaveLength(1);
    const record = JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        files: FILES,
        firstValidationMs: measures[FIRST_VALIDATION_MEASURE]?.[0],
        workerReadyMs: measures[WORKER_READY_MEASURE]?.[0],
        what: 'firstValidationMs: Validate pressed → first resource validated (pre-warmed worker); workerReadyMs: new Worker → validator ready (digest loaded; FHIRPath.js loads in the background)',
      },
      null,
      2,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'fhir-first-validation.json'), `${record}\n`);
    if (process.env.PREFLIGHT_TEST_RESULTS)
      writeFileSync(join(process.env.PREFLIGHT_TEST_RESULTS, 'fhir-first-validation.json'), `${record}\n`);
  });

  it('opens an issue at its location: the resource, formatted, with the element highlighted in view', async () => {
    const { page } = app;
    const result = fhirResult(page);
    const issue = await issueByLocation(result, 'Patient.gender');
    const open = issue.getByRole('button', { name: 'Open Patient.gender' }).first();
    const line = Number(await open.locator('xpath=ancestor::tr/td[2]').textContent());
    await open.click();
    const viewer = fhirSection(page).getByRole('region', {
      name: `Patient.ndjson, line ${line}: Patient.gender`,
    });
    const mark = viewer.locator('mark');
    await mark.waitFor();
    expect((await mark.textContent())?.trim()).toMatch(/^"gender": "F",?$/);
    // formatted JSON of exactly that line of the file
    const text = await viewer.locator('pre').textContent();
    const sourceLine = readFileSync(join(FHIR, 'Patient.ndjson'), 'utf8').split('\n')[line - 1] as string;
    expect(text).toBe(JSON.stringify(JSON.parse(sourceLine), null, 2));
    // the highlighted element is inside the visible part of the scroll box and of the window
    const visible = await mark.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const scroller = el.closest('.fhir-record')?.getBoundingClientRect();
      return (
        scroller !== undefined &&
        box.top >= scroller.top &&
        box.bottom <= scroller.bottom &&
        box.top >= 0 &&
        box.bottom <= window.innerHeight
      );
    });
    expect(visible).toBe(true);

    // a line cut short: its text at the error, with the line and column the report names
    const syntax = await issueByLocation(result, 'JSON text');
    expect(await syntax.locator('summary').textContent()).toMatch(/at line \d+, column \d+/);
    await syntax.getByRole('button', { name: /^Open line \d+, column \d+$/ }).click();
    await fhirSection(page)
      .getByText('This text is not valid JSON; the line with the error is highlighted.')
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await fhirSection(page).screenshot({ path: join(SHOTS, 'fhir-result-1440.png') });
  });

  it('exports one OperationOutcome per resource in a Bundle: the CLI’s file, valid R4, at 1440 and 390 px', async () => {
    const { page } = app;
    const result = fhirSection(page);
    const exportButton = result.getByRole('button', { name: 'Export OperationOutcomes (FHIR Bundle)' });
    const download = async () => {
      const downloading = page.waitForEvent('download');
      await exportButton.click();
      const file = await downloading;
      await result.getByRole('status').filter({ hasText: 'OperationOutcomes exported.' }).waitFor();
      return { name: file.suggestedFilename(), text: readFileSync((await file.path()) as string, 'utf8') };
    };
    const wide = await download();
    expect(wide.name).toMatch(/^operation-outcomes-.*\.json$/);
    const bundle = JSON.parse(wide.text) as {
      resourceType: string;
      type: string;
      entry: { link: { url: string }[]; resource: { resourceType: string; issue: OutcomeIssue[] } }[];
    };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(EXPORT_RESOURCES);
    // a planted defect, at its element's line of the file and column on it
    const gender = bundle.entry
      .filter((e) => e.link[0]?.url.startsWith('Patient.ndjson#line='))
      .flatMap((e) => e.resource.issue.map((i) => ({ url: e.link[0]?.url as string, issue: i })))
      .find(({ issue }) => issue.expression?.[0] === 'Patient.gender');
    if (!gender) throw new Error('no outcome for the planted Patient.gender defect');
    const line = Number(gender.url.split('#line=')[1]);
    const sourceLine = readFileSync(join(FHIR, 'Patient.ndjson'), 'utf8').split('\n')[line - 1] as string;
    const [lineExt, columnExt] = gender.issue.extension ?? [];
    expect(lineExt?.valueInteger).toBe(line);
    expect(sourceLine.indexOf('"gender"') + 1).toBe(columnExt?.valueInteger);
    // the value itself is nowhere in the file
    expect(wide.text).not.toContain('"F"');
    // byte for byte the CLI's --outcomes file for the same files
    const out = join(dir, 'outcomes.json');
    const io: CliIo = { stdout: () => {}, stderr: () => {}, cwd: FHIR };
    await main(['fhir', 'validate', ...FILES, '--outcomes', out, '--outcomes-format', 'bundle'], io);
    expect(wide.text).toBe(readFileSync(out, 'utf8'));
    // valid FHIR R4 by Preflight's own validator
    const session = await createFhirSession(generatedModules);
    expect((await session.validate(bundle)).issues).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    // on a phone: the same file, the button reachable
    await page.setViewportSize({ width: 390, height: 900 });
    await exportButton.scrollIntoViewIfNeeded();
    if (SHOTS)
      await exportButton.locator('xpath=..').screenshot({ path: join(SHOTS, 'fhir-outcomes-390.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect((await download()).text).toBe(wide.text);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('keeps the FHIR report in the project on its own, and shows it among the rehearsals', async () => {
    const { page } = app;
    await fhirResult(page).getByRole('button', { name: 'Saved in the project' }).waitFor();
    const rehearsals = page.getByRole('region', { name: /^Rehearsals of .*Patient\.ndjson/ });
    await rehearsals.getByText('One run so far').waitFor();
    const errors = await fhirResult(page).getByTestId('score-errors').textContent();
    await expect(rehearsals.getByTestId('trend-errors').textContent()).resolves.toBe(errors);
  });
});

describe('FHIR: a long run, a malformed file and a mixed drop', () => {
  it('cancels a long run on a generated export mid-file (the next test shows the worker takes the next run)', async () => {
    const { page } = app;
    await removeFhirFiles(page);
    const big = join(dir, 'big-export.ndjson');
    const lines: string[] = [];
    for (let i = 1; i <= BIG_RESOURCES; i++)
      lines.push(
        JSON.stringify({
          resourceType: 'Patient',
          id: `p${i}`,
          gender: i % 5 === 0 ? 'F' : 'female',
          birthDate: '1980-01-01',
          name: [{ family: 'Example', given: ['Pat'] }],
        }),
      );
    writeFileSync(big, `${lines.join('\n')}\n`);
    await fileInput(page).setInputFiles(big);
    await page.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const status = fhirSection(page).locator('.progress-block p');
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toMatch(/[\d,]+ resources · [\d,]+ resources\/s/);
    await fhirSection(page).getByRole('button', { name: 'Cancel FHIR validation' }).click();
    const cancelled = fhirSection(page)
      .getByRole('status')
      .filter({ hasText: 'Cancelled: you pressed Cancel.' });
    await cancelled.waitFor();
    const stopped = /It stopped at (\d+) % \(([\d,]+) resources checked\)/.exec(
      (await cancelled.textContent()) ?? '',
    );
    expect(stopped).not.toBeNull();
    expect(Number(stopped?.[1])).toBeLessThan(100);
    expect(Number(stopped?.[2]?.replaceAll(',', ''))).toBeLessThan(BIG_RESOURCES);
    await removeFhirFiles(page);
  });

  it('reports a malformed JSON file with its line and column', async () => {
    const { page } = app;
    const broken = join(dir, 'broken-bundle.json');
    writeFileSync(broken, '{\n  "resourceType": "Bundle",\n  "type": "collection",,\n  "entry": []\n}\n');
    await fileInput(page).setInputFiles(broken);
    await page.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const result = fhirResult(page);
    await result.waitFor();
    const issue = result.locator('.issue').first();
    expect(await issue.locator('summary').textContent()).toContain('at line 3, column 24');
    await removeFhirFiles(page);
  });

  it('takes CSV and FHIR files in one drop, each its own way, with nothing printed', async () => {
    const { page } = app;
    await fileInput(page).setInputFiles([join(LEGACY, 'patients.csv'), join(FHIR, 'Patient.ndjson')]);
    await page.getByRole('group', { name: /^patients\.csv/ }).waitFor();
    await fhirSection(page).getByRole('button', { name: 'Remove Patient.ndjson' }).waitFor();
    await page.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    await expect
      .poll(() => fhirResult(page).getByTestId('score-records').textContent(), { timeout: 60_000 })
      .toBe('111');
    await page.setViewportSize({ width: 390, height: 900 });
    // on a phone the page still fits its width
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) await fhirSection(page).screenshot({ path: join(SHOTS, 'fhir-390.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the saved FHIR report from the project after a reload, and nothing was printed', async () => {
    const { page } = app;
    // the last run is kept as it finishes: the reload waits until the project holds it durably
    await page
      .getByRole('button', { name: /^Open report of/ })
      .nth(2)
      .waitFor();
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Saved validation reports' }).waitFor();
    // every finished run was kept: the five files, the malformed Bundle, the mixed drop's FHIR file
    expect(await page.getByRole('button', { name: /^Open report of/ }).count()).toBe(3);
    await page
      .getByRole('listitem')
      .filter({ hasText: new RegExp(`— ${EXPORT_RESOURCES.toLocaleString('en-US')} records,`) })
      .getByRole('button', { name: /^Open report of/ })
      .click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe(
      EXPORT_RESOURCES.toLocaleString('en-US'),
    );
    await result.getByRole('heading', { name: 'Problems by rule and location' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
