/**
 * Journey: a data team checks an export in which one resource is nested thousands of levels deep
 * (an extension holding itself 5,000 times) and another puts a list inside a list, next to a
 * second file. In real Chromium, the validator worker reports the deep resource as one fatal issue
 * on its line, the list in a list as the wrong JSON type, and validates everything else — the
 * other file included — instead of failing the whole run. CSP, console and axe are watched, at
 * 1440 and 390 px.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './browser.ts';
import {
  chooseFhirFiles,
  FIRST_RUN_TIMEOUT_MS,
  fhirResult,
  type MigrationSession,
  openMigration,
  validateFhirFiles,
} from './fhirFiles.ts';

let session: MigrationSession;

const OPEN = '{"url":"http://example.org/x","extension":[';
const DEEP = `{"resourceType":"Patient","id":"deep","extension":[${OPEN.repeat(5000)}{"url":"http://example.org/x","valueString":"v"}${']}'.repeat(5000)}]}`;

beforeAll(async () => {
  session = await openMigration('preflight-fhir-hostile-e2e-');
  const { dir } = session;
  const lines = [
    JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }),
    DEEP,
    JSON.stringify({ resourceType: 'Patient', id: 'p3', name: [[{ family: 'Nested' }]] }),
    JSON.stringify({ resourceType: 'Patient', id: 'p4', gender: 'male' }),
  ];
  writeFileSync(join(dir, 'hostile.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ resourceType: 'Patient', id: 'o1', gender: 'X' }));
});

afterAll(async () => {
  await session?.close();
});

describe('FHIR: hostile nesting', () => {
  it('reports the deep resource on its line and validates the rest of the run, the other file too', async () => {
    const { app, dir } = session;
    const { page } = app;
    await chooseFhirFiles(page, [join(dir, 'hostile.ndjson'), join(dir, 'other.json')]);
    const result = await validateFhirFiles(page, 2, FIRST_RUN_TIMEOUT_MS);
    expect(await result.getByTestId('score-records').textContent()).toBe('5');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('3');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('nested more than 500 levels deep');
    expect(text).toContain('Patient.extension');
    expect(text).toContain('never a list (FHIR JSON has no lists inside lists)');
    expect(text).not.toMatch(/internal error|RangeError/);
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await result.getByText('nested more than 500 levels deep').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'fhir-hostile-1440.png') });
    }
  });

  it('reads well on a phone', async () => {
    const { page } = session.app;
    await page.setViewportSize({ width: 390, height: 844 });
    await fhirResult(page).getByTestId('score-records').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.PREFLIGHT_SCREENSHOTS) {
      await fhirResult(page).getByText('nested more than 500 levels deep').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(process.env.PREFLIGHT_SCREENSHOTS, 'fhir-hostile-390.png') });
    }
  });
});
