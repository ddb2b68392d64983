import { describe, expect, it } from 'vitest';
import type { Decision, Reviewer } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import {
  createReviewStore,
  formKey,
  initialReviewState,
  MARK_INCOMPLETE,
  NOTHING_TO_MARK,
  type ReviewChange,
  type ReviewState,
  reduceReview,
} from './reviewStore.ts';

const DANA: Reviewer = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const decided: Decision = {
  ...fixtureDecision('d1', 'MRN-1', 'reject'),
  comment: 'wrong date of birth',
};
const chosen = (markReason: 'missing' | 'wrong-value', markClass: 'critical' | 'major'): ReviewChange => ({
  type: 'edit',
  edit: { markReason, markClass },
});

/** What a case looks at: the form, the save line, the pending saves and the audit line. */
function seen(state: ReviewState) {
  return {
    formFor: state.formFor,
    reviewer: state.reviewer.id,
    findings: state.findings.map((f) => `${f.field}:${f.reason}:${f.defectClass}`),
    comment: state.comment,
    changeReason: state.changeReason,
    mark: [state.markField, state.markReason, state.markClass].join('|'),
    status: state.status,
    pending: [...state.pending],
    audit: state.audit,
    auditExport: state.auditExport.state,
  };
}

const START = seen(initialReviewState(DANA));
const MRN_1 = formKey('first', { stratum: 'patients', record: { key: 'MRN-1' } });
const MRN_2 = formKey('first', { stratum: 'patients', record: { key: 'MRN-2' } });

describe('the review store', () => {
  const cases: {
    description: string;
    changes: ReviewChange[];
    expected: Partial<ReturnType<typeof seen>>;
  }[] = [
    {
      description: 'a field is marked only once a reason and a class are chosen',
      changes: [{ type: 'mark', fallbackField: 'birthDate' }],
      expected: { findings: [], status: MARK_INCOMPLETE },
    },
    {
      description: 'a record with no field to mark says so',
      changes: [chosen('missing', 'critical'), { type: 'mark', fallbackField: undefined }],
      expected: { findings: [], mark: '|missing|critical', status: NOTHING_TO_MARK },
    },
    {
      description: 'without a chosen field the first markable one is marked, and the save line clears',
      changes: [
        { type: 'say', status: 'Not saved: reject needs a reason.' },
        chosen('missing', 'critical'),
        { type: 'mark', fallbackField: 'allergy' },
      ],
      expected: { findings: ['allergy:missing:critical'], mark: '|missing|critical', status: '' },
    },
    {
      description: 'marking the same field again replaces its finding; Remove takes one away',
      changes: [
        chosen('missing', 'critical'),
        { type: 'mark', fallbackField: 'allergy' },
        chosen('wrong-value', 'major'),
        { type: 'edit', edit: { markField: 'birthDate' } },
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'unmark', field: 'allergy' },
      ],
      expected: { findings: ['birthDate:wrong-value:major'], mark: 'birthDate|wrong-value|major' },
    },
    {
      description: 'a row’s Mark wrong chooses its field and clears the save line',
      changes: [
        { type: 'say', status: 'Saved: record 1 accepted.' },
        { type: 'mark-row', field: 'sex' },
      ],
      expected: { mark: 'sex||', status: '' },
    },
    {
      description: 'choosing the field in the form keeps the save line',
      changes: [
        { type: 'say', status: 'Saved: record 1 accepted.' },
        { type: 'edit', edit: { markField: 'sex' } },
      ],
      expected: { mark: 'sex||', status: 'Saved: record 1 accepted.' },
    },
    {
      description: 'the next record opens empty: nothing carries over, the save line stays',
      changes: [
        chosen('missing', 'critical'),
        { type: 'edit', edit: { comment: 'x', changeReason: 'y' } },
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'say', status: 'Saved: record 1 accepted.' },
        { type: 'open', record: MRN_2, own: undefined },
      ],
      expected: {
        formFor: MRN_2,
        findings: [],
        comment: '',
        changeReason: '',
        mark: '||',
        status: 'Saved: record 1 accepted.',
      },
    },
    {
      description: 'a decided record opens with the reviewer’s own findings and comment',
      changes: [chosen('missing', 'critical'), { type: 'open', record: MRN_1, own: decided }],
      expected: {
        formFor: MRN_1,
        findings: ['birthDate:wrong-value:major'],
        comment: 'wrong date of birth',
        mark: '||',
      },
    },
    {
      description: 'the reviewer as typed is kept, and a record opening does not clear it',
      changes: [
        { type: 'reviewer', reviewer: { ...DANA, id: 'RN-205' } },
        { type: 'open', record: MRN_1, own: undefined },
      ],
      expected: { formFor: MRN_1, reviewer: 'RN-205' },
    },
    {
      description: 'the form is for no record until one opens',
      changes: [{ type: 'edit', edit: { comment: 'x' } }],
      expected: { formFor: '', comment: 'x' },
    },
    {
      description: 'typing, marking and saving keep the record the form was opened for',
      changes: [
        { type: 'open', record: MRN_1, own: undefined },
        chosen('missing', 'critical'),
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'edit', edit: { comment: 'x' } },
        { type: 'saving', id: 'd1', status: 'Saving: Reject…' },
        { type: 'settled', id: 'd1', status: 'Saved: record 1 rejected.' },
      ],
      expected: {
        formFor: MRN_1,
        findings: ['allergy:missing:critical'],
        comment: 'x',
        mark: '|missing|critical',
        status: 'Saved: record 1 rejected.',
      },
    },
    {
      description: 'the same record under the other pass is another form',
      changes: [
        { type: 'open', record: MRN_1, own: undefined },
        {
          type: 'open',
          record: formKey('second', { stratum: 'patients', record: { key: 'MRN-1' } }),
          own: undefined,
        },
      ],
      expected: { formFor: formKey('second', { stratum: 'patients', record: { key: 'MRN-1' } }) },
    },
    {
      description: 'a decision saving is pending, with its save line',
      changes: [{ type: 'saving', id: 'd1', status: 'Saving: Accept…' }],
      expected: { pending: ['d1'], status: 'Saving: Accept…' },
    },
    {
      description: 'a settled save is no longer pending; one still saving is',
      changes: [
        { type: 'saving', id: 'd1', status: 'Saving: Accept…' },
        { type: 'saving', id: 'd2', status: 'Saving: Reject…' },
        { type: 'settled', id: 'd1', status: 'Saved: record 1 accepted.' },
      ],
      expected: { pending: ['d2'], status: 'Saved: record 1 accepted.' },
    },
    {
      description: 'a save that failed is settled too, and says why',
      changes: [
        { type: 'saving', id: 'd1', status: 'Saving: Accept…' },
        { type: 'settled', id: 'd1', status: 'Not saved: the disk is full.' },
      ],
      expected: { pending: [], status: 'Not saved: the disk is full.' },
    },
    {
      description: 'the audit line and the export’s state are kept apart from the save line',
      changes: [
        { type: 'say', status: 'Saved: record 1 accepted.' },
        { type: 'audit', text: 'Audit log: 3 entries, chain intact (head 0123456789ab…).' },
        { type: 'audit-export', export: { state: 'saving' } },
      ],
      expected: {
        audit: 'Audit log: 3 entries, chain intact (head 0123456789ab…).',
        auditExport: 'saving',
        status: 'Saved: record 1 accepted.',
      },
    },
  ];
  it.each(cases)('$description', ({ changes, expected }) => {
    const before = initialReviewState(DANA);
    const frozen = JSON.stringify({ ...before, pending: [...before.pending] });
    const state = changes.reduce(reduceReview, before);
    expect(seen(state)).toEqual({ ...START, ...expected });
    // pure: the state it started from is unchanged
    expect(JSON.stringify({ ...before, pending: [...before.pending] })).toBe(frozen);
  });

  it('tells its readers of each change until they unsubscribe', () => {
    const store = createReviewStore(initialReviewState(DANA));
    let notified = 0;
    const stop = store.subscribe(() => notified++);
    store.dispatch({ type: 'edit', edit: { comment: 'a' } });
    stop();
    store.dispatch({ type: 'edit', edit: { comment: 'b' } });
    expect(notified).toBe(1);
    expect(store.get().comment).toBe('b');
  });
});
