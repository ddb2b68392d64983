import { describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../core/project/changes.ts';
import { viewRecord } from '../../core/signoff/review/index.ts';
import type { Outcome, Review, Reviewer } from '../../formats/review.ts';
import {
  FIXTURE_PLAN_HASH,
  fixtureDecision,
  fixtureMapping,
  fixtureReview,
} from '../../formats/testing/fixtures.ts';
import type { ReviewActions } from './reviewActions.ts';
import { createReviewStore, formKey, initialReviewState, type ReviewChange } from './reviewStore.ts';
// useDecide calls no React hook: it is called here as the plain function it is
import { useDecide as decideOn } from './useDecide.ts';

/**
 * Saving a decision as a sequence of events, through the review store, with the commit held at a
 * gate the case opens or fails: what the save line says, in what order the commits go, which record
 * opens and when the reason field takes the keyboard. The screen around it is played by the case:
 * a record on screen opens its form only when the case says so, as the record screen's effect does
 * a moment after the record is shown.
 */

const DANA: Reviewer = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const NOBODY: Reviewer = { name: '', role: '', id: '' };
const RECORDS = [1, 2, 3].map((row) => ({
  stratum: 'patients',
  record: { file: 'patients.csv', row, key: `MRN-${row}` },
}));
const VIEWS = RECORDS.map((entry) =>
  viewRecord({
    planHash: FIXTURE_PLAN_HASH,
    stratum: entry.stratum,
    record: entry.record,
    header: ['mrn', 'last_name', 'dob'],
    cells: [entry.record.key, 'Okafor', '1980-02-01'],
    mapping: fixtureMapping(),
  }),
);
function entryAt(at: number) {
  const entry = RECORDS[at];
  if (!entry) throw new Error(`no record ${at + 1} in the sample`);
  return entry;
}
const CRITICAL: ReviewChange = {
  type: 'edit',
  edit: { markReason: 'missing', markClass: 'critical' },
};

/** What a case does, in order. */
type Step =
  | { press: Outcome }
  /** the record on screen opens its form (the record screen's effect) */
  | 'form opens'
  | { change: ReviewChange }
  /** the held commit of the oldest decision still saving completes */
  | 'save completes'
  | { saveFails: string };

async function run(options: {
  review: Review;
  reviewer: Reviewer;
  /** the record on screen (its form open) when the case starts */
  at: number;
  steps: Step[];
}): Promise<string[]> {
  const log: string[] = [];
  const store = createReviewStore(initialReviewState(options.reviewer));
  let at = options.at;
  const formOpens = () =>
    store.dispatch({ type: 'open', record: formKey('first', entryAt(at)), own: undefined });
  formOpens();
  // the save line and the decisions saving, logged each time they change
  const saveLine = () => {
    const { status, pending } = store.get();
    return `save line: ${status || '(empty)'} [${pending.size} saving]`;
  };
  let line = saveLine();
  store.subscribe(() => {
    const now = saveLine();
    if (now !== line) log.push(now);
    line = now;
  });
  const gates: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let ids = 0;
  const actions: ReviewActions = {
    commit: (change: ProjectChange) => {
      log.push(
        change.type === 'review/decide'
          ? `commit: ${change.decision.recordKey} ${change.decision.outcome}`
          : `commit: ${change.type}`,
      );
      if (change.type !== 'review/decide') return Promise.resolve();
      return new Promise<void>((resolve, reject) => gates.push({ resolve, reject }));
    },
    newId: () => `d${++ids}`,
    now: () => '2025-03-02T10:00:00+01:00',
    auditLog: async () => [],
    projectId: 'p1',
  };
  const changeRef = {
    current: {
      focus: () => log.push('the change reason takes the keyboard'),
    } as unknown as HTMLTextAreaElement,
  };
  // the decide of the screen as it renders now, with RECORDS[at] in view
  const decide = () =>
    decideOn({
      store,
      actions,
      review: options.review,
      settings: {},
      entry: RECORDS[at],
      view: VIEWS[at] ?? null,
      stage: 'first',
      index: at,
      total: RECORDS.length,
      openSaved: (next) => {
        log.push(`record ${next + 1} on screen`);
        at = next;
      },
      changeRef,
    });
  const saving: Promise<void>[] = [];
  for (const step of options.steps) {
    if (step === 'form opens') formOpens();
    else if (step === 'save completes' || 'saveFails' in step) {
      const gate = gates.shift();
      if (!gate) throw new Error('no decision is saving');
      if (step === 'save completes') gate.resolve();
      else gate.reject(new Error(step.saveFails));
      await saving.shift();
    } else if ('change' in step) store.dispatch(step.change);
    else {
      log.push(`press ${step.press}`);
      saving.push(decide()(step.press));
    }
  }
  log.push(`in the end: ${store.get().status} (record ${at + 1} on screen)`);
  return log;
}

describe('saving a decision from the record screen', () => {
  const decidedBefore = fixtureReview('rv1', [
    { ...fixtureDecision('old', 'MRN-1', 'accept'), reviewer: DANA },
  ]);
  const cases: { description: string; options: Parameters<typeof run>[0]; expected: string[] }[] = [
    {
      description:
        'pending before the commit, "Saved" only once it resolves, then the next record with the save line kept',
      options: {
        review: fixtureReview(),
        reviewer: DANA,
        at: 0,
        steps: [{ press: 'accept' }, 'save completes', 'form opens'],
      },
      expected: [
        'press accept',
        'save line: Saving: Accepted… [1 saving]',
        'commit: project/settings',
        'commit: MRN-1 accept',
        'save line: Saved: record 1 accepted. [0 saving]',
        'record 2 on screen',
        'in the end: Saved: record 1 accepted. (record 2 on screen)',
      ],
    },
    {
      description: 'a save that fails says why and keeps the record on screen',
      options: {
        review: fixtureReview(),
        reviewer: DANA,
        at: 0,
        steps: [{ press: 'accept' }, { saveFails: 'the disk is full' }],
      },
      expected: [
        'press accept',
        'save line: Saving: Accepted… [1 saving]',
        'commit: project/settings',
        'commit: MRN-1 accept',
        'save line: Not saved: the disk is full [0 saving]',
        'in the end: Not saved: the disk is full (record 1 on screen)',
      ],
    },
    {
      description: 'the last record saved stays on screen',
      options: {
        review: fixtureReview(),
        reviewer: DANA,
        at: 2,
        steps: [{ press: 'accept' }, 'save completes'],
      },
      expected: [
        'press accept',
        'save line: Saving: Accepted… [1 saving]',
        'commit: project/settings',
        'commit: MRN-3 accept',
        'save line: Saved: record 3 accepted. [0 saving]',
        'in the end: Saved: record 3 accepted. (record 3 on screen)',
      ],
    },
    {
      description:
        'a change refused for want of a reason puts the keyboard in the reason field, and commits nothing',
      options: {
        review: decidedBefore,
        reviewer: DANA,
        at: 0,
        steps: [
          { change: CRITICAL },
          { change: { type: 'mark', fallbackField: 'dob' } },
          { press: 'reject' },
        ],
      },
      expected: [
        'press reject',
        expect.stringMatching(/^save line: Not saved: .*reason.* \[0 saving\]$/) as unknown as string,
        'the change reason takes the keyboard',
        expect.stringMatching(/^in the end: Not saved: /) as unknown as string,
      ],
    },
    {
      description: 'nobody named: the reviewer is asked who they are, and nothing is committed',
      options: { review: fixtureReview(), reviewer: NOBODY, at: 0, steps: [{ press: 'accept' }] },
      expected: [
        'press accept',
        'save line: Enter your name, role and staff id before deciding. [0 saving]',
        'in the end: Enter your name, role and staff id before deciding. (record 1 on screen)',
      ],
    },
    {
      description:
        'a double press is one decision: pressed again while it saves, or once it is saved, it is neither a second decision nor a change',
      options: {
        review: fixtureReview(),
        reviewer: DANA,
        at: 2,
        steps: [{ press: 'accept' }, { press: 'accept' }, 'save completes', { press: 'accept' }],
      },
      expected: [
        'press accept',
        'save line: Saving: Accepted… [1 saving]',
        'commit: project/settings',
        'commit: MRN-3 accept',
        'press accept',
        'save line: Saved: record 3 accepted. [0 saving]',
        'press accept',
        'in the end: Saved: record 3 accepted. (record 3 on screen)',
      ],
    },
    {
      description:
        'a key pressed before the next record’s form opens decides nothing; once it opens, the key decides',
      options: {
        review: fixtureReview(),
        reviewer: DANA,
        at: 0,
        steps: [
          { change: CRITICAL },
          { change: { type: 'mark', fallbackField: 'dob' } },
          { press: 'reject' },
          'save completes',
          { press: 'reject' },
          'form opens',
          { press: 'accept' },
          'save completes',
        ],
      },
      expected: [
        'press reject',
        'save line: Saving: Rejected… [1 saving]',
        'commit: project/settings',
        'commit: MRN-1 reject',
        'save line: Saved: record 1 rejected. [0 saving]',
        'record 2 on screen',
        'press reject',
        'save line: Not saved: this record was still opening. Decide again. [0 saving]',
        'press accept',
        'save line: Saving: Accepted… [1 saving]',
        'commit: project/settings',
        'commit: MRN-2 accept',
        'save line: Saved: record 2 accepted. [0 saving]',
        'record 3 on screen',
        'in the end: Saved: record 2 accepted. (record 3 on screen)',
      ],
    },
  ];
  it.each(cases)('$description', async ({ options, expected }) => {
    expect(await run(options)).toEqual(expected);
  });
});
