import { describe, expect, it } from 'vitest';
import type { Decision } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { createReviewForm } from './reviewForm.ts';

const decided: Decision = {
  ...fixtureDecision('d1', 'MRN-1', 'reject'),
  comment: 'wrong date of birth',
};

describe('the review form of one record', () => {
  const cases: {
    description: string;
    steps: (form: ReturnType<typeof createReviewForm>) => string | null | undefined;
    expected: {
      findings: string[];
      comment: string;
      markReason: string;
      markClass: string;
      problem?: string | null;
    };
  }[] = [
    {
      description: 'a field is marked only once a reason and a class are chosen',
      steps: (form) => form.mark('birthDate'),
      expected: {
        findings: [],
        comment: '',
        markReason: '',
        markClass: '',
        problem: 'Choose a reason and a defect class for the field first.',
      },
    },
    {
      description: 'marking the same field again replaces its finding; Remove takes it away',
      steps: (form) => {
        form.set({ markReason: 'missing', markClass: 'critical' });
        form.mark('allergy');
        form.set({ markReason: 'wrong-value', markClass: 'major' });
        form.mark('birthDate');
        const again = form.mark('birthDate');
        form.unmark('allergy');
        return again;
      },
      expected: {
        findings: ['birthDate:wrong-value:major'],
        comment: '',
        markReason: 'wrong-value',
        markClass: 'major',
        problem: null,
      },
    },
    {
      description: 'the next record opens empty: nothing carries over, the save line stays',
      steps: (form) => {
        form.set({
          markReason: 'missing',
          markClass: 'critical',
          comment: 'x',
          changeReason: 'y',
          status: 'Saved: record 1 accepted.',
        });
        form.mark('allergy');
        form.open(undefined);
        return form.get().status;
      },
      expected: {
        findings: [],
        comment: '',
        markReason: '',
        markClass: '',
        problem: 'Saved: record 1 accepted.',
      },
    },
    {
      description: 'a decided record opens with the reviewer’s own findings and comment',
      steps: (form) => {
        form.set({ markReason: 'missing', markClass: 'critical' });
        form.open(decided);
        return undefined;
      },
      expected: {
        findings: ['birthDate:wrong-value:major'],
        comment: 'wrong date of birth',
        markReason: '',
        markClass: '',
      },
    },
  ];
  it.each(cases)('$description', ({ steps, expected }) => {
    const form = createReviewForm();
    const problem = steps(form);
    const state = form.get();
    expect(state.findings.map((f) => `${f.field}:${f.reason}:${f.defectClass}`)).toEqual(expected.findings);
    expect([state.comment, state.markReason, state.markClass]).toEqual([
      expected.comment,
      expected.markReason,
      expected.markClass,
    ]);
    if (expected.problem !== undefined) expect(problem).toBe(expected.problem);
  });

  it('tells its readers of each change until they unsubscribe', () => {
    const form = createReviewForm();
    let notified = 0;
    const stop = form.subscribe(() => notified++);
    form.set({ comment: 'a' });
    stop();
    form.set({ comment: 'b' });
    expect(notified).toBe(1);
  });
});
