/**
 * Agreement with the HL7 Java validator on the 58 R4 base-spec cases (tests/fixtures/fhirTestCases.ts),
 * through the core: one test per case, and an overall count so a regression fails even if a case
 * were skipped. A case we cannot pass yet goes in KNOWN_GAPS with the reason (none today).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fhirCases } from '../../../tests/fixtures/fhirTestCases.ts';
import { generatedModules } from './generatedModules.ts';
import { parseFhirJson } from './run.ts';
import { createFhirSession } from './validator.ts';

/** Cases skipped by name, each with the reason. */
const KNOWN_GAPS: Record<string, string> = {};

const cases = fhirCases();
const session = await createFhirSession(generatedModules);

async function verdict(file: string): Promise<{ invalid: boolean; rules: string[] }> {
  const parsed = parseFhirJson(readFileSync(file, 'utf8'));
  const issues = parsed.ok ? (await session.validate(parsed.value)).issues : [parsed.issue];
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  return { invalid: errors.length > 0, rules: errors.map((e) => `${e.rule} at ${e.location}`) };
}

describe('HL7 FHIR validator suite, R4 base spec (58 cases)', () => {
  it('has the 58 cases: 35 invalid, 23 valid', () => {
    expect(cases).toHaveLength(58);
    expect(cases.filter((c) => c.invalid)).toHaveLength(35);
  });

  for (const c of cases) {
    const gap = KNOWN_GAPS[c.name];
    it.skipIf(gap !== undefined)(
      `${c.name}: ${c.invalid ? 'invalid' : 'valid'} as the Java validator says`,
      async () => {
        const ours = await verdict(c.file);
        expect(
          ours.invalid,
          `ours: ${ours.rules.join('; ') || 'no errors'}; Java: ${c.javaErrors.join('; ')}`,
        ).toBe(c.invalid);
      },
    );
  }

  it('agrees on all 58 with no false alarm (target was ≥ 54 with 0 false alarms)', async () => {
    let agree = 0;
    let falseAlarms = 0;
    for (const c of cases) {
      const ours = await verdict(c.file);
      if (ours.invalid === c.invalid) agree++;
      else if (ours.invalid) falseAlarms++;
    }
    expect(falseAlarms).toBe(0);
    expect(agree).toBe(58 - Object.keys(KNOWN_GAPS).length);
  });
});
