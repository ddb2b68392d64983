import { describe, expect, it } from 'vitest';
import { loadAuditLog } from '../../../formats/auditLog.ts';
import type { Decision, Finding } from '../../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import { auditEntryFor, verifyAuditChain } from '../signing/auditChain.ts';
import { type DecisionRefusal, decisionProblem, decisionToChange } from './decisionRules.ts';
import { addDecision, decisionRefusal, ReviewChangeError } from './review.ts';

const critical: Finding = { field: 'allergy', reason: 'missing', defectClass: 'critical' };
const major: Finding = { field: 'birthDate', reason: 'wrong-value', defectClass: 'major' };
const minor: Finding = { field: 'name.family', reason: 'other', defectClass: 'minor' };

function made(id: string, outcome: Decision['outcome'], extra: Partial<Decision> = {}): Decision {
  return { ...fixtureDecision(id, 'MRN-1', outcome), findings: [], ...extra };
}
const rejected = made('d1', 'reject', { findings: [major] });

describe('decision rules', () => {
  const cases: {
    description: string;
    before: Decision[];
    decision: Decision;
    expected: DecisionRefusal | null;
  }[] = [
    { description: 'accept with nothing marked', before: [], decision: made('d2', 'accept'), expected: null },
    {
      description: 'accept with a minor finding (formatting) is allowed',
      before: [],
      decision: made('d2', 'accept', { findings: [minor] }),
      expected: null,
    },
    {
      description: 'accept with a major finding is refused',
      before: [],
      decision: made('d2', 'accept', { findings: [major] }),
      expected: 'accept-with-defect',
    },
    {
      description: 'accept with a critical finding among minor ones is refused',
      before: [],
      decision: made('d2', 'accept', { findings: [minor, critical] }),
      expected: 'accept-with-defect',
    },
    {
      description: 'reject with neither finding nor comment is refused',
      before: [],
      decision: made('d2', 'reject'),
      expected: 'reject-without-reason',
    },
    {
      description: 'reject with a blank comment is refused',
      before: [],
      decision: made('d2', 'reject', { comment: '   ' }),
      expected: 'reject-without-reason',
    },
    {
      description: 'reject with a comment only',
      before: [],
      decision: made('d2', 'reject', { comment: 'wrong patient' }),
      expected: null,
    },
    {
      description: 'reject with a finding only',
      before: [],
      decision: made('d2', 'reject', { findings: [critical] }),
      expected: null,
    },
    {
      description: 'cannot assess needs nothing',
      before: [],
      decision: made('d2', 'cannot-assess'),
      expected: null,
    },
    {
      description: 'a second decision on a record without a change is refused',
      before: [rejected],
      decision: made('d2', 'accept'),
      expected: 'change-without-reason',
    },
    {
      description: 'a change with a blank reason is refused',
      before: [rejected],
      decision: made('d2', 'accept', { change: { replaces: 'd1', previousOutcome: 'reject', reason: ' ' } }),
      expected: 'change-without-reason',
    },
    {
      description: 'a change naming the earlier decision, its outcome and a reason',
      before: [rejected],
      decision: made('d2', 'accept', {
        change: { replaces: 'd1', previousOutcome: 'reject', reason: 'looked again' },
      }),
      expected: null,
    },
    {
      description: 'a change naming another decision is refused',
      before: [rejected],
      decision: made('d2', 'accept', {
        change: { replaces: 'd0', previousOutcome: 'reject', reason: 'looked again' },
      }),
      expected: 'change-mismatch',
    },
    {
      description: 'a change misstating the earlier outcome is refused',
      before: [rejected],
      decision: made('d2', 'accept', {
        change: { replaces: 'd1', previousOutcome: 'accept', reason: 'looked again' },
      }),
      expected: 'change-mismatch',
    },
    {
      description: 'a change of another reviewer’s decision is refused, reason or not',
      before: [rejected],
      decision: made('d2', 'accept', {
        reviewer: { ...rejected.reviewer, id: `${rejected.reviewer.id}-other` },
        change: { replaces: 'd1', previousOutcome: 'reject', reason: 'looked again' },
      }),
      expected: 'change-by-another-reviewer',
    },
    {
      description: 'a change where nothing was decided is refused',
      before: [],
      decision: made('d2', 'accept', {
        change: { replaces: 'd1', previousOutcome: 'reject', reason: 'looked again' },
      }),
      expected: 'change-mismatch',
    },
  ];
  it.each(cases)('$description', ({ before, decision, expected }) => {
    const review = fixtureReview('rv1', before);
    expect(decisionProblem(review, decision)?.reason ?? null).toBe(expected);
    // addDecision refuses exactly what the rules refuse
    if (expected === null) expect(addDecision(review, decision).decisions.at(-1)).toBe(decision);
    else expect(() => addDecision(review, decision)).toThrow(ReviewChangeError);
  });

  it('a change is per stage: the second reviewer’s first decision changes nothing', () => {
    const review = { ...fixtureReview('rv1', [rejected]), dualReview: true };
    const second = made('d2', 'accept', {
      stage: 'second',
      reviewer: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
    });
    expect(decisionToChange(review, second)).toBeUndefined();
    expect(decisionProblem(review, second)).toBeNull();
  });

  it('the audit entry of a change records the replaced decision and both outcomes', () => {
    const change = made('d2', 'accept', {
      change: { replaces: 'd1', previousOutcome: 'reject', reason: 'looked again' },
    });
    const review = addDecision(addDecision(fixtureReview(), rejected), change);
    const first = auditEntryFor(undefined, review.id, rejected);
    const second = auditEntryFor(first, review.id, change);
    expect(first).not.toHaveProperty('replaces');
    expect(second).toMatchObject({ replaces: 'd1', previousOutcome: 'reject', outcome: 'accept' });
    expect(verifyAuditChain([first, second], [review])).toMatchObject({ ok: true, entries: 2 });
    // the reason is bound through the decision's hash: editing it breaks the entry
    const edited = {
      ...review,
      decisions: [rejected, { ...change, change: { ...change.change, reason: 'edited' } } as Decision],
    };
    expect(verifyAuditChain([first, second], [edited])).toMatchObject({ ok: false, entry: 2 });
    // and an exported log with a change entry loads
    expect(
      loadAuditLog({
        format: 'preflight.auditlog/v1',
        projectId: 'p',
        exportedAt: '2025-03-02T10:00:00+01:00',
        entries: [first, second],
        integrity: { sha256: 'a'.repeat(64) },
      }).ok,
    ).toBe(true);
  });
});

describe('decisionRefusal: the words the review screen shows', () => {
  it('says the dual-review rule first, then what the decision must say, and null when it may be saved', () => {
    const dana = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
    const sam = { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' };
    const review = {
      ...fixtureReview('rv1', [
        made('d1', 'accept', { stage: 'first', reviewer: dana }),
        made('d2', 'accept', { stage: 'second', reviewer: sam }),
      ]),
      dualReview: true,
    };
    expect(decisionRefusal(review, made('d3', 'reject', { stage: 'first', reviewer: dana }))).toMatch(
      /^both reviewers decided this record, so independent review of it is closed$/,
    );
    const other = { ...fixtureReview(), dualReview: true };
    expect(decisionRefusal(other, made('d3', 'reject', { stage: 'first', reviewer: dana }))).toBe(
      'A rejection needs a field marked wrong or a comment that says what is wrong.',
    );
    expect(decisionRefusal(other, made('d3', 'accept', { stage: 'first', reviewer: dana }))).toBeNull();
  });
});
