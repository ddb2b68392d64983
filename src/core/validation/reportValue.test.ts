/**
 * A value over 1 MB is cut in reports and on screen, with a marker that gives its full length;
 * up to 1 MB it is kept whole. Then through the engine: a 1.3 MB cell's example, profile top and
 * max are cut, a short one's are not, and a redacted report still holds none.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../contract/index.ts';
import { buildReport } from './buildReport.ts';
import { CUT_VALUE_KEEPS, MAX_REPORT_VALUE_CHARS, reportValue } from './reportValue.ts';
import { bytesSource } from './testing/mappedRuns.ts';
import { validateCsv } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

describe('reportValue', () => {
  it.each([
    { name: 'short', length: 10, cut: false },
    { name: 'exactly 1 MB', length: MAX_REPORT_VALUE_CHARS, cut: false },
    { name: 'one more', length: MAX_REPORT_VALUE_CHARS + 1, cut: true },
    { name: '1.3 MB', length: 1_300_000, cut: true },
  ])('$name', ({ length, cut }) => {
    const value = 'x'.repeat(length);
    const shown = reportValue(value);
    if (!cut) expect(shown).toBe(value);
    else
      expect(shown).toBe(
        `${'x'.repeat(CUT_VALUE_KEEPS)}… [cut: ${length.toLocaleString('en-US')} characters in all]`,
      );
  });
});

describe('a field over 1 MB through the engine', () => {
  it.each([{ redact: false }, { redact: true }])('redact: $redact', async ({ redact }) => {
    const big = 'y'.repeat(1_300_000);
    const text = `id,note\n1,${big}\n2,ok\n`;
    const source = bytesSource('notes.csv', new TextEncoder().encode(text));
    const plan = compilePlan({ type: 'object', properties: { note: { type: 'string', maxLength: 10 } } });
    const result = await validateCsv(source, { layout: await detectLayout(source), plan });
    const report = buildReport([result], {
      generatedAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalMs: 1,
      toolVersion: '0.0.0',
      redact,
    });
    const marker = '… [cut: 1,300,000 characters in all]';
    const example = report.issues.find((i) => i.rule === 'contract.maxLength')?.examples[0];
    const note = report.profiles.find((p) => p.column === 'note');
    if (redact) {
      expect(example?.value).toBeUndefined();
      expect(note?.top).toBeUndefined();
      return;
    }
    expect(example?.value?.endsWith(marker)).toBe(true);
    expect(example?.value?.length).toBe(CUT_VALUE_KEEPS + marker.length);
    expect(note?.max).toBe(example?.value);
    expect(note?.top?.map((t) => t.value.length).sort((a, b) => a - b)).toEqual([
      2,
      CUT_VALUE_KEEPS + marker.length,
    ]);
    expect(note?.min).toBe('ok');
  });
});
