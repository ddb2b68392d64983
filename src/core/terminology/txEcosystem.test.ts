/**
 * HL7's terminology ecosystem suite, general mode, offline: every `validate-code` and
 * `cs-validate-code` case answered by the engine (src/core/terminology/txSuite.ts says how a case
 * is compared; `preflight fhir tx-suite` runs the same runner). The score is held: it may rise,
 * never drop, and a valid code is never called invalid. A case the engine does not answer as the
 * suite expects is listed below by name with the reason, and skipped by that name; a listed case
 * that starts to pass fails the run until it is taken off the list.
 */
import { describe, expect, it } from 'vitest';
import { runTxEcosystem } from '../../../tests/fixtures/txEcosystem.ts';

/** Cases the engine does not answer as the suite expects yet, by name, with the feature missing. */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  'parameters-validate-supplement-none':
    'supplements: a supplement’s displays count only when the request names it (useSupplement)',
  'parameters-validate-supplement-bad':
    'supplements: an unknown supplement named by useSupplement is not refused',
  'validate-code-bad-supplement':
    'supplements: an unknown supplement named by a value set extension is not refused',
  'validate-coding-bad-supplement':
    'supplements: an unknown supplement named by a value set extension is not refused',
  'validate-coding-bad-supplement-url':
    'supplements: a supplement’s URL given as the value set is not answered',
  'validate-codeableconcept-bad-supplement':
    'supplements: an unknown supplement named by a value set extension is not refused',
  'validate-code-inactive-display': 'displays: an inactive designation is not told apart (display-comment)',
  'validate-code-inactive': 'inactive codes: the R5 concept-status extension is not read',
};

const outcomes = runTxEcosystem();
const answered = outcomes.filter((o) => o.answerExpected);

describe('HL7 terminology ecosystem suite (general mode, validate-code)', () => {
  it('holds the score: result and issue kinds as expected, and no valid code called invalid', () => {
    const resultAsExpected = answered.filter((o) => o.actualResult === o.expectedResult).length;
    const asExpected = answered.filter((o) => o.asExpected).length;
    const falseAlarms = answered.filter((o) => o.expectedResult === true && o.actualResult === false);
    expect(answered.length).toBe(374);
    expect(falseAlarms.map((o) => o.name)).toEqual([]);
    expect(resultAsExpected).toBeGreaterThanOrEqual(372);
    expect(asExpected).toBeGreaterThanOrEqual(370);
  });

  it('lists every case not answered as expected by name, and only those', () => {
    const unexpected = outcomes.filter((o) => !o.asExpected).map((o) => o.name);
    expect(unexpected.filter((name) => !(name in KNOWN_GAPS))).toEqual([]);
    expect(Object.keys(KNOWN_GAPS).filter((name) => !unexpected.includes(name))).toEqual([]);
  });

  for (const [name, reason] of Object.entries(KNOWN_GAPS)) it.skip(`${name}: ${reason}`, () => {});
});
