import { describe, expect, it } from 'vitest';
import { viewRecord } from '../../core/signoff/review/index.ts';
import type { Decision, Review } from '../../formats/review.ts';
import {
  FIXTURE_PLAN_HASH,
  fixtureDecision,
  fixtureMapping,
  fixtureReview,
} from '../../formats/testing/fixtures.ts';
import { type DecisionRequest, draftDecision, FORM_NOT_OPENED, SAY_WHY_REJECTED } from './draftDecision.ts';
import { formKey, initialReviewState, type ReviewChange, reduceReview } from './reviewStore.ts';

const DANA = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const review = fixtureReview();
const entry = { stratum: 'patients', record: { file: 'patients.csv', row: 1, key: 'MRN-1' } };
const view = viewRecord({
  planHash: FIXTURE_PLAN_HASH,
  stratum: 'patients',
  record: entry.record,
  header: ['mrn', 'last_name', 'dob'],
  cells: ['MRN-1', 'Okafor', '1980-02-01'],
  mapping: fixtureMapping(),
});
/** the empty form of MRN-1, opened for the first pass */
const NO_FORM = { formFor: formKey('first', entry), findings: [], comment: '', changeReason: '' };

function request(overrides: Partial<DecisionRequest>): DecisionRequest {
  return {
    review,
    entry,
    view,
    stage: 'first',
    reviewer: DANA,
    form: NO_FORM,
    outcome: 'accept',
    id: 'new',
    now: '2025-03-02T10:00:00+01:00',
    ...overrides,
  };
}

const decidedBefore: Review = fixtureReview('rv1', [fixtureDecision('old', 'MRN-1', 'accept')]);
const critical = [{ field: 'allergy', reason: 'missing' as const, defectClass: 'critical' as const }];

describe('the decision a key press makes', () => {
  const cases: {
    description: string;
    request: DecisionRequest;
    expected: { status: string; askReason: boolean; askWhyRejected?: boolean } | ((d: Decision) => void);
  }[] = [
    {
      description:
        'the form of the record before (this one on screen, its form not yet reset) decides nothing',
      request: request({
        outcome: 'reject',
        form: {
          formFor: formKey('first', { stratum: 'patients', record: { key: 'MRN-0' } }),
          findings: critical,
          comment: 'allergy row missing',
          changeReason: '',
        },
      }),
      expected: { status: FORM_NOT_OPENED, askReason: false },
    },
    {
      description: 'the same key in another stratum is another record',
      request: request({ form: { ...NO_FORM, formFor: formKey('first', { ...entry, stratum: 'visits' }) } }),
      expected: { status: FORM_NOT_OPENED, askReason: false },
    },
    {
      description: 'a form opened for the first pass does not decide the second',
      request: request({ review: { ...review, dualReview: true }, stage: 'second' }),
      expected: { status: FORM_NOT_OPENED, askReason: false },
    },
    {
      description: 'before any record’s form opened, nothing is decided',
      request: request({ form: { ...NO_FORM, formFor: '' } }),
      expected: { status: FORM_NOT_OPENED, askReason: false },
    },
    {
      description: 'no staff id: the reviewer is asked who they are first',
      request: request({ reviewer: { ...DANA, id: ' ' } }),
      expected: { status: 'Enter your name, role and staff id before deciding.', askReason: false },
    },
    {
      description: 'a comment quoting the record’s key is not saved',
      request: request({ outcome: 'reject', form: { ...NO_FORM, comment: 'MRN-1 has the wrong name' } }),
      expected: {
        status: expect.stringMatching(
          /^Not saved: The comment contains the record's key/,
        ) as unknown as string,
        askReason: false,
      },
    },
    {
      description: 'accept with a critical finding is refused in the rules’ words',
      request: request({ form: { ...NO_FORM, findings: critical } }),
      expected: {
        status: expect.stringMatching(
          /^Not saved: Accept is refused while a major or critical finding is marked/,
        ) as unknown as string,
        askReason: false,
      },
    },
    {
      description: 'reject with nothing said asks why: the comment takes the keyboard',
      request: request({ outcome: 'reject' }),
      expected: { status: SAY_WHY_REJECTED, askReason: false, askWhyRejected: true },
    },
    {
      description:
        'reject on a record both reviewers decided says the review of it is closed, not asking why',
      request: request({
        review: {
          ...review,
          dualReview: true,
          decisions: [
            { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' },
            {
              ...fixtureDecision('d2', 'MRN-1', 'accept'),
              reviewer: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
              stage: 'second',
            },
          ],
        },
        outcome: 'reject',
      }),
      expected: {
        status: expect.stringMatching(/independent review of it is closed/) as unknown as string,
        askReason: expect.any(Boolean) as unknown as boolean,
      },
    },
    {
      description: 'a changed decision without a reason asks for the reason',
      request: request({
        review: decidedBefore,
        outcome: 'reject',
        form: { ...NO_FORM, findings: critical },
      }),
      expected: {
        status: expect.stringMatching(/^Not saved: .*reason/i) as unknown as string,
        askReason: true,
      },
    },
    {
      description: 'a decision names the reviewer (trimmed), the record and the hash of what was shown',
      request: request({
        reviewer: { ...DANA, name: ' Dana Reyes ' },
        form: { ...NO_FORM, comment: ' fine ' },
      }),
      expected: (d) => {
        expect(d).toMatchObject({
          id: 'new',
          planHash: FIXTURE_PLAN_HASH,
          stratum: 'patients',
          recordKey: 'MRN-1',
          row: 1,
          file: 'patients.csv',
          reviewer: DANA,
          outcome: 'accept',
          comment: 'fine',
        });
        expect(d.shownSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(d.change).toBeUndefined();
        expect(d.stage).toBeUndefined();
      },
    },
    {
      description: 'a changed decision with a reason names the decision it changes',
      request: request({
        review: decidedBefore,
        outcome: 'reject',
        form: { ...NO_FORM, findings: critical, changeReason: 'allergy row missed' },
      }),
      expected: (d) =>
        expect(d.change).toEqual({
          replaces: 'old',
          previousOutcome: 'accept',
          reason: 'allergy row missed',
        }),
    },
    {
      description: 'under dual review the decision carries the reviewer’s pass',
      request: request({
        review: { ...review, dualReview: true },
        stage: 'second',
        form: { ...NO_FORM, formFor: formKey('second', entry) },
      }),
      expected: (d) => expect(d.stage).toBe('second'),
    },
  ];
  it.each(cases)('$description', ({ request, expected }) => {
    const drafted = draftDecision(request);
    if (typeof expected === 'function') {
      if (!drafted.ok) throw new Error(`refused: ${drafted.status}`);
      expected(drafted.decision);
    } else {
      expect(drafted).toEqual({ ok: false, ...expected });
    }
  });
});

describe('a form decides only the record it was opened for', () => {
  const MRN_0 = formKey('first', { stratum: 'patients', record: { key: 'MRN-0' } });
  const cases: {
    description: string;
    /** what reached the store; MRN-1 is the record in view */
    changes: ReviewChange[];
    outcome: 'accept' | 'reject';
    expected: { findings: string[]; comment: string | undefined } | string;
  }[] = [
    {
      description: 'MRN-1’s own form decides it with its findings and comment',
      changes: [
        { type: 'open', record: formKey('first', entry), own: undefined },
        { type: 'edit', edit: { markReason: 'missing', markClass: 'critical', comment: 'allergy row' } },
        { type: 'mark', fallbackField: 'allergy' },
      ],
      outcome: 'reject',
      expected: { findings: ['allergy'], comment: 'allergy row' },
    },
    {
      description: 'MRN-1 on screen with MRN-0’s form not yet reset: nothing is decided',
      changes: [
        { type: 'open', record: MRN_0, own: undefined },
        { type: 'edit', edit: { markReason: 'missing', markClass: 'critical', comment: 'allergy row' } },
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'saving', id: 'd0', status: 'Saving: Reject…' },
        { type: 'settled', id: 'd0', status: 'Saved: record 1 rejected.' },
      ],
      outcome: 'reject',
      expected: FORM_NOT_OPENED,
    },
    {
      description: 'once MRN-1’s form opens, nothing of MRN-0’s carries over',
      changes: [
        { type: 'open', record: MRN_0, own: undefined },
        { type: 'edit', edit: { markReason: 'missing', markClass: 'critical', comment: 'allergy row' } },
        { type: 'mark', fallbackField: 'allergy' },
        { type: 'open', record: formKey('first', entry), own: undefined },
      ],
      outcome: 'accept',
      expected: { findings: [], comment: undefined },
    },
    {
      description: 'no form opened yet: nothing is decided',
      changes: [{ type: 'edit', edit: { comment: 'allergy row' } }],
      outcome: 'reject',
      expected: FORM_NOT_OPENED,
    },
  ];
  it.each(cases)('$description', ({ changes, outcome, expected }) => {
    const form = changes.reduce(reduceReview, initialReviewState(DANA));
    const drafted = draftDecision(request({ outcome, reviewer: form.reviewer, form }));
    if (typeof expected === 'string')
      expect(drafted).toEqual({ ok: false, status: expected, askReason: false });
    else {
      if (!drafted.ok) throw new Error(`refused: ${drafted.status}`);
      expect({
        findings: drafted.decision.findings.map((f) => f.field),
        comment: drafted.decision.comment,
      }).toEqual(expected);
    }
  });
});
