/**
 * Journey of the data team on CSV extracts, in real Chromium with the app's real workers, under the
 * page's own CSP, selected by role and label, with axe on each screen it passes through.
 *
 * First the check sets: with the demo clinic open, one click checks the demo's own extracts. A
 * contract they add and the key, mapping and links they choose are kept with the project: after a
 * reload, and in a project file exported and imported, a new drop of the same files is bound to them
 * by its header, whatever the file is called. A file of another shape named patients.csv gets no
 * contract; one whose header does not match its contract is told once, before any row is checked.
 * "Choose a new drop to check…" checks a new drop in one action, or says what needs a decision first.
 * `preflight validate --project` on the exported project gives the report the screen exports.
 *
 * Then the rehearsals: January's patient extract, then February's (another name, the same
 * contract), compared — fixed, new, worse, still failing — and exported; the empty birth dates
 * accepted (a waiver), kept through a reload, in every export, in the project file the command line
 * reads and in the waivers file; Readiness says the last rehearsal got worse and leads back.
 *
 * What a single panel or form does is proved by the component tests beside it in src/app/migration.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PATIENTS_CONTRACT,
  PATIENTS_FEB,
  PATIENTS_JAN,
} from '../../src/app/migration/testing/patientsFixtures.ts';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { failingErrors, judgeRun } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { loadWaivers } from '../../src/formats/waivers.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  axeViolations,
  downloadedFile,
  launchBrowser,
  openApp,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const CONTRACT_TITLE = 'Patients as agreed in March';
const MAPPING_NAME = 'Legacy patients.csv to FHIR R4 Patient';
const MAPPING_LABEL = 'Also check the records made by the mapping';
const ALLERGY_MAPPING = 'Patients with the clinic’s allergy note';

let browser: Browser;
let dir: string;

/** The first `rows` data rows of a demo extract, under another name (the same header). */
function rehearsal(sample: string, name: string, rows: number): string {
  const bytes = readFileSync(join(SAMPLES, sample));
  let end = 0;
  for (let lines = 0; lines <= rows; lines++) end = bytes.indexOf(0x0a, end) + 1;
  const path = join(dir, name);
  writeFileSync(path, bytes.subarray(0, end));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-checksets-'));
  const header = readFileSync(join(SAMPLES, 'patients.csv'), 'utf8').split(/\r?\n/, 1)[0]?.split(',') ?? [];
  writeFileSync(
    join(dir, 'march.contract.json'),
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: CONTRACT_TITLE,
      type: 'object',
      properties: Object.fromEntries(header.map((c) => [c, { type: 'string' }])),
      required: ['patient_id', 'mrn'],
      additionalProperties: false,
    }),
  );
  // a differently shaped patients.csv (as exported by another system)
  writeFileSync(join(dir, 'patients.csv'), 'Id,BIRTHDATE,FIRST,LAST\r\na1,1990-01-02,Ann,Lee\r\n');
  // the demo's patients with a renamed and a blank column
  const renamed = readFileSync(join(SAMPLES, 'patients.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(0, 20)
    .map((line, i) => (i === 0 ? line.replace('patient_id', 'Patient ID').replace(',email,', ',,') : line))
    .join('\r\n');
  writeFileSync(join(dir, 'patients-renamed.csv'), `${renamed}\r\n`);
  // the demo's patient mapping, writing an extension of the clinic's own (unknown to FHIR R4)
  const demoMapping = JSON.parse(
    readFileSync(resolve(SAMPLES, '../mappings/patients-to-fhir-patient.json'), 'utf8'),
  ) as { fields: unknown[] };
  writeFileSync(
    join(dir, 'allergy-note.mapping.json'),
    JSON.stringify({
      ...demoMapping,
      id: 'patients-with-allergy-note',
      name: ALLERGY_MAPPING,
      fields: [
        ...demoMapping.fields,
        { target: 'extension[0].url', const: 'http://maple-street-clinic.test/fhir/ext/allergy-note' },
        { target: 'extension[0].valueString', from: 'allergies' },
      ],
    }),
  );
  writeFileSync(join(dir, 'one-patient.json'), JSON.stringify({ resourceType: 'Patient', id: 'p1' }));
  writeFileSync(join(dir, 'patients.contract.json'), JSON.stringify(PATIENTS_CONTRACT));
  writeFileSync(join(dir, 'patients-jan.csv'), PATIENTS_JAN);
  writeFileSync(join(dir, 'patients-feb.csv'), PATIENTS_FEB);
  browser = await launchBrowser();
});

/**
 * The data team's app at the Migration screen, in a context of its own (downloads accepted): both
 * parts walk it, the rehearsals in a new project of their own.
 */
let app: Watched;

afterAll(async () => {
  await app?.page.context().close();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page, name: string) =>
  page.getByRole('group', { name: new RegExp(`^${name.replace(/[.()]/g, '\\$&')}`) });
const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });

async function choose(page: Page, ...paths: string[]): Promise<void> {
  await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(paths);
  for (const path of paths) await card(page, path.slice(path.lastIndexOf('/') + 1)).waitFor();
}

async function removeAll(page: Page): Promise<void> {
  // the screen first: right after a visit elsewhere it may not be drawn yet, and no button would
  // then read as no file
  await page.getByLabel('Extract files (CSV or TSV)').waitFor({ state: 'attached' });
  for (;;) {
    const remove = page.getByRole('button', { name: /^Remove .+\.csv/ });
    if ((await remove.count()) === 0) return;
    await remove.first().click();
  }
}

/** A report without what differs between two runs of the same file (times). */
function comparable(report: Report): unknown {
  const { generatedAt: _g, timings: _t, ...rest } = report;
  return rest;
}

async function selectedText(select: Locator): Promise<string> {
  return select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
}

describe('The data team keeps its check sets in the project', () => {
  beforeAll(async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1440, height: 1000 },
    });
    app = await openApp(context, '#/migration');
  });

  it('checks the demo extracts in one click, with no file from disk', async () => {
    const { page } = app;
    const demo = page.getByRole('button', { name: 'Check the demo extracts' });
    await demo.waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-start-1440.png') });
    await demo.click();
    await result(page).waitFor({ timeout: scaled(120_000) });
    // both bundled files were read and checked against their contracts
    await card(page, 'patients.csv').waitFor();
    await card(page, 'encounters.csv').waitFor();
    expect(await result(page).textContent()).toContain('patients.csv');
    expect(await result(page).textContent()).toContain('encounters.csv');
    await expect(selectedText(card(page, 'encounters.csv').getByLabel('Column contract'))).resolves.toMatch(
      /^Encounter extract column contract/,
    );
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-demo-1440.png') });
    // no axe on this result: the same component passes it in the mapping's check below, and the
    // Migration screen passes whole after the reload below; with the demo's 17,000 rows' findings
    // it costs axe several times as much and proves nothing more
    await waitForSaved(page);
  });

  it('keeps an added contract, the key and the links through a reload', async () => {
    const { page } = app;
    await removeAll(page);
    await choose(page, rehearsal('patients.csv', 'rehearsal-1-patients.csv', 40));
    await choose(page, rehearsal('encounters.csv', 'rehearsal-1-visits.csv', 40));
    await page.getByLabel('Add a column contract').setInputFiles(join(dir, 'march.contract.json'));
    const patients = card(page, 'rehearsal-1-patients.csv');
    await patients.getByLabel('Column contract').selectOption({ label: CONTRACT_TITLE });
    await patients.getByLabel('Key column (must be unique)').selectOption('patient_id');
    await patients.getByLabel(MAPPING_LABEL).selectOption({ label: MAPPING_NAME });
    // the proposed link is removed: no links is a choice kept too
    const links = page.getByRole('group', { name: 'Links between files' });
    await links.getByRole('button', { name: 'Remove link' }).click();
    await links.getByText('No links.').waitFor();
    await page.getByRole('button', { name: 'Validate the 2 files' }).click();
    await result(page)
      .getByText('rehearsal-1-visits.csv')
      .first()
      .waitFor({ timeout: scaled(120_000) });
    await waitForSaved(page);

    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await choose(page, rehearsal('patients.csv', 'rehearsal-2-patients.csv', 30));
    await choose(page, rehearsal('encounters.csv', 'rehearsal-2-visits.csv', 30));
    const again = card(page, 'rehearsal-2-patients.csv');
    await again.getByText('Settings from the saved check set “patients.csv” (same columns).').waitFor();
    await expect(selectedText(again.getByLabel('Column contract'))).resolves.toBe(CONTRACT_TITLE);
    await expect(again.getByLabel('Key column (must be unique)').inputValue()).resolves.toBe('patient_id');
    await expect(selectedText(again.getByLabel(MAPPING_LABEL))).resolves.toBe(MAPPING_NAME);
    await expect(selectedText(card(page, 'rehearsal-2-visits.csv').getByLabel(MAPPING_LABEL))).resolves.toBe(
      'No mapping',
    );
    await page.getByRole('group', { name: 'Links between files' }).getByText('No links.').waitFor();
    // the encounters' layout came back with its check set: semicolons, windows-1252
    const visits = card(page, 'rehearsal-2-visits.csv');
    await expect(visits.getByLabel(/^Delimiter/).inputValue()).resolves.toBe(';');
    await expect(visits.getByLabel(/^Read as/).inputValue()).resolves.toBe('windows-1252');
    // what is kept is listed, in the words of the screen
    const kept = page.locator('details.check-sets');
    await kept.locator('summary').click();
    await kept
      .getByRole('listitem')
      .filter({
        hasText: `patients.csv: 18 columns; contract “${CONTRACT_TITLE}”; key patient_id; records also checked with the mapping “${MAPPING_NAME}” (bundled`,
      })
      .waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-rehearsal-1440.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('keeps them in an exported project file, and an import brings them back', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const exported = join(dir, 'exported.preflight.json');
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8')) as {
      project: {
        datasets: { id: string; key?: string; contract?: string; mapping?: string; references?: unknown[] }[];
      };
    };
    const saved = file.project.datasets.find((d) => d.id === 'sample:patients.csv');
    expect(saved).toMatchObject({ key: 'patient_id', mapping: 'patients-to-fhir-patient', references: [] });
    expect(saved?.contract).toMatch(/^uploaded:march\.contract\.json:/);

    await page.getByLabel('Import a project file').setInputFiles(exported);
    await page.getByRole('status').filter({ hasText: 'Imported “Demo clinic (imported' }).waitFor();
    await expect(selectedText(page.getByLabel('Project', { exact: true }))).resolves.toMatch(
      /^Demo clinic \(imported/,
    );
    await removeAll(page);
    await choose(page, rehearsal('patients.csv', 'rehearsal-3-patients.csv', 10));
    const imported = card(page, 'rehearsal-3-patients.csv');
    await expect(selectedText(imported.getByLabel('Column contract'))).resolves.toBe(CONTRACT_TITLE);
    await expect(imported.getByLabel('Key column (must be unique)').inputValue()).resolves.toBe('patient_id');
    await expect(selectedText(imported.getByLabel(MAPPING_LABEL))).resolves.toBe(MAPPING_NAME);
    // checked under its new name, the drop counts for the patients extract on the Readiness screen
    await page.getByRole('button', { name: 'Validate the file' }).click();
    await result(page)
      .getByText('rehearsal-3-patients.csv')
      .first()
      .waitFor({ timeout: scaled(120_000) });
    await waitForSaved(page);
    // the command line checks the same file as the same check set, from the exported project
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const fromScreen = JSON.parse(readFileSync(await downloadedFile(json), 'utf8')) as Report;
    const cli = await runCli(
      ['validate', 'rehearsal-3-patients.csv', '--project', 'exported.preflight.json', '--json'],
      dir,
    );
    expect(cli.err).toContain('rehearsal-3-patients.csv: check set "patients.csv" (the same columns)');
    expect(comparable(JSON.parse(cli.out) as Report)).toEqual(comparable(fromScreen));
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Phases');
    await page
      .getByRole('list', { name: 'Pre-launch evidence' })
      .getByText(
        /^patients\.csv: .* valid \(10 of 10 records\), checked \d{4}-\d{2}-\d{2} as rehearsal-3-patients\.csv\./,
      )
      .waitFor();
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Migration' })
      .click();
    await removeAll(page);
  });

  it('binds by header: a differently shaped patients.csv gets no contract by its name', async () => {
    const { page } = app;
    await choose(page, join(dir, 'patients.csv'));
    const other = card(page, 'patients.csv');
    await expect(other.getByLabel('Column contract').inputValue()).resolves.toBe('');
    await expect(other.locator('.header-check').count()).resolves.toBe(0);
    // validated, it becomes a check set of its own, which can be forgotten
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const kept = page.locator('details.check-sets');
    await kept.locator('summary', { hasText: '(3)' }).waitFor({ timeout: scaled(120_000) });
    if ((await kept.getAttribute('open')) === null) await kept.locator('summary').click();
    await kept.getByRole('button', { name: 'Forget patients.csv' }).click();
    await kept.locator('summary', { hasText: '(2)' }).waitFor();
    expect(await kept.getByRole('button', { name: /^Forget/ }).count()).toBe(0);
    await removeAll(page);
  });

  // the Migration screen passed axe whole above: the states below are checked where they changed
  it('never binds an empty file by its columns: it says why and offers a check set by choice', async () => {
    const { page } = app;
    const empty = join(dir, 'lab-results.csv');
    writeFileSync(empty, '');
    const kept = page.locator('details.check-sets');
    await kept.locator('summary', { hasText: '(2)' }).waitFor();
    await choose(page, empty);
    const lab = card(page, 'lab-results.csv');
    const why =
      'Not matched to a saved check set: the file is empty, so it has no column names to match by. If it is a new drop of a saved extract, choose its check set below.';
    await lab.getByText(why).waitFor();
    expect(await lab.getByText(/Settings from the saved check set/).count()).toBe(0);
    await expect(lab.getByLabel('Column contract').inputValue()).resolves.toBe('');
    // validated, it is not kept as a check set of its own (CheckExtractsEmptyFile.inProcess.test.tsx)
    // the user may still bind it to a saved check set by choice
    const choice = lab.getByLabel('Saved check set');
    await choice.selectOption({ label: 'encounters.csv' });
    await lab.getByText('Settings from the saved check set “encounters.csv” (chosen by you).').waitFor();
    expect(await lab.getByText(why).count()).toBe(0);
    await expect(selectedText(lab.getByLabel('Column contract'))).resolves.toMatch(
      /^Encounter extract column contract/,
    );
    if (SHOTS) await lab.screenshot({ path: join(SHOTS, 'checksets-empty-1440.png') });
    expect(await axeRegionViolations(lab)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await lab.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) await lab.screenshot({ path: join(SHOTS, 'checksets-empty-390.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await choice.selectOption({ label: 'None' });
    await lab.getByText(why).waitFor();
    await removeAll(page);
  });

  it('tells a header mismatch once, before any row, with the choice to continue or pick another', async () => {
    const { page } = app;
    await choose(page, join(dir, 'patients-renamed.csv'));
    const renamed = card(page, 'patients-renamed.csv');
    const message = renamed.getByRole('region', {
      name: /^The columns of patients-renamed\.csv do not match/,
    });
    await message.waitFor();
    const items = await message.getByRole('listitem').allTextContents();
    expect(items).toEqual([
      'column 1 "Patient ID" looks like "patient_id" renamed (incorrect-label)',
      'column 10 has no name (blank-label)',
      '"email" is missing (optional) (missing-label)',
    ]);
    expect(await page.locator('.header-check').count()).toBe(1);
    if (SHOTS) await renamed.screenshot({ path: join(SHOTS, 'checksets-header-1440.png') });
    expect(await axeRegionViolations(renamed)).toEqual([]);

    // on a phone the message and its choices fit the width
    await page.setViewportSize({ width: 390, height: 900 });
    await message.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) {
      await page.screenshot({ path: join(SHOTS, 'checksets-header-390.png') });
      await page.getByRole('button', { name: 'Check the demo extracts' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'checksets-start-390.png') });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });

    // what the choices do (Validate waits, another contract, the rows checked anyway, the report's
    // header issues) is CheckExtractsHeaderCheck.inProcess.test.tsx's
    await removeAll(page);
  });

  it('checks a new drop in one action, or says what needs a decision first', async () => {
    const { page } = app;
    const checkNew = page.getByRole('button', { name: 'Choose a new drop to check…' });
    const pick = async (...paths: string[]) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), checkNew.click()]);
      await chooser.setFiles(paths);
    };
    // a drop whose every file has the columns of a saved check set: set up from it and checked at once
    await pick(
      rehearsal('patients.csv', 'rehearsal-5-patients.csv', 12),
      rehearsal('encounters.csv', 'rehearsal-5-visits.csv', 12),
    );
    await result(page)
      .getByText('rehearsal-5-visits.csv')
      .first()
      .waitFor({ timeout: scaled(120_000) });
    expect(await result(page).textContent()).toContain('rehearsal-5-patients.csv');
    const patients = card(page, 'rehearsal-5-patients.csv');
    await expect(selectedText(patients.getByLabel('Column contract'))).resolves.toBe(CONTRACT_TITLE);
    await expect(selectedText(patients.getByLabel(MAPPING_LABEL))).resolves.toBe(MAPPING_NAME);
    await expect(
      selectedText(card(page, 'rehearsal-5-visits.csv').getByLabel('Column contract')),
    ).resolves.toMatch(/^Encounter extract column contract/);
    await waitForSaved(page);

    // a drop with a file of other columns: nothing is checked, and the screen says what to decide
    await pick(rehearsal('encounters.csv', 'rehearsal-6-visits.csv', 12), join(dir, 'patients-renamed.csv'));
    const stop = page.getByRole('alert').filter({ hasText: 'The new extract needs a decision first' });
    await stop.waitFor();
    expect(await stop.getByRole('listitem').allTextContents()).toEqual([
      'patients-renamed.csv: its columns are not those of the saved check set “patients.csv”. Check the settings taken from it below.',
    ]);
    // the files are listed for the decision, and none of them was checked
    await card(page, 'patients-renamed.csv').waitFor();
    expect(await result(page).getByText('rehearsal-6-visits.csv').count()).toBe(0);
    expect(await result(page).getByText('patients-renamed.csv').count()).toBe(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-new-drop-1440.png') });
    expect(await axeRegionViolations(stop)).toEqual([]);
    expect(await axeRegionViolations(card(page, 'patients-renamed.csv'))).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await stop.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-new-drop-390.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });

  it('checks the records a mapping makes with the project’s FHIR checks, as the command line does', async () => {
    const { page } = app;
    await removeAll(page);
    // the project's FHIR checks are chosen under "FHIR files", on screen once a FHIR file is added
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(join(dir, 'one-patient.json'));
    const fhirFiles = page.getByRole('region', { name: 'FHIR files' });
    await fhirFiles.getByRole('checkbox', { name: /^Rules of the specification:/ }).uncheck();
    await fhirFiles
      .getByRole('group', { name: 'Report unknown extensions' })
      .getByRole('radio', { name: 'As warnings: listed, but the resource still counts as valid' })
      .check();
    await fhirFiles.getByRole('button', { name: 'Remove one-patient.json' }).click();
    // a mapping that writes the clinic's own extension, imported in the mapping editor
    await choose(page, rehearsal('patients.csv', 'rehearsal-7-patients.csv', 12));
    await page.getByText(/^Map rehearsal-7-patients\.csv to the new system/).click();
    await page.getByLabel('Import a mapping file').setInputFiles(join(dir, 'allergy-note.mapping.json'));
    await expect
      .poll(() => page.getByLabel('Mapping', { exact: true }).inputValue())
      .toBe('patients-with-allergy-note');
    const patients = card(page, 'rehearsal-7-patients.csv');
    await patients.getByLabel(MAPPING_LABEL).selectOption({ label: ALLERGY_MAPPING });
    const checksSaid = patients.getByText(
      'Its records are checked as FHIR Patient resources with the project’s FHIR checks (chosen under “FHIR files”, shown once a FHIR file is added): Checks switched off: Rules of the specification. Unknown extensions count as warnings.',
    );
    await checksSaid.waitFor();
    // the sentence wraps inside the file's card
    const [said, within] = await Promise.all([checksSaid.boundingBox(), patients.boundingBox()]);
    expect((said?.x ?? 0) + (said?.width ?? 0)).toBeLessThanOrEqual((within?.x ?? 0) + (within?.width ?? 0));
    await page.getByRole('button', { name: 'Validate the file' }).click();
    await result(page)
      .getByText('rehearsal-7-patients.csv')
      .first()
      .waitFor({ timeout: scaled(120_000) });
    await waitForSaved(page);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const fromScreen = JSON.parse(readFileSync(await downloadedFile(json), 'utf8')) as Report;
    // the clinic's extension counts as a warning, as the project says, not as an error
    expect(
      fromScreen.issues.filter((i) => i.rule === 'fhir-unknown-extension').map((i) => i.severity),
    ).toEqual(['warning']);
    const [project] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    await project.saveAs(join(dir, 'fhir-checks.preflight.json'));
    const cli = await runCli(
      ['validate', 'rehearsal-7-patients.csv', '--project', 'fhir-checks.preflight.json', '--json'],
      dir,
    );
    expect(cli.err).toContain(
      'FHIR checks of fhir-checks.preflight.json: switched off: invariants; unknown extensions as warnings',
    );
    // the screen compares the run with the previous one it kept (the CLI does with --compare)
    const { comparison: _c, ...screenRun } = fromScreen;
    expect(comparable(JSON.parse(cli.out) as Report)).toEqual(comparable(screenRun as Report));
    if (SHOTS) {
      await checksSaid.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'checksets-mapped-fhir-1440.png') });
    }
    expect(await axeRegionViolations(patients)).toEqual([]);
    expect(await axeRegionViolations(result(page))).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await checksSaid.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'checksets-mapped-fhir-390.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(app.console).toEqual([]);
  });
});

const rehearsals = (page: Page, files: string) =>
  page.getByRole('region', { name: `Rehearsals of ${files} against urn:clinic:patients` });

/** Validates the listed file `name` against the patients contract; resolves once the run is kept. */
async function check(page: Page, name: string): Promise<void> {
  const card = page.getByRole('group', { name: new RegExp(`^${name.replace('.', '\\.')}`) });
  await card.waitFor();
  const contract = card.getByLabel('Column contract');
  // the contract added for January: chosen for February by the user (by its title)
  if ((await contract.inputValue()) === '') await contract.selectOption({ label: 'Patients contract' });
  await page.getByRole('button', { name: 'Validate the file' }).click();
  // every finished run is kept in the project on its own
  await result(page)
    .getByRole('button', { name: 'Saved in the project' })
    .waitFor({ timeout: scaled(120_000) });
}

describe('The data team rehearses, compares and accepts', () => {
  const files = {
    jan: '',
    feb: '',
    contract: '',
  };
  let lead: Watched;
  beforeAll(async () => {
    files.jan = join(dir, 'patients-jan.csv');
    files.feb = join(dir, 'patients-feb.csv');
    files.contract = join(dir, 'patients.contract.json');
    // a project of their own in the same browser: no check set, contract or run of the part above
    lead = app;
    const { page } = lead;
    await removeAll(page);
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Project name').fill('Patients rehearsals');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('status').filter({ hasText: 'Project “Patients rehearsals” created.' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Migration' }).waitFor();
    await waitForSaved(page);
  });

  it('keeps the first run and says the next one will be compared with it', async () => {
    const { page } = lead;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(files.jan);
    await page.getByRole('group', { name: /^patients-jan\.csv/ }).waitFor();
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(files.contract);
    await check(page, 'patients-jan.csv');
    const first = rehearsals(page, 'patients-jan.csv');
    await first.getByText(/^One run so far/).waitFor();
    expect(await first.getByTestId('trend-errors').textContent()).toBe('4');
  });

  it('compares February with January: fixed, new, worse and still failing', async () => {
    const { page } = lead;
    await page.getByRole('button', { name: 'Remove patients-jan.csv' }).click();
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(files.feb);
    await check(page, 'patients-feb.csv');
    const second = rehearsals(page, 'patients-feb.csv');
    await second.getByTestId('compare-fixed').waitFor();
    const counts = {
      fixed: await second.getByTestId('compare-fixed').textContent(),
      new: await second.getByTestId('compare-new').textContent(),
      still: await second.getByTestId('compare-still').textContent(),
      worse: await second.getByTestId('compare-worse').textContent(),
    };
    expect(counts).toEqual({ fixed: '1', new: '1', still: '1', worse: '1' });
    const changes = second.getByRole('table', { name: 'Each problem since the previous run' });
    const rows = await changes
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim())));
    expect(rows.map((r) => [r[0]?.split(':')[0], r[1], r[2], r[3]])).toEqual([
      ['id', 'New', '0', '1'],
      ['birth_date', 'Worse', '2', '3'],
      ['sex', 'Still failing', '1', '1'],
      ['birth_date', 'Fixed', '1', '0'],
    ]);
    expect(await second.getByTestId('trend-errors').textContent()).toBe('4, 5');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.locator('.rehearsals').screenshot({ path: join(SHOTS, 'rehearsals-1440.png') });
  });

  it('puts the comparison with January into February’s CSV and printable report', async () => {
    const { page } = lead;
    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        result(page).getByRole('button', { name: button }).click(),
      ]);
      return readFileSync(await downloadedFile(download), 'utf8');
    };
    const csv = (await exported('Export CSV')).split('\r\n');
    const counts = csv
      .filter((l) => l.startsWith('comparison,'))
      .map((l) => l.split(',').slice(4, 6).join(' '));
    expect(counts).toEqual(['previous run 4', 'fixed 1', 'new 1', 'still failing 1', 'worse 1']);
    expect(
      csv
        .filter((l) => l.startsWith('change,'))
        .map((l) => /,"?(New|Worse|Still failing|Fixed):/.exec(l)?.[1]),
    ).toEqual(['New', 'Worse', 'Still failing', 'Fixed']);
    const html = await exported('Export printable page');
    expect(html).toMatch(
      /Compared with the run of [^<]+ \(4 errors then, 5 now\): 1 fixed, 1 new, 1 still failing, 1 worse\./,
    );
    expect(html).toContain('<caption>Changes since the previous run</caption>');
  });

  it('accepts the empty birth dates only with rationale, owner and last day', async () => {
    const { page } = lead;
    const report = result(page);
    await report.getByRole('button', { name: /^Accept this problem… birth_date: is required/ }).click();
    const form = report.getByRole('group', { name: /^Accept birth_date: is required/ });
    await form.getByLabel('Why it is accepted').fill('Walk-in patients were registered without a birth date');
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    // no owner: nothing is accepted
    await form.getByRole('alert').getByText('Name the person who answers for it.').waitFor();
    expect(await report.getByTestId('waiver-mark').count()).toBe(0);
    // the page passed axe whole above: here what changed, the report with its form and its alert
    expect(await axeRegionViolations(report)).toEqual([]);
    if (SHOTS) await form.screenshot({ path: join(SHOTS, 'waiver-form-1440.png') });
    await form.getByLabel('Owner (who answers for it)').fill('Dana Whitfield');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    const mark = report.getByTestId('waiver-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-in patients were registered without a birth date',
    );
    // 5 errors: the 3 empty birth dates accepted; the missing patient number and the sex still fail
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('2');
    expect(await report.getByTestId('score-errors').textContent()).toBe('5');
    expect(await axeRegionViolations(report)).toEqual([]);
    if (SHOTS) await report.screenshot({ path: join(SHOTS, 'accepted-1440.png') });
  });

  it('after a reload: the comparison, the acceptance, the exported report and the project export', async () => {
    const { page } = lead;
    // the acceptance is autosaved within a second: the bar says when it is stored
    await waitForSaved(page);
    await page.reload();
    const second = rehearsals(page, 'patients-feb.csv');
    await second.getByTestId('compare-fixed').waitFor();
    expect(await second.getByTestId('compare-new').textContent()).toBe('1');
    await page.getByRole('heading', { name: 'Saved validation reports' }).waitFor();
    await page
      .getByRole('button', { name: /^Open report of/ })
      .first()
      .click();
    const saved = result(page);
    await saved.getByTestId('waiver-mark').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      saved.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const exported = join(dir, 'report.json');
    await download.saveAs(exported);
    const report = JSON.parse(readFileSync(exported, 'utf8')) as Report;
    expect(report.waivers?.map((w) => [w.waiver.owner, w.waiver.expires, w.status, w.occurrences])).toEqual([
      ['Dana Whitfield', '2099-06-30', 'active', 3],
    ]);
    expect(report.issues.filter((i) => i.acceptedBy).map((i) => [i.rule, i.location])).toEqual([
      ['contract.required', 'birth_date'],
    ]);
    // the CSV and the printable page list the waiver and mark the problem it accepted, in one wording
    const exportedText = async (button: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        saved.getByRole('button', { name: button }).click(),
      ]);
      return readFileSync(await downloadedFile(file), 'utf8');
    };
    const csv = (await exportedText('Export CSV')).split('\r\n');
    const waiverLines = csv.filter((l) => l.startsWith('accepted problem,'));
    expect(waiverLines).toHaveLength(1);
    expect(waiverLines[0]).toContain(
      '— Walk-in patients were registered without a birth date; owner Dana Whitfield; until 2099-06-30; accepted 1 problem, 3 times',
    );
    const mark = 'Accepted until 2099-06-30, owner Dana Whitfield';
    expect(csv.filter((l) => l.startsWith('issue,') && l.includes(mark))).toEqual([
      expect.stringContaining('contract.required,error,birth_date,3,'),
    ]);
    const html = await exportedText('Export printable page');
    expect(html).toContain('<h3>Accepted problems</h3>');
    expect(html).toContain(`. ${mark}</td>`);
    const [projectDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const projectFile = join(dir, 'project.json');
    await projectDownload.saveAs(projectFile);
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    expect(project.project.meta.settings.waivers.map((w: { owner: string }) => w.owner)).toEqual([
      'Dana Whitfield',
    ]);
    // the command line, given the exported project, applies the same waiver: the same verdict
    const cli = await runCli(['validate', 'patients-feb.csv', '--project', 'project.json', '--json'], dir);
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('Waivers: 1 waiver recorded in project.json');
    const fromCli = JSON.parse(cli.out) as Report;
    const verdict = (r: Report) => ({
      waivers: r.waivers?.map((w) => [w.waiver, w.status, w.issues, w.occurrences]),
      accepted: r.issues.filter((i) => i.acceptedBy).map((i) => [i.rule, i.location, i.count, i.acceptedBy]),
      failing: failingErrors(r),
      passed: judgeRun(r).passed,
    });
    expect(verdict(fromCli)).toEqual(verdict(report));
    expect(verdict(fromCli).failing).toBe(2);
    // a drop whose only problem is the accepted one passes the command line (exit 0)
    writeFileSync(join(dir, 'patients-mar.csv'), 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n');
    const march = await runCli(['validate', 'patients-mar.csv', '--project', 'project.json'], dir);
    expect(march.out).toContain('Errors not accepted: 0');
    expect(march.code).toBe(0);
    // "Download waivers" writes the file the command line reads with --waivers
    if (SHOTS)
      await saved.locator('.export-row').screenshot({ path: join(SHOTS, 'download-waivers-1440.png') });
    const [waiversDownload] = await Promise.all([
      page.waitForEvent('download'),
      saved.getByRole('button', { name: 'Download waivers' }).click(),
    ]);
    expect(waiversDownload.suggestedFilename()).toMatch(/^waivers-\d{4}-\d{2}-\d{2}\.json$/);
    await waiversDownload.saveAs(join(dir, 'downloaded.waivers.json'));
    const loaded = loadWaivers(JSON.parse(readFileSync(join(dir, 'downloaded.waivers.json'), 'utf8')));
    expect(loaded.ok && loaded.value.waivers).toEqual(project.project.meta.settings.waivers);
    const withFile = await runCli(
      [
        'validate',
        'patients-feb.csv',
        '--schema',
        'patients.contract.json',
        '--waivers',
        'downloaded.waivers.json',
        '--json',
      ],
      dir,
    );
    expect(withFile.code).toBe(1);
    expect(verdict(JSON.parse(withFile.out) as Report)).toEqual(verdict(report));
  });

  it('readiness says the last rehearsal got worse, with the way to its comparison', async () => {
    const { page } = lead;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Phases');
    const preLaunch = page
      .getByRole('list', { name: 'Phases' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Pre-launch', exact: true }) });
    await preLaunch
      .getByText(
        /^Last rehearsal of patients-feb\.csv, checked \d{4}-\d{2}-\d{2}, against the run of \d{4}-\d{2}-\d{2}: 1 fixed, 1 new, 1 still failing, 1 worse\.$/,
      )
      .waitFor();
    const worse = preLaunch.getByRole('listitem').filter({
      hasText:
        /^patients-feb\.csv: the last rehearsal \(checked [\d-]+\) got worse than the run of [\d-]+: 1 new problem and 1 problem more frequent\./,
    });
    expect(await axeViolations(page)).toEqual([]);
    await worse.getByRole('link', { name: 'Go to Migration' }).click();
    await rehearsals(page, 'patients-feb.csv').getByTestId('compare-worse').waitFor();
    expect(await rehearsals(page, 'patients-feb.csv').getByTestId('compare-worse').textContent()).toBe('1');
  });

  it('fits a phone: no page-wide scroll, no accessibility violation', async () => {
    const { page } = lead;
    await page.setViewportSize({ width: 390, height: 900 });
    await rehearsals(page, 'patients-feb.csv').getByTestId('trend-chart').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    // the saved report, with its accepted problem and "Download waivers", fits too
    await page
      .getByRole('button', { name: /^Open report of/ })
      .first()
      .click();
    await result(page).getByRole('button', { name: 'Download waivers' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    // axe once on the saved report with its acceptance (the rehearsals passed it above)
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await page.locator('.rehearsals').screenshot({ path: join(SHOTS, 'rehearsals-390.png') });
      await result(page).screenshot({ path: join(SHOTS, 'accepted-390.png') });
    }
    expect(lead.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(lead.cspViolations).toEqual([]);
  });
});
