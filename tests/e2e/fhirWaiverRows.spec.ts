/**
 * Journey: a data lead accepts an extension the clinic's target loads itself, but only for the
 * records of one week — the first 8 lines of a 12-line NDJSON export, more occurrences than the 5
 * examples a FHIR report lists. Until the file is checked again the acceptance cannot know where
 * each occurrence lies, and says so; checked again, the run counts the occurrences inside those
 * lines: 8 are accepted, the 4 outside still fail and are said, and the errors not accepted are
 * those 4. Selected by role and label; axe; console and CSP watched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './browser.ts';
import {
  acceptProblem,
  chooseFhirFiles,
  consoleErrors,
  FIRST_RUN_TIMEOUT_MS,
  fhirResult,
  fhirSection,
  type MigrationSession,
  openMigration,
  validateFhirFiles,
} from './fhirFiles.ts';

const FILE = 'week-one.ndjson';
const URL = 'http://vendor.example/fhir/ext/preferred-pharmacy';
let session: MigrationSession;

beforeAll(async () => {
  session = await openMigration('preflight-fhir-waiver-rows-');
  const lines = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      resourceType: 'Patient',
      id: `p${i + 1}`,
      extension: [{ url: URL, valueString: 'Main St' }],
    }),
  );
  writeFileSync(join(session.dir, FILE), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await session?.close();
});

describe('FHIR: a waiver limited to lines of an NDJSON export', () => {
  it('checks the export: 12 unknown extensions', async () => {
    const { page } = session.app;
    await chooseFhirFiles(page, join(session.dir, FILE));
    const result = await validateFhirFiles(page, 1, FIRST_RUN_TIMEOUT_MS);
    expect(await result.getByTestId('score-errors').textContent()).toBe('12');
  });

  it('accepted in lines 1-8, it says the file must be checked again to count them', async () => {
    const { page } = session.app;
    const report = fhirResult(page);
    await acceptProblem(report, report.getByRole('button', { name: /^Accept this problem…/ }).first(), {
      why: 'The target loads the vendor extensions of week one',
      owner: 'Dana Whitfield',
      until: '2099-06-30',
      rows: '1-8',
    });
    const mark = report.getByTestId('waiver-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toMatch(/^Accepted only in rows 1-8, and not every occurrence is known/);
  });

  it('checked again: the 8 inside are accepted, the 4 outside still fail and are said', async () => {
    const { app } = session;
    const { page } = app;
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const report = fhirResult(page);
    const marks = report.getByTestId('waiver-mark');
    await marks.nth(1).waitFor({ timeout: 60_000 });
    expect(await marks.allTextContents()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: The target loads the vendor extensions of week one',
      'Accepted only in rows 1-8: these 4 occurrences lie outside them and still fail the check.',
    ]);
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('4');
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors(app)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
