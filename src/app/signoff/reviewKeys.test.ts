import { describe, expect, it } from 'vitest';
import { type KeyPress, reviewKeyAction } from './reviewKeys.tsx';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  inField: false,
  ...more,
});

describe('the review region’s keys', () => {
  const cases: { description: string; press: KeyPress; expected: ReturnType<typeof reviewKeyAction> }[] = [
    { description: 'A accepts', press: press('a'), expected: 'accept' },
    { description: 'capital A (caps lock) accepts too', press: press('A'), expected: 'accept' },
    { description: 'R rejects', press: press('r'), expected: 'reject' },
    { description: 'C: cannot assess', press: press('c'), expected: 'cannot-assess' },
    { description: 'N goes to the next record', press: press('n'), expected: 'next' },
    { description: '→ goes to the next record', press: press('ArrowRight'), expected: 'next' },
    { description: 'P goes to the previous record', press: press('p'), expected: 'previous' },
    { description: '← goes to the previous record', press: press('ArrowLeft'), expected: 'previous' },
    { description: 'U: next record still to review', press: press('u'), expected: 'next-unreviewed' },
    {
      description: 'Shift+U: previous record still to review',
      press: press('U', { shiftKey: true }),
      expected: 'previous-unreviewed',
    },
    { description: 'M: mark a field wrong', press: press('m'), expected: 'mark' },
    { description: 'L: the record list', press: press('l'), expected: 'list' },
    {
      description: 'A held down decides once, not its repeats',
      press: press('a', { repeat: true }),
      expected: null,
    },
    {
      description: '→ held down keeps moving',
      press: press('ArrowRight', { repeat: true }),
      expected: 'next',
    },
    { description: 'Ctrl+A belongs to the browser', press: press('a', { ctrlKey: true }), expected: null },
    { description: 'Meta+R belongs to the browser', press: press('r', { metaKey: true }), expected: null },
    { description: 'typing A in a field is typing', press: press('a', { inField: true }), expected: null },
    {
      description: 'Esc in a field goes back to the record',
      press: press('Escape', { inField: true }),
      expected: 'to-record',
    },
    { description: 'Esc on the record itself does nothing', press: press('Escape'), expected: null },
    {
      description: '→ in a field moves the caret',
      press: press('ArrowRight', { inField: true }),
      expected: null,
    },
    { description: 'any other key does nothing', press: press('x'), expected: null },
  ];
  it.each(cases)('$description', ({ press, expected }) => {
    expect(reviewKeyAction(press)).toBe(expected);
  });
});
