/**
 * Journey: a data team's FHIR export carries a vendor extension the FHIR specification does not
 * define. Checked as it comes, the resource is invalid (an error, as the HL7 validator says); the
 * team switches "Report unknown extensions" to warnings under the Extensions check, the choice is
 * still there after a visit to another workspace, and the same file then gives a warning and a
 * valid resource. The report names the choice on screen and in its exports, and is the CLI's
 * `--unknown-extensions warning` report for the same file. CSP, console and axe are watched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Report } from '../../src/formats/report.ts';
import { axeViolations, type Watched } from './browser.ts';
import {
  extractFiles,
  fhirSection,
  type MigrationSession,
  openMigration,
  fhirResult as result,
} from './fhirFiles.ts';

const FILE = 'vendor-export.ndjson';
let session: MigrationSession;
let app: Watched;
let dir: string;

beforeAll(async () => {
  session = await openMigration('preflight-fhir-ext-e2e-', {
    acceptDownloads: true,
    viewport: { width: 1280, height: 1000 },
  });
  ({ app, dir } = session);
  const resources = [
    {
      resourceType: 'Patient',
      id: 'p1',
      extension: [{ url: 'http://vendor.example/fhir/ext/preferred-pharmacy', valueString: 'Main St' }],
      gender: 'female',
    },
    { resourceType: 'Patient', id: 'p2', gender: 'male' },
  ];
  writeFileSync(join(dir, FILE), `${resources.map((r) => JSON.stringify(r)).join('\n')}\n`);
});

afterAll(async () => {
  await session?.close();
});

const choices = (page: Page) => fhirSection(page).getByRole('group', { name: 'Report unknown extensions' });
const asWarnings = (page: Page) =>
  choices(page).getByRole('radio', { name: 'As warnings: listed, but the resource still counts as valid' });
const asErrors = (page: Page) =>
  choices(page).getByRole('radio', { name: 'As errors: a resource with one counts as invalid' });

async function validateAndRead(page: Page): Promise<{ invalid: string; warnings: string; options: string }> {
  const before = await result(page).count();
  if (before > 0) await result(page).getByTestId('score-records').waitFor();
  const previous = before > 0 ? await result(page).getByTestId('fhir-run-options').textContent() : null;
  await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
  // a new result replaces the last one: wait for its sentence to change (or to appear)
  await expect
    .poll(
      async () =>
        (await result(page).count()) > 0 ? result(page).getByTestId('fhir-run-options').textContent() : null,
      {
        timeout: 60_000,
      },
    )
    .not.toBe(previous);
  return {
    invalid: (await result(page).getByTestId('score-invalid').textContent()) ?? '',
    warnings: (await result(page).getByTestId('score-warnings').textContent()) ?? '',
    options: (await result(page).getByTestId('fhir-run-options').textContent()) ?? '',
  };
}

async function download(page: Page, button: string): Promise<string> {
  const downloading = page.waitForEvent('download');
  await result(page).getByRole('button', { name: button }).click();
  return readFileSync((await (await downloading).path()) as string, 'utf8');
}

describe('FHIR: unknown extensions as errors or warnings', () => {
  it('counts an unknown extension as an error by default', async () => {
    const { page } = app;
    await extractFiles(page).setInputFiles(join(dir, FILE));
    expect(await asErrors(page).isChecked()).toBe(true);
    expect(await asWarnings(page).isChecked()).toBe(false);
    const run = await validateAndRead(page);
    expect(run).toEqual({
      invalid: '1',
      warnings: '0',
      options: expect.stringContaining(
        'Unknown extensions (not defined in the FHIR specification) were counted as errors',
      ),
    });
  });

  it('keeps the choice of warnings across workspaces, and the resource is then valid with a warning', async () => {
    const { page } = app;
    await asWarnings(page).check();
    const nav = page.getByRole('navigation', { name: 'Workspaces' });
    await nav.getByRole('link', { name: 'Workflows' }).click();
    await nav.getByRole('link', { name: 'Migration' }).click();
    expect(await asWarnings(page).isChecked()).toBe(true);
    const run = await validateAndRead(page);
    expect(run).toEqual({
      invalid: '0',
      warnings: '1',
      options: expect.stringContaining('were counted as warnings: a resource with one still counts as valid'),
    });
    const issue = result(page).locator('.issue-warning');
    // grouped by the extension's URL, which the message names too
    expect(await issue.locator('summary').textContent()).toContain(
      'http://vendor.example/fhir/ext/preferred-pharmacy',
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('names the choice in the exports, as the CLI records --unknown-extensions', async () => {
    const { page } = app;
    const exported = JSON.parse(await download(page, 'Export JSON')) as Report;
    expect(exported.target).toMatchObject({ type: 'fhir', unknownExtensions: 'warning' });
    const out = join(dir, 'cli.json');
    const quiet = { stdout: () => {}, stderr: () => {}, cwd: dir };
    expect(
      await main(['fhir', 'validate', FILE, '--unknown-extensions', 'warning', '--report', out], quiet),
    ).toBe(0);
    const cli = JSON.parse(readFileSync(out, 'utf8')) as Report;
    // the app's export carries the comparison with the run before (as errors), kept in the project;
    // the CLI writes one only with --compare
    expect(exported.comparison?.previous.errors).toBe(1);
    const comparable = ({ generatedAt: _g, timings: _t, tool: _tool, comparison: _c, ...rest }: Report) =>
      rest;
    expect(comparable(exported)).toEqual(comparable(cli));
    expect(await download(page, 'Export CSV')).toContain('\r\nsetting,,,,unknown-extensions,,,,warning\r\n');
    expect(await download(page, 'Export printable page')).toContain(
      'Unknown extensions (not defined in the FHIR specification) were counted as warnings',
    );
  });

  it('turns the choice off with the Extensions check', async () => {
    const { page } = app;
    await fhirSection(page)
      .getByRole('checkbox', { name: /^Extensions:/ })
      .uncheck();
    expect(await asWarnings(page).isDisabled()).toBe(true);
    const run = await validateAndRead(page);
    expect(run.invalid).toBe('0');
    expect(run.warnings).toBe('0');
    expect(run.options).toBe('Checks switched off: Extensions.');
    await fhirSection(page)
      .getByRole('checkbox', { name: /^Extensions:/ })
      .check();
    expect(await asWarnings(page).isEnabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
