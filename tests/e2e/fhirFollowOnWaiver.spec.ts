/**
 * Journey: a data lead accepts a Questionnaire item without its type (the legacy forms never had
 * one). A message follows from it — que-1, the item is neither a group with items nor a question —
 * and accepting the item's missing type does not accept it: the screen says it still fails and the
 * errors not accepted count it. Selected by role and label; axe; console and CSP watched.
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
  type MigrationSession,
  openMigration,
  validateFhirFiles,
} from './fhirFiles.ts';

const FILE = 'intake-form.json';
let session: MigrationSession;

beforeAll(async () => {
  session = await openMigration('preflight-fhir-follow-on-');
  writeFileSync(
    join(session.dir, FILE),
    JSON.stringify({ resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1' }] }),
  );
});

afterAll(async () => {
  await session?.close();
});

describe('FHIR: a message that follows from an accepted problem', () => {
  it('checks the form: the item without its type, with que-1 folded under it', async () => {
    const { page } = session.app;
    await chooseFhirFiles(page, join(session.dir, FILE));
    const result = await validateFhirFiles(page, 1, FIRST_RUN_TIMEOUT_MS);
    expect(await result.getByTestId('score-errors').textContent()).toBe('2');
    expect(await result.getByTestId('issue-derived').textContent()).toBe(
      ' (and 1 more message follows from it)',
    );
  });

  it('accepted, the message that follows still fails and is counted', async () => {
    const { app } = session;
    const { page } = app;
    const report = fhirResult(page);
    await acceptProblem(report, report.getByRole('button', { name: /^Accept this problem…/ }), {
      why: 'The legacy intake forms never had item types',
      owner: 'Dana Whitfield',
      until: '2099-06-30',
    });
    await report.getByTestId('waiver-mark').waitFor();
    expect(await report.getByTestId('issue-derived').textContent()).toBe(
      ' (and 1 more message follows from it, not accepted: it still fails)',
    );
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('1');
    await report.getByTestId('issue-derived').click();
    const list = report.getByRole('list', { name: /^Messages that follow from / });
    expect(await list.getByRole('listitem').textContent()).toMatch(/not accepted: it still fails the check$/);
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors(app)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
