/**
 * The profile checker's table: each check named once, saying what it checks and reporting only
 * rules of the FHIR rule table; the type check first among the checks of a value (a value of
 * another type is checked no further); every rule the checker reports is some check's.
 */
import { describe, expect, it } from 'vitest';
import { FHIR_RULES } from '../../../fhir/index.ts';
import { ITEM_CHECKS, PROFILE_CHECKS } from './index.ts';

const ruleIds = new Set(FHIR_RULES.map((rule) => rule.id));

describe('profile checks', () => {
  it.each(PROFILE_CHECKS.map((check) => [check.id, check] as const))('%s says what it checks', (_, check) => {
    expect(check.describe).not.toBe('');
    for (const rule of check.rules) expect(ruleIds, rule).toContain(rule);
  });

  it('names each check once', () => {
    const ids = PROFILE_CHECKS.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("checks a value's type before anything else about it", () => {
    expect(ITEM_CHECKS[0]?.id).toBe('type');
  });

  it('has a check for every profile rule of the rule table', () => {
    const reported = new Set(PROFILE_CHECKS.flatMap((check) => check.rules));
    const profileRules = [...ruleIds].filter(
      (id) => id.startsWith('fhir-profile-') || id === 'fhir-code-unknown',
    );
    // the version and not-applied notes are the walk's own, said of a claimed profile as a whole;
    // a claim of a profile no package defines is the validator's (src/core/fhir), before the checker
    const walkRules = new Set([
      'fhir-profile-version',
      'fhir-profile-not-checked',
      'fhir-profile-claim-not-checked',
      'fhir-profile-claim-unknown',
    ]);
    expect(profileRules.filter((id) => !reported.has(id) && !walkRules.has(id))).toEqual([]);
  });
});
