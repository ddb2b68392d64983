/**
 * `csv.no-records`: a file with a header and no records is a warning of the whole file (an empty
 * extract most often comes from a failed export), in the core's result and its report; a file
 * with one record, even one blank or failing, is not empty.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from './buildReport.ts';
import { bytesSource } from './testing/mappedRuns.ts';
import { validateCsv } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('a file with no records', () => {
  it.each([
    { name: 'header only', text: 'patient_id,birth_date\n', empty: true },
    { name: 'header only, no line end', text: 'patient_id,birth_date', empty: true },
    { name: 'header only, CRLF', text: 'patient_id,birth_date\r\n', empty: true },
    { name: 'one record', text: 'patient_id,birth_date\nP1,1990-01-05\n', empty: false },
    { name: 'one record with a missing cell', text: 'patient_id,birth_date\nP1\n', empty: false },
  ])('$name', async ({ text, empty }) => {
    const source = bytesSource('patients.csv', utf8(text));
    const result = await validateCsv(source, { layout: await detectLayout(source) });
    const issue = result.issues.find((i) => i.rule === 'csv.no-records');
    if (!empty) {
      expect(issue).toBeUndefined();
      return;
    }
    expect(result.records).toBe(0);
    expect(result.warnings).toBe(1);
    expect(issue).toMatchObject({ severity: 'warning', location: '', count: 1, examples: [{}] });
    const report = buildReport([result], {
      generatedAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalMs: 1,
      toolVersion: '0.0.0',
    });
    expect(report.summary).toMatchObject({ records: 0, errors: 0, warnings: 1 });
    expect(report.issues[0]?.message).toContain('no records');
  });
});
