/**
 * Property test of the findings part of compareWorkflows against a plain reference: the pairing
 * documented on `compareFindings` (a shared rule id of their `rules`; first the same traced steps,
 * then overlapping ones; each current finding pairs once, taken in input order; an unpaired future
 * finding carrying a carried-over rule is kept from today, not introduced), written as the
 * quadratic scan it describes. The comparison indexes its candidates instead; both must pair
 * identically.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ComparableFinding, compareWorkflows } from './compare.ts';
import { linear, step } from './rules/testing/builders.ts';

const N = 6;
const ids = (side: 'c' | 'f') => Array.from({ length: N }, (_, i) => `${side}${i}`);
const current = linear(ids('c').map((id) => step(id)));
// f_i replaces c_i: step i of either side is one trace
const future = linear(
  ids('f').map((id, i) => step(id, { replaces: [`c${i}`] })),
  { state: 'future', retired: ['start', 'end'] },
);
const trace = (id: string) => Number(id.slice(1));
const tags = (f: ComparableFinding) => f.rules ?? [f.rule];
/** the rule treated as carried over from today in this test */
const CARRIED = 'c';

function reference(currentFindings: ComparableFinding[], futureFindings: ComparableFinding[]) {
  const keys = (f: ComparableFinding) => [...new Set(f.stepIds.map(trace))].sort((a, b) => a - b);
  const paired = new Set<number>();
  const pairOf = new Map<number, [number, string]>();
  for (const match of ['same-steps', 'overlapping-steps']) {
    futureFindings.forEach((ff, fi) => {
      if (pairOf.has(fi)) return;
      const fk = keys(ff);
      const ci = currentFindings.findIndex((cf, index) => {
        if (paired.has(index) || !tags(cf).some((rule) => tags(ff).includes(rule))) return false;
        const ck = keys(cf);
        return match === 'same-steps' ? ck.join() === fk.join() : fk.some((k) => ck.includes(k));
      });
      if (ci >= 0) {
        paired.add(ci);
        pairOf.set(fi, [ci, match]);
      }
    });
  }
  return {
    resolved: currentFindings.filter((_, i) => !paired.has(i)),
    introduced: futureFindings.filter((f, i) => !pairOf.has(i) && !tags(f).includes(CARRIED)),
    carriedOver: futureFindings.filter((f, i) => !pairOf.has(i) && tags(f).includes(CARRIED)),
    persisting: [...pairOf]
      .sort(([a], [b]) => a - b)
      .map(([fi, [ci, match]]) => ({
        current: currentFindings[ci],
        future: futureFindings[fi],
        match,
      })),
  };
}

const findingsOn = (side: 'c' | 'f') =>
  fc.array(
    fc
      .record({
        rule: fc.constantFrom('a', 'b', 'c'),
        // the other rule ids of the root cause, when it has several
        more: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 }),
        stepIds: fc.uniqueArray(fc.constantFrom(...ids(side)), { maxLength: 3 }),
      })
      .map(({ rule, more, stepIds }): ComparableFinding => {
        const rules = [rule, ...more.filter((r) => r !== rule)];
        return rules.length > 1 ? { rule, rules, stepIds } : { rule, stepIds };
      }),
    { maxLength: 12 },
  );

describe('compareWorkflows findings', () => {
  it('pairs findings exactly as the documented scan does', () => {
    fc.assert(
      fc.property(findingsOn('c'), findingsOn('f'), (currentFindings, futureFindings) => {
        const { findings } = compareWorkflows(current, future, {
          currentFindings,
          futureFindings,
          carriedOverRules: [CARRIED],
        });
        expect(findings).toEqual(reference(currentFindings, futureFindings));
      }),
      { numRuns: 300 },
    );
  });
});
