/**
 * HL7's validator test cases as the reference for `preflight fhir validate`: the selection covers
 * every enabled R4 case of the pinned commit, each left out with its reason, and the score of
 * every scored case, module by module, holds the recorded floor (tests/fixtures/hl7CasesFloor.json;
 * about 2.5 CPU-s in all).
 * `npm run bench -- hl7-cases` prints the score per module and re-records the floor with `--record`.
 */
import { describe, expect, it } from 'vitest';
import {
  changedSince,
  compareWithJava,
  copiedCases,
  floor,
  runCase,
  runCases,
  scoredCases,
  scoreOf,
  selection,
} from '../../../tests/fixtures/hl7Cases.ts';

describe("HL7's validator test cases through fhir validate", () => {
  it('selects from the 617 enabled R4 cases of the pinned commit, each left out with its reason', () => {
    expect(selection.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(floor().commit).toBe(selection.commit);
    expect(selection.cases).toHaveLength(617);
    const copied = selection.cases.filter((c) => !c.notCopied).map((c) => c.name);
    expect(copiedCases().map((c) => c.name)).toEqual(copied);
    for (const c of selection.cases.filter((c) => c.notCopied || c.notScored))
      expect((c.notCopied ?? c.notScored)?.length, c.name).toBeGreaterThan(0);
  });

  it('compares by verdict, and an error count above Java’s is an over-report', () => {
    expect(compareWithJava(0, 0)).toBe('agree');
    expect(compareWithJava(0, 1)).toBe('over');
    expect(compareWithJava(2, 0)).toBe('under');
    expect(compareWithJava(2, 2)).toBe('agree');
    expect(compareWithJava(2, 1)).toBe('agree');
    expect(compareWithJava(2, 3)).toBe('over');
  });

  // over-reports once (a defect counted twice, an extension of another FHIR version called unknown),
  // and the case that agreed only because that extension was called unknown
  it.each([
    [
      'bundle-conformsto',
      'a slice by profile no entry meets: the entry of the profile’s type is blamed, not the others',
    ],
    ['ext-xver-modifier-1', 'a modifier extension for an R5 element: not unknown'],
    ['xver-extensions-vs', 'extensions for R5 elements in a value set expansion: not unknown'],
    ['ext-xver-modifier-2', 'a regular extension a package defines, used as a modifier extension: an error'],
  ])('%s: agrees with Java (%s)', async (name) => {
    const c = copiedCases().find((x) => x.name === name);
    if (!c) throw new Error(`no case ${name}`);
    const runs = await runCase(c);
    expect(runs.map((r) => `${r.name}: ${r.verdict} ${r.why}`)).toEqual([`${name}: agree `]);
  });

  const recorded = floor();
  const cases = scoredCases();
  const modules = [...new Set(cases.map((c) => c.module ?? '(default)'))].sort();

  it('scores the modules and runs the floor was recorded on', () => {
    expect(modules, 'the scored cases changed: record the floor again').toEqual(
      Object.keys(recorded.modules),
    );
  });

  // one test per module: a drop in one is not hidden by a gain in another
  it.each(modules)('%s: agreement no lower than recorded, over-reports no higher', async (module) => {
    const runs = await runCases(cases.filter((c) => (c.module ?? '(default)') === module));
    const score = scoreOf(runs);
    const was = recorded.modules[module];
    const lines = changedSince(recorded, runs).join('\n');
    expect(score.runs, 'the scored cases changed: record the floor again').toBe(was?.runs);
    expect(score.agree, lines).toBeGreaterThanOrEqual(was?.agree ?? 0);
    expect(score.over, lines).toBeLessThanOrEqual(was?.over ?? 0);
  });
});
