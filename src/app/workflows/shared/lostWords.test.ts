/**
 * A lost edit in words, one kind of conflict per row: what of the person's was lost (by name
 * only), who removed it and when, and what to do; and the line that leads the findings.
 */
import { describe, expect, it } from 'vitest';
import type { LostEdit, Removal, SharedOp } from '../../../core/workflow/shared/index.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Step } from '../../../formats/workflow.ts';
import { causeWords, lostWords } from './lostWords.ts';

const workflow = fixtureWorkflow();
const vitals = workflow.steps.find((s) => s.id === 'vitals') as Step;
const AT = '2026-11-26T14:02:00.000Z';
const byBen = (item: Removal['item'], key: string): Removal => ({
  key,
  seq: 4,
  author: 'Ben Lyst',
  at: AT,
  atExact: true,
  item,
  restore: [],
});
const stepGone = byBen({ kind: 'step', step: vitals, index: 4 }, 'step:vitals');
const laneGone = byBen(
  { kind: 'lane', lane: { id: 'nurse', name: 'Nurse', staff: 1 }, index: 1 },
  'lane:nurse',
);
const lost = (removal: Removal | undefined, key: string, ...mine: SharedOp[]): LostEdit => ({
  id: `4:${key}`,
  removal,
  key,
  mine,
});
const flowTo = (from: string): SharedOp => ({
  op: 'flow/put',
  flow: { from, to: 'vitals', transfer: 'none' },
  index: 0,
});

// the page's time zone may put 14:02 UTC on another day
const WHEN = 'on \\d{1,2} Nov 2026, \\d\\d:\\d\\d';

describe('lostWords', () => {
  it.each([
    {
      description: 'a rename of a removed step',
      edit: lost(stepGone, 'step:vitals', {
        op: 'step/set',
        id: 'vitals',
        field: 'label',
        value: 'Vitals and weight',
      }),
      what: `Ben Lyst removed the step “Take vitals” ${WHEN}\\. Your new name for it was lost\\.`,
      todo: 'put it back with your change',
    },
    {
      description: 'a move and a new touch time of a removed step',
      edit: lost(
        stepGone,
        'step:vitals',
        { op: 'step/set', id: 'vitals', field: 'position', value: { x: 1, y: 2 } },
        { op: 'step/set', id: 'vitals', field: 'touchMin', value: 9 },
      ),
      what: `Ben Lyst removed the step “Take vitals” ${WHEN}\\. Your move of it was lost; your change to its touch time was lost\\.`,
      todo: 'put it back with your change',
    },
    {
      description: 'flows drawn to a removed step',
      edit: lost(stepGone, 'step:vitals', flowTo('arrive'), flowTo('form'), flowTo('insured')),
      what: `Ben Lyst removed the step “Take vitals” ${WHEN}\\. 3 flows of yours to or from it now point at nothing\\.`,
      todo: 'what of yours points at it is mended',
    },
    {
      description: 'a step added to a removed lane',
      edit: lost(laneGone, 'lane:nurse', {
        op: 'step/put',
        step: { ...vitals, id: 'x', label: 'Weigh patient' },
        index: 0,
      }),
      what: `Ben Lyst removed the lane “Nurse” ${WHEN}\\. The step “Weigh patient” you added to it is now in no lane\\.`,
      todo: 'what of yours points at it is mended',
    },
    {
      description: 'a removal heard, not dated by the server',
      edit: lost({ ...stepGone, atExact: false }, 'step:vitals', {
        op: 'step/set',
        id: 'vitals',
        field: 'clicks',
        value: 2,
      }),
      what: 'Ben Lyst removed the step “Take vitals” before \\d{1,2} Nov 2026, \\d\\d:\\d\\d, when it reached you\\. Your change to its clicks was lost\\.',
      todo: 'put it back with your change',
    },
  ])('$description', ({ edit, what, todo }) => {
    const words = lostWords(edit, workflow, false);
    expect(words.what).toMatch(new RegExp(`^${what}$`));
    expect(words.todo).toContain(todo);
    expect(words.todo).toMatch(/Ben Lyst may have removed it on purpose: ask them\.$/);
    // never a value the person typed
    expect(`${words.what} ${words.todo}`).not.toMatch(/Vitals and weight|\b9\b/);
  });

  it('says nothing more is to be done once the item is back, and names no one it no longer remembers', () => {
    const edit = lost(stepGone, 'step:vitals', flowTo('arrive'));
    expect(lostWords(edit, workflow, true).todo).toBe(
      '“Take vitals” is back in the workflow: nothing more to do.',
    );
    expect(lostWords(lost(undefined, 'step:vitals', flowTo('arrive')), workflow, false).what).toBe(
      'Someone else removed the step “vitals”. 1 flow of yours to or from it now points at nothing.',
    );
  });
});

describe('causeWords', () => {
  it('leads with who removed what, and what of the person’s pointed to it', () => {
    expect(
      causeWords(lost(stepGone, 'step:vitals', flowTo('arrive'), flowTo('form'), flowTo('insured'))),
    ).toBe('Ben Lyst removed “Take vitals”; 3 flows of yours pointed to it');
    expect(
      causeWords(lost(laneGone, 'lane:nurse', { op: 'step/put', step: { ...vitals, id: 'x' }, index: 0 })),
    ).toBe('Ben Lyst removed “Nurse”; 1 step of yours was in it');
  });
});
