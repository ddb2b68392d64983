/**
 * The walk runs each check as its element compiled it (`ItemCheck.compile`, made once per element)
 * where the check offers that, else through `check` per value. Both must say the same: here every
 * check runs through `check` alone, and every US Core 6.1.0 example must be told exactly what
 * check.golden.test.ts holds it is told through the compiled checks.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { usCoreExamples, usCorePackage } from '../../../tests/fixtures/usCorePackage.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { ITEM_CHECKS } from './checker/checks/index.ts';
import { createProfileRegistry } from './registry.ts';

vi.mock('./checker/checks/index.ts', async (importOriginal) => {
  const table = await importOriginal<typeof import('./checker/checks/index.ts')>();
  return {
    ...table,
    ITEM_CHECKS: table.ITEM_CHECKS.map(({ compile: _compiled, ...check }) => check),
  };
});

const golden = JSON.parse(
  readFileSync(new URL('./testing/check.golden.json', import.meta.url), 'utf8'),
) as Record<string, string>;

describe('checks run per value', () => {
  it('tell every US Core example what the compiled checks tell it', async () => {
    expect(ITEM_CHECKS.some((check) => check.compile !== undefined)).toBe(false);
    const session = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(createProfileRegistry([await usCorePackage()])),
    });
    const examples = await usCoreExamples();
    expect(examples.length).toBeGreaterThanOrEqual(150);
    const moved: string[] = [];
    for (const example of examples) {
      const { issues } = await session.validate(example.resource);
      const digest = createHash('sha256').update(JSON.stringify(issues)).digest('hex');
      if (golden[`us-core/${example.name}`] !== digest) moved.push(example.name);
    }
    expect(moved).toEqual([]);
  }, 120_000);
});
