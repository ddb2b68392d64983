/**
 * HL7's validator test cases as the reference for `preflight fhir validate`: the selection covers
 * every enabled R4 case of the pinned commit, each left out with its reason, and the score of
 * every scored case holds the recorded floor (tests/fixtures/hl7CasesFloor.json; about 2.5 CPU-s).
 * `npm run bench -- hl7-cases` prints the score per module and re-records the floor with `--record`.
 */
import { describe, expect, it } from 'vitest';
import {
  changedSince,
  compareWithJava,
  copiedCases,
  floor,
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

  it('holds the recorded floor: agreement no lower, over-reports no higher', async () => {
    const runs = await runCases(scoredCases());
    const score = scoreOf(runs);
    const recorded = floor();
    const lines = changedSince(recorded, runs).join('\n');
    expect(score.runs, 'the scored cases changed: record the floor again').toBe(recorded.runs);
    expect(score.agree, lines).toBeGreaterThanOrEqual(recorded.agree);
    expect(score.over, lines).toBeLessThanOrEqual(recorded.over);
  });
});
