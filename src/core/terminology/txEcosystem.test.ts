/**
 * HL7's terminology ecosystem suite, general mode, offline: every `validate-code`,
 * `cs-validate-code` and `lookup` case answered by the engine (src/core/terminology/txSuite.ts says how a case
 * is compared; `preflight fhir tx-suite` runs the same runner). The score is held: it may rise,
 * never drop, and a valid code is never called invalid. A case the engine does not answer as the
 * suite expects is listed below by name with the reason, and skipped by that name; a listed case
 * that starts to pass fails the run until it is taken off the list.
 */
import { describe, expect, it } from 'vitest';
import { runTxEcosystem } from '../../../tests/fixtures/txEcosystem.ts';
import { matchesExpected } from './txSuite.ts';

/**
 * Cases the engine does not answer as the suite expects yet, by name, with the feature missing
 * (none today: supplements and out-of-use designations and concepts were the last).
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {};

const outcomes = runTxEcosystem();
const validated = outcomes.filter((o) => o.operation !== 'lookup');
const answered = validated.filter((o) => o.answerExpected);

describe('HL7 terminology ecosystem suite (general mode, validate-code)', () => {
  it('holds the score: result and issue kinds as expected, and no valid code called invalid', () => {
    const resultAsExpected = answered.filter((o) => o.actualResult === o.expectedResult).length;
    const asExpected = answered.filter((o) => o.asExpected).length;
    const falseAlarms = answered.filter((o) => o.expectedResult === true && o.actualResult === false);
    expect(answered.length).toBe(374);
    expect(falseAlarms.map((o) => o.name)).toEqual([]);
    expect(resultAsExpected).toBeGreaterThanOrEqual(374);
    expect(asExpected).toBeGreaterThanOrEqual(374);
  });

  it('refuses every request the suite expects refused (a broken value set, an unknown supplement)', () => {
    const refusals = validated.filter((o) => !o.answerExpected);
    expect(refusals.length).toBe(37);
    expect(refusals.filter((o) => !o.asExpected).map((o) => o.name)).toEqual([]);
  });

  it('answers every lookup case as the suite expects (designations, properties, supplements)', () => {
    const lookups = outcomes.filter((o) => o.operation === 'lookup');
    expect(lookups.length).toBe(5);
    expect(lookups.filter((o) => !o.asExpected).map((o) => o.name)).toEqual([]);
  });

  it('matches an answer as the suite writes responses: optional entries, any order, nothing extra', () => {
    const expected = {
      parameter: [
        { name: 'display', valueString: 'Red' },
        { $optional$: true, name: 'abstract', valueBoolean: false },
        {
          name: 'use',
          valueCoding: { '$optional-properties$': ['display'], system: 's', code: 'c', display: 'C' },
        },
      ],
    };
    const use = { name: 'use', valueCoding: { system: 's', code: 'c' } };
    expect(matchesExpected(expected, { parameter: [use, { name: 'display', valueString: 'Red' }] })).toBe(
      true,
    );
    expect(matchesExpected(expected, { parameter: [use] })).toBe(false);
    expect(matchesExpected(expected, { parameter: [use, { name: 'display', valueString: 'Blue' }] })).toBe(
      false,
    );
    const extra = { name: 'definition', valueString: 'x' };
    expect(
      matchesExpected(expected, { parameter: [use, { name: 'display', valueString: 'Red' }, extra] }),
    ).toBe(false);
  });

  it('lists every case not answered as expected by name, and only those', () => {
    const unexpected = outcomes.filter((o) => !o.asExpected).map((o) => o.name);
    expect(unexpected.filter((name) => !(name in KNOWN_GAPS))).toEqual([]);
    expect(Object.keys(KNOWN_GAPS).filter((name) => !unexpected.includes(name))).toEqual([]);
  });

  for (const [name, reason] of Object.entries(KNOWN_GAPS)) it.skip(`${name}: ${reason}`, () => {});
});
