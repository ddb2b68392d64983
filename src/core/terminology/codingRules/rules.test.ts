/**
 * The table of `$validate-code`'s rules: each named once in kebab-case, saying what it checks, the
 * stages in the order the engine works them out, and every rule applying to some case of HL7's
 * terminology suite (a rule no case reaches is untested, or dead).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runTxEcosystem } from '../../../../tests/fixtures/txEcosystem.ts';
import { CODING_RULES } from './index.ts';

const STAGES = ['coding', 'system', 'code', 'concept'];

describe('the rules of validate-code', () => {
  afterAll(() => vi.restoreAllMocks());

  it.each(CODING_RULES.map((rule) => [rule.id, rule] as const))('%s says what it checks', (id, rule) => {
    expect(id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(rule.describe.length).toBeGreaterThan(20);
  });

  it('names each rule once, and lists the stages in the order they are worked out', () => {
    const ids = CODING_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    const order = CODING_RULES.map((rule) => STAGES.indexOf(rule.stage));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order)).toEqual(new Set([0, 1, 2, 3]));
  });

  it("applies every rule to some case of HL7's suite", () => {
    const fired = new Set<string>();
    for (const rule of CODING_RULES) {
      const applies = rule.applies.bind(rule) as (c: unknown) => boolean;
      vi.spyOn(rule as { applies: (c: unknown) => boolean }, 'applies').mockImplementation((c) => {
        const yes = applies(c);
        if (yes) fired.add(rule.id);
        return yes;
      });
    }
    runTxEcosystem();
    expect(CODING_RULES.map((rule) => rule.id).filter((id) => !fired.has(id))).toEqual([]);
  });
});
