/**
 * One binding check: HL7's terminology ecosystem suite placed on resources (tests/fixtures/txBindings.ts
 * says how) and run through the validator as `preflight fhir validate --ig` runs it. The verdict on
 * the bound element (error, warning or valid) equals `validate-code`'s on the same case, the engine
 * `preflight fhir tx-suite` scores. The score is printed and held: it may rise, never drop. A case
 * whose request carries an option no resource can (a version rule, a display language) is skipped
 * by name with the reason; a case the validator judges otherwise is listed by name with the reason,
 * and a listed case that starts to agree fails the run until it is taken off the list.
 */
import { describe, expect, it } from 'vitest';
import { type BindingCase, KNOWN_DISAGREEMENTS, runTxBindings } from '../../../tests/fixtures/txBindings.ts';

/** The score today's validator reaches (agreeing cases of those a resource can carry). */
const SCORE = 217;

const cases: BindingCase[] = await runTxBindings();
const run = cases.filter((c) => c.gap === undefined);
const agreeing = run.filter((c) => c.actual === c.expected);
const shown = (c: BindingCase) =>
  `${c.suite}/${c.name}: validate-code ${c.expected}, validate ${c.actual} (${c.issues.join('; ') || 'no issue'})`;

describe('HL7 terminology ecosystem suite through fhir validate: the verdict on a resource is validate-code’s', () => {
  it('prints and holds the score', () => {
    console.info(
      `tx suite through fhir validate: ${agreeing.length} of ${run.length} cases agree with validate-code; ${cases.length - run.length} of ${cases.length} carry a request option no resource can (skipped by name)`,
    );
    expect(cases).toHaveLength(374);
    expect(agreeing.length).toBeGreaterThanOrEqual(SCORE);
  });

  it('calls no code valid that validate-code calls invalid, outside the cases listed with a reason', () => {
    const disagreeing = run.filter((c) => c.actual !== c.expected);
    expect(disagreeing.filter((c) => !(c.name in KNOWN_DISAGREEMENTS)).map(shown)).toEqual([]);
    expect(
      Object.keys(KNOWN_DISAGREEMENTS).filter((name) => !disagreeing.some((c) => c.name === name)),
    ).toEqual([]);
  });

  it('says a wrong display as an error, and a concept to review as a warning, by their own rules', () => {
    const rules = new Set(run.flatMap((c) => c.issues.map((i) => i.split(' ')[1])));
    expect(rules).toContain('fhir-code-display-wrong');
    expect(rules).toContain('fhir-code-review');
  });

  it('judges a coding no binding covers by the same engine: a supplement given as its system is an error', () => {
    const bad = run.find((c) => c.name === 'validate-coding-bad-supplement-url');
    expect(
      bad?.issues.some((i) => i.startsWith('error fhir-code-system-invalid @ Basic.code.coding[0].system')),
    ).toBe(true);
    const inactive = run.find((c) => c.name === 'validate-code-inactive');
    expect(inactive?.issues).toContain('warning fhir-code-review @ Basic.code.coding[0]');
  });

  it('never calls a code invalid that validate-code calls valid (no false alarm)', () => {
    expect(run.filter((c) => c.expected !== 'error' && c.actual === 'error').map(shown)).toEqual([]);
  });

  for (const c of cases.filter((x) => x.gap !== undefined))
    it.skip(`${c.suite}/${c.name}: ${c.gap}`, () => {});
  for (const [name, reason] of Object.entries(KNOWN_DISAGREEMENTS)) it.skip(`${name}: ${reason}`, () => {});
});
